"""The workspace file format: a user's whole work, trained model included, as one JSON file.

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

The page address has its own, smaller format: see `explorer.workspace.url_format`.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import asdict

import numpy as np
import pandas as pd

from explorer.constraints import Options
from explorer.errors import InputError, is_valid_text
from explorer.model import ModelSettings
from explorer.text import EncodeSettings
from explorer.workspace import schema
from explorer.workspace.saved import (EMBEDDING_STARTS, NOTHING_CHANGED, SavedModel, Workspace,
                                      start_of)
from explorer.workspace.schema import ARRAY_DTYPE, Field, read_object, read_settings

FORMAT = "embedding-explorer-workspace"
VERSION = 2
MAX_FILE_BYTES = 50 * 10**6  # decimal MB, as the upload box counts: a file the app writes reopens


def _as_is(_name, value):
    return value


_MODEL_FIELDS = {
    "label": Field(schema.optional_text, required=False, default=""),
    "reviews": Field(schema.optional_reviews, required=False),
    "encode_settings": Field(schema.settings_rule(
        EncodeSettings, "model.encode_settings", intro="In the trained model's settings: ")),
    "model_settings": Field(schema.settings_rule(
        ModelSettings, "model.model_settings", intro="In the trained model's settings: ")),
    "weights": Field(schema.weight_list),
    "embedding_before": Field(_as_is),  # its shape follows the settings: read in _read_model
    "history": Field(schema.history),
    "stopped": Field(schema.optional_text, required=False),
    "seconds": Field(schema.check_seconds, required=False, default=0.0),
    "start": Field(_as_is, required=False),  # files from before runs recorded it: see _read_model
}


def _read_model(name, model) -> SavedModel | None:
    if model is None:
        return None
    read = read_object(name, model, _MODEL_FIELDS, prefix=f"{name}.")
    encoding, training = read["encode_settings"], read["model_settings"]
    before = schema.array(f"{name}.embedding_before", read["embedding_before"],
                          shape=(encoding.vocab_size, training.output_dim))
    start = read["start"]
    if start is None:
        start = start_of(before, trainable=training.trainable)
    return SavedModel(**dict(read, embedding_before=before, label=read["label"] or "",
                             start=Options(EMBEDDING_STARTS).check(f"{name}.start", start)))


_FIELDS = {  # in the order a file writes them
    "format": Field(_as_is),  # format and version are read first: they say whose file it is
    "version": Field(_as_is),
    "reviews": Field(schema.reviews),
    "class_names": Field(schema.class_names),
    "encode_settings": Field(schema.settings_rule(EncodeSettings, "encode_settings")),
    "model_settings": Field(schema.settings_rule(ModelSettings, "model_settings")),
    "embedding_start": Field(Options(EMBEDDING_STARTS).check, required=False, default="random"),
    "model": Field(_read_model, required=False),
}


def workspace_to_json(*, reviews: pd.DataFrame, class_names, encode_settings,
                      model_settings, embedding_start: str = "random",
                      model: SavedModel | None = None) -> str:
    """Write a user's work as workspace-file JSON text (see the module docstring for the format).

    >>> text = workspace_to_json(
    ...     reviews=pd.DataFrame({"text": ["awesome"], "label": [1]}),
    ...     class_names=["negative", "positive"],
    ...     encode_settings=EncodeSettings(), model_settings=asdict(ModelSettings()))
    >>> workspace_from_json(text).reviews.to_dict("records")
    [{'text': 'awesome', 'label': 1}]

    Args:
        reviews: DataFrame with columns text and label; labels 0/1 or one of `class_names`.
        class_names: the two class names, class 0 first.
        encode_settings: an `explorer.text.EncodeSettings`, or its fields.
        model_settings: an `explorer.model.ModelSettings`, or its fields.
        embedding_start: one of EMBEDDING_STARTS, the Train page's starting point.
        model: the trained model (see `saved_model`), or None.

    Returns:
        The JSON text. The same work always gives the same text, which reads back with
        `workspace_from_json` to equal values.

    Raises:
        InputError: a value the file could not hold (a label outside the classes, NaN weights,
            a model too big for a workspace file).
    """
    document = work_document(reviews=reviews, class_names=class_names,
                             encode_settings=encode_settings, model_settings=model_settings,
                             embedding_start=embedding_start)
    if model is not None:
        document["model"] = _model_to_json(model, document["class_names"])
    read_document(document)  # what we write must be what we accept, so a save never strands work
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
        return read_document(document)
    except InputError as error:
        raise InputError(f"{error} {NOTHING_CHANGED}") from None


def read_document(document) -> Workspace:
    """The `Workspace` a parsed workspace document holds, every field checked (see `_FIELDS`)."""
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
    read = read_object("workspace", document, _FIELDS)
    del read["format"], read["version"]
    return Workspace(**read)


# --- writing --------------------------------------------------------------------------------

def work_document(*, reviews, class_names, encode_settings, model_settings,
                  embedding_start) -> dict:
    """The document of the work without its model (`"model": None`), as plain JSON values."""
    names = list(class_names) if isinstance(class_names, (list, tuple)) else class_names
    return {
        "format": FORMAT,
        "version": VERSION,
        "reviews": _reviews_to_json(reviews, names),
        "class_names": names,
        "encode_settings": _settings_to_json(EncodeSettings, encode_settings, "encode_settings"),
        "model_settings": _settings_to_json(ModelSettings, model_settings, "model_settings"),
        "embedding_start": embedding_start,
        "model": None,
    }


def _settings_to_json(settings_class, settings, where: str) -> dict:
    return asdict(read_settings(settings_class, settings, where))


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


def _model_to_json(model: SavedModel, class_names: list) -> dict:
    arrays = [np.asarray(w, dtype=np.float32) for w in model.weights]
    size = sum(a.nbytes for a in arrays) * 4 // 3  # base64; checked before building the text
    if size > MAX_FILE_BYTES:
        raise InputError(_too_big_to_save(size))
    return {
        "label": model.label,
        "reviews": None if model.reviews is None else _reviews_to_json(model.reviews, class_names),
        "encode_settings": model.encode_settings,
        "model_settings": model.model_settings,
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
