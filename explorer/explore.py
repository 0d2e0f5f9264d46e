"""The Embedding Projector's inspector panel: neighbours of a point, search, variance, sphereize.

Every function works on the points of one map (a matrix with a row per word) so that what it
finds can be highlighted on that map.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re

import numpy as np

from explorer.errors import InputError, check_choice, check_int

METRICS = ("cosine", "euclidean")
MAX_PATTERN = 200  # characters; a search box, not a program
MODES = ("substring", "regex")
MAX_CATEGORIES = 10  # colours a reader can tell apart; the rest share one "other" colour
MAX_CATEGORY_BYTES = 10 * 2**20
OTHER = "other"


def nearest(matrix, index: int, *, k: int = 10, metric: str = "cosine") -> list[tuple[int, float]]:
    """The `k` rows nearest to row `index`, nearest first, with their distances.

    >>> m = np.array([[1.0, 0], [2.0, 0.2], [0, 1], [0.5, 0]])
    >>> [(i, round(d, 4)) for i, d in nearest(m, 0, k=2)]
    [(3, 0.0), (1, 0.005)]
    >>> [(i, round(d, 4)) for i, d in nearest(m, 0, k=2, metric="euclidean")]
    [(3, 0.5), (1, 1.0198)]

    Args:
        matrix: one row per point.
        index: the selected row (never part of the answer).
        k: how many neighbours (fewer when the matrix has fewer other rows).
        metric: "cosine" (distance 1 - cosine; a zero row has cosine 0 to every row) or
            "euclidean" (straight-line distance), as the Projector offers.

    Returns:
        [(row, distance), ...]; ties go to the lower row.
    """
    data = _matrix(matrix)
    n = data.shape[0]
    index = check_int("index", index, low=0, high=n - 1)
    k = check_int("k", k, low=1, high=10**6)
    check_choice("metric", metric, METRICS)
    if metric == "cosine":
        unit = unit_rows(data)
        distance = 1.0 - unit @ unit[index]
    else:
        distance = np.sqrt(np.maximum(((data - data[index]) ** 2).sum(axis=1), 0.0))
    distance[index] = np.inf
    order = np.argsort(distance, kind="stable")[:min(k, n - 1)]
    return [(int(i), float(distance[i])) for i in order]


def search(words, pattern: str, *, mode: str = "substring", case: bool = False) -> list[int]:
    """Rows of `words` that match `pattern`: a substring, or a regular expression found anywhere.

    >>> search(["king", "queen", "kingdom", "Kin"], "king")
    [0, 2]
    >>> search(["king", "queen", "kingdom"], "^k.*g$", mode="regex")
    [0]

    Args:
        words: the words of the map, one per row.
        pattern: what to look for (at most 200 characters).
        mode: "substring" or "regex" (Python's re, searched anywhere in the word).
        case: whether upper and lower case must match.

    Returns:
        The matching rows, in order; empty when nothing matches (the page says so).
    """
    check_choice("mode", mode, MODES)
    if not isinstance(pattern, str) or not pattern:
        raise InputError("`pattern` is empty. Type some letters or a regular expression.")
    if len(pattern) > MAX_PATTERN:
        raise InputError(f"`pattern` must be at most {MAX_PATTERN} characters. Received: "
                         f"{len(pattern):,} characters.")
    if mode == "substring":
        needle = pattern if case else pattern.lower()
        return [i for i, w in enumerate(words) if needle in (w if case else w.lower())]
    try:
        compiled = re.compile(pattern, 0 if case else re.IGNORECASE)
    except re.error as error:
        raise InputError(f"`pattern` is not a valid regular expression ({error}). "
                         f"Received: pattern={pattern!r}. Fix it, or search as plain text.") from None
    if _nested_repeat(pattern):
        raise InputError(
            "`pattern` repeats a group that itself repeats or has alternatives, such as (a+)+ "
            "or (a|ab)*: on a long word that can take minutes. Write it without the outer "
            f"repeat. Received: pattern={pattern!r}")
    return [i for i, w in enumerate(words) if compiled.search(w)]


def _nested_repeat(pattern: str) -> bool:
    """Whether a repeated group holds a repeat or an alternation (catastrophic backtracking).

    Python's re has no time limit, and one search box on a shared server must not hold a core
    for minutes: (a+)+$ on 25 letters takes seconds, on 68 (GloVe's longest word) forever.
    Reads the pattern's parse tree (re's own parser).
    """
    try:
        from re import _parser as parser  # Python 3.11+
    except ImportError:  # pragma: no cover - older Pythons
        import sre_parse as parser

    repeats = {parser.MAX_REPEAT, parser.MIN_REPEAT, getattr(parser, "POSSESSIVE_REPEAT", None)}

    def risky(items, inside_repeat: bool) -> bool:
        for op, arg in items:
            if op in repeats:
                low, high, sub = arg
                many = high is parser.MAXREPEAT or high > 1
                if inside_repeat and (high is parser.MAXREPEAT or high > low):
                    return True  # a repeat of varying length inside a repeat: (a+)+
                if risky(sub, inside_repeat or many):
                    return True
            elif op is parser.BRANCH:
                if inside_repeat:
                    return True
                if any(risky(branch, inside_repeat) for branch in arg[1]):
                    return True
            elif op is parser.SUBPATTERN:
                if risky(arg[-1], inside_repeat):
                    return True
            elif op in (parser.ASSERT, parser.ASSERT_NOT):
                if risky(arg[1], inside_repeat):
                    return True
        return False

    return risky(parser.parse(pattern), False)


def variance_explained(matrix, n_components: int = 3) -> np.ndarray:
    """The share of the total variance along each of the first principal axes (PCA).

    The same numbers as scikit-learn's `PCA(n_components).fit(matrix).explained_variance_ratio_`.

    >>> variance_explained(np.array([[1.0, 0], [-1, 0], [0, 0.5], [0, -0.5]]), 2).round(4)
    array([0.8, 0.2])
    """
    data = _matrix(matrix)
    n_components = check_int("n_components", n_components, low=1, high=min(data.shape))
    centred = data - data.mean(axis=0)
    values = np.linalg.svd(centred, compute_uv=False) ** 2
    total = values.sum()
    if total == 0:
        return np.zeros(n_components)
    return values[:n_components] / total


def sphereize(matrix) -> np.ndarray:
    """Centre the rows on their mean, then scale each to length 1 (the Projector's "Sphereize").

    A row that equals the mean stays all zeros.

    >>> sphereize(np.array([[2.0, 0], [0, 0], [1, 3]])).round(4)
    array([[ 0.7071, -0.7071],
           [-0.7071, -0.7071],
           [ 0.    ,  1.    ]])
    """
    data = _matrix(matrix)
    return unit_rows(data - data.mean(axis=0))


def unit_rows(data: np.ndarray) -> np.ndarray:
    """Rows at length 1; rows of length 0 stay 0."""
    norms = np.linalg.norm(data, axis=1)
    return data / np.where(norms > 0, norms, 1.0)[:, None]


def _matrix(matrix) -> np.ndarray:
    data = np.asarray(matrix, dtype=np.float64)
    if data.ndim != 2 or data.shape[0] < 1 or data.shape[1] < 1:
        raise InputError(f"`matrix` must be 2-D with a row per point. Received: shape "
                         f"{data.shape}")
    if not np.isfinite(data).all():
        raise InputError("`matrix` holds values that are not finite numbers (NaN or inf).")
    return data


@dataclasses.dataclass(frozen=True)
class Categories:
    """A category per map row (None: the file does not name the word), from a word,category CSV.

    unknown: words of the file that are not on the map; n_categories: distinct categories in
    the file for words on the map; lumped: how many of them were merged into "other".
    """

    per_row: list
    unknown: list
    n_categories: int
    lumped: int


def read_categories(data: bytes, words, *, max_categories: int = MAX_CATEGORIES) -> Categories:
    """Read a CSV of word,category (a header line word,category is optional) for the map words.

    >>> c = read_categories(b"word,category\\nking,royal\\nfrog,animal\\nzzz,x\\n",
    ...                     ["king", "queen", "frog"])
    >>> c.per_row, c.unknown, c.n_categories
    (['royal', None, 'animal'], ['zzz'], 2)

    Words are matched case-insensitively, the first line for a word wins. Beyond
    `max_categories` categories, the most common keep their own colour and the rest become
    "other".
    """
    if len(data) > MAX_CATEGORY_BYTES:
        raise InputError(f"The category file must be at most {MAX_CATEGORY_BYTES // 2**20} MB. "
                         f"Received: {len(data) / 2**20:.1f} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("The category file is not UTF-8 text. Save it as UTF-8 CSV.") from None
    rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["word", "category"]:
        rows = rows[1:]
    if not rows or any(len(r) < 2 for r in rows):
        bad = next((i + 1 for i, r in enumerate(rows) if len(r) < 2), 1)
        raise InputError("The category file must have two columns, word,category, on every "
                         f"line (line {bad} has fewer). Example: king,royalty")
    given: dict[str, str] = {}
    for word, category, *_ in rows:
        given.setdefault(word.strip().lower(), category.strip())
    on_map = {w.lower() for w in words}
    unknown = [w for w in given if w not in on_map]
    per_row = [given.get(w.lower()) or None for w in words]
    counts: dict[str, int] = {}
    for value in per_row:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    keep = set(sorted(counts, key=lambda v: (-counts[v], v))[:max_categories])
    lumped = len(counts) - len(keep)
    if lumped:
        per_row = [v if v is None or v in keep else OTHER for v in per_row]
    return Categories(per_row, unknown, len(counts), lumped)
