"""The Vectors type (words and their float32 rows, looked up as gensim would), errors, reports.

Lookup is case-insensitive: a word is looked up as typed first, then by its lower-case form
("King" finds "king"). In a file holding several spellings ("Paris", "paris"), the exact spelling
wins, and otherwise the first (most frequent) of them.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import functools
import itertools

import numpy as np

from explorer.errors import InputError

# Why a line is left out, in the words a message uses.
REASONS = {
    "wrong_count": "wrong number of values",
    "not_a_number": "a value that is not a finite number",
    "duplicate": "duplicate word",
    "blank": "blank line",
    "not_utf8": "not UTF-8 text",
}
_QUOTE_CHARS = 40


class UnknownWordError(KeyError):
    """A word that is not in the vocabulary; the message offers the closest spellings.

    A KeyError, as gensim raises for unknown keys, with `word` and `suggestions` attached.
    """

    def __init__(self, word: str, suggestions: list[str], vocabulary_size: int):
        self.word = word
        self.suggestions = suggestions
        message = f"{quote_word(word)} is not in the vocabulary ({vocabulary_size:,} words)."
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


def quote_word(word: str) -> str:
    """repr(word), cut to 40 characters: how messages name a word from a file."""
    if len(word) > _QUOTE_CHARS:
        word = word[:_QUOTE_CHARS] + "…"
    return repr(word)
