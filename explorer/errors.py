"""The one error type the app shows to users as a plain message."""


class InputError(ValueError):
    """Bad input from a user: the message says what is wrong and what to do.

    Pages show `str(error)` as it is; the command line prints it on one line and exits 1.
    Messages follow Keras' style: name the argument in backticks, state the rule, then show
    what came in, e.g. "`output_dim` must be between 1 and 1024. Received: output_dim=0".
    """


def check_int(name: str, value, *, low: int, high: int) -> int:
    """Return `value` if it is an int in [low, high], else raise InputError.

    `bool` is refused even though it is an int subclass: `True` is never a vocabulary size.
    """
    if isinstance(value, bool) or not isinstance(value, (int,)) and not _is_integral(value):
        raise InputError(f"`{name}` must be an integer. Received: {name}={value!r}")
    value = int(value)
    if not low <= value <= high:
        raise InputError(
            f"`{name}` must be between {low:,} and {high:,}. Received: {name}={value:,}"
        )
    return value


def check_choice(name: str, value, choices) -> str:
    """Return `value` if it is one of `choices`, else raise InputError listing them."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise InputError(f"`{name}` must be one of {allowed}. Received: {name}={value!r}")
    return value


def _is_integral(value) -> bool:
    # numpy integers are fine; floats are not, even 3.0, so a slip is caught early.
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a hard dependency
        return False
    return isinstance(value, np.integer)


def is_valid_text(text: str) -> bool:
    """False for a str holding an unpaired surrogate (e.g. "\\udfff" from JSON or a URL).

    Such a string is no text: it cannot be encoded as UTF-8, so it can be neither shown on a
    page nor saved, and every text from a link or a file is checked with this.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
