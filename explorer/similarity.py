"""Word-similarity benchmarks and the odd one out, answered as gensim 4.4 answers them.

`evaluate_pairs` is `KeyedVectors.evaluate_word_pairs`: the cosine of each word pair against the
human score of a file such as WordSim353 or SimLex-999, and the Pearson and Spearman correlations
between the two. Its rules are gensim's, step for step: lines starting with '#' are comments, a
line is two words and a number separated by `delimiter`, any other line is skipped (we count
and name them); words are compared in upper case against the first `restrict_vocab` words, the
most frequent spelling winning; a pair with an unknown word is left out (or scored 0 with
`dummy4unknown`), and `oov_ratio` is their share in percent, as gensim gives it.

`odd_one_out` is `doesnt_match`: the word whose unit vector has the lowest cosine with the
unit-length mean of all the words' unit vectors.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np

from explorer.analogy import vocabulary_limit
from explorer.errors import InputError
from explorer.glove_settings import BenchmarkSettings
from explorer.questions import gensim_test_file
from explorer.vectors import UnknownWordError, Vectors
from explorer.vectors.types import quote_word

DEFAULT_RESTRICT_VOCAB = BenchmarkSettings.restrict_vocab  # gensim's, as for the analogies
# The two pair sets gensim ships in gensim/test/test_data (gensim is a test requirement only).
PAIR_SETS = {"WordSim353": "wordsim353.tsv", "SimLex-999": "simlex999.txt"}
MIN_ODD_WORDS = 3  # with two words both are equally far from their mean
MAX_ODD_WORDS = 100
_QUOTE_LINE = 60


def default_pairs_path(name: str = "WordSim353") -> Path | None:
    """gensim's copy of a pair set in PAIR_SETS, or None when gensim is not installed."""
    if name not in PAIR_SETS:
        raise InputError(f"`pairs` must be one of {', '.join(PAIR_SETS)}. Received: pairs={name!r}")
    return gensim_test_file(PAIR_SETS[name])


@dataclasses.dataclass
class Pairs:
    """A word-pair file as `read_pairs` reads it.

    Args:
        first, second: the two words of each pair, as written (gensim does not strip them).
        human: each pair's human score.
        lines: each pair's line number (1-based).
        invalid: numbers of the lines that were neither comments nor pairs (gensim skips them).
        name: what messages call the file.
    """

    first: list[str]
    second: list[str]
    human: list[float]
    lines: list[int]
    invalid: list[int]
    name: str = "pairs"

    def __len__(self) -> int:
        return len(self.human)


def read_pairs(source, *, delimiter: str = "\t", name: str | None = None) -> Pairs:
    """Parse a word-pair file: lines `word1<delimiter>word2<delimiter>score`, '#' comments.

    >>> p = read_pairs("# a comment\\ncat\\tdog\\t7.5\\nnot a pair\\n")
    >>> p.first, p.second, p.human, p.invalid
    (['cat'], ['dog'], [7.5], [3])

    Args:
        source: a path (str or Path), the file's bytes, or its text (a str with a line break);
            pairs already read are returned as they are.
        delimiter: what separates the three fields (gensim's default, a tab).
        name: what messages call the file (default: the file name, or "pairs").

    Raises:
        InputError: the bytes are not UTF-8, or not one line is a pair (the message quotes the
            first line that is not, and says what a line must look like).
    """
    if isinstance(source, Pairs):
        return source
    if not isinstance(delimiter, str) or not delimiter:
        raise InputError(f"`delimiter` must be a character. Received: delimiter={delimiter!r}")
    text, default_name = _pairs_text(source)
    pairs = Pairs([], [], [], [], [], name or default_name)
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if line.startswith("#"):
            continue
        parts = line.split(delimiter)
        score = _score(parts[2]) if len(parts) == 3 else None
        if score is None:
            pairs.invalid.append(number)
            continue
        pairs.first.append(parts[0])
        pairs.second.append(parts[1])
        pairs.human.append(score)
        pairs.lines.append(number)
    if not pairs.human:
        raise InputError(_no_pairs_message(pairs.name, text, delimiter))
    return pairs


def _score(field: str) -> float | None:
    # gensim takes float(field); a value that is not finite would make every correlation NaN,
    # so it counts as an invalid line here.
    try:
        value = float(field)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _pairs_text(source) -> tuple[str, str]:
    if isinstance(source, (bytes, bytearray)):
        data, label = bytes(source), "pairs"
    elif isinstance(source, str) and ("\n" in source or "\r" in source):
        return source, "pairs"
    elif isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"`pairs` must be a file of word pairs. Received: pairs={str(path)!r}"
                             " (no such file)")
        data, label = path.read_bytes(), path.name
    else:
        raise InputError(f"`pairs` must be a path, bytes or text. Received: pairs={source!r:.60}")
    try:
        return data.decode("utf-8"), label
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"`pairs` must be UTF-8 text. Received: {label!r} has other bytes on "
                         f"line {line}; save it as UTF-8.") from None


def _no_pairs_message(name: str, text: str, delimiter: str) -> str:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    sep = "<TAB>" if delimiter == "\t" else delimiter
    message = (f"`pairs` must hold lines of two words and a number, word{sep}word{sep}score, "
               f"such as tiger{sep}cat{sep}7.35 (lines starting with # are comments).")
    if not lines:
        return message + f" Received: {name!r} has no such line (it is empty or all comments)."
    first = lines[0] if len(lines[0]) <= _QUOTE_LINE else lines[0][:_QUOTE_LINE] + "…"
    message += f" Received: {name!r}, whose first line reads {first!r}"
    if delimiter == "\t" and "\t" not in text and len(lines[0].replace(",", " ").split()) == 3:
        message += " (no tabs: separate the three fields with tabs)"
    return message + "."


@dataclasses.dataclass(frozen=True)
class PairEvaluation:
    """The result of `evaluate_pairs`.

    Args:
        pearson, spearman: the correlations of the cosines with the human scores (NaN when
            either side is constant, as scipy gives).
        pairs: pairs that entered the correlations.
        oov: pairs with a word outside the restricted vocabulary.
        oov_ratio: gensim's share of those pairs, in percent (0 to 100).
        invalid_lines: lines skipped as neither comment nor pair.
        table: one row per pair in file order: word1, word2, human, cosine (NaN for unknown
            pairs unless dummy4unknown scored them 0), known, line.
        restrict_vocab: how many of the most frequent words were searched.
        seconds: time taken.
    """

    pearson: float
    spearman: float
    pairs: int
    oov: int
    oov_ratio: float
    invalid_lines: list[int]
    table: object  # a pandas DataFrame; pandas is imported only when a table is made
    restrict_vocab: int
    seconds: float

    def to_dict(self) -> dict:
        def number(x: float) -> float | None:  # JSON has no NaN
            return None if np.isnan(x) else float(x)

        return {"pearson": number(self.pearson), "spearman": number(self.spearman),
                "pairs": self.pairs, "oov": self.oov, "oov_ratio": self.oov_ratio,
                "invalid_lines": len(self.invalid_lines), "restrict_vocab": self.restrict_vocab,
                "seconds": round(self.seconds, 3)}

    def worst(self, n: int = 10):
        """The `n` known pairs whose cosine rank is furthest from their human-score rank."""
        known = self.table[self.table["known"]].copy()
        known["rank gap"] = (_ranks(known["cosine"].to_numpy())
                             - _ranks(known["human"].to_numpy())) / max(1, len(known))
        order = known["rank gap"].abs().sort_values(ascending=False, kind="stable").index
        return known.loc[order[:n]]


def evaluate_pairs(vectors: Vectors, pairs, *, restrict_vocab: int | None = DEFAULT_RESTRICT_VOCAB,
                   case_insensitive: bool = True, dummy4unknown: bool = False,
                   delimiter: str = "\t") -> PairEvaluation:
    """Correlation of the vectors' cosines with human similarity scores (gensim's rules).

    >>> v = Vectors.from_arrays(["cat", "dog", "car"], [[1, 0], [0.8, 0.6], [0, 1]])
    >>> r = evaluate_pairs(v, "cat\\tdog\\t9\\ncat\\tcar\\t1\\ndog\\tcar\\t4\\ncat\\tcow\\t8\\n")
    >>> round(r.spearman, 4), r.pairs, r.oov, r.oov_ratio
    (1.0, 3, 1, 25.0)

    Args:
        vectors: the vectors.
        pairs: a pair file (see `read_pairs`) or pairs already read.
        restrict_vocab: use only the first this many words (None: all).
        case_insensitive: compare words in upper case, the first spelling winning (gensim's
            default); otherwise exact spelling only.
        dummy4unknown: score pairs with an unknown word 0 instead of leaving them out.
        delimiter: what separates the fields of a line.

    Raises:
        InputError: the file has no pairs, or fewer than two pairs have both words known.
    """
    started = time.perf_counter()
    pairs = read_pairs(pairs, delimiter=delimiter)
    limit = vocabulary_limit("restrict_vocab", restrict_vocab, len(vectors))
    lookup = _lookup(vectors, limit, case_insensitive, pairs)
    fold = str.upper if case_insensitive else str
    rows_a = np.array([lookup.get(fold(w), -1) for w in pairs.first], dtype=np.int64)
    rows_b = np.array([lookup.get(fold(w), -1) for w in pairs.second], dtype=np.int64)
    known = (rows_a >= 0) & (rows_b >= 0)
    cosine = np.full(len(pairs), np.nan)
    cosine[known] = _cosines(vectors, rows_a[known], rows_b[known])
    human = np.asarray(pairs.human, dtype=np.float64)
    used = np.ones(len(pairs), dtype=bool) if dummy4unknown else known
    model = np.where(known, cosine, 0.0)[used]
    oov = int((~known).sum())
    if used.sum() < 2:
        raise InputError(
            f"`pairs` needs at least 2 pairs whose words are both among the first {limit:,} "
            f"words of {vectors.name}. Received: {int(known.sum())} of {len(pairs):,} pairs in "
            f"{pairs.name!r} have both words known; check the file's language and spelling.")
    total = int(used.sum()) if dummy4unknown else len(pairs)
    import pandas as pd

    table = pd.DataFrame({"word1": pairs.first, "word2": pairs.second, "human": human,
                          "cosine": np.where(used & ~known, 0.0, cosine), "known": known,
                          "line": pairs.lines})
    return PairEvaluation(
        pearson=_pearson(human[used], model), spearman=_pearson(_ranks(human[used]),
                                                                  _ranks(model)),
        pairs=int(used.sum()), oov=oov, oov_ratio=oov / total * 100,
        invalid_lines=list(pairs.invalid), table=table, restrict_vocab=limit,
        seconds=time.perf_counter() - started)


def _lookup(vectors: Vectors, limit: int, case_insensitive: bool, pairs: Pairs) -> dict:
    """gensim's ok_vocab, for the words the pairs use: key → row among the first `limit`.

    gensim builds {word.upper(): row} over the restricted vocabulary in reverse, so the first
    (most frequent) spelling wins; only the pair words' entries are kept here.
    """
    fold = str.upper if case_insensitive else str
    wanted = {fold(w) for w in pairs.first} | {fold(w) for w in pairs.second}
    found: dict[str, int] = {}
    if not case_insensitive:
        index = vectors.index
        for word in wanted:
            row = index.get(word)
            if row is not None and row < limit:
                found[word] = row
        return found
    for row, word in enumerate(vectors.words[:limit]):
        key = word.upper()
        if key in wanted and key not in found:
            found[key] = row
    return found


def _cosines(vectors: Vectors, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    # gensim: dot(unitvec(v[a]), unitvec(v[b])) in float32; a zero vector stays zero.
    a, b = vectors.unit(rows_a), vectors.unit(rows_b)
    return np.array([float(np.dot(x, y)) for x, y in zip(a, b)], dtype=np.float64)


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties sharing their mean rank (scipy's rankdata 'average')."""
    values = np.asarray(values, dtype=np.float64)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(values)]
    mean_rank = (starts + ends + 1) / 2.0
    ranks = np.empty(len(values))
    ranks[order] = np.repeat(mean_rank, ends - starts)
    return ranks


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    x = np.asarray(x, dtype=np.float64) - np.mean(x)
    y = np.asarray(y, dtype=np.float64) - np.mean(y)
    denominator = np.linalg.norm(x) * np.linalg.norm(y)
    if denominator == 0:
        return float("nan")
    return float(np.clip(np.dot(x, y) / denominator, -1.0, 1.0))


# ------------------------------------------------------------------------------- odd one out


def rank_by_centrality(vectors: Vectors, words) -> list[tuple[str, float]]:
    """Each word's cosine with the mean direction of all of them, closest first (gensim's).

    >>> v = Vectors.from_arrays(["a", "b", "c"], [[1, 0], [0.9, 0.1], [0, 1]])
    >>> [w for w, _ in rank_by_centrality(v, ["a", "b", "c"])]
    ['b', 'a', 'c']

    Args:
        vectors: the vectors.
        words: at least 3 words, case-insensitive; a repeated word counts each time, as there.

    Raises:
        UnknownWordError: a word is not in the vocabulary (with the closest spellings).
        InputError: fewer than 3 words, or more than 100.
    """
    words = _odd_words(words)
    rows = [vectors.row(word) for word in words]
    units = np.vstack([_gensim_unit(vectors, r) for r in rows]).astype(np.float32)
    mean = np.zeros(vectors.dim, dtype=np.float32)
    for unit in units:  # gensim's get_mean_vector: a float32 running sum, then the division
        mean += np.float32(1.0) * unit
    mean = mean / np.float32(len(units))
    length = float(np.sqrt(np.dot(mean, mean)))
    if length > 0:
        mean = (mean * np.float32(1.0 / length)).astype(np.float32)
    distances = np.dot(units, mean)
    ranked = sorted(zip(distances.tolist(), words), reverse=True)
    return [(word, float(score)) for score, word in ranked]


def odd_one_out(vectors: Vectors, words) -> str:
    """The word furthest from the mean of all of them: gensim's doesnt_match.

    >>> v = Vectors.from_arrays(["a", "b", "c"], [[1, 0], [0.9, 0.1], [0, 1]])
    >>> odd_one_out(v, "a b c")
    'c'
    """
    return rank_by_centrality(vectors, words)[-1][0]


def _gensim_unit(vectors: Vectors, row: int) -> np.ndarray:
    # get_vector(norm=True): the raw row divided by its float32 length.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(vectors.raw[row], dtype=np.float32) / vectors.norms[row]


def _odd_words(words) -> list[str]:
    if isinstance(words, str):
        words = words.replace(",", " ").split()
    try:
        items = [w for w in words]
    except TypeError:
        raise InputError(f"`words` must be a list of words. Received: words={words!r}") from None
    if not all(isinstance(w, str) for w in items):
        raise InputError(f"`words` must hold only words (text). Received: words={items!r:.80}")
    items = [w.strip() for w in items if w.strip()]
    if not MIN_ODD_WORDS <= len(items) <= MAX_ODD_WORDS:
        raise InputError(
            f"`words` must hold {MIN_ODD_WORDS} to {MAX_ODD_WORDS} words, such as 'breakfast "
            f"cereal dinner lunch'. Received: {len(items)} word{'s' * (len(items) != 1)}"
            + (f" ({_some_words(items)})" if items else ""))
    return items


def _some_words(items: list[str], shown: int = 10) -> str:
    # A pasted paragraph of 3,000 words made the message itself 3,000 words long.
    listed = ", ".join(quote_word(w) for w in items[:shown])
    return listed + (f", ... and {len(items) - shown:,} more" if len(items) > shown else "")


__all__ = ["DEFAULT_RESTRICT_VOCAB", "PAIR_SETS", "PairEvaluation", "Pairs", "UnknownWordError",
           "default_pairs_path", "evaluate_pairs", "odd_one_out", "rank_by_centrality",
           "read_pairs"]
