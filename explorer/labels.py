"""Label cells and class names: what a label a person typed means, and which of two class names
is the negative one (label 0), e.g. for an uploaded CSV whose labels are "pos" and "neg".

>>> labels_from_strings(["yum", "yuck"], [0, 1], class_names=("negative", "positive"))
([1, 0], ('yuck', 'yum'))
>>> as_binary(" 1.0 "), as_binary("pos")
(1, None)
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from explorer.errors import InputError

MAX_ROWS_NAMED = 10  # longer lists of bad rows are cut, so a message stays readable
MAX_VALUE_SHOWN = 40  # characters of a user's value quoted back in a message

# Words that give away which of two class names is the negative one ("neg"/"pos",
# "bad"/"good", "thumbs down"/"thumbs up"), so uploaded names land on 0 and 1 as expected.
_NEGATIVE_WORDS = frozenset(
    "negative neg bad poor no not false fail failed down low worse worst terrible awful "
    "horrible sad angry hate dislike unhappy wrong reject rejected -".split()
)
_POSITIVE_WORDS = frozenset(
    "positive pos good great yes true pass passed up high better best happy like love "
    "right accept accepted +".split()
)
_NEGATING_PREFIXES = ("un", "dis", "in", "im", "ir", "il", "non", "non-", "non_", "not ",
                      "not-", "not_")


def labels_from_strings(
    values: list[str], positions: list[int], *, class_names: tuple[str, str]
) -> tuple[list[int], tuple[str, str]]:
    binary = [as_binary(value) for value in values]
    for value, position, number in zip(values, positions, binary):
        if number is None and (value == "" or is_number(value)):
            _raise_bad_label(position, value)
    kinds = [number is not None for number in binary]
    if all(kinds):
        return [int(number) for number in binary], tuple(class_names)
    if any(kinds):
        # The rarer kind is the slip: one "pos" among 0/1 labels, or one "1" among names.
        rare = kinds.count(True) < kinds.count(False)
        index = kinds.index(rare)
        _raise_bad_label(positions[index], values[index],
                         hint="Use 0/1 in every row, or two class names in every row.")
    names = _name_classes(values, class_names=class_names)
    by_key = {name.casefold(): label for label, name in enumerate(names)}
    return [by_key[value.casefold()] for value in values], names


def _name_classes(values: list[str], *, class_names: tuple[str, str]) -> tuple[str, str]:
    distinct = list(dict.fromkeys(value.casefold() for value in values))
    spelled = {value.casefold(): value for value in reversed(values)}  # first spelling wins
    if len(distinct) > 2:
        shown = ", ".join(quote(spelled[key]) for key in distinct[:MAX_ROWS_NAMED])
        more = f" and {len(distinct) - MAX_ROWS_NAMED} more" if len(distinct) > MAX_ROWS_NAMED else ""
        raise InputError(
            f"`label` must hold two classes. Received: {len(distinct)} different labels: "
            f"{shown}{more}. Keep two classes, or write the labels as 0 and 1."
        )
    known = [name.casefold() for name in class_names]
    if set(distinct) <= set(known):
        return tuple(class_names)
    if len(distinct) == 1:
        only = spelled[distinct[0]]
        return (class_names[0], only) if _polarity(only) > 0 else (only, class_names[1])
    return _order_pair(spelled[distinct[0]], spelled[distinct[1]])


def _order_pair(first: str, second: str) -> tuple[str, str]:
    """Negative-looking name first; otherwise sorted order (case-insensitive)."""
    if _polarity(first) != _polarity(second):
        return (first, second) if _polarity(first) < _polarity(second) else (second, first)
    a, b = first.casefold(), second.casefold()
    for prefix in _NEGATING_PREFIXES:
        if b == prefix + a:
            return second, first
        if a == prefix + b:
            return first, second
    return tuple(sorted((first, second), key=lambda name: (name.casefold(), name)))


def _polarity(name: str) -> int:
    words = re.findall(r"\w+|[+-]", name.casefold())
    if any(word in _NEGATIVE_WORDS for word in words):
        return -1
    return 1 if any(word in _POSITIVE_WORDS for word in words) else 0


def _raise_bad_label(position: int, value, *, hint: str = "") -> None:
    raise InputError(
        f"`label` in row {position + 1} must be 0 or 1, or one of two class names. "
        f"Received: label={quote(value)}. "
        + (hint or "Write 0 for the negative class and 1 for the positive class.")
    )


def as_binary(value) -> int | None:
    """0 or 1 if `value` means that label (1, 1.0, True, "1", " 1.0 "), else None."""
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        if not is_number(value):
            return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number in (0.0, 1.0) else None


def is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def clean_text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def quote(value) -> str:
    if clean_text(value) == "" and not isinstance(value, str):
        return "empty"
    if not isinstance(value, str):
        return repr(value)
    shown = value if len(value) <= MAX_VALUE_SHOWN else value[: MAX_VALUE_SHOWN - 1] + "…"
    return repr(shown)
