"""One declarative table of rules per settings class, and the one place they are checked.

Each settings dataclass (`EncodeSettings`, `ModelSettings`) holds a `CONSTRAINTS` table, like
scikit-learn's `_parameter_constraints`: for each field its kind and the values it may take.
Everything else derives from that table and the dataclass defaults: `checked()`, the workspace
file and URL readers, the widgets' bounds and options, and the command line's defaults and choices.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Demo:
...     size: int = 4
...     CONSTRAINTS = {"size": Integer(1, 10)}
>>> check_fields(Demo(size=0))
Traceback (most recent call last):
...
explorer.errors.InputError: `size` must be between 1 and 10. Received: size=0
>>> widget_bounds(Demo, "size")
{'min_value': 1, 'max_value': 10}

Messages follow Keras: the argument in backticks, the rule, then "Received: name=value".
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from explorer.errors import InputError, check_choice, check_int


@dataclass(frozen=True)
class Integer:
    """An int in [low, high]; `bool` is refused (True is never a size)."""

    low: int
    high: int

    def check(self, name: str, value) -> int:
        return check_int(name, value, low=self.low, high=self.high)

    @property
    def widget(self) -> tuple[int, int]:
        return self.low, self.high


@dataclass(frozen=True)
class Real:
    """A number between `low` and `high`; `closed` says which ends are allowed.

    An int is accepted (a JSON file may write 10 for 10.0); `bool` and text are not.
    `widget` is the range a page's widget offers when it is narrower than the rule (the command
    line trains with any validation split below 1; the Train page's slider stops at 0.5).
    `note` follows the rule in the message, e.g. "(0 trains on every review)".
    """

    low: float
    high: float
    closed: str = "both"  # "both", "left", "right" or "neither"
    widget_range: tuple[float, float] | None = None
    note: str = ""

    def check(self, name: str, value):
        low_ok = self.closed in ("both", "left")
        high_ok = self.closed in ("both", "right")
        number = not isinstance(value, bool) and isinstance(value, (int, float))
        inside = number and (self.low <= value if low_ok else self.low < value) and (
            value <= self.high if high_ok else value < self.high)
        if not inside:
            lower = f"at least {self.low:g}" if low_ok else f"a number above {self.low:g}"
            upper = f"at most {self.high:g}" if high_ok else f"below {self.high:g}"
            note = f" {self.note}" if self.note else ""
            raise InputError(f"`{name}` must be {lower} and {upper}{note}. "
                             f"Received: {name}={value!r}"[:300])
        return float(value)  # 10 from a file is the 10.0 Keras needs

    @property
    def widget(self) -> tuple[float, float]:
        return self.widget_range or (self.low, self.high)


@dataclass(frozen=True)
class Options:
    """One of `choices`; the message lists them in this order."""

    choices: tuple

    def check(self, name: str, value):
        return check_choice(name, value, self.choices)


@dataclass(frozen=True)
class Boolean:
    """True or False, and nothing that merely looks like one (1, "yes")."""

    def check(self, name: str, value) -> bool:
        if not isinstance(value, bool):
            raise InputError(f"`{name}` must be true or false. Received: {name}={value!r}"[:300])
        return value


def check_fields(settings):
    """Check every field of `settings` against its class's `CONSTRAINTS`; return `settings`.

    Raises:
        InputError: the first field that breaks its rule, in field order.
    """
    table = settings.CONSTRAINTS
    for f in fields(settings):
        table[f.name].check(f.name, getattr(settings, f.name))
    return settings


def check_value(settings_class, name: str, value):
    """Check one value against the rule of field `name` (for functions that take loose
    arguments, such as `explorer.text.pad`); return it (an int rule returns an int)."""
    return settings_class.CONSTRAINTS[name].check(name, value)


def default(settings_class, name: str):
    """The field's default, from the dataclass: the one place a default is written."""
    return getattr(settings_class(), name)


def widget_bounds(settings_class, name: str) -> dict:
    """`min_value`/`max_value` for the field's `st.number_input` or `st.slider`."""
    low, high = settings_class.CONSTRAINTS[name].widget
    return {"min_value": low, "max_value": high}


def options(settings_class, name: str) -> list:
    """The field's choices for a widget or `argparse`: the default first, then the table's order."""
    choices = settings_class.CONSTRAINTS[name].choices
    first = default(settings_class, name)
    return [first] + [c for c in choices if c != first]


def argument(settings_class, name: str) -> dict:
    """`argparse` keywords for the field: its type or choices, and its default."""
    rule = settings_class.CONSTRAINTS[name]
    kwargs = {"default": default(settings_class, name)}
    if isinstance(rule, Options):
        kwargs["choices"] = options(settings_class, name)
    elif isinstance(rule, Integer):
        kwargs["type"] = int
    elif isinstance(rule, Real):
        kwargs["type"] = float
    return kwargs
