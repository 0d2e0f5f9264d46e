"""Labelled reviews: the shipped samples, reading an uploaded CSV, checking a table, writing it out.

A table of reviews is a pandas DataFrame with a `text` column (str) and a `label` column
(int, 0 or 1), plus a pair of class names such as ("negative", "positive"): label 0 is the first
name, label 1 the second. Row numbers in messages count from 1, as the user sees the table
(and, in a CSV, the first review after the header is row 1).
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import numpy as np
import pandas as pd

from explorer.errors import InputError, check_choice
from explorer.labels import MAX_ROWS_NAMED, as_binary, clean_text, labels_from_strings, quote
from explorer.spreadsheet import frame_to_csv, restore_cell
from explorer.text import tokenize

DEFAULT_CLASS_NAMES = ("negative", "positive")
# Megabytes as Streamlit's upload box counts them (10^6 bytes), so the box and the app agree.
MAX_UPLOAD_BYTES = 50 * 10**6
# The most reviews one session may hold, from a file, a link or a workspace: every page is
# built to work at this size (tables shown a window at a time).
MAX_REVIEWS = 100_000
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
_SAMPLES = {
    "Restaurant reviews": "restaurant_reviews.csv",
    "Student feedback": "student_feedback.csv",
    "240 mixed reviews": "reviews_240.csv",
}



def sample_files() -> dict[str, Path]:
    """The shipped samples, by display name, in the order pages show them.

    >>> sorted(p.name for p in sample_files().values())
    ['restaurant_reviews.csv', 'reviews_240.csv', 'student_feedback.csv']

    Returns:
        A dict from display name to the CSV file's path under `sample_data/`.
    """
    return {name: SAMPLE_DIR / file_name for name, file_name in _SAMPLES.items()}


def load_sample(name: str) -> pd.DataFrame:
    """Read one shipped sample as a reviews table.

    >>> reviews = load_sample("Restaurant reviews")
    >>> reviews["text"][0], reviews["label"].tolist()
    ('Never coming back!', [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])

    Args:
        name: a display name from `sample_files()`.

    Returns:
        A new DataFrame with columns `text` and `label`; its class names are the defaults.
    """
    check_choice("name", name, tuple(_SAMPLES))
    reviews, _ = read_reviews_csv(sample_files()[name].read_bytes())
    return reviews


def read_reviews_csv(
    data: bytes,
    *,
    class_names: tuple[str, str] = DEFAULT_CLASS_NAMES,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> tuple[pd.DataFrame, tuple[str, str]]:
    """Parse an uploaded CSV of reviews (header `text,label`) into a reviews table.

    Labels are 0/1 (also written "0.0"/"1.0") or exactly two class names. Names that match
    `class_names` (ignoring case) keep their places; other names are ordered so that one that
    looks negative ("neg", "bad", "not good", "unhappy", "thumbs down") is 0, and when neither
    or both look negative, in sorted order. Headers may differ in case and surrounding spaces,
    other columns are ignored, a UTF-8 byte order mark is dropped, a file whose header has no
    comma but semicolons or tabs is split on those, and rows with neither text nor label are
    skipped. Text keeps what was typed, minus surrounding whitespace.

    >>> reviews, names = read_reviews_csv(b"text,label\\nyum,pos\\nyuck,neg\\n")
    >>> reviews["label"].tolist(), names
    ([1, 0], ('neg', 'pos'))

    Args:
        data: the file's bytes.
        class_names: the current names of label 0 and label 1.
        max_bytes: the largest file accepted.

    Returns:
        The table (columns `text` and `label`, labels 0/1) and the pair of class names.
    """
    text = _decode(bytes(data), max_bytes=max_bytes)
    table = _parse_csv(text)
    columns = _find_columns(table)
    # Cells the app quoted against spreadsheet formulas (see explorer.spreadsheet) come back as typed.
    texts = table[columns["text"]].str.strip().map(restore_cell)
    raw_labels = table[columns["label"]].str.strip()
    filled = (texts != "") | (raw_labels != "")
    if int(filled.sum()) > MAX_REVIEWS:
        raise InputError(
            f"`file` must hold at most {MAX_REVIEWS:,} reviews. Received: {int(filled.sum()):,} "
            "rows. Upload a sample of them (for short reviews a few thousand are plenty)."
        )
    labels, names = labels_from_strings(raw_labels[filled].tolist(), list(np.flatnonzero(filled)),
                                         class_names=tuple(class_names))
    return _frame(texts[filled].tolist(), labels), names


def validate_reviews(
    reviews: pd.DataFrame, *, class_names: tuple[str, str] = DEFAULT_CLASS_NAMES
) -> tuple[list[str], np.ndarray]:
    """Check a reviews table right before encoding and training; return its texts and labels.

    Labels may be 0/1 (ints, floats, bools or their strings) or one of `class_names`. Missing
    text counts as empty.

    >>> table = pd.DataFrame({"text": [" awesome ", "cold food"], "label": [1, 0]})
    >>> validate_reviews(table)
    (['awesome', 'cold food'], array([1, 0]))

    Args:
        reviews: a DataFrame with `text` and `label` columns.
        class_names: the names of label 0 and label 1.

    Returns:
        The texts stripped of surrounding whitespace, and the labels as an int64 array.
    """
    names = _check_class_names(class_names)
    _require_columns(reviews)
    if len(reviews) == 0:
        raise InputError(
            "`reviews` must hold at least one review. Received: an empty table. "
            "Add reviews to the table, upload a CSV or load a sample."
        )
    texts = [clean_text(value) for value in reviews["text"]]
    _check_words(texts)
    labels = _label_ids(reviews["label"].tolist(), class_names=names)
    _check_both_classes(labels, names)
    return texts, labels


def reviews_to_csv(reviews: pd.DataFrame, *, class_names: tuple[str, str] | None = None) -> bytes:
    """Write a reviews table as UTF-8 CSV bytes (header `text,label`, labels 0/1) for download.

    Labels written as class names in the table are turned into 0/1 with `class_names`. Reading
    the result with `read_reviews_csv` gives the same table back. Empty reviews are written as
    they are, so work in progress can be saved.

    >>> reviews_to_csv(pd.DataFrame({"text": ["rocks"], "label": [1]}))
    b'text,label\\nrocks,1\\n'

    Args:
        reviews: a DataFrame with `text` and `label` columns.
        class_names: the names of label 0 and label 1, when labels are given by name.

    Returns:
        The CSV file's bytes.
    """
    _require_columns(reviews)
    names = _check_class_names(class_names) if class_names is not None else DEFAULT_CLASS_NAMES
    labels = _label_ids(reviews["label"].tolist(), class_names=names,
                        accept_names=class_names is not None)
    texts = [clean_text(value) for value in reviews["text"]]
    return frame_to_csv(_frame(texts, labels), lineterminator="\n").encode("utf-8")


# --- reading ---------------------------------------------------------------------------------

def _decode(data: bytes, *, max_bytes: int) -> str:
    if len(data) > max_bytes:
        size = _format_size(len(data))
        exact = "" if size.endswith(" bytes") else f" ({len(data):,} bytes)"
        raise InputError(
            f"`file` must be at most {_format_size(max_bytes)}. Received: a file of "
            f"{size}{exact}. Keep only the text and label columns, or split the file into "
            "smaller ones."
        )
    skipped = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = skipped + error.start
        line = data.count(b"\n", 0, offset) + 1
        raise InputError(
            f"`file` must be UTF-8 text. Received: byte 0x{data[offset]:02X} at offset "
            f"{offset:,} (line {line:,}), which is not valid UTF-8{_encoding_hint(data)}. "
            "Save the file as CSV UTF-8 (in Excel: Save As, CSV UTF-8) and upload it again."
        ) from None


def _encoding_hint(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "; the file looks like UTF-16"
    if data.startswith(b"PK\x03\x04"):
        return "; the file looks like an Excel workbook or a zip archive, not CSV"
    return ""


def _parse_csv(text: str) -> pd.DataFrame:
    if not text.strip():
        raise InputError(
            "`file` is empty. Received: no header and no rows. Upload a CSV whose first line "
            "is the header text,label."
        )
    separator = _separator(text)
    try:
        # A first record longer than the header would make pandas quietly use the first
        # column as the index and lose the review text; the check refuses it instead, and
        # index_col=False says the same to pandas.
        _check_first_record(text, separator)
        return pd.read_csv(io.StringIO(text), sep=separator, dtype=str, na_filter=False,
                           index_col=False)
    except pd.errors.ParserError as error:
        detail = str(error).strip().removeprefix("Error tokenizing data. C error: ")
        raise InputError(
            f"`file` could not be read as CSV. Received: {detail}. A review containing a comma "
            'or a quote must be in double quotes, with quotes doubled: "Great food, ""wow""",1.'
        ) from None


def _check_first_record(text: str, separator: str) -> None:
    # pandas reports a long row as a ParserError, except the first one, where it only warns
    # and drops the extra field. Read without a header, the header row sets the field count,
    # so a longer first record raises like any other.
    pd.read_csv(io.StringIO(text), sep=separator, header=None, nrows=2, dtype=str,
                na_filter=False)


def _separator(text: str) -> str:
    # Excel in many European locales writes `;` between columns; the header shows which.
    header = text.lstrip().split("\n", 1)[0]
    for candidate in (",", ";", "\t"):
        if candidate in header:
            return candidate
    return ","


def _find_columns(table: pd.DataFrame) -> dict[str, str]:
    found: dict[str, str] = {}
    for column in table.columns:
        found.setdefault(str(column).strip().lower(), column)
    missing = [name for name in ("text", "label") if name not in found]
    if missing:
        listed = ", ".join(quote(column) for column in table.columns)
        what = " and ".join(f"`{name}`" for name in missing)
        noun = "columns" if len(missing) > 1 else "column"
        raise InputError(
            f"`file` must have a `text` column and a `label` column; it has no {what} "
            f"{noun}. Received: columns {listed}. Make the first line of the file the header "
            "text,label and upload it again."
        )
    return {name: found[name] for name in ("text", "label")}


# --- checking --------------------------------------------------------------------------------

def _check_class_names(class_names) -> tuple[str, str]:
    names = tuple(class_names) if isinstance(class_names, (tuple, list)) else ()
    usable = len(names) == 2 and all(isinstance(name, str) and name.strip() for name in names)
    if not usable or names[0].strip().casefold() == names[1].strip().casefold():
        raise InputError(
            "`class_names` must be two different, non-empty names. "
            f"Received: class_names={class_names!r}. Give each class its own name, "
            "e.g. negative and positive."
        )
    return names


def _require_columns(reviews) -> None:
    columns = list(getattr(reviews, "columns", []))
    if not isinstance(reviews, pd.DataFrame) or not {"text", "label"} <= set(columns):
        raise InputError(
            "`reviews` must be a table with `text` and `label` columns. "
            f"Received: {type(reviews).__name__} with columns {columns!r}."
        )


def _check_words(texts: list[str]) -> None:
    empty = [row for row, text in enumerate(texts, 1) if not text]
    punctuation = [row for row, text in enumerate(texts, 1) if text and not tokenize(text)]
    if not empty and not punctuation:
        return
    problems = []
    if empty:
        problems.append(f"{_rows(empty)} {'is' if len(empty) == 1 else 'are'} empty")
    if punctuation:
        verb = "has" if len(punctuation) == 1 else "have"
        problems.append(f"{_rows(punctuation)} {verb} only punctuation")
    raise InputError(
        "`text` must contain at least one word in every review. Received: "
        f"{'; '.join(problems)}. Type a review in each of these rows or delete them."
    )


def _label_ids(values: list, *, class_names: tuple[str, str], accept_names: bool = True) -> np.ndarray:
    by_name = {name.strip().casefold(): label for label, name in enumerate(class_names)} if accept_names else {}
    labels, bad = [], []
    for row, value in enumerate(values, 1):
        label = as_binary(value)
        if label is None and isinstance(value, str):
            label = by_name.get(value.strip().casefold())
        if label is None:
            bad.append((row, value))
        labels.append(label)
    if bad:
        allowed = f"0 ({class_names[0]}) or 1 ({class_names[1]})"
        received = ", ".join(f"row {row}: {quote(value)}" for row, value in bad[:MAX_ROWS_NAMED])
        more = f" and {len(bad) - MAX_ROWS_NAMED} more" if len(bad) > MAX_ROWS_NAMED else ""
        raise InputError(
            f"`label` must be {allowed} in every row. Received: {received}{more}. "
            "Pick a class for each of these rows."
        )
    return np.array(labels, dtype=np.int64)


def _check_both_classes(labels: np.ndarray, class_names: tuple[str, str]) -> None:
    present = set(labels.tolist())
    if len(present) == 2:
        return
    only = present.pop()
    other = 1 - only
    raise InputError(
        f"`label` must include both classes. Received: every review is labelled "
        f"{class_names[only]!r} ({only}). Add at least one {class_names[other]!r} ({other}) "
        "review so the model has two classes to tell apart."
    )


# --- small helpers ---------------------------------------------------------------------------

def _frame(texts: list[str], labels) -> pd.DataFrame:
    return pd.DataFrame({"text": pd.Series(texts, dtype=str),
                         "label": np.asarray(labels, dtype=np.int64)})


def _rows(rows: list[int]) -> str:
    shown = [str(row) for row in rows[:MAX_ROWS_NAMED]]
    more = f" and {len(rows) - MAX_ROWS_NAMED} more" if len(rows) > MAX_ROWS_NAMED else ""
    if len(shown) == 1:
        return f"row {shown[0]}"
    if more:
        return f"rows {', '.join(shown)}{more}"
    return f"rows {', '.join(shown[:-1])} and {shown[-1]}"


def _format_size(n_bytes: int) -> str:
    for unit, size in (("MB", 10**6), ("KB", 10**3)):
        if n_bytes >= size:
            return f"{n_bytes / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n_bytes} bytes"
