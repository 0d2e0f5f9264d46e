"""Which class each word pulls towards: in the trained model's eyes, and in the data.

The model's lean on a word is measured where the word really occurs: for every review that
contains it, the model's probability of class 1 with the review as it is, minus the probability
with every occurrence of the word's id replaced by padding (id 0); averaged over those reviews.
Positive means the word pushes the model towards class 1, negative towards class 0. This holds
for every head: a Flatten head has separate weights for each position, so asking about "a
review made of the word alone" would judge words at position 0, where most never trained.

The data's view is simpler: the share of the reviews containing the word that are of class 1.

Ids in no review (padding, unused ids) get the neutral value: lean 0, share 0.5, and a count
of 0 reviews so a page can tell them apart from a word that is truly balanced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.text import PADDING_ID

# How many ids the model may read to measure the leans: reviews × max_length for each
# (review, word) pair. Past this, a seeded sample of the reviews is used (the count says so).
MAX_LEAN_CELLS = 2_000_000
_BATCH_CELLS = 200_000  # ids per model call, so memory stays small on long reviews


@dataclass(frozen=True)
class Leans:
    """The model's lean on every id (see the module docstring).

    values: (vocab_size,) mean change in P(class 1) when the word is there rather than padding.
    reviews: (vocab_size,) how many of the reviews looked at contain each id.
    looked_at: how many reviews were used; `total` when all of them were.
    total: how many reviews the run has.
    """

    values: np.ndarray
    reviews: np.ndarray
    looked_at: int
    total: int


@dataclass(frozen=True)
class Shares:
    """How the reviews containing each id split between the classes.

    counts: (vocab_size, 2) reviews of class 0 and of class 1 containing each id.
    share: (vocab_size,) counts[:, 1] / (counts[:, 0] + counts[:, 1]); 0.5 for ids in no review.
    """

    counts: np.ndarray
    share: np.ndarray


def class_shares(padded, labels, *, vocab_size: int) -> Shares:
    """Count, for each id, the reviews of each class that contain it (once per review).

    >>> shares = class_shares([[1, 2, 0], [2, 3, 3]], [0, 1], vocab_size=5)
    >>> shares.share.tolist()
    [0.5, 0.0, 0.5, 1.0, 0.5]

    Args:
        padded: the encoded reviews, one row of ids each (as the model reads them, so words cut
            off by truncation do not count).
        labels: 0 or 1 per review.
        vocab_size: number of ids.

    Returns:
        `Shares`; padding (id 0) is never counted.
    """
    padded = np.asarray(padded, dtype=np.int64).reshape(len(labels), -1)
    labels = np.asarray(labels).astype(np.int64)
    review, ids = _distinct_pairs(padded)
    counts = np.zeros((vocab_size, 2), dtype=np.int64)
    np.add.at(counts, (ids, labels[review]), 1)
    seen = counts.sum(axis=1)
    share = np.divide(counts[:, 1], seen, out=np.full(vocab_size, 0.5), where=seen > 0)
    return Shares(counts=counts, share=share)


def word_leans(result, *, max_cells: int = MAX_LEAN_CELLS) -> Leans:
    """The trained model's lean on every id of `result` (an `explorer.model.TrainResult`).

    Args:
        result: a trained run; its model, encoded reviews and seed are used.
        max_cells: at most this many ids are fed to the model. When the reviews need more,
            a sample of them (seeded by the run's seed, so always the same one) is used and
            `Leans.looked_at` says how many.

    Returns:
        `Leans` with one value per id of the vocabulary.
    """
    padded = np.asarray(result.encoded.padded)
    vocab_size = result.encoded.encoder.vocab_size
    n, length = padded.shape
    chosen = _reviews_within(padded, max_cells=max_cells, seed=result.settings.seed)
    rows = padded[chosen]
    review, ids = _distinct_pairs(rows)
    model = result.model
    base = _predict(model, rows)
    without = np.empty(len(review), dtype=np.float64)
    step = max(1, _BATCH_CELLS // max(length, 1))
    for start in range(0, len(review), step):
        part = slice(start, start + step)
        changed = rows[review[part]]  # fancy indexing: a copy
        changed[changed == ids[part, None]] = PADDING_ID
        without[part] = _predict(model, changed)
    totals = np.zeros(vocab_size)
    counts = np.zeros(vocab_size, dtype=np.int64)
    np.add.at(totals, ids, base[review] - without)
    np.add.at(counts, ids, 1)
    values = np.divide(totals, counts, out=np.zeros(vocab_size), where=counts > 0)
    return Leans(values=values, reviews=counts, looked_at=len(chosen), total=n)


def _distinct_pairs(padded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(review index, id) for every distinct non-padding id of every row."""
    if padded.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ordered = np.sort(padded, axis=1)
    first = np.ones_like(ordered, dtype=bool)
    first[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    keep = first & (ordered != PADDING_ID)
    review, column = np.nonzero(keep)
    return review, ordered[review, column]


def _reviews_within(padded: np.ndarray, *, max_cells: int, seed: int) -> np.ndarray:
    """Indices of the reviews to measure: all of them, or a seeded sample within `max_cells`."""
    n, length = padded.shape
    review, _ = _distinct_pairs(padded)
    cost = (np.bincount(review, minlength=n) + 1) * length  # the changed rows and the review
    if cost.sum() <= max_cells:
        return np.arange(n)
    order = np.random.default_rng(seed).permutation(n)
    fits = np.cumsum(cost[order]) <= max_cells
    return np.sort(order[fits]) if fits.any() else np.sort(order[:1])


def _predict(model, rows: np.ndarray) -> np.ndarray:
    """P(class 1) for each row, in batches of about _BATCH_CELLS ids."""
    out = np.zeros(len(rows), dtype=np.float64)
    step = max(1, _BATCH_CELLS // max(rows.shape[1] if rows.ndim == 2 else 1, 1))
    for start in range(0, len(rows), step):
        # Calling the model directly skips predict()'s per-call dataset machinery.
        part = rows[start:start + step].astype(np.int32)
        out[start:start + step] = np.asarray(model(part, training=False)).reshape(-1)
    return out
