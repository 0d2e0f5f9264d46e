"""Analogy question files (gensim's questions-words.txt format): ": section" lines, then
lines of four words, a b c and the expected answer. Read for `explorer.benchmark`."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from explorer.errors import InputError


def default_questions_path() -> Path | None:
    """gensim's copy of the Google analogy questions (questions-words.txt), if gensim is there.

    gensim is only a test requirement; without it, users upload the file.
    """
    return gensim_test_file("questions-words.txt")


def gensim_test_file(name: str) -> Path | None:
    """A file of gensim's test data (e.g. 'wordsim353.tsv'), if gensim is installed."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("gensim")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "test" / "test_data" / name
    return path if path.is_file() else None


@dataclasses.dataclass
class Questions:
    """An analogy question set, as `read_questions` reads it.

    Args:
        sections: the section names, in file order.
        section_of: for each question, the index of its section in `sections`.
        words: the questions, (a, b, c, expected answer) as written in the file.
    """

    sections: list[str]
    section_of: list[int]
    words: list[tuple[str, str, str, str]]


def read_questions(source) -> Questions:
    """Parse an analogy question file: ": section" lines, then lines of four words.

    Args:
        source: a path (str or Path), the file's bytes, or its text (a str with line breaks);
            questions already read by this function are returned as they are.

    Returns:
        The sections and questions in file order. Blank lines are ignored; any other line
        that is not four words, a question before the first section line, or bytes that are
        not UTF-8 raise InputError with the line number.
    """
    if isinstance(source, Questions):
        return source
    text = _questions_text(source)
    sections, section_of, words = [], [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(": "):
            sections.append(line.lstrip(": ").strip())
            continue
        parts = line.split()
        if not parts:
            continue
        if not sections:
            raise InputError(
                f"`questions` line {number}: a question comes before the first section line. "
                f"Start the file with a line such as ': capital-common-countries'."
            )
        if len(parts) != 4:
            raise InputError(
                f"`questions` line {number} has {len(parts)} words; each question needs 4 "
                f"(a b c answer, as in 'Athens Greece Baghdad Iraq')."
            )
        section_of.append(len(sections) - 1)
        words.append(tuple(parts))
    if not words:
        raise InputError("`questions` holds no questions. Expected ': section' lines followed "
                         "by lines of four words, like gensim's questions-words.txt.")
    return Questions(sections, section_of, words)


def _questions_text(source) -> str:
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, str) and ("\n" in source or source.startswith(": ")):
        return source.lstrip("\ufeff")
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"`questions` must be an analogy questions file. "
                             f"Received: {str(path)!r}, which does not exist.")
        data = path.read_bytes()
    else:
        raise InputError(f"`questions` must be a path, bytes or text. "
                         f"Received: {type(source).__name__}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(f"`questions` line {line} is not UTF-8 text. "
                         f"Save the file as UTF-8.") from None
