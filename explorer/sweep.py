"""Sweeping one setting across a room: which settings, their values from a list or a range.

>>> parse_sweep("vocab_size", "10..50 step 20")
Sweep(field='vocab_size', values=(10, 30, 50))

Each value is checked against the setting's own rule (`EncodeSettings.CONSTRAINTS`,
`ModelSettings.CONSTRAINTS`, the Train page's widget range), so every attendee gets a value the
pages can show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from explorer.constraints import Integer, Options, Real
from explorer.errors import InputError
from explorer.model import STARTS, ModelSettings
from explorer.text import EncodeSettings
from explorer.workspace import Workspace

MAX_SWEEP_VALUES = 200  # the largest room
# Which settings a sweep can vary: where each lives, and the name its control has on the pages.
SWEEPABLE = {
    "vocab_size": ("encode_settings", "Vocabulary size"),
    "max_length": ("encode_settings", "Max length"),
    "output_dim": ("model_settings", "Output dimension"),
    "head": ("model_settings", "Head"),
    "learning_rate": ("model_settings", "Learning rate"),
    "epochs": ("model_settings", "Epochs"),
    "validation_split": ("model_settings", "Validation split"),
    "embedding_start": (None, "Embedding starts from"),
}
_RANGE = re.compile(r"^\s*(\S+)\s*(?:\.\.|to)\s*(\S+?)(?:\s+step\s+(\S+))?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Sweep:
    """One setting varied across the room: the n-th attendee to join gets values[n % len]."""

    field: str
    values: tuple

    @property
    def label(self) -> str:
        return SWEEPABLE[self.field][1]

    def as_json(self) -> dict:
        return {"field": self.field, "values": list(self.values)}


def parse_sweep(field: str, values) -> Sweep:
    """A sweep over one setting, from a list or a text such as "10, 20, 50" or "10..100 step 10".

    >>> parse_sweep("learning_rate", "0.001..0.004 step 0.001").values
    (0.001, 0.002, 0.003, 0.004)

    Raises:
        InputError: an unknown setting, a value its control does not offer, or too many values.
    """
    if field not in SWEEPABLE:
        raise InputError(f"`sweep setting` must be one of {', '.join(SWEEPABLE)}. "
                         f"Received: {field!r}"[:300])
    rule = _rule(field)
    label = SWEEPABLE[field][1]
    if isinstance(values, str):
        values = _parse_values(values, rule, label)
    values = list(values)
    if not 1 <= len(values) <= MAX_SWEEP_VALUES:
        raise InputError(f"A sweep of {label} needs 1 to {MAX_SWEEP_VALUES} values. "
                         f"Received: {len(values):,} values")
    return Sweep(field, tuple(_check_value(field, rule, v, label) for v in values))


def sweep_text(sweep: Sweep) -> str:
    """The sweep's values as the values box takes them back: an even run of whole numbers as a
    range, anything else as a list.

    >>> sweep_text(parse_sweep("vocab_size", "10..300 step 10"))
    '10..300 step 10'
    >>> sweep_text(parse_sweep("learning_rate", "0.001, 0.01"))
    '0.001, 0.01'
    >>> sweep_text(parse_sweep("head", "flatten, lstm"))
    'flatten, lstm'
    """
    values = list(sweep.values)
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    if whole and len(values) >= 3:
        step = values[1] - values[0]
        if step > 0 and all(b - a == step for a, b in zip(values, values[1:])):
            return f"{values[0]}..{values[-1]} step {step}"
    return ", ".join(str(v) for v in values)  # str(float) reads back as the same float


def _rule(field: str):
    if field == "embedding_start":
        return Options(tuple(STARTS))
    place = SWEEPABLE[field][0]
    return (EncodeSettings if place == "encode_settings" else ModelSettings).CONSTRAINTS[field]


def _parse_values(text: str, rule, label: str) -> list:
    number = float if isinstance(rule, Real) else int if isinstance(rule, Integer) else None
    match = _RANGE.match(text) if number is not None else None
    try:
        if match is None:
            items = [item.strip() for item in text.split(",") if item.strip()]
            return [number(item) for item in items] if number else items
        low, high = number(match[1]), number(match[2])
        step = number(match[3]) if match[3] else 1 if number is int else None
    except ValueError:
        raise InputError(f"The values of a {label} sweep must be numbers separated by commas "
                         f"(10, 20, 50) or a range (10..100 step 10). Received: {text[:100]!r}") from None
    if step is None or step <= 0 or high < low:
        raise InputError(f"A range of {label} values goes from low to high with a step above 0, "
                         f"e.g. 0.001..0.01 step 0.003. Received: {text[:100]!r}")
    count = int((high - low) / step + 1e-9) + 1
    if count > MAX_SWEEP_VALUES:
        raise InputError(f"A sweep of {label} needs 1 to {MAX_SWEEP_VALUES} values. "
                         f"Received: {text[:100]!r}, {count:,} values")
    return [low + i * step if number is int else round(low + i * step, 12) for i in range(count)]


def _check_value(field: str, rule, value, label: str):
    try:
        value = rule.check(field, value)
        if isinstance(rule, Real):
            value = float(value)
            low, high = rule.widget
            if not low <= value <= high:
                raise InputError(f"`{field}` must be between {low:g} and {high:g} on the Train "
                                 f"page. Received: {field}={value!r}")
    except InputError as error:
        raise InputError(f"In the sweep of {label}: {error}") from None
    return value


def with_value(setup: Workspace, field: str, value) -> Workspace:
    """The room's work with one setting changed (an attendee's swept value)."""
    place = SWEEPABLE[field][0]
    if place is None:
        model = dict(setup.model_settings, trainable=value != "glove_frozen")
        return replace(setup, embedding_start=value, model_settings=model)
    return replace(setup, **{place: dict(getattr(setup, place), **{field: value})})


def setting_of(settings: dict, field: str):
    """One field of a settings dict {"encode_settings", "model_settings", "embedding_start"}."""
    place = SWEEPABLE.get(field, ("model_settings",))[0]
    return settings["embedding_start"] if place is None else settings[place][field]
