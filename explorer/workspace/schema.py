"""The rules a workspace document's JSON values keep, one table per JSON object.

A table maps each field of an object to a `Field`: its check (a function of the field's name and
value, like `explorer.constraints` rules' `check`) and whether it may be left out. `read_object`
reads an object against its table: no field missing, none unknown, each kept to its rule. The
settings objects are checked by their own `CONSTRAINTS` tables (`read_settings`), the ones the
pages and the command line use, so a file can hold exactly what the app can set.

>>> read_object("demo", {"a": 1}, {"a": Field(check_seconds), "b": Field(optional_text, False)})
{'a': 1.0, 'b': None}
>>> read_object("demo", {"c": 1}, {"a": Field(check_seconds)})
Traceback (most recent call last):
...
explorer.errors.InputError: `demo` lacks the field(s) 'a'.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from explorer.constraints import check_value
from explorer.errors import InputError, check_choice
from explorer.model import MAX_EPOCHS
from explorer.reviews import MAX_REVIEWS

MAX_CLASS_NAME_LENGTH = 40  # the Reviews page's name boxes hold 40 characters
MAX_MODEL_WEIGHTS = 64  # the LSTM head has 6 weight arrays; this leaves room, and bounds a crafted file
MAX_TEXT_FIELD_CHARS = 2_000  # the model's label and the "stopped" message
ARRAY_DTYPE = "float32-le"
HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")
# No training here takes a week (2,000 epochs of 100,000 reviews take hours); a larger time
# was typed by hand and would print as hundreds of digits.
MAX_TRAINING_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Field:
    """One field of a JSON object: `check(name, value)` returns the value as the app keeps it;
    a field that is not `required` reads as `default` when left out."""

    check: Callable
    required: bool = True
    default: object = None


def read_object(where: str, value, table: dict[str, Field], *, prefix: str = "") -> dict:
    """Check `value` against `table`; return each field's checked value, in table order.

    `where` names the object in messages about its fields as a whole; each field's own
    messages name it `prefix + field`.
    """
    check_keys(where, value, required=[k for k, f in table.items() if f.required],
               allowed=tuple(table))
    return {name: f.check(prefix + name, value.get(name, f.default)) for name, f in table.items()}


def check_keys(where: str, value, *, required, allowed) -> None:
    """`value` is a JSON object with every `required` field and no field outside `allowed`."""
    if not isinstance(value, dict):
        raise InputError(f"`{where}` must be a JSON object. Received: {kind(value)}")
    missing = [k for k in required if k not in value]
    if missing:
        raise InputError(f"`{where}` lacks the field(s) {', '.join(map(repr, missing))}.")
    unknown = [k for k in value if k not in allowed]
    if unknown:
        raise InputError(f"`{where}` has unknown field(s) {', '.join(map(repr, unknown))}; "
                         f"allowed: {', '.join(map(repr, allowed))}."[:600])


def kind(value) -> str:
    """What a JSON value is, in the words of the format: "an object", "a list", "null" ..."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def plain(value):
    """numpy scalars (from widgets or DataFrames) as the Python numbers JSON can write."""
    return value.item() if isinstance(value, np.generic) else value


def read_settings(settings_class, value, where: str):
    """A settings object from itself or from its fields (a file's object, a page's values).

    Exactly the class's fields, each kept to the class's `CONSTRAINTS` rule; numbers come back
    as Python numbers (an int rate from a hand-made file as a float, as Keras needs it).
    """
    if isinstance(value, settings_class):
        return value.checked()
    names = tuple(f.name for f in fields(settings_class))
    optional = getattr(settings_class, "OPTIONAL_FIELDS", ())  # newer than some files
    check_keys(where, value, required=tuple(n for n in names if n not in optional), allowed=names)
    given = {n: check_value(settings_class, n, plain(value[n])) for n in names if n in value}
    return settings_class(**given).checked()


def settings_rule(settings_class, where: str, *, intro: str = "") -> Callable:
    """A `Field` check reading `settings_class` (see `read_settings`); `intro` leads its messages."""
    def check(_name, value):
        try:
            return read_settings(settings_class, value, where)
        except InputError as error:
            raise InputError(f"{intro}{error}") from None
    return check


def class_names(name: str, names) -> tuple[str, str]:
    """Two different, non-empty names, compared as the Reviews page compares them."""
    if not isinstance(names, list) or len(names) != 2 or not all(isinstance(n, str) for n in names):
        raise InputError(f"`{name}` must be a list of two names. Received: {name}={names!r}"[:300])
    # "Bad" and "bad " are one name.
    stripped = [n.strip().casefold() for n in names]
    if not all(stripped) or stripped[0] == stripped[1] or any(
            len(n) > MAX_CLASS_NAME_LENGTH for n in names):
        raise InputError(
            f"`{name}` must be two different, non-empty names of at most "
            f"{MAX_CLASS_NAME_LENGTH} characters. Received: {name}={names!r}"[:300]
        )
    return names[0], names[1]


_REVIEW = {"text": Field(lambda at, text: _text(at, text)),
           "label": Field(lambda at, label: _label(at, label))}


def reviews(where: str, rows) -> pd.DataFrame:
    """A list of {text, label} objects as the table the Reviews page holds."""
    if not isinstance(rows, list):
        raise InputError(f"`{where}` must be a list of {{text, label}} objects. Received: {kind(rows)}")
    if len(rows) > MAX_REVIEWS:
        raise InputError(f"`{where}` must hold at most {MAX_REVIEWS:,} reviews. "
                         f"Received: {len(rows):,}")
    texts, labels = [], []
    for i, row in enumerate(rows):
        if not (isinstance(row, dict) and row.keys() == _REVIEW.keys()
                and isinstance(row["text"], str) and row["label"] in (0, 1)
                and type(row["label"]) is int):
            # A row that is not plainly right goes through the table, which names what is wrong.
            # (The plain case is checked inline: 100,000 reviews read several times faster.)
            row = read_object(f"{where}[{i}]", row, _REVIEW, prefix=f"{where}[{i}].")
        texts.append(row["text"])
        labels.append(row["label"])
    # Built like pd.read_csv builds it, so a restored table equals the one loaded from a CSV.
    return pd.DataFrame({"text": pd.Series(texts, dtype="str"),
                         "label": pd.Series(labels, dtype="int64")})


def optional_reviews(where: str, rows) -> pd.DataFrame | None:
    return None if rows is None else reviews(where, rows)


def _text(at: str, text) -> str:
    if not isinstance(text, str):
        raise InputError(f"`{at}` must be a string. Received: {kind(text)}")
    return text


def _label(at: str, label) -> int:
    if isinstance(label, bool) or label not in (0, 1) or isinstance(label, float):
        raise InputError(f"`{at}` must be 0 or 1. Received: label={label!r}"[:300])
    return label


def optional_text(where: str, value) -> str | None:
    """Null or text of at most MAX_TEXT_FIELD_CHARS characters."""
    if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT_FIELD_CHARS):
        raise InputError(f"`{where}` must be null or text of at most {MAX_TEXT_FIELD_CHARS:,} "
                         f"characters. Received: {kind(value)}")
    return value


def check_seconds(where: str, value) -> float:
    """A training time: 0 up to a week, said in a few characters however it was written."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            value >= 0 and (isinstance(value, int) or math.isfinite(value))):
        raise InputError(f"`{where}` must be a number of seconds, 0 or more. "
                         f"Received: seconds={value!r}"[:300])
    if value > MAX_TRAINING_SECONDS:
        digits = len(str(value)) if isinstance(value, int) else 0
        shown = f"an integer of {digits:,} digits" if digits > 15 else f"{value:.3g}"
        raise InputError(f"`{where}` must be at most {MAX_TRAINING_SECONDS:,} (a week). "
                         f"Received: seconds={shown}")
    return float(value)


def weight_list(where: str, weights) -> list[np.ndarray]:
    """1 to MAX_MODEL_WEIGHTS arrays (see `array`)."""
    if not isinstance(weights, list) or not 1 <= len(weights) <= MAX_MODEL_WEIGHTS:
        raise InputError(f"`{where}` must be a list of 1 to {MAX_MODEL_WEIGHTS} arrays. "
                         f"Received: {kind(weights)}"
                         + (f" of {len(weights)}" if isinstance(weights, list) else ""))
    return [array(f"{where}[{i}]", w) for i, w in enumerate(weights)]


_ARRAY_KEYS = ("dtype", "shape", "data")


def array(where: str, value, *, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """An ARRAY object (float32 little-endian, base64) as a finite float32 array of `shape`."""
    check_keys(where, value, required=_ARRAY_KEYS, allowed=_ARRAY_KEYS)
    check_choice(f"{where}.dtype", value["dtype"], (ARRAY_DTYPE,))
    found = value["shape"]
    if shape is not None and list(shape) != found:
        raise InputError(
            f"`{where}.shape` must be (vocab_size, output_dim) = {shape}, as the settings say. "
            f"Received: shape={found!r}"[:300]
        )
    if not (isinstance(found, list) and 1 <= len(found) <= 4 and all(
            isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 2**31 for n in found)):
        raise InputError(f"`{where}.shape` must be a list of 1 to 4 positive integers. "
                         f"Received: shape={found!r}"[:300])
    data = value["data"]
    if not isinstance(data, str):
        raise InputError(f"`{where}.data` must be base64 text. Received: {kind(data)}")
    expected = math.prod(found) * 4
    what = f"{expected:,} bytes (float32 × {' × '.join(map(str, found))})"
    if len(data) > (expected + 2) // 3 * 4 + 4:
        # Decoding first would let a crafted file make us allocate far more than it says.
        raise InputError(f"`{where}.data` must hold {what}. Received: about "
                         f"{len(data) * 3 // 4:,} bytes")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"`{where}.data` is not valid base64.") from None
    if len(raw) != expected:
        raise InputError(f"`{where}.data` must hold {what}. Received: {len(raw):,} bytes")
    values = np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(found)
    if not np.isfinite(values).all():
        raise InputError(f"`{where}` contains NaN or infinite values (a diverged training run).")
    return values


def history(where: str, value) -> dict[str, list[float]]:
    """Per-epoch lists of finite numbers, all of one length, under HISTORY_KEYS."""
    # Empty when training diverged in its first epoch: the model is then the starting one.
    if not isinstance(value, dict):
        raise InputError(f"`{where}` must be an object of per-epoch lists. Received: {kind(value)}")
    check_keys(where, value, required=(), allowed=HISTORY_KEYS)
    lengths = set()
    for key, values in value.items():
        if not isinstance(values, list) or len(values) > MAX_EPOCHS:
            raise InputError(f"`{where}.{key}` must be a list of at most {MAX_EPOCHS:,} numbers.")
        for number in values:
            if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
                raise InputError(f"`{where}.{key}` must hold finite numbers only. "
                                 f"Received: {number!r}"[:300])
        lengths.add(len(values))
    if len(lengths) > 1:
        raise InputError(f"The lists in `{where}` must all have one length (one value per "
                         f"epoch). Received lengths: {sorted(lengths)}")
    return {key: [float(v) for v in values] for key, values in value.items()}
