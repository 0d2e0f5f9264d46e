"""Saving and restoring a user's whole work: the workspace file and the page URL.

The workspace file is UTF-8 JSON (parsed as data only, never pickle or eval)::

    {
      "format": "embedding-explorer-workspace",
      "version": 1,
      "reviews": [{"text": "Never coming back!", "label": 0}, ...],
      "class_names": ["negative", "positive"],
      "encode_settings": {"method": "hashing", "vocab_size": 50, "max_length": 4,
                          "padding": "post", "truncating": "post"},
      "model_settings": {"output_dim": 8, "head": "flatten", "optimizer": "adam",
                         "learning_rate": 0.001, "epochs": 100, "batch_size": 32,
                         "validation_split": 0.0, "seed": 0, "trainable": true},
      "weights": {"before": MATRIX, "after": MATRIX} or null,
      "history": {"loss": [...], "accuracy": [...]} or null
    }

Labels are 0 or 1 (class 0 is `class_names[0]`). A MATRIX is
``{"dtype": "float32-le", "shape": [vocab_size, output_dim], "data": BASE64}``: the matrix's
float32 values in row-major order as little-endian bytes, base64-encoded (about a third of the
size of the same numbers written as JSON text, and exact). Both matrices must have the shape
(vocab_size, output_dim) of the settings beside them and only finite values. `history` holds
per-epoch lists of finite numbers for loss, accuracy and, after a validation split, val_loss and
val_accuracy, all of one length.

Small work also lives in the page URL: `settings_to_query` packs the reviews, class names and
settings (no weights) into one query parameter, `w`, as JSON → zlib → URL-safe base64, so a
refresh restores it and the link can be shared. Work too big for a URL gets None there, and the
page offers the workspace file instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from explorer.errors import InputError, check_choice
from explorer.model import MAX_EPOCHS, ModelSettings
from explorer.text import EncodeSettings

FORMAT = "embedding-explorer-workspace"
VERSION = 1
MAX_FILE_BYTES = 50 * 2**20
MAX_REVIEWS = 100_000
MAX_CLASS_NAME_LENGTH = 100
MATRIX_DTYPE = "float32-le"
HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")
WEIGHT_KEYS = ("before", "after")
QUERY_PARAM = "w"
MAX_QUERY_CHARS = 6_000
# A URL value of 6,000 characters is about 4,500 compressed bytes; refusing to inflate past 1 MB
# stops a crafted link from blowing up in memory (zlib can expand ~1000-fold).
_MAX_QUERY_INFLATED_BYTES = 2**20
_NOTHING_CHANGED = "Nothing was changed."

_TOP_KEYS = ("format", "version", "reviews", "class_names", "encode_settings",
             "model_settings", "weights", "history")
_ENCODE_KEYS = tuple(f.name for f in fields(EncodeSettings))
_MODEL_KEYS = tuple(f.name for f in fields(ModelSettings))


@dataclass(frozen=True)
class Workspace:
    """A user's work as read back from a workspace file, every field already checked.

    `reviews` has columns text (str) and label (int 0 or 1). `weights` maps "before"/"after"
    to float32 arrays of shape (vocab_size, output_dim); `history` maps metric names to lists.
    """

    reviews: pd.DataFrame
    class_names: tuple[str, str]
    encode_settings: dict
    model_settings: dict
    weights: dict[str, np.ndarray] | None = None
    history: dict[str, list[float]] | None = None


def workspace_to_json(*, reviews: pd.DataFrame, class_names, encode_settings: dict,
                      model_settings: dict, weights: dict | None = None,
                      history: dict | None = None) -> str:
    """Write a user's work as workspace-file JSON text (see the module docstring for the format).

    >>> text = workspace_to_json(
    ...     reviews=pd.DataFrame({"text": ["awesome"], "label": [1]}),
    ...     class_names=["negative", "positive"],
    ...     encode_settings={"method": "hashing", "vocab_size": 50, "max_length": 4,
    ...                      "padding": "post", "truncating": "post"},
    ...     model_settings={"output_dim": 8, "head": "flatten", "optimizer": "adam",
    ...                     "learning_rate": 0.001, "epochs": 100, "batch_size": 32,
    ...                     "validation_split": 0.0, "seed": 0, "trainable": True})
    >>> workspace_from_json(text).reviews.to_dict("records")
    [{'text': 'awesome', 'label': 1}]

    Args:
        reviews: DataFrame with columns text and label; labels 0/1 or one of `class_names`.
        class_names: the two class names, class 0 first.
        encode_settings: the fields of `explorer.text.EncodeSettings`.
        model_settings: the fields of `explorer.model.ModelSettings`.
        weights: optional {"before": array, "after": array}, each (vocab_size, output_dim).
        history: optional per-epoch metrics, e.g. {"loss": [...], "accuracy": [...]}.

    Returns:
        The JSON text. The same work always gives the same text, which reads back with
        `workspace_from_json` to equal values.

    Raises:
        InputError: a value the file could not hold (a label outside the classes, NaN weights).
    """
    document = _document(reviews=reviews, class_names=class_names,
                         encode_settings=encode_settings, model_settings=model_settings)
    document["weights"] = None if weights is None else _weights_to_json(weights)
    document["history"] = None if history is None else _plain_history(history)
    _check_document(document)  # what we write must be what we accept, so a save never strands work
    return json.dumps(document, ensure_ascii=False, allow_nan=False, indent=1)


def workspace_from_json(text_or_bytes) -> Workspace:
    """Read a workspace file, refusing anything malformed or foreign.

    >>> workspace_from_json('{"format": "something-else"}')
    Traceback (most recent call last):
    ...
    explorer.errors.InputError: This is not an Embedding Explorer workspace file: ...

    Args:
        text_or_bytes: the file's content as str or bytes (or an uploaded file object with
            `getvalue()`, such as Streamlit's UploadedFile).

    Returns:
        A `Workspace`.

    Raises:
        InputError: saying what is wrong, ending with "Nothing was changed."
    """
    try:
        document = _parse_json(_as_text(text_or_bytes))
        return _check_document(document)
    except InputError as error:
        raise InputError(f"{error} {_NOTHING_CHANGED}") from None


def settings_to_query(*, reviews: pd.DataFrame, class_names, encode_settings: dict,
                      model_settings: dict, max_chars: int = MAX_QUERY_CHARS) -> dict[str, str] | None:
    """Pack reviews, class names and settings into URL query parameters, if they fit.

    >>> from dataclasses import asdict
    >>> settings_to_query(reviews=pd.DataFrame({"text": ["awesome"], "label": [1]}),
    ...                   class_names=["negative", "positive"],
    ...                   encode_settings=asdict(EncodeSettings()),
    ...                   model_settings=asdict(ModelSettings()))  # doctest: +ELLIPSIS
    {'w': 'eN...'}

    Args:
        reviews, class_names, encode_settings, model_settings: as for `workspace_to_json`.
        max_chars: the longest parameter value allowed; browsers and proxies cut long URLs.

    Returns:
        {"w": value} for `st.query_params`, or None when the work is too big for a URL (then
        offer the workspace file).

    Raises:
        InputError: a value that no workspace could hold (as for `workspace_to_json`).
    """
    document = _document(reviews=reviews, class_names=class_names,
                         encode_settings=encode_settings, model_settings=model_settings)
    _check_document(document)
    packed = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    value = base64.urlsafe_b64encode(zlib.compress(packed.encode("utf-8"), 9)).decode("ascii")
    value = value.rstrip("=")  # padding is recomputed on the way back; "=" would need escaping
    return {QUERY_PARAM: value} if len(value) <= max_chars else None


def settings_from_query(params: Mapping) -> tuple[dict | None, str | None]:
    """Unpack what `settings_to_query` stored; never raises, whatever the URL holds.

    >>> settings_from_query({})
    (None, None)
    >>> settings_from_query({"w": "garbage"})[1]  # doctest: +ELLIPSIS
    'The link does not hold saved work...'

    Args:
        params: `st.query_params` or any mapping of str to str.

    Returns:
        (state, message). state is {"reviews", "class_names", "encode_settings",
        "model_settings"} (the keyword arguments of `settings_to_query`) or None; message is
        None when the URL was read or held no saved work, else a sentence for the page to show.
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
        return None, f"{intro} {error} {_NOTHING_CHANGED}"
    try:
        workspace = workspace_from_json(raw)
    except InputError as error:
        return None, f"{intro} {error}"
    except Exception as error:  # never let a hand-edited URL crash the page
        return None, f"{intro} {type(error).__name__}. {_NOTHING_CHANGED}"
    state = {"reviews": workspace.reviews, "class_names": list(workspace.class_names),
             "encode_settings": workspace.encode_settings,
             "model_settings": workspace.model_settings}
    return state, None


# --- writing --------------------------------------------------------------------------------

def _document(*, reviews, class_names, encode_settings, model_settings) -> dict:
    names = _class_names(class_names)
    return {
        "format": FORMAT,
        "version": VERSION,
        "reviews": _reviews_to_json(reviews, names),
        "class_names": names,
        "encode_settings": _plain(encode_settings),
        "model_settings": _plain(model_settings),
        "weights": None,
        "history": None,
    }


def _reviews_to_json(reviews, class_names: list) -> list[dict]:
    if not isinstance(reviews, pd.DataFrame) or not {"text", "label"} <= set(reviews.columns):
        raise InputError("`reviews` must be a table with columns text and label. "
                         f"Received: {type(reviews).__name__}")
    rows = []
    for number, (text, label) in enumerate(zip(reviews["text"], reviews["label"]), start=1):
        # A freshly added, still empty row of the table holds None; keep it as "".
        text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
        rows.append({"text": text, "label": _label_id(label, class_names, number)})
    return rows


def _label_id(label, class_names: list, number: int) -> int:
    if isinstance(label, str) and label in class_names:
        return class_names.index(label)
    if not isinstance(label, (bool, np.bool_)) and isinstance(label, (int, float, np.number)):
        if label in (0, 1):
            return int(label)
    raise InputError(
        f"The label of review {number} must be 0, 1, {class_names[0]!r} or {class_names[1]!r}. "
        f"Received: label={label!r}. Fix the label on the Reviews page, then save again."
    )


def _plain(settings) -> dict:
    # numpy scalars from widgets or DataFrames are not JSON; turn them into Python numbers.
    if not isinstance(settings, Mapping):
        return settings
    return {key: value.item() if isinstance(value, np.generic) else value
            for key, value in settings.items()}


def _weights_to_json(weights) -> dict:
    if not isinstance(weights, Mapping):
        raise InputError(f"`weights` must be a dict with 'before' and/or 'after'. "
                         f"Received: {type(weights).__name__}")
    out = {}
    for key, matrix in weights.items():
        array = np.asarray(matrix, dtype=np.float32)
        if array.ndim != 2:
            raise InputError(f"`weights[{key!r}]` must be a 2-D matrix. Received: shape={array.shape}")
        if not np.isfinite(array).all():
            raise InputError(
                f"`weights[{key!r}]` contains NaN or infinite values, so it cannot be saved. "
                "Train again with a lower learning rate, or save without the weights."
            )
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        out[key] = {"dtype": MATRIX_DTYPE, "shape": list(array.shape),
                    "data": base64.b64encode(data).decode("ascii")}
    return out


def _plain_history(history) -> dict:
    if not isinstance(history, Mapping):
        return history
    return {key: [float(v) for v in values] if isinstance(values, (list, tuple, np.ndarray)) else values
            for key, values in history.items()}


# --- reading --------------------------------------------------------------------------------

def _as_text(content) -> str:
    if hasattr(content, "getvalue"):
        content = content.getvalue()
    if isinstance(content, str):
        size = len(content.encode("utf-8", errors="surrogatepass"))
        _check_size(size)
        return content
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise InputError(f"A workspace file must be text or bytes. Received: {type(content).__name__}")
    content = bytes(content)
    _check_size(len(content))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            "This is not an Embedding Explorer workspace file: it is not UTF-8 text "
            f"(byte {error.start + 1} is {content[error.start:error.start + 1]!r})."
        ) from None


def _check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"A workspace file must be at most {MAX_FILE_BYTES // 2**20} MB. "
            f"Received: {size / 2**20:,.1f} MB."
        )


def _parse_json(text: str):
    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)
    except InputError:
        raise
    except RecursionError:
        raise InputError("This is not an Embedding Explorer workspace file: "
                         "its JSON is nested too deeply.") from None
    except json.JSONDecodeError as error:
        raise InputError(
            "This is not an Embedding Explorer workspace file: it is not valid JSON "
            f"({error.msg} at line {error.lineno}, column {error.colno})."
        ) from None
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        raise InputError(f"This is not an Embedding Explorer workspace file: {error}.") from None


def _refuse_constant(name: str):
    raise InputError(f"The workspace file contains {name}, which is not a number JSON allows.")


def _unique_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise InputError(f"The workspace file names the field {key!r} twice.")
        result[key] = value
    return result


def _check_document(document) -> Workspace:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else type(document).__name__
        raise InputError(
            "This is not an Embedding Explorer workspace file: its `format` must be "
            f"{FORMAT!r}. Received: format={found!r}"
        )
    version = document.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise InputError(
            f"This workspace file has `version` {version!r}; this app reads version {VERSION}. "
            "Save it again from a matching version of Embedding Explorer."
        )
    _check_keys("workspace", document, required=_TOP_KEYS[:6], allowed=_TOP_KEYS)
    class_names = _check_class_names(document["class_names"])
    reviews = _check_reviews(document["reviews"])
    encode_settings = _check_encode_settings(document["encode_settings"])
    model_settings = _check_model_settings(document["model_settings"])
    weights = document.get("weights")
    if weights is not None:
        shape = (encode_settings["vocab_size"], model_settings["output_dim"])
        weights = _check_weights(weights, shape=shape)
    history = document.get("history")
    if history is not None:
        history = _check_history(history)
    return Workspace(reviews=reviews, class_names=class_names, encode_settings=encode_settings,
                     model_settings=model_settings, weights=weights, history=history)


def _check_keys(where: str, value, *, required, allowed) -> None:
    if not isinstance(value, dict):
        raise InputError(f"`{where}` must be a JSON object. Received: {_kind(value)}")
    missing = [k for k in required if k not in value]
    if missing:
        raise InputError(f"`{where}` lacks the field(s) {', '.join(map(repr, missing))}.")
    unknown = [k for k in value if k not in allowed]
    if unknown:
        raise InputError(f"`{where}` has unknown field(s) {', '.join(map(repr, unknown))}; "
                         f"allowed: {', '.join(map(repr, allowed))}.")


def _kind(value) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _class_names(class_names) -> list:
    return list(class_names) if isinstance(class_names, (list, tuple)) else class_names


def _check_class_names(names) -> tuple[str, str]:
    if not isinstance(names, list) or len(names) != 2 or not all(isinstance(n, str) for n in names):
        raise InputError(f"`class_names` must be a list of two names. Received: class_names={names!r}"[:300])
    stripped = [n.strip() for n in names]
    if not all(stripped) or stripped[0] == stripped[1] or any(
            len(n) > MAX_CLASS_NAME_LENGTH for n in names):
        raise InputError(
            "`class_names` must be two different, non-empty names of at most "
            f"{MAX_CLASS_NAME_LENGTH} characters. Received: class_names={names!r}"[:300]
        )
    return names[0], names[1]


def _check_reviews(reviews) -> pd.DataFrame:
    if not isinstance(reviews, list):
        raise InputError(f"`reviews` must be a list of {{text, label}} objects. Received: {_kind(reviews)}")
    if len(reviews) > MAX_REVIEWS:
        raise InputError(f"`reviews` must hold at most {MAX_REVIEWS:,} reviews. "
                         f"Received: {len(reviews):,}")
    texts, labels = [], []
    for number, row in enumerate(reviews, start=1):
        where = f"reviews[{number - 1}]"
        _check_keys(where, row, required=("text", "label"), allowed=("text", "label"))
        if not isinstance(row["text"], str):
            raise InputError(f"`{where}.text` must be a string. Received: {_kind(row['text'])}")
        label = row["label"]
        if isinstance(label, bool) or label not in (0, 1) or isinstance(label, float):
            raise InputError(f"`{where}.label` must be 0 or 1. Received: label={label!r}"[:300])
        texts.append(row["text"])
        labels.append(label)
    # Built like pd.read_csv builds it, so a restored table equals the one loaded from a CSV.
    return pd.DataFrame({"text": pd.Series(texts, dtype="str"),
                         "label": pd.Series(labels, dtype="int64")})


def _check_encode_settings(settings) -> dict:
    _check_keys("encode_settings", settings, required=_ENCODE_KEYS, allowed=_ENCODE_KEYS)
    EncodeSettings(**settings).checked()
    return dict(settings)


def _check_model_settings(settings) -> dict:
    _check_keys("model_settings", settings, required=_MODEL_KEYS, allowed=_MODEL_KEYS)
    ModelSettings(**settings).checked()
    if not isinstance(settings["trainable"], bool):
        raise InputError(f"`trainable` must be true or false. Received: trainable={settings['trainable']!r}")
    return dict(settings)


def _check_weights(weights, *, shape: tuple[int, int]) -> dict[str, np.ndarray]:
    if not isinstance(weights, dict) or not weights:
        raise InputError(f"`weights` must be an object with 'before' and/or 'after'. "
                         f"Received: {_kind(weights)}")
    _check_keys("weights", weights, required=(), allowed=WEIGHT_KEYS)
    return {key: _check_matrix(f"weights.{key}", matrix, shape=shape)
            for key, matrix in weights.items()}


def _check_matrix(where: str, matrix, *, shape: tuple[int, int]) -> np.ndarray:
    _check_keys(where, matrix, required=("dtype", "shape", "data"), allowed=("dtype", "shape", "data"))
    check_choice(f"{where}.dtype", matrix["dtype"], (MATRIX_DTYPE,))
    if list(shape) != matrix["shape"]:
        raise InputError(
            f"`{where}.shape` must be (vocab_size, output_dim) = {shape}, as the settings say. "
            f"Received: shape={matrix['shape']!r}"[:300]
        )
    if not isinstance(matrix["data"], str):
        raise InputError(f"`{where}.data` must be base64 text. Received: {_kind(matrix['data'])}")
    try:
        raw = base64.b64decode(matrix["data"], validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"`{where}.data` is not valid base64.") from None
    expected = shape[0] * shape[1] * 4
    if len(raw) != expected:
        raise InputError(f"`{where}.data` must hold {expected:,} bytes (float32 × {shape[0]} × "
                         f"{shape[1]}). Received: {len(raw):,} bytes")
    array = np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(shape)
    if not np.isfinite(array).all():
        raise InputError(f"`{where}` contains NaN or infinite values (a diverged training run).")
    return array


def _check_history(history) -> dict[str, list[float]]:
    if not isinstance(history, dict) or not history:
        raise InputError(f"`history` must be an object of per-epoch lists. Received: {_kind(history)}")
    _check_keys("history", history, required=(), allowed=HISTORY_KEYS)
    lengths = set()
    for key, values in history.items():
        if not isinstance(values, list) or len(values) > MAX_EPOCHS:
            raise InputError(f"`history.{key}` must be a list of at most {MAX_EPOCHS:,} numbers.")
        for value in values:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise InputError(f"`history.{key}` must hold finite numbers only. "
                                 f"Received: {value!r}"[:300])
        lengths.add(len(values))
    if len(lengths) > 1:
        raise InputError(f"The lists in `history` must all have one length (one value per epoch). "
                         f"Received lengths: {sorted(lengths)}")
    return {key: [float(v) for v in values] for key, values in history.items()}


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

