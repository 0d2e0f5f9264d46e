"""Analogies and neighbours, answered exactly as gensim answers them.

`analogy` is gensim 4.4's `KeyedVectors.most_similar` (3CosAdd) and `most_similar_cosmul`
(3CosMul): the same arithmetic on the same float32 numbers, so the same words in the same order.
It is faster because it picks the top k without a partial sort of every score (see `_top`).
The batched benchmark on a question set is `explorer.benchmark`.
"""

from __future__ import annotations

import numpy as np

from explorer.constraints import check_value
from explorer.errors import InputError
from explorer.glove_settings import MAX_TOPN, METHODS, RESTRICT_VOCAB, QuerySettings
from explorer.vectors import Vectors

__all__ = ["MAX_TOPN", "METHODS", "analogy", "mean_direction", "neighbours", "vocabulary_limit"]

_COSMUL_EPSILON = 0.000001  # gensim's, keeps 3CosMul finite when a negative cosine is -1
_APPROX_ERROR = 1e-5  # bound on |fast cosine - gensim's cosine|; real differences are ~1e-7
_ALIGN = 16  # rows per block when scoring a few rows exactly


def analogy(vectors: Vectors, *, positive, negative=(), topn: int = QuerySettings.topn,
            method: str = QuerySettings.method, restrict_vocab: int | None = None) -> list[tuple[str, float]]:
    """Words closest to `positive` minus `negative`, as gensim's most_similar(_cosmul) gives.

    >>> v = Vectors.from_arrays(["man", "woman", "king", "queen"],
    ...                         [[1, 0, 1], [-1, 0, 1], [1, 1, 0], [-1, 1, 0]])
    >>> [(w, round(s, 4)) for w, s in analogy(v, positive=["king", "woman"], negative=["man"])]
    [('queen', 1.0)]

    Args:
        vectors: the vectors to search.
        positive: words to add (a word or a list); case-insensitive.
        negative: words to subtract.
        topn: how many answers, 1 to 100.
        method: "cosadd" (3CosAdd, the cosine with the mean of unit vectors) or "cosmul"
            (3CosMul, Levy and Goldberg's product of shifted cosines).
        restrict_vocab: search only the first (most frequent) this many words.

    Returns:
        [(word, score), ...], best first; the query words are left out. Equal scores keep
        the more frequent word first.
    """
    positive = _word_list("positive", positive)
    negative = _word_list("negative", negative)
    if not positive:
        raise InputError("`positive` must hold at least one word. Received: positive=[] "
                         "(type a word such as 'king').")
    topn = check_value(QuerySettings, "topn", topn)
    check_value(QuerySettings, "method", method)
    limit = vocabulary_limit("restrict_vocab", restrict_vocab, len(vectors))
    pos_rows = [vectors.row(word) for word in positive]
    neg_rows = [vectors.row(word) for word in negative]
    both = [vectors.words[r] for r in dict.fromkeys(pos_rows) if r in set(neg_rows)]
    if both:
        raise InputError(
            f"A word cannot be both positive and negative. Received: {both[0]!r} on both "
            f"sides; remove it from one of them."
        )
    excluded = set(pos_rows) | set(neg_rows)
    wanted = topn + len(excluded)
    if method == "cosadd":
        mean = mean_direction(vectors, pos_rows, neg_rows)
        best, scores = _cosadd_best(vectors, mean, limit, wanted)
    else:
        all_scores = _cosmul_scores(vectors, pos_rows, neg_rows, limit)
        best = _top(all_scores, wanted)
        scores = all_scores[best]
    answer = [(vectors.words[i], float(score)) for i, score in zip(best.tolist(), scores)
              if i not in excluded and np.isfinite(score)]
    return answer[:topn]


def neighbours(vectors: Vectors, word: str, *, topn: int = QuerySettings.topn,
               restrict_vocab: int | None = None) -> list[tuple[str, float]]:
    """The `topn` words with the highest cosine to `word` (gensim's most_similar(word)).

    >>> v = Vectors.from_arrays(["a", "b", "c"], [[1, 0], [0.9, 0.1], [0, 1]])
    >>> [w for w, _ in neighbours(v, "a", topn=2)]
    ['b', 'c']

    Args:
        vectors: the vectors to search.
        word: the word; case-insensitive.
        topn: how many neighbours, 1 to 100.
        restrict_vocab: search only the first this many words.

    Returns:
        [(word, cosine), ...], closest first, without `word` itself.
    """
    if not isinstance(word, str) or not word.strip():
        raise InputError(f"`word` must be a word. Received: word={word!r}")
    return analogy(vectors, positive=[word], topn=topn, restrict_vocab=restrict_vocab)


def _word_list(name: str, words) -> list[str]:
    if words is None:
        return []
    if isinstance(words, str):
        words = [words]
    try:
        items = list(words)
    except TypeError:
        raise InputError(f"`{name}` must be a list of words. Received: {name}={words!r}") from None
    if not all(isinstance(w, str) for w in items):
        raise InputError(f"`{name}` must hold only words (text). Received: {name}={items!r}")
    return [w.strip() for w in items if w.strip()]


def vocabulary_limit(name: str, value, size: int) -> int:
    """How many words a `restrict_vocab` value searches, out of `size`.

    None means all words, and so does more than there are, as in gensim; anything else that is
    not a positive integer is an InputError naming `name`. The benchmark shares this rule.
    """
    if value is None:
        return size
    return min(RESTRICT_VOCAB.check(name, value), size)


def _unit(vectors: Vectors, row: int) -> np.ndarray:
    norm = vectors.norms[row]
    raw = np.asarray(vectors.raw[row], dtype=np.float32)
    return raw / norm if norm > 0 else np.zeros_like(raw)


def mean_direction(vectors: Vectors, pos_rows, neg_rows) -> np.ndarray:
    """gensim's get_mean_vector(pre_normalize=True, post_normalize=True), step for step.

    The unit-length mean of the rows `pos_rows` minus the rows `neg_rows`, float32; the
    benchmark's exact recheck uses it too. The weights are float64 and the running mean
    float32, as there; the order of operations decides the last bits, and the last bits decide
    near ties.
    """
    weights = np.concatenate((np.ones(len(pos_rows)), -1.0 * np.ones(len(neg_rows))))
    mean = np.zeros(vectors.dim, dtype=np.float32)
    total = 0.0
    for row, weight in zip(list(pos_rows) + list(neg_rows), weights):
        mean += weight * _unit(vectors, row)
        total += abs(weight)
    mean = mean / total
    length = float(np.sqrt(np.dot(mean, mean)))
    if length > 0:
        mean = mean * (1.0 / length)
    return mean.astype(np.float32)


def _cosadd_best(vectors: Vectors, mean: np.ndarray, limit: int, k: int):
    """The k best rows for gensim's 3CosAdd score among the first `limit`, and their scores.

    gensim's score is dot(raw row, mean) / row length. With the transposed unit rows at hand,
    a quicker product gives every score to within _APPROX_ERROR; only rows within twice that
    of the k-th best can be in gensim's top k, and those get gensim's exact arithmetic.
    """
    if vectors.columns is None:
        scores = _exact_cosadd(vectors, mean, np.arange(limit), limit)
        best = _top(scores, k)
        return best, scores[best]
    approx = mean @ vectors.columns[:, :limit]
    threshold = approx[_top(approx, k)[-1]] - 2 * _APPROX_ERROR
    candidates = np.flatnonzero(approx >= threshold)
    scores = _exact_cosadd(vectors, mean, candidates, limit)
    order = np.lexsort((candidates, -scores))[:k]
    return candidates[order], scores[order]


def _exact_cosadd(vectors: Vectors, mean: np.ndarray, rows: np.ndarray, limit: int) -> np.ndarray:
    """gensim's scores of `rows`, bit for bit: dot(raw[:limit], mean) / norms[:limit] at rows.

    BLAS gives a row the same bits only when it sits at the same place in a block of rows, so
    a few rows are scored as slices of _ALIGN rows starting at a multiple of _ALIGN (ending
    at `limit` as gensim's matrix does), never as a gathered copy.
    """
    raw, norms = vectors.raw, vectors.norms
    with np.errstate(divide="ignore", invalid="ignore"):
        if len(rows) * 4 >= limit:
            return _finite(np.dot(raw[:limit], mean) / norms[:limit], vectors)[rows]
        scores = np.empty(len(rows), dtype=np.float32)
        starts = rows - rows % _ALIGN
        for start in sorted(set(starts.tolist())):  # np.unique would import more of numpy
            stop = min(start + _ALIGN, limit)
            block = np.dot(raw[start:stop], mean) / norms[start:stop]
            inside = np.flatnonzero(starts == start)
            scores[inside] = block[rows[inside] - start]
    return _finite(scores, vectors)


def _cosmul_scores(vectors: Vectors, pos_rows, neg_rows, limit: int) -> np.ndarray:
    # gensim's expression, one matrix-vector product per word, so the floats are its floats.
    raw, norms = vectors.raw[:limit], vectors.norms[:limit]
    with np.errstate(divide="ignore", invalid="ignore"):
        pos_dists = [(1 + np.dot(raw, _unit(vectors, r)) / norms) / 2 for r in pos_rows]
        neg_dists = [(1 + np.dot(raw, _unit(vectors, r)) / norms) / 2 for r in neg_rows]
        scores = np.prod(pos_dists, axis=0) / (np.prod(neg_dists, axis=0) + _COSMUL_EPSILON)
    return _finite(scores, vectors)


def _finite(scores: np.ndarray, vectors: Vectors) -> np.ndarray:
    # Rows of length 0 give 0/0; gensim's sort puts those last, and so does -inf.
    if vectors.has_zero_rows:
        np.nan_to_num(scores, copy=False, nan=-np.inf, posinf=np.inf, neginf=-np.inf)
    return scores


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest scores, largest first (ties: lower index first).

    The k-th largest of the per-block maxima is at most the k-th largest score, so every
    top-k score is at or above it: one fast pass of maxima and one comparison find a few
    candidates, and only those are sorted. gensim's argpartition over every score is the
    slow part of its most_similar.
    """
    n = scores.size
    block = 1024
    blocks = n // block
    if blocks <= k:
        candidates = np.arange(n)
    else:
        maxima = scores[: blocks * block].reshape(blocks, block).max(axis=1)
        threshold = np.partition(maxima, blocks - k)[blocks - k]
        candidates = np.flatnonzero(scores >= threshold)
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order[:k]]
