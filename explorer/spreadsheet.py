"""CSV cells a spreadsheet will not run: every CSV or TSV the app writes goes through here.

A spreadsheet treats a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula, so a review such as `=HYPERLINK("http://…","click me")` would become a live link in the
downloaded file. OWASP's rule is to put a single quote in front of such a cell. To keep upload →
download → upload a round trip, a cell that already starts with quotes followed by such a
character gets one more quote, and reading takes exactly one off again.

Example:
    >>> safe_cell("=1+1"), restore_cell(safe_cell("=1+1"))
    ("'=1+1", '=1+1')
    >>> safe_cell("'=1"), restore_cell("''=1")
    ("''=1", "'=1")
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _runs_as_formula(text: str) -> bool:
    # Quotes in front do not make a cell safe once one quote is taken off on reading.
    return text.lstrip("'").startswith(FORMULA_STARTS)


def safe_cell(value):
    """`value` with a quote in front if a spreadsheet would run it; other values unchanged."""
    if isinstance(value, str) and _runs_as_formula(value):
        return "'" + value
    return value


def restore_cell(text: str) -> str:
    """The inverse of `safe_cell` for a cell read back from a file the app wrote."""
    if text.startswith("'") and _runs_as_formula(text[1:]):
        return text[1:]
    return text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) are safe to open in a spreadsheet."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    safe.columns = [safe_cell(str(c)) for c in safe.columns]
    return safe


def frame_to_csv(frame: pd.DataFrame, **options) -> str:
    """`frame.to_csv(index=False)` with every text cell made safe (see `safe_cell`)."""
    return safe_frame(frame).to_csv(index=False, **options)
