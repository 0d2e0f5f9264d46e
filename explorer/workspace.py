"""Saving and restoring a user's whole work: the workspace file and the page URL.

The workspace file is UTF-8 JSON (parsed as data only, never pickle or eval)::

    {
      "format": "embedding-explorer-workspace",
      "version": 2,
      "reviews": [{"text": "Never coming back!", "label": 0}, ...],
      "class_names": ["negative", "positive"],
      "encode_settings": {"method": "hashing", "vocab_size": 50, "max_length": 4,
                          "padding": "post", "truncating": "post"},
      "model_settings": {"output_dim": 8, "head": "flatten", "optimizer": "adam",
                         "learning_rate": 0.001, "epochs": 100, "batch_size": 32,
                         "validation_split": 0.0, "seed": 0, "trainable": true},
      "embedding_start": "random",
      "model": null or {
        "label": "#1: flatten, dim 8, adam 0.001, seed 0",
        "reviews": null or [{"text": ..., "label": ...}, ...],
        "encode_settings": {...}, "model_settings": {...},
        "weights": [ARRAY, ARRAY, ...],
        "embedding_before": ARRAY,
        "history": {"loss": [...], "accuracy": [...]},
        "stopped": null or "why training ended early",
        "seconds": 1.9
      }
    }

Labels are 0 or 1 (class 0 is `class_names[0]`). The top-level settings are what the Encode and
Train pages show; `embedding_start` is the Train page's "starts from" choice. `model` is the
trained model, if any, with the settings it was trained with (the pages' settings may have moved
on since), `reviews` it was trained on as their words (null when they are the reviews above),
`weights` holding every weight of the Keras model in `model.get_weights()` order (Embedding
first), the Embedding table before training, and the per-epoch `history` (loss, accuracy and,
after a validation split, val_loss and val_accuracy; all of one length, finite).

An ARRAY is ``{"dtype": "float32-le", "shape": [...], "data": BASE64}``: the values as
little-endian float32 bytes in row-major order, base64-encoded (about a third of the size of the
same numbers as JSON text, and exact). Every value must be finite.

Version 1 files (only the Embedding table, no way to rebuild the model) were never offered for
download by the app, so they are refused like any other version.

Small work also lives in the page URL: `settings_to_query` packs the reviews, class names and
settings (no model) into one query parameter, `w`, as JSON → zlib → URL-safe base64, so a refresh
restores it and the link can be shared. Work too big for a URL gets None there, and the page
offers the workspace file instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import zlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from explorer.errors import InputError, check_choice, is_valid_text
from explorer.model import MAX_EPOCHS, STARTS, ModelSettings
from explorer.reviews import MAX_REVIEWS, validate_reviews
from explorer.text import EncodeSettings, encode, tokenize

FORMAT = "embedding-explorer-workspace"
VERSION = 2
MAX_FILE_BYTES = 50 * 10**6  # decimal MB, as the upload box counts: a file the app writes reopens
MAX_CLASS_NAME_LENGTH = 40  # the Reviews page's name boxes hold 40 characters
MAX_MODEL_WEIGHTS = 64  # the LSTM head has 6 weight arrays; this leaves room, and bounds a crafted file
MAX_TEXT_FIELD_CHARS = 2_000  # the model's label and the "stopped" message
ARRAY_DTYPE = "float32-le"
EMBEDDING_STARTS = tuple(STARTS)  # the Train page's "Embedding starts from" choices
HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")
QUERY_PARAM = "w"
MAX_QUERY_CHARS = 6_000
# Reviews compress to about a third; text this many times the URL budget can never fit, so it is
# declared too big without spending a rerun's worth of time compressing it.
_QUERY_TEXT_RATIO = 16
# A URL value of 6,000 characters is about 4,500 compressed bytes; refusing to inflate past 1 MB
# stops a crafted link from blowing up in memory (zlib can expand ~1000-fold).
_MAX_QUERY_INFLATED_BYTES = 2**20
_NOTHING_CHANGED = "Nothing was changed."

_TOP_REQUIRED = ("format", "version", "reviews", "class_names", "encode_settings", "model_settings")
_TOP_KEYS = _TOP_REQUIRED + ("embedding_start", "model")
_MODEL_REQUIRED = ("encode_settings", "model_settings", "weights", "embedding_before", "history")
_MODEL_KEYS = ("label", "reviews") + _MODEL_REQUIRED + ("stopped", "seconds", "start")


@dataclass(frozen=True)
class SavedModel:
    """A trained model as a workspace file holds it: plain settings and float32 arrays.

    `reviews` is None when the model was trained on the workspace's own reviews.
    """

    encode_settings: dict
    model_settings: dict
    weights: list[np.ndarray]
    embedding_before: np.ndarray
    history: dict[str, list[float]]
    reviews: pd.DataFrame | None = None
    stopped: str | None = None
    label: str = ""
    seconds: float = 0.0
    start: str = "random"  # where its Embedding began: one of EMBEDDING_STARTS


@dataclass(frozen=True)
class Workspace:
    """A user's work as read back from a workspace file, every field already checked.

    `reviews` has columns text (str) and label (int 0 or 1); `model` is None when no model was
    saved. Rebuild the Keras model with `restore_run`.
    """

    reviews: pd.DataFrame
    class_names: tuple[str, str]
    encode_settings: dict
    model_settings: dict
    embedding_start: str = "random"
    model: SavedModel | None = None


def saved_model(run, *, reviews: pd.DataFrame, class_names) -> SavedModel:
    """Take what a workspace file needs from a trained `explorer.model.TrainResult`.

    Args:
        run: the TrainResult (its Keras model gives every weight).
        reviews: the session's reviews now; when they still encode to what the model was trained
            on, the file stores them once.
        class_names: the two class names, class 0 first.

    Returns:
        A `SavedModel`.
    """
    weights = [np.asarray(w, dtype=np.float32) for w in run.model.get_weights()]
    same = _trained_on(reviews, class_names=class_names, run=run)
    trained_on = None if same else pd.DataFrame({
        # The run keeps each review's words, not its raw text; they encode exactly as it did.
        "text": [" ".join(words) for words in run.encoded.tokens],
        "label": np.asarray(run.labels).astype(np.int64),
    })
    return SavedModel(
        encode_settings=asdict(run.encoded.settings), model_settings=asdict(run.settings),
        weights=weights, embedding_before=np.asarray(run.weights_before, dtype=np.float32),
        history={k: list(v) for k, v in run.history.items()}, reviews=trained_on,
        stopped=run.stopped, label=str(run.label), seconds=float(run.seconds),
        start=getattr(run, "start", "random"))


def workspace_to_json(*, reviews: pd.DataFrame, class_names, encode_settings: dict,
                      model_settings: dict, embedding_start: str = "random",
                      model: SavedModel | None = None) -> str:
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
        embedding_start: one of EMBEDDING_STARTS, the Train page's starting point.
        model: the trained model (see `saved_model`), or None.

    Returns:
        The JSON text. The same work always gives the same text, which reads back with
        `workspace_from_json` to equal values.

    Raises:
        InputError: a value the file could not hold (a label outside the classes, NaN weights,
            a model too big for a workspace file).
    """
    document = _document(reviews=reviews, class_names=class_names, encode_settings=encode_settings,
                         model_settings=model_settings, embedding_start=embedding_start)
    if model is not None:
        document["model"] = _model_to_json(model, document["class_names"])
    _check_document(document)  # what we write must be what we accept, so a save never strands work
    text = json.dumps(document, ensure_ascii=False, allow_nan=False, indent=1)
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise InputError(_too_big_to_save(size))
    return text


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


def restore_run(workspace: Workspace):
    """Rebuild the saved trained model as a `TrainResult` the Train and Weights pages can use.

    TensorFlow is loaded here (through `explorer.model.prepare`), and only when there is a
    model to rebuild. The weight snapshots are the start and the end of training.

    >>> restore_run(workspace_from_json(workspace_to_json(
    ...     reviews=pd.DataFrame({"text": ["awesome"], "label": [1]}), class_names=["n", "p"],
    ...     encode_settings=asdict(EncodeSettings()), model_settings=asdict(ModelSettings())))) is None
    True

    Args:
        workspace: from `workspace_from_json`.

    Returns:
        A `TrainResult` whose model predicts exactly as the saved one did, or None when the
        workspace holds no model.

    Raises:
        InputError: the saved weights do not fit the model their settings build, or the reviews
            it was trained on cannot be encoded; the message ends with "Nothing was changed."
    """
    saved = workspace.model
    if saved is None:
        return None
    from explorer.model import embedding_weights, prepare

    trained_on = workspace.reviews if saved.reviews is None else saved.reviews
    try:
        texts, labels = validate_reviews(trained_on, class_names=workspace.class_names)
        encoded = encode(texts, EncodeSettings(**saved.encode_settings))
        settings = ModelSettings(**_model_settings_for_keras(saved.model_settings))
        result = prepare(encoded, labels, settings=settings)
        _check_weight_shapes(saved.weights, result.model)
    except InputError as error:
        raise InputError(f"The trained model in this file cannot be rebuilt: {error} "
                         f"{_NOTHING_CHANGED}") from None
    result.model.set_weights(saved.weights)
    result.history = {key: list(values) for key, values in saved.history.items()}
    result.weights_before = saved.embedding_before.copy()
    result.weights_after = embedding_weights(result.model)
    result.snapshots = [result.weights_before.copy(), result.weights_after.copy()]
    result.snapshot_epochs = [0, result.epochs_run]
    result.stopped, result.label, result.seconds = saved.stopped, saved.label, saved.seconds
    result.start = saved.start
    return result


def settings_to_query(*, reviews: pd.DataFrame, class_names, encode_settings: dict,
                      model_settings: dict, embedding_start: str = "random",
                      max_chars: int = MAX_QUERY_CHARS) -> dict[str, str] | None:
    """Pack reviews, class names and settings into URL query parameters, if they fit.

    >>> settings_to_query(reviews=pd.DataFrame({"text": ["awesome"], "label": [1]}),
    ...                   class_names=["negative", "positive"],
    ...                   encode_settings=asdict(EncodeSettings()),
    ...                   model_settings=asdict(ModelSettings()))  # doctest: +ELLIPSIS
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
    document = _document(reviews=reviews, class_names=class_names, encode_settings=encode_settings,
                         model_settings=model_settings, embedding_start=embedding_start)
    del document["model"]  # a URL never holds a model
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
        return None, f"{intro} {error} {_NOTHING_CHANGED}"
    try:
        workspace = workspace_from_json(raw)
    except InputError as error:
        return None, f"{intro} {error}"
    except Exception as error:  # never let a hand-edited URL crash the page
        return None, f"{intro} {type(error).__name__}. {_NOTHING_CHANGED}"
    if workspace.model is not None:
        return None, f"{intro} it holds a trained model, which only a workspace file can. {_NOTHING_CHANGED}"
    state = {"reviews": workspace.reviews, "class_names": list(workspace.class_names),
             "encode_settings": workspace.encode_settings,
             "model_settings": workspace.model_settings,
             "embedding_start": workspace.embedding_start}
    return state, None


# --- writing --------------------------------------------------------------------------------

def _document(*, reviews, class_names, encode_settings, model_settings, embedding_start) -> dict:
    names = _class_names(class_names)
    return {
        "format": FORMAT,
        "version": VERSION,
        "reviews": _reviews_to_json(reviews, names),
        "class_names": names,
        "encode_settings": _plain(encode_settings),
        "model_settings": _plain(model_settings),
        "embedding_start": embedding_start,
        "model": None,
    }


def _text_chars(reviews) -> int:
    if not isinstance(reviews, pd.DataFrame) or "text" not in reviews.columns:
        return 0  # the full check names what is wrong
    return sum(len(t) for t in reviews["text"] if isinstance(t, str))


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


def _model_to_json(model: SavedModel, class_names: list) -> dict:
    arrays = [np.asarray(w, dtype=np.float32) for w in model.weights]
    size = sum(a.nbytes for a in arrays) * 4 // 3  # base64; checked before building the text
    if size > MAX_FILE_BYTES:
        raise InputError(_too_big_to_save(size))
    return {
        "label": model.label,
        "reviews": None if model.reviews is None else _reviews_to_json(model.reviews, class_names),
        "encode_settings": _plain(model.encode_settings),
        "model_settings": _plain(model.model_settings),
        "weights": [_array_to_json(f"weights[{i}]", a) for i, a in enumerate(arrays)],
        "embedding_before": _array_to_json("embedding_before", model.embedding_before),
        "history": {k: [float(v) for v in values] for k, values in model.history.items()},
        "stopped": model.stopped,
        "seconds": float(model.seconds),
        "start": model.start,
    }


def _array_to_json(where: str, values) -> dict:
    array = np.asarray(values, dtype=np.float32)
    if not np.isfinite(array).all():
        raise InputError(
            f"`{where}` contains NaN or infinite values, so it cannot be saved. "
            "Train again with a lower learning rate, or save without the trained model."
        )
    data = np.ascontiguousarray(array, dtype="<f4").tobytes()
    return {"dtype": ARRAY_DTYPE, "shape": list(array.shape),
            "data": base64.b64encode(data).decode("ascii")}


def _too_big_to_save(size: int) -> str:
    return (f"The workspace file would be {size / 10**6:,.1f} MB; a workspace file may be at most "
            f"{MAX_FILE_BYTES // 10**6} MB. Save it without the trained model (its weights are "
            "most of it), or train with a smaller vocabulary size or output dimension.")


def _trained_on(reviews, *, class_names, run) -> bool:
    """True when `reviews` still encode to the words and labels `run` was trained on."""
    try:
        texts, labels = validate_reviews(reviews, class_names=tuple(class_names))
    except InputError:
        return False
    return (np.array_equal(labels, np.asarray(run.labels).astype(np.int64))
            and [tokenize(t) for t in texts] == run.encoded.tokens)


def _model_settings_for_keras(settings: dict) -> dict:
    # JSON writes 10.0 as 10.0, but a hand-made file may say 10; Keras refuses an int rate.
    return dict(settings, learning_rate=float(settings["learning_rate"]),
                validation_split=float(settings["validation_split"]))


def _check_weight_shapes(weights: list[np.ndarray], model) -> None:
    expected = [tuple(w.shape) for w in model.get_weights()]
    received = [tuple(w.shape) for w in weights]
    if expected != received:
        raise InputError(
            "`model.weights` must have the shapes of the model its settings build, "
            f"{expected}. Received: {received}"[:600]
        )


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
            f"A workspace file must be at most {MAX_FILE_BYTES // 10**6} MB. "
            f"Received: {size / 10**6:,.1f} MB."
        )


def _parse_json(text: str):
    try:
        document = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)
        _check_unicode(document)
        return document
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
    except ValueError:  # an integer with more digits than Python converts
        raise InputError("This is not an Embedding Explorer workspace file: it holds a number "
                         "with thousands of digits.") from None


def _check_unicode(document) -> None:
    # JSON can spell an unpaired surrogate (\udfff), which is no character: it cannot be shown,
    # written to the page address or saved, so it is refused here, with where it stands.
    stack = [("", document)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if not is_valid_text(value):
                raise InputError(
                    f"The text at {where.lstrip('.') or 'the top'} is not valid Unicode (it holds "
                    "an unpaired surrogate, which is no character). Fix or remove it.")
        elif isinstance(value, dict):
            for key, item in value.items():
                stack.append((where, key))
                stack.append((f"{where}.{key}", item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))


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
            f"{FORMAT!r}. Received: format={found!r}"[:300]
        )
    version = document.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise InputError(
            f"This workspace file has `version` {version!r}; this app reads version {VERSION}. "
            "Save it again from a matching version of Embedding Explorer."[:300]
        )
    _check_keys("workspace", document, required=_TOP_REQUIRED, allowed=_TOP_KEYS)
    class_names = _check_class_names(document["class_names"])
    start = document.get("embedding_start", "random")
    check_choice("embedding_start", start, EMBEDDING_STARTS)
    model = document.get("model")
    return Workspace(
        reviews=_check_reviews(document["reviews"]), class_names=class_names,
        encode_settings=_check_settings(EncodeSettings, document["encode_settings"], "encode_settings"),
        model_settings=_check_settings(ModelSettings, document["model_settings"], "model_settings"),
        embedding_start=start, model=None if model is None else _check_model(model))


def _check_keys(where: str, value, *, required, allowed) -> None:
    if not isinstance(value, dict):
        raise InputError(f"`{where}` must be a JSON object. Received: {_kind(value)}")
    missing = [k for k in required if k not in value]
    if missing:
        raise InputError(f"`{where}` lacks the field(s) {', '.join(map(repr, missing))}.")
    unknown = [k for k in value if k not in allowed]
    if unknown:
        raise InputError(f"`{where}` has unknown field(s) {', '.join(map(repr, unknown))}; "
                         f"allowed: {', '.join(map(repr, allowed))}."[:600])


def _kind(value) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _class_names(class_names) -> list:
    return list(class_names) if isinstance(class_names, (list, tuple)) else class_names


def _check_class_names(names) -> tuple[str, str]:
    if not isinstance(names, list) or len(names) != 2 or not all(isinstance(n, str) for n in names):
        raise InputError(f"`class_names` must be a list of two names. Received: class_names={names!r}"[:300])
    # Compared as the Reviews page compares them: "Bad" and "bad " are one name.
    stripped = [n.strip().casefold() for n in names]
    if not all(stripped) or stripped[0] == stripped[1] or any(
            len(n) > MAX_CLASS_NAME_LENGTH for n in names):
        raise InputError(
            "`class_names` must be two different, non-empty names of at most "
            f"{MAX_CLASS_NAME_LENGTH} characters. Received: class_names={names!r}"[:300]
        )
    return names[0], names[1]


def _check_reviews(reviews, where: str = "reviews") -> pd.DataFrame:
    if not isinstance(reviews, list):
        raise InputError(f"`{where}` must be a list of {{text, label}} objects. Received: {_kind(reviews)}")
    if len(reviews) > MAX_REVIEWS:
        raise InputError(f"`{where}` must hold at most {MAX_REVIEWS:,} reviews. "
                         f"Received: {len(reviews):,}")
    texts, labels = [], []
    for index, row in enumerate(reviews):
        at = f"{where}[{index}]"
        _check_keys(at, row, required=("text", "label"), allowed=("text", "label"))
        if not isinstance(row["text"], str):
            raise InputError(f"`{at}.text` must be a string. Received: {_kind(row['text'])}")
        label = row["label"]
        if isinstance(label, bool) or label not in (0, 1) or isinstance(label, float):
            raise InputError(f"`{at}.label` must be 0 or 1. Received: label={label!r}"[:300])
        texts.append(row["text"])
        labels.append(label)
    # Built like pd.read_csv builds it, so a restored table equals the one loaded from a CSV.
    return pd.DataFrame({"text": pd.Series(texts, dtype="str"),
                         "label": pd.Series(labels, dtype="int64")})


def _check_settings(settings_class, settings, where: str) -> dict:
    """A settings object from a file: exactly the class's fields, each kept to the class's own
    rules (its `CONSTRAINTS` table, the one the app and the command line check)."""
    names = tuple(f.name for f in fields(settings_class))
    _check_keys(where, settings, required=names, allowed=names)
    settings_class(**settings).checked()
    return dict(settings)


def _check_model(model) -> SavedModel:
    _check_keys("model", model, required=_MODEL_REQUIRED, allowed=_MODEL_KEYS)
    try:
        encode_settings = _check_settings(EncodeSettings, model["encode_settings"],
                                          "model.encode_settings")
        model_settings = _check_settings(ModelSettings, model["model_settings"],
                                         "model.model_settings")
    except InputError as error:
        raise InputError(f"In the trained model's settings: {error}") from None
    shape = (encode_settings["vocab_size"], model_settings["output_dim"])
    weights = model["weights"]
    if not isinstance(weights, list) or not 1 <= len(weights) <= MAX_MODEL_WEIGHTS:
        raise InputError(f"`model.weights` must be a list of 1 to {MAX_MODEL_WEIGHTS} arrays. "
                         f"Received: {_kind(weights)}"
                         + (f" of {len(weights)}" if isinstance(weights, list) else ""))
    reviews = model.get("reviews")
    before = _check_array("model.embedding_before", model["embedding_before"], shape=shape)
    start = model.get("start")
    if start is None:  # files from before runs recorded their start
        start = _start_of(before, trainable=model_settings.get("trainable", True))
    return SavedModel(
        encode_settings=encode_settings, model_settings=model_settings,
        weights=[_check_array(f"model.weights[{i}]", w) for i, w in enumerate(weights)],
        embedding_before=before, start=check_choice("model.start", start, EMBEDDING_STARTS),
        history=_check_history(model["history"]),
        reviews=None if reviews is None else _check_reviews(reviews, "model.reviews"),
        stopped=_check_optional_text("model.stopped", model.get("stopped")),
        label=_check_optional_text("model.label", model.get("label", "")) or "",
        seconds=_check_seconds(model.get("seconds", 0.0)))


def _start_of(embedding_before: np.ndarray, *, trainable: bool) -> str:
    # A random start is uniform in ±0.05; GloVe vectors reach far beyond that. Frozen models
    # only ever started from GloVe (the Train page freezes nothing else).
    if not trainable:
        return "glove_frozen"
    return "glove_tuned" if embedding_before.size and np.abs(embedding_before).max() > 0.05 else "random"


def _check_optional_text(where: str, value) -> str | None:
    if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT_FIELD_CHARS):
        raise InputError(f"`{where}` must be null or text of at most {MAX_TEXT_FIELD_CHARS:,} "
                         f"characters. Received: {_kind(value)}")
    return value


# No training here takes a week (2,000 epochs of 100,000 reviews take hours); a larger time
# was typed by hand and would print as hundreds of digits.
MAX_TRAINING_SECONDS = 7 * 24 * 3600


def _check_seconds(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            value >= 0 and (isinstance(value, int) or math.isfinite(value))):
        raise InputError(f"`model.seconds` must be a number of seconds, 0 or more. "
                         f"Received: seconds={value!r}"[:300])
    if value > MAX_TRAINING_SECONDS:
        digits = len(str(value)) if isinstance(value, int) else 0
        shown = f"an integer of {digits:,} digits" if digits > 15 else f"{value:.3g}"
        raise InputError(f"`model.seconds` must be at most {MAX_TRAINING_SECONDS:,} (a week). "
                         f"Received: seconds={shown}")
    return float(value)


def _check_array(where: str, array, *, shape: tuple[int, ...] | None = None) -> np.ndarray:
    _check_keys(where, array, required=("dtype", "shape", "data"), allowed=("dtype", "shape", "data"))
    check_choice(f"{where}.dtype", array["dtype"], (ARRAY_DTYPE,))
    found = array["shape"]
    if shape is not None and list(shape) != found:
        raise InputError(
            f"`{where}.shape` must be (vocab_size, output_dim) = {shape}, as the settings say. "
            f"Received: shape={found!r}"[:300]
        )
    if not (isinstance(found, list) and 1 <= len(found) <= 4 and all(
            isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 2**31 for n in found)):
        raise InputError(f"`{where}.shape` must be a list of 1 to 4 positive integers. "
                         f"Received: shape={found!r}"[:300])
    if not isinstance(array["data"], str):
        raise InputError(f"`{where}.data` must be base64 text. Received: {_kind(array['data'])}")
    expected = math.prod(found) * 4
    if len(array["data"]) > (expected + 2) // 3 * 4 + 4:
        # Decoding first would let a crafted file make us allocate far more than it says.
        raise InputError(f"`{where}.data` must hold {expected:,} bytes (float32 × "
                         f"{' × '.join(map(str, found))}). Received: about "
                         f"{len(array['data']) * 3 // 4:,} bytes")
    try:
        raw = base64.b64decode(array["data"], validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"`{where}.data` is not valid base64.") from None
    if len(raw) != expected:
        raise InputError(f"`{where}.data` must hold {expected:,} bytes (float32 × "
                         f"{' × '.join(map(str, found))}). Received: {len(raw):,} bytes")
    values = np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(found)
    if not np.isfinite(values).all():
        raise InputError(f"`{where}` contains NaN or infinite values (a diverged training run).")
    return values


def _check_history(history) -> dict[str, list[float]]:
    # Empty when training diverged in its first epoch: the model is then the starting one.
    if not isinstance(history, dict):
        raise InputError(f"`model.history` must be an object of per-epoch lists. Received: {_kind(history)}")
    _check_keys("model.history", history, required=(), allowed=HISTORY_KEYS)
    lengths = set()
    for key, values in history.items():
        if not isinstance(values, list) or len(values) > MAX_EPOCHS:
            raise InputError(f"`model.history.{key}` must be a list of at most {MAX_EPOCHS:,} numbers.")
        for value in values:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise InputError(f"`model.history.{key}` must hold finite numbers only. "
                                 f"Received: {value!r}"[:300])
        lengths.add(len(values))
    if len(lengths) > 1:
        raise InputError(f"The lists in `model.history` must all have one length (one value per "
                         f"epoch). Received lengths: {sorted(lengths)}")
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
