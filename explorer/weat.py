"""The Word Embedding Association Test (WEAT) of Caliskan, Bryson and Narayanan (2017).

Two target lists X, Y (flowers, insects) and two attribute lists A, B (pleasant, unpleasant).
With cos the cosine of two word vectors:

    s(w, A, B) = mean_{a in A} cos(w, a) - mean_{b in B} cos(w, b)
    statistic  = sum_{x in X} s(x, A, B) - sum_{y in Y} s(y, A, B)
    effect     = (mean_{x in X} s(x) - mean_{y in Y} s(y)) / std_{w in X ∪ Y} s(w)

The standard deviation is the population one (ddof=0), as WEFE computes it (tests/test_weat.py
checks our effect size against WEFE's on GloVe). The p-value is the one-sided permutation
test of the paper: the share of the ways to split X ∪ Y into two lists of the sizes of X and Y
whose statistic is larger than the observed one. When there are at most `permutations` such
splits, every one is counted (the exact p-value); otherwise `permutations` splits are drawn
with the seed and p = (count + 1) / (permutations + 1), which never reports 0 for a finite
sample. (WEFE draws its samples with replacement and without a seed, so only its effect size
is compared.)

The published lists ship in sample_data/weat/, one word a line; `PUBLISHED_TESTS` names the
paper's ten tests.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from pathlib import Path

import numpy as np

from explorer.errors import InputError, check_int
from explorer.vectors import Vectors

LIST_DIR = Path(__file__).resolve().parent.parent / "sample_data" / "weat"
DEFAULT_PERMUTATIONS = 10_000
MAX_PERMUTATIONS = 1_000_000
MIN_TARGETS = 2  # a target list of one word compares one word, not a group
MIN_ATTRIBUTES = 1
MAX_LOST = 0.2  # WEFE's lost_vocabulary_threshold: a list missing more words is refused

# The paper's ten tests (its Table 1 and the supplementary lists): X, Y, A, B.
PUBLISHED_TESTS = {
    "1. Flowers vs insects, pleasant vs unpleasant":
        ("flowers", "insects", "pleasant_5", "unpleasant_5a"),
    "2. Instruments vs weapons, pleasant vs unpleasant":
        ("instruments", "weapons", "pleasant_5", "unpleasant_5a"),
    "3. European vs African American names, pleasant vs unpleasant":
        ("european_american_names_5", "african_american_names_5", "pleasant_5",
         "unpleasant_5b"),
    "4. European vs African American names (Bertrand), pleasant vs unpleasant":
        ("european_american_names_7", "african_american_names_7", "pleasant_5",
         "unpleasant_5b"),
    "5. European vs African American names (Bertrand), pleasant vs unpleasant (Nosek)":
        ("european_american_names_7", "african_american_names_7", "pleasant_9",
         "unpleasant_9"),
    "6. Male vs female names, career vs family":
        ("male_names", "female_names", "career", "family"),
    "7. Math vs arts, male vs female terms":
        ("math", "arts", "male_terms", "female_terms"),
    "8. Science vs arts, male vs female terms":
        ("science", "arts_2", "male_terms_2", "female_terms_2"),
    "9. Mental vs physical disease, temporary vs permanent":
        ("mental_disease", "physical_disease", "temporary", "permanent"),
    "10. Young vs old people's names, pleasant vs unpleasant":
        ("young_people_names", "old_people_names", "pleasant_9", "unpleasant_9"),
}
ROLES = ("X", "Y", "A", "B")
ROLE_NAMES = {"X": "targets X", "Y": "targets Y", "A": "attributes A", "B": "attributes B"}


def list_names() -> list[str]:
    """The names of the published lists in sample_data/weat/."""
    return sorted(p.stem for p in LIST_DIR.glob("*.txt"))


def read_list(name: str) -> list[str]:
    """The words of a published list (lines starting with # are its source)."""
    if name not in list_names():  # only names of the shipped files: never a path
        raise InputError(f"`list` must be one of the published WEAT lists. Received: {name!r}")
    lines = (LIST_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@dataclasses.dataclass(frozen=True)
class WeatResult:
    """What a WEAT gives.

    effect_size: Cohen's d-like effect (positive: X is closer to A than Y is).
    statistic: the test statistic (sum over X minus sum over Y).
    p_value: one-sided permutation p-value.
    permutations: splits counted; exact: whether they were all the possible splits.
    associations: s(w, A, B) of each target word, X first, then Y (x_count of X).
    left_out: per role (X, Y, A, B), the words the vectors do not hold.
    """

    effect_size: float
    statistic: float
    p_value: float
    permutations: int
    exact: bool
    associations: dict
    left_out: dict
    x_count: int


def weat(vectors: Vectors, x, y, a, b, *, permutations: int = DEFAULT_PERMUTATIONS,
         random_state: int = 0) -> WeatResult:
    """Run the WEAT on four word lists.

    >>> v = Vectors.from_arrays(["x1", "x2", "y1", "y2", "a", "b"],
    ...     [[1, 0], [3, 4], [0, 1], [4, 3], [1, 0], [0, 1]])
    >>> r = weat(v, ["x1", "x2"], ["y1", "y2"], ["a"], ["b"])
    >>> round(r.effect_size, 4), round(r.statistic, 4), round(r.p_value, 4), r.exact
    (1.1094, 1.6, 0.1667, True)

    Args:
        vectors: the vectors.
        x, y: the two target lists (e.g. flowers, insects).
        a, b: the two attribute lists (e.g. pleasant, unpleasant).
        permutations: at most this many splits of X ∪ Y for the p-value.
        random_state: seed for the sampled splits (unused when all splits are counted).

    Returns:
        A WeatResult. Words the vectors lack are left out and listed; a list that loses more
        than a fifth of its words, or keeps fewer than two, is refused with InputError.
    """
    permutations = check_int("permutations", permutations, low=1, high=MAX_PERMUTATIONS)
    rows, left_out = {}, {}
    for role, words in zip(ROLES, (x, y, a, b)):
        rows[role], left_out[role] = _known_rows(vectors, role, words)
    overlap = set(rows["X"]) & set(rows["Y"])
    if overlap:
        word = vectors.words[min(overlap)]
        raise InputError(f"A word cannot be in both target lists. Received: {word!r} in X and "
                         "in Y; remove it from one of them.")
    unit = {role: vectors.unit(r).astype(np.float64) for role, r in rows.items()}
    targets = np.vstack([unit["X"], unit["Y"]])
    s = (targets @ unit["A"].T).mean(axis=1) - (targets @ unit["B"].T).mean(axis=1)
    n_x = len(rows["X"])
    s_x, s_y = s[:n_x], s[n_x:]
    spread = float(np.std(s))
    if spread == 0:
        raise InputError("Every target word is exactly as close to A as to B: the effect size "
                         "is undefined. Choose other lists.")
    statistic = float(s_x.sum() - s_y.sum())
    p_value, counted, exact = _p_value(s, n_x, statistic, permutations, random_state)
    words = [vectors.words[r] for r in rows["X"] + rows["Y"]]
    return WeatResult(
        effect_size=float((s_x.mean() - s_y.mean()) / spread), statistic=statistic,
        p_value=p_value, permutations=counted, exact=exact,
        associations=dict(zip(words, s.tolist())), left_out=left_out, x_count=n_x)


def _known_rows(vectors: Vectors, role: str, words) -> tuple[list[int], list[str]]:
    typed = [w.strip() for w in words if isinstance(w, str) and w.strip()]
    found = [(w, vectors.find(w)) for w in typed]
    rows = list(dict.fromkeys(row for _, row in found if row is not None))
    missing = [w for w, row in found if row is None]
    least = MIN_TARGETS if role in "XY" else MIN_ATTRIBUTES
    if len(rows) < least:
        raise InputError(f"`{ROLE_NAMES[role]}` needs at least {least} word{'s' * (least > 1)} "
                         "the vectors hold. "
                         f"Received: {len(typed)} words, {len(rows)} known.")
    if len(missing) > MAX_LOST * len(typed):
        raise InputError(
            f"`{ROLE_NAMES[role]}`: {len(missing)} of its {len(typed)} words are not in the vectors "
            f"(at most a fifth may be missing): {', '.join(missing[:10])}. Remove or respell "
            "them.")
    return rows, missing


def _p_value(s: np.ndarray, n_x: int, statistic: float, permutations: int,
             random_state: int) -> tuple[float, int, bool]:
    """One-sided permutation p-value of the statistic (see the module docstring).

    For a split with X' of size n_x, statistic' = 2 * sum(s[X']) - sum(s), so only sums of
    n_x associations are needed: all splits come from itertools.combinations, sampled ones
    from a seeded random permutation per split.
    """
    n = len(s)
    total = float(s.sum())
    # A split that ties the observed one up to rounding must not count as larger.
    bar = statistic + 1e-12 * max(1.0, abs(statistic))
    if math.comb(n, n_x) <= permutations:
        sums = np.fromiter((s[list(c)].sum() for c in itertools.combinations(range(n), n_x)),
                           dtype=np.float64, count=math.comb(n, n_x))
        larger = int(np.count_nonzero(2 * sums - total > bar))
        return larger / len(sums), len(sums), True
    rng = np.random.default_rng(random_state)
    larger = 0
    for start in range(0, permutations, 4096):  # blocks keep the index matrix small
        size = min(4096, permutations - start)
        picks = rng.permuted(np.tile(np.arange(n), (size, 1)), axis=1)[:, :n_x]
        larger += int(np.count_nonzero(2 * s[picks].sum(axis=1) - total > bar))
    return (larger + 1) / (permutations + 1), permutations, False
