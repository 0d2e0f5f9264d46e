"""The streaming parser of GloVe and word2vec text.

Text is read a chunk at a time, in memory about the size of what is kept (the words and a
float32 matrix); lines longer than `MAX_LINE_BYTES`, vectors of more than `MAX_DIM` values and
uploads of more than `MAX_UPLOAD_WORDS` words are refused with the line named.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import os
import time

import numpy as np

from explorer.errors import InputError, check_choice
from explorer.vectors.types import REASONS, LoadReport, Vectors, quote_word, row_norms

ON_ERROR = ("skip", "raise")
_FIRST_LINES_KEPT = 5
# Text is read in chunks of at most this many lines and bytes, so memory stays in proportion
# to what is kept (the words and a float32 matrix), whatever the shape of the file.
_CHUNK_LINES = 20_000
_CHUNK_BYTES = 1 << 20
MAX_DIM = 4096  # values per vector
MAX_LINE_BYTES = 256 << 10  # a word and 4,096 values of up to 60 characters fit
UPLOAD_LIMIT_MB = 200  # per uploaded file; larger files go in the vectors folder
MAX_UPLOAD_WORDS = 1_000_000  # per upload: words cost ~150 bytes each, whatever their text
_MAX_HEADER_DIGITS = 12  # a word2vec header's count and dimensions; more is not a header


def parse_vectors_bytes(data, *, name: str = "upload", on_error: str = "skip",
                        max_words: int | None = MAX_UPLOAD_WORDS) -> tuple[Vectors, LoadReport]:
    """Read uploaded GloVe or word2vec text held in memory, with the file reader's rules.

    The bytes are only ever parsed as text and numbers; nothing is written to disk. They are
    read a chunk at a time (no copy of the whole), so the memory taken is about the words and
    the float32 matrix kept: at most twice the text, for text of single-digit numbers.

    >>> v, r = parse_vectors_bytes(b"king 1 0\\nqueen 0.9 0.1\\n", name="tiny.txt")
    >>> r.count, r.dim, r.format
    (2, 2, 'glove')

    Args:
        data: the file's bytes, or a binary file object (such as an upload) read from its start.
        name: the file name, used in messages.
        on_error: "skip" or "raise", as for `load_vectors_file`.
        max_words: refuse text holding more words than this (None: no limit). Each word costs
            memory whatever its length, so this bounds a file of very short lines.

    Returns:
        (vectors, report).
    """
    check_choice("on_error", on_error, ON_ERROR)
    started = time.perf_counter()
    if isinstance(data, (bytes, bytearray, memoryview)):
        stream = io.BytesIO(data)  # shares the bytes, no copy
    else:
        stream = data
        stream.seek(0)
    vectors, report = parse_stream(stream, name=name, on_error=on_error, max_words=max_words)
    return vectors, dataclasses.replace(report, seconds=time.perf_counter() - started)


class Parser:
    """Reads text vectors chunk by chunk, keeping good rows and noting bad lines."""

    def __init__(self, name: str, on_error: str, max_words: int | None = None):
        self.name = name
        self.max_words = max_words
        self.strict = on_error == "raise"
        self.format = "glove"
        self.dim: int | None = None
        self.header_count: int | None = None
        self.maybe_header: tuple[int, int] | None = None  # a first line "count 1", undecided
        self.lines_seen = 0
        self.vector_lines = 0
        self.words: list[str] = []
        self.seen: dict[str, int] = {}  # word -> line it was first read on
        # Kept rows, grown in place (realloc: a large buffer is remapped, not copied), so the
        # matrix never exists twice; `rows` of them are filled.
        self.buffer: np.ndarray | None = None
        self.rows = 0
        self.drop_first = False  # the first row was a word2vec header after all
        self.total_bytes: int | None = None  # the text's size, when the stream tells it
        self.bytes_read = 0
        self.skipped: dict[str, int] = {}
        self.first_lines: dict[str, list[int]] = {}
        self.notes: list[str] = []
        self.crlf = False

    def feed(self, raw_lines: list[bytes]) -> None:
        start = self.lines_seen + 1
        self.lines_seen += len(raw_lines)
        lines = [self._clean(line, start == 1 and i == 0) for i, line in enumerate(raw_lines)]
        if start == 1:
            lines = self._read_header(lines)
            start += len(raw_lines) - len(lines)
        if self.dim is None:
            self.dim = _common_count(lines)
            if self.dim is not None and self.dim > MAX_DIM:
                number = start + next(i for i, line in enumerate(lines)
                                      if len(line.split()) - 1 == self.dim)
                raise InputError(f"`{self.name}` line {number:,} has {self.dim:,} values after "
                                 f"its word; vectors may have at most {MAX_DIM:,} dimensions. "
                                 f"Expected GloVe or word2vec text: one word and its numbers "
                                 f"per line.")
        problems: list[tuple[int, str, str]] = []
        kept: list[tuple[int, str, bytes]] = []
        for number, line in enumerate(lines, start):
            if not line.strip():
                problems.append((number, "blank", ""))
                continue
            self.vector_lines += 1
            word, rest, reason = self._split(line)
            if reason:
                problems.append((number, reason, word))
            else:
                kept.append((number, word, rest))
        matrix, parsed = self._numbers(kept)
        rows = []
        for i, (number, word, _) in enumerate(kept):
            if not parsed[i]:
                problems.append((number, "not_a_number", word))
            elif word in self.seen:
                problems.append((number, "duplicate", word))
            else:
                if self.max_words is not None and len(self.words) >= self.max_words:
                    raise InputError(
                        f"`{self.name}` line {number:,}: more than {self.max_words:,} words, the "
                        f"most an upload may hold. Keep the first (most frequent) "
                        f"{self.max_words:,} lines, or put the file in the vectors folder and "
                        f"choose \"A file from the vectors folder\".")
                self.seen[word] = number
                self.words.append(word)
                rows.append(i)
        if problems:
            self._note_problems(problems)
        if rows:
            self._keep(matrix if len(rows) == len(matrix) else matrix[rows])

    def _keep(self, block: np.ndarray) -> None:
        end = self.rows + len(block)
        if self.buffer is None or end > len(self.buffer):
            # numpy zero-fills what a resize adds, so capacity costs memory: aim at the rows
            # the whole text will give (known from its size and what was read so far).
            capacity = int(1.25 * (len(self.buffer) if self.buffer is not None else 0))
            if self.total_bytes and self.bytes_read:
                capacity = int(end * self.total_bytes / self.bytes_read * 1.02) + 64
            capacity = max(end, min(capacity, max(end, 1024) * 64))
            if self.buffer is None:
                self.buffer = np.empty((capacity, self.dim), dtype=np.float32)
            else:
                self.buffer.resize((capacity, self.dim), refcheck=False)
        self.buffer[self.rows:end] = block
        self.rows = end

    def _note_problems(self, problems: list[tuple[int, str, str]]) -> None:
        problems.sort()
        if self.strict:
            raise InputError(self._message(*problems[0]))
        for number, reason, _ in problems:
            self.skipped[reason] = self.skipped.get(reason, 0) + 1
            first = self.first_lines.setdefault(reason, [])
            if len(first) < _FIRST_LINES_KEPT:
                first.append(number)

    def _clean(self, line: bytes, first: bool) -> bytes:
        if first and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
            self.notes.append("A byte-order mark at the start was ignored.")
        if line.endswith(b"\n"):
            line = line[:-1]
        if line.endswith(b"\r"):
            line = line[:-1]
            if not self.crlf:
                self.crlf = True
                self.notes.append("Windows (CRLF) line ends were read as plain line ends.")
        return line

    def _read_header(self, lines: list[bytes]) -> list[bytes]:
        if not lines:
            return lines
        parts = lines[0].split()
        if not (len(parts) == 2 and all(p.isdigit() for p in parts)):
            return lines
        if any(len(p) > _MAX_HEADER_DIGITS for p in parts):
            raise InputError(f"`{self.name}` line 1: the header is not valid: word2vec text "
                             f"starts with a line \"count dimensions\", and these numbers are "
                             f"far too large. Fix the first line (GloVe text has no header).")
        count, dim = int(parts[0]), int(parts[1])
        if _common_count(lines[1:]) == 1:
            # "0 1" may as well be the word "0" of a 1-dimensional GloVe file: it is a header
            # only if the rest agrees (1 dimension, and as many vector lines as it announces),
            # which is known at the end. Until then the line is read as a vector.
            self.maybe_header = (count, dim)
            return lines
        self.format = "word2vec"
        self.header_count, self.dim = count, dim
        if not 1 <= self.dim <= MAX_DIM:
            raise InputError(f"`{self.name}` line 1: the header gives {self.dim:,} dimensions; "
                             f"it must be between 1 and {MAX_DIM:,}.")
        return lines[1:]

    def _split(self, line: bytes) -> tuple[str, bytes, str | None]:
        """(word, values text, None) for a well-shaped line, else (word, b"", reason)."""
        word, _, rest = line.partition(b" ")
        rest = rest.strip()
        count = rest.count(b" ") + 1 if rest else 0
        if not word or count != self.dim or b"  " in rest or b"\t" in rest:
            tokens = line.split()  # the slow, general way, only for lines that need it
            word, rest, count = tokens[0], b" ".join(tokens[1:]), len(tokens) - 1
        try:
            text = word.decode("utf-8")
        except UnicodeDecodeError:
            return "", b"", "not_utf8"
        if count != self.dim:
            return text, b"", "wrong_count"
        if not rest.isascii():
            try:
                rest.decode("utf-8")
            except UnicodeDecodeError:
                return text, b"", "not_utf8"
            return text, b"", "not_a_number"
        return text, rest, None

    def _numbers(self, kept) -> tuple[np.ndarray, np.ndarray]:
        """Parse every kept line at once: (matrix, which rows parsed as finite numbers).

        One call to numpy's C parser for the whole chunk; only a chunk holding a bad number is
        parsed again line by line to find it.
        """
        matrix = np.zeros((len(kept), self.dim or 0), dtype=np.float32)
        parsed = np.ones(len(kept), dtype=bool)
        if not kept:
            return matrix, parsed
        try:
            values = np.fromstring(b" ".join(item[2] for item in kept), dtype=np.float64, sep=" ")
        except ValueError:
            values = None
        if values is not None and values.size == matrix.size and np.isfinite(values).all():
            return values.astype(np.float32).reshape(matrix.shape), parsed
        for i, (_, _, rest) in enumerate(kept):
            try:
                row = np.fromstring(rest, dtype=np.float64, sep=" ")
            except ValueError:
                row = None
            if row is None or row.size != self.dim or not np.isfinite(row).all():
                parsed[i] = False
            else:
                matrix[i] = row
        return matrix, parsed

    def _message(self, number: int, reason: str, word: str) -> str:
        where = f"`{self.name}` line {number:,}"
        detail = {
            "blank": "is blank",
            "not_utf8": "is not UTF-8 text",
            "wrong_count": (f"gives {quote_word(word)} the wrong number of values (every vector "
                            f"here has {self.dim})" if self.dim else
                            f"has no numbers after {quote_word(word)}"),
            "not_a_number": f"has a value for {quote_word(word)} that is not a finite number",
            "duplicate": (f"repeats the word {quote_word(word)} "
                          f"(first on line {self.seen.get(word, 0):,})"),
        }[reason]
        return (f"{where} {detail}. Fix the file, or choose to skip bad lines "
                f"(on_error='skip').")

    def finish(self) -> tuple[Vectors, LoadReport]:
        if (self.maybe_header is not None and self.maybe_header == (self.vector_lines - 1, 1)
                and self.words and self.seen.get(self.words[0]) == 1):
            # The first line was a word2vec header after all: the rest of the file agrees.
            self.format, self.header_count = "word2vec", self.vector_lines - 1
            self.vector_lines -= 1
            del self.seen[self.words.pop(0)]
            self.drop_first = True
        if self.header_count is not None and self.header_count != self.vector_lines:
            mismatch = (f"header announces {self.header_count:,} vectors but the file has "
                        f"{self.vector_lines:,} vector lines")
            if self.strict:
                raise InputError(f"`{self.name}` line 1: the {mismatch}. Fix the header, or "
                                 f"choose to skip bad lines (on_error='skip').")
            self.notes.append(f"The {mismatch}.")
        if not self.words:
            reasons = "; ".join(f"{REASONS[r]} on line {self.first_lines[r][0]:,}"
                                for r in self.skipped) or "the file is empty"
            raise InputError(
                f"`{self.name}` holds no usable vectors ({reasons}). Expected GloVe or word2vec "
                f"text: one word and its numbers per line, separated by spaces (binary files "
                f"cannot be read)."
            )
        self.buffer.resize((self.rows, self.dim), refcheck=False)  # gives back the spare rows
        raw = self.buffer[1:] if self.drop_first else self.buffer
        vectors = Vectors(self.words, raw, row_norms(raw), name=self.name)
        report = LoadReport(self.name, self.format, len(self.words), int(self.dim),
                            dict(self.skipped), {k: list(v) for k, v in self.first_lines.items()},
                            tuple(self.notes))
        return vectors, report


def parse_stream(stream, *, name: str, on_error: str,
                 max_words: int | None = None) -> tuple[Vectors, LoadReport]:
    """Parse the GloVe or word2vec text of a binary stream, from where it stands to its end."""
    parser = Parser(name, on_error, max_words)
    try:
        at = stream.tell()
        parser.total_bytes = stream.seek(0, os.SEEK_END) - at
        stream.seek(at)
    except (AttributeError, OSError, ValueError):
        pass  # not seekable: the buffer grows by a quarter at a time
    for chunk, parser.bytes_read in _chunks(stream, name):
        parser.feed(chunk)
    if parser.lines_seen == 0:
        raise InputError(f"`{name}` is empty. Expected GloVe or word2vec text.")
    return parser.finish()


def _chunks(stream, name: str):
    """The lines of a binary stream (without their line ends), in lists of at most
    `_CHUNK_LINES`, reading `_CHUNK_BYTES` at a time; a line longer than `MAX_LINE_BYTES` is
    refused as soon as it is seen, so memory never holds more than a chunk and one line."""
    carry, number, read = b"", 0, 0
    while True:
        block = stream.read(_CHUNK_BYTES)
        if not block:
            break
        read += len(block)
        lines = (carry + block).split(b"\n") if carry else block.split(b"\n")
        carry = lines.pop()  # the start of a line that goes on in the next block
        if len(carry) > MAX_LINE_BYTES or max(map(len, lines), default=0) > MAX_LINE_BYTES:
            at = next(i for i, line in enumerate([*lines, carry]) if len(line) > MAX_LINE_BYTES)
            raise InputError(
                f"`{name}` line {number + at + 1:,} is longer than {MAX_LINE_BYTES >> 10:,} KB, "
                f"the most a line may hold (a word and up to {MAX_DIM:,} numbers). Expected "
                f"GloVe or word2vec text: one word and its numbers per line.")
        for start in range(0, len(lines), _CHUNK_LINES):
            yield lines[start:start + _CHUNK_LINES], read
        number += len(lines)
    if carry:
        yield [carry], read


def _common_count(lines: list[bytes]) -> int | None:
    """The number of values most lines have: the dimension of a GloVe file."""
    counts: dict[int, int] = {}
    for line in lines[:1000]:
        parts = line.split()
        if len(parts) > 1:
            counts[len(parts) - 1] = counts.get(len(parts) - 1, 0) + 1
    if not counts:
        return None
    return max(counts, key=counts.get)
