"""The page-address format: small work (reviews, class names, settings; no model) in the URL.

`settings_to_query` packs the work into one query parameter, `w`, as the workspace file's JSON
(`explorer.workspace.file_format`, without the model) → zlib → URL-safe base64, so a refresh
restores it and the link can be shared. Work too big for a URL gets None there, and the page
offers the workspace file instead. `settings_from_query` reads it back and never raises.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Mapping

import pandas as pd

from explorer.errors import InputError
from explorer.workspace.file_format import read_document, work_document, workspace_from_json
from explorer.workspace.saved import NOTHING_CHANGED

QUERY_PARAM = "w"
MAX_QUERY_CHARS = 6_000
# Reviews compress to about a third; text this many times the URL budget can never fit, so it is
# declared too big without spending a rerun's worth of time compressing it.
_QUERY_TEXT_RATIO = 16
# A URL value of 6,000 characters is about 4,500 compressed bytes; refusing to inflate past 1 MB
# stops a crafted link from blowing up in memory (zlib can expand ~1000-fold).
_MAX_QUERY_INFLATED_BYTES = 2**20


def settings_to_query(*, reviews: pd.DataFrame, class_names, encode_settings,
                      model_settings, embedding_start: str = "random",
                      max_chars: int = MAX_QUERY_CHARS) -> dict[str, str] | None:
    """Pack reviews, class names and settings into URL query parameters, if they fit.

    >>> from explorer.model import ModelSettings
    >>> from explorer.text import EncodeSettings
    >>> settings_to_query(reviews=pd.DataFrame({"text": ["awesome"], "label": [1]}),
    ...                   class_names=["negative", "positive"], encode_settings=EncodeSettings(),
    ...                   model_settings=ModelSettings())  # doctest: +ELLIPSIS
    {'w': 'eN...'}

    Args:
        reviews, class_names, encode_settings, model_settings, embedding_start: as for
            `workspace_to_json`.
        max_chars: the longest parameter value allowed; browsers and proxies cut long URLs.

    Returns:
        {"w": value} for `st.query_params`, or None when the work is too big for a URL (then
        offer the workspace file). Reviews with more than 16 × max_chars characters of text are
        too big without being compressed to find out.

    Raises:
        InputError: a value that no workspace could hold (as for `workspace_to_json`).
    """
    if _text_chars(reviews) > _QUERY_TEXT_RATIO * max_chars:
        return None
    document = work_document(reviews=reviews, class_names=class_names,
                             encode_settings=encode_settings, model_settings=model_settings,
                             embedding_start=embedding_start)
    del document["model"]  # a URL never holds a model
    read_document(document)
    packed = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    value = base64.urlsafe_b64encode(zlib.compress(packed.encode("utf-8"), 9)).decode("ascii")
    value = value.rstrip("=")  # padding is recomputed on the way back; "=" would need escaping
    return {QUERY_PARAM: value} if len(value) <= max_chars else None


def settings_from_query(params: Mapping) -> tuple[dict | None, str | None]:
    """Unpack what `settings_to_query` stored; never raises, whatever the URL holds.

    >>> settings_from_query({})
    (None, None)
    >>> settings_from_query({"w": "garbage"})[1]  # doctest: +ELLIPSIS
    'The link does not hold saved work that can be restored:...'

    Args:
        params: `st.query_params` or any mapping of str to str.

    Returns:
        (state, message). state is {"reviews", "class_names", "encode_settings",
        "model_settings", "embedding_start"} (the keyword arguments of `settings_to_query`) or
        None; message is None when the URL was read or held no saved work, else a sentence for
        the page to show.
    """
    try:
        value = params.get(QUERY_PARAM)
    except Exception:  # a mapping that cannot even be read is treated as empty
        return None, None
    if value is None or value == "":
        return None, None
    intro = "The link does not hold saved work that can be restored:"
    try:
        raw = _unpack_query_value(value)
    except InputError as error:
        return None, f"{intro} {error} {NOTHING_CHANGED}"
    try:
        workspace = workspace_from_json(raw)
    except InputError as error:
        return None, f"{intro} {error}"
    except Exception as error:  # never let a hand-edited URL crash the page
        return None, f"{intro} {type(error).__name__}. {NOTHING_CHANGED}"
    if workspace.model is not None:
        return None, f"{intro} it holds a trained model, which only a workspace file can. {NOTHING_CHANGED}"
    state = {"reviews": workspace.reviews, "class_names": list(workspace.class_names),
             "encode_settings": workspace.encode_settings,
             "model_settings": workspace.model_settings,
             "embedding_start": workspace.embedding_start}
    return state, None


def _text_chars(reviews) -> int:
    if not isinstance(reviews, pd.DataFrame) or "text" not in reviews.columns:
        return 0  # the full check names what is wrong
    return sum(len(t) for t in reviews["text"] if isinstance(t, str))


def _unpack_query_value(value) -> bytes:
    if not isinstance(value, str) or len(value) > MAX_QUERY_CHARS * 2:
        raise InputError(f"its `{QUERY_PARAM}` value is not one this app writes.")
    try:
        packed = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, _MAX_QUERY_INFLATED_BYTES)
    except (binascii.Error, ValueError, zlib.error):
        raise InputError(f"its `{QUERY_PARAM}` value is not one this app writes (it does not decode).") from None
    if inflater.unconsumed_tail:
        raise InputError(f"its `{QUERY_PARAM}` value unpacks to more than "
                         f"{_MAX_QUERY_INFLATED_BYTES // 2**20} MB, far more than this app writes.")
    if not inflater.eof or inflater.unused_data:
        raise InputError(f"its `{QUERY_PARAM}` value is not one this app writes (it is cut short "
                         "or has extra data; copy the whole link).")
    return raw
