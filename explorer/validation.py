"""Judging a run on reviews it never trained on: the held-out reviews one by one, the confusion
matrix, and k-fold cross-validation.

Eight held-out reviews give one noisy number (37.5 % was seen on 32 hotel reviews); k-fold
cross-validation trains k models, each holding out a different 1/k of the reviews with both
classes in every fold (scikit-learn's StratifiedKFold, seeded), and reports the mean and the
standard deviation of the k validation accuracies.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from explorer.constraints import Integer
from explorer.errors import InputError
from explorer.model import ModelSettings, TrainResult, prepare, split_indices

DEFAULT_FOLDS = 5
FOLDS = Integer(2, 20)  # the k a page or a caller may ask for


def held_out(result: TrainResult, texts: list[str] | None = None) -> pd.DataFrame:
    """The run's held-out reviews: review, class (0/1), P(class 1), predicted class, right.

    `texts` are the run's reviews in order (the page has them); without them the review is
    shown as its words. Empty when the run held nothing out.
    """
    _, val_idx = split_indices(result.labels, validation_split=result.settings.validation_split,
                               seed=result.settings.seed)
    tokens = result.encoded.tokens
    shown = [texts[i] if texts is not None else " ".join(tokens[i]) for i in val_idx]
    rows = result.encoded.padded[val_idx]
    probability = (np.asarray(result.model(rows, training=False), dtype=np.float64).reshape(-1)
                   if len(rows) else np.zeros(0))
    actual = result.labels[val_idx].astype(int)
    predicted = (probability >= 0.5).astype(int)
    return pd.DataFrame({"review": shown, "class": actual, "probability": probability,
                         "predicted": predicted, "right": predicted == actual})


def confusion(table: pd.DataFrame, class_names=("0", "1")) -> pd.DataFrame:
    """Counts of (actual, predicted) from `held_out`'s table: rows actual, columns predicted."""
    counts = np.zeros((2, 2), dtype=int)
    for actual, predicted in zip(table["class"], table["predicted"]):
        counts[int(actual), int(predicted)] += 1
    names = [str(n) for n in class_names]
    return pd.DataFrame(counts, index=[f"actual {n}" for n in names],
                        columns=[f"predicted {n}" for n in names])


@dataclass(frozen=True)
class CrossValidation:
    """k validation accuracies and losses, one per fold, and how long the k trainings took."""

    accuracies: list[float]
    losses: list[float]
    fold_sizes: list[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def mean(self) -> float:
        return float(np.mean(self.accuracies))

    @property
    def std(self) -> float:
        """Population standard deviation of the fold accuracies (numpy's default, ddof=0)."""
        return float(np.std(self.accuracies))


def check_folds(k, labels, class_names=("0", "1")) -> int:
    """Return `k` when every one of the k folds can hold a review of each class."""
    k = FOLDS.check("k", k)
    labels = np.asarray(labels).astype(int)
    counts = [int((labels == c).sum()) for c in (0, 1)]
    smaller = int(np.argmin(counts))
    if k > counts[smaller]:
        raise InputError(
            f"`k` must be at most {counts[smaller]}, the number of reviews of the smaller class "
            f"({class_names[smaller]}), so that every fold holds a review of each class. Lower "
            f"k or add reviews. Received: k={k}")
    return k


def cross_validate(encoded, labels, *, settings: ModelSettings, k: int = DEFAULT_FOLDS,
                   initial_embedding: np.ndarray | None = None, class_names=("0", "1"),
                   on_fold=None) -> CrossValidation:
    """Train one model per fold with `settings` and score it on that fold's held-out reviews.

    The validation split of `settings` is not used: the folds are the split. One model is built
    and, before each fold, given back its starting weights and a fresh optimizer, which is
    exactly a newly built model (same seed) without building and tracing k of them.

    Args:
        on_fold: called after each fold with (fold number from 1, k, its accuracy); a page
            shows progress here (and may raise to stop).
    """
    from sklearn.model_selection import StratifiedKFold

    labels = np.asarray(labels, dtype=np.float32)
    k = check_folds(k, labels, class_names)
    run = prepare(encoded, labels, settings=settings, initial_embedding=initial_embedding)
    model, optimizer = run.model, run.model.optimizer
    optimizer.build(model.trainable_variables)
    start_weights = model.get_weights()
    start_optimizer = [v.numpy() for v in optimizer.variables]
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=settings.seed)
    x = encoded.padded
    accuracies, losses, sizes = [], [], []
    started = time.perf_counter()
    for number, (train_idx, val_idx) in enumerate(folds.split(x, labels), start=1):
        model.set_weights(start_weights)
        for variable, value in zip(optimizer.variables, start_optimizer):
            variable.assign(value)
        model.fit(_batches(x[train_idx], labels[train_idx], settings), epochs=settings.epochs,
                  verbose=0, shuffle=False)
        scores = model.evaluate(x[val_idx], labels[val_idx], verbose=0, return_dict=True)
        accuracies.append(float(scores["accuracy"]))
        losses.append(float(scores["loss"]))
        sizes.append(len(val_idx))
        if on_fold is not None:
            on_fold(number, k, accuracies[-1])
    return CrossValidation(accuracies, losses, sizes, time.perf_counter() - started)


def _batches(x, y, settings: ModelSettings):
    # The same seeded, reshuffled batches as explorer.model.training_data, on one fold's reviews.
    import tensorflow as tf

    return (tf.data.Dataset.from_tensor_slices((x, y))
            .shuffle(len(y), seed=settings.seed, reshuffle_each_iteration=True)
            .batch(min(settings.batch_size, len(y))))
