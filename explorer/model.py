"""Building, training and reading the small Keras review model: Embedding → head → sigmoid.

TensorFlow is imported here and only when a model is built, so pages that never train start fast.
Every random choice (initial weights, validation split, batch order) comes from `seed` alone, not
from global state, so two sessions training at once in one server cannot disturb each other's
numbers and the same inputs give the same weights in every process.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from typing import Callable, ClassVar

import numpy as np
import pandas as pd

from explorer.budget import check_model_size, snapshot_budget, snapshot_epochs
from explorer.constraints import Boolean, Integer, Options, Real, check_fields
from explorer.errors import InputError, check_choice
from explorer.text import Encoded, encode

HEADS = {
    "flatten": "Flatten → Dense (sigmoid)",
    "average": "GlobalAveragePooling1D → Dense (sigmoid)",
    "lstm": "LSTM → Dense (sigmoid)",
}
OPTIMIZERS = ("adam", "sgd", "rmsprop")
# Where a run's Embedding table began (the Train page's "Embedding starts from" choice), and how
# the pages name that start.
STARTS = {
    "random": "random start",
    "glove_frozen": "GloVe start, frozen",
    "glove_tuned": "GloVe start, fine-tuned",
}
DEFAULT_START = "random"
MAX_OUTPUT_DIM = 1024
MAX_EPOCHS = 2000
MAX_BATCH_SIZE = 4096
LSTM_UNITS = 16
# Batches per compiled call of fit's train function. Each call costs ~3 ms of Python (dispatch,
# Optional unwrapping) on top of ~1 ms of work at these sizes; 64 runs a whole epoch of the
# samples in one call. The batches, their order and every update are the same as one batch a call.
STEPS_PER_EXECUTION = 64
SNAPSHOT_BUDGET_BYTES = 50 * 2**20


@dataclass(frozen=True)
class ModelSettings:
    """The model and how it learns.

    `initial_embedding` (vocab_size × output_dim), when given, starts the Embedding layer from
    those vectors (GloVe) instead of random values; `trainable=False` freezes it.
    """

    output_dim: int = 8
    head: str = "flatten"
    optimizer: str = "adam"
    learning_rate: float = 0.001
    epochs: int = 100
    batch_size: int = 32
    validation_split: float = 0.0
    seed: int = 0
    trainable: bool = True
    mask_zero: bool = False  # Embedding(mask_zero=True): the layers after it skip padding (id 0)

    # What each field may be, the one table `checked()`, the workspace and URL readers, the Train
    # page's widgets and `python -m explorer train` read (see explorer/constraints.py).
    CONSTRAINTS: ClassVar[dict] = {
        "output_dim": Integer(1, MAX_OUTPUT_DIM),
        "head": Options(tuple(HEADS)),
        "optimizer": Options(OPTIMIZERS),
        "learning_rate": Real(0, 10, closed="right", widget_range=(0.00001, 10.0)),
        "epochs": Integer(1, MAX_EPOCHS),
        "batch_size": Integer(1, MAX_BATCH_SIZE),
        "validation_split": Real(0, 1, closed="left", widget_range=(0.0, 0.5),
                                 note="(0 trains on every review)"),
        "seed": Integer(0, 2**31 - 1),
        "trainable": Boolean(),
        "mask_zero": Boolean(),
    }
    # Fields newer than some saved workspace files: a file without them takes the default.
    OPTIONAL_FIELDS: ClassVar[tuple] = ("mask_zero",)

    def checked(self) -> "ModelSettings":
        """Return self when every field keeps its rule, else raise InputError naming the field."""
        check_fields(self)
        if self.mask_zero and self.head == "flatten":
            # Keras' Flatten only warns and drops the mask: the padding would still count.
            raise InputError(
                "`mask_zero` cannot be used with the Flatten head: Flatten keeps one slot per "
                "position, padding included, so it cannot skip masked positions (Keras drops the "
                "mask there). Choose the average-pooling or LSTM head, or turn mask_zero off. "
                "Received: mask_zero=True, head='flatten'")
        return self


def build_model(*, vocab_size: int, max_length: int, settings: ModelSettings,
                initial_embedding: np.ndarray | None = None):
    """Build and compile the review model.

    >>> model = build_model(vocab_size=50, max_length=4, settings=ModelSettings())
    >>> model.count_params()
    433

    Args:
        vocab_size: rows of the Embedding table (ids 0..vocab_size-1).
        max_length: length of every padded review.
        settings: output_dim, head, optimizer, learning_rate, seed, trainable.
        initial_embedding: optional (vocab_size, output_dim) starting weights (e.g. GloVe).

    Returns:
        A compiled `keras.Model` whose layers are named embedding, head layers, and dense.
    """
    import keras

    settings = settings.checked()
    seed = settings.seed
    if initial_embedding is not None:
        initial_embedding = np.asarray(initial_embedding, dtype=np.float32)
        if initial_embedding.shape != (vocab_size, settings.output_dim):
            raise InputError(
                "`initial_embedding` must have shape (vocab_size, output_dim) = "
                f"({vocab_size}, {settings.output_dim}). Received: shape={initial_embedding.shape}"
            )
        embeddings_initializer = keras.initializers.Constant(initial_embedding)
    else:
        embeddings_initializer = keras.initializers.RandomUniform(-0.05, 0.05, seed=seed)

    inputs = keras.Input(shape=(max_length,), dtype="int32", name="review")
    x = keras.layers.Embedding(vocab_size, settings.output_dim, name="embedding",
                               embeddings_initializer=embeddings_initializer,
                               trainable=settings.trainable, mask_zero=settings.mask_zero)(inputs)
    if settings.head == "flatten":
        x = keras.layers.Flatten(name="flatten")(x)
    elif settings.head == "average":
        x = keras.layers.GlobalAveragePooling1D(name="average")(x)
    else:
        x = keras.layers.LSTM(
            LSTM_UNITS, name="lstm", seed=seed,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 2),
            recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 3),
        )(x)
    outputs = keras.layers.Dense(
        1, activation="sigmoid", name="dense",
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1),
    )(x)
    model = keras.Model(inputs, outputs, name="review_model")
    optimizer = keras.optimizers.get({"class_name": settings.optimizer,
                                      "config": {"learning_rate": float(settings.learning_rate)}})
    # XLA compilation costs more than it saves on models this small.
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"],
                  jit_compile=False, steps_per_execution=STEPS_PER_EXECUTION)
    return model


def summary_table(model) -> tuple[pd.DataFrame, dict[str, int]]:
    """The model summary as a table: layer, type, output shape, params; and the totals.

    Returns:
        (DataFrame with columns layer, type, output shape, params;
         {"total": ..., "trainable": ..., "non_trainable": ...})
    """
    rows = []
    for layer in model.layers:
        shape = tuple(layer.output.shape)
        rows.append({
            "layer": layer.name,
            "type": type(layer).__name__ + (" (mask_zero)" if getattr(layer, "mask_zero", False)
                                            else ""),
            "output shape": "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")",
            "params": int(layer.count_params()),
        })
    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    non_trainable = int(sum(np.prod(w.shape) for w in model.non_trainable_weights))
    totals = {"total": trainable + non_trainable, "trainable": trainable,
              "non_trainable": non_trainable}
    return pd.DataFrame(rows), totals


def embedding_weights(model) -> np.ndarray:
    """A copy of the Embedding table, shape (vocab_size, output_dim)."""
    return np.array(model.get_layer("embedding").get_weights()[0], dtype=np.float32)


def embedding_lookup(model, index: int) -> np.ndarray:
    """What the model's Embedding layer returns for one id: call the layer on [[index]]."""
    layer = model.get_layer("embedding")
    return np.asarray(layer(np.array([[index]], dtype=np.int32))).reshape(-1)


def split_indices(labels: np.ndarray, *, validation_split: float, seed: int):
    """Seeded, stratified train/validation split of review indices.

    Unlike Keras' `validation_split` (which takes the last rows, often all of one class), each
    class gives the same share to validation. Returns (train_idx, val_idx), both sorted.
    """
    labels = np.asarray(labels)
    if validation_split <= 0:
        return np.arange(len(labels)), np.array([], dtype=int)
    rng = np.random.default_rng(seed)
    val = []
    for cls in np.unique(labels):
        members = np.flatnonzero(labels == cls)
        n_val = int(round(len(members) * validation_split))
        n_val = min(max(n_val, 1), len(members) - 1)  # keep each class on both sides
        val.extend(rng.permutation(members)[:n_val].tolist())
    val = np.sort(np.array(val, dtype=int))
    train = np.setdiff1d(np.arange(len(labels)), val)
    if len(train) == 0 or len(val) == 0:
        raise InputError(
            "`validation_split` leaves no reviews to train or to validate on. Add reviews or "
            f"set validation_split to 0. Received: validation_split={validation_split}"
        )
    return train, val


@dataclass
class TrainResult:
    """What one training run produced; kept in the session for the later pages."""

    encoded: Encoded
    labels: np.ndarray
    settings: ModelSettings
    model: object
    summary: pd.DataFrame
    totals: dict[str, int]
    history: dict[str, list[float]] = field(default_factory=dict)
    weights_before: np.ndarray | None = None
    weights_after: np.ndarray | None = None
    snapshots: list[np.ndarray] = field(default_factory=list)
    snapshot_epochs: list[int] = field(default_factory=list)
    stopped: str | None = None  # why training ended early, in words; None if it ran to the end
    seconds: float = 0.0
    label: str = ""  # a name for comparing runs, e.g. "random start, dim 8"
    start: str = DEFAULT_START  # a key of STARTS: where the Embedding table began

    @property
    def epochs_run(self) -> int:
        return len(self.history.get("loss", []))

    @property
    def final(self) -> dict[str, float]:
        """The last epoch's metrics (loss, accuracy, and val_* when there was a split)."""
        return {k: v[-1] for k, v in self.history.items() if v}


def prepare(encoded: Encoded, labels, *, settings: ModelSettings,
            initial_embedding: np.ndarray | None = None, start: str | None = None) -> TrainResult:
    """Build the model for `encoded` reviews and return an untrained TrainResult (summary ready).

    `start` (a key of STARTS) records where the Embedding began. Left out, it follows the
    arguments: "random" without `initial_embedding`; with it (the app's only source of starting
    vectors is GloVe) "glove_tuned", or "glove_frozen" when `settings.trainable` is False.
    """
    if start is None:
        start = ("random" if initial_embedding is None
                 else "glove_tuned" if settings.trainable else "glove_frozen")
    check_choice("start", start, tuple(STARTS))
    labels = np.asarray(labels, dtype=np.float32)
    if len(labels) != encoded.padded.shape[0]:
        raise InputError(f"Got {encoded.padded.shape[0]} reviews but {len(labels)} labels.")
    settings = settings.checked()
    # Before Keras allocates anything: one visitor's model must leave memory for the room.
    check_model_size(vocab_size=encoded.encoder.vocab_size, max_length=encoded.settings.max_length,
                     output_dim=settings.output_dim, head=settings.head,
                     optimizer=settings.optimizer, batch_size=settings.batch_size,
                     n_reviews=len(labels))
    model = build_model(vocab_size=encoded.encoder.vocab_size,
                        max_length=encoded.settings.max_length, settings=settings,
                        initial_embedding=initial_embedding)
    summary, totals = summary_table(model)
    # Weight arrays are never changed in place, so the start can be shared, not copied.
    weights = embedding_weights(model)
    return TrainResult(encoded=encoded, labels=labels, settings=settings, model=model,
                       summary=summary, totals=totals, weights_before=weights,
                       weights_after=weights, snapshots=[weights], snapshot_epochs=[0],
                       start=start)


def train(result: TrainResult, *, on_epoch: Callable[[int, dict], None] | None = None,
          should_stop: Callable[[], bool] | None = None) -> TrainResult:
    """Train `result.model` in place, filling history, snapshots and final weights.

    Args:
        result: from `prepare`.
        on_epoch: called after each epoch with (epoch number from 1, history so far); the
            Train page redraws its progress bar and curves here.
        should_stop: polled after each epoch; True ends training, keeping what was learnt.

    Returns:
        The same `result`. If the loss becomes NaN or infinite, training stops, the weights go
        back to the last good epoch and `result.stopped` says so.
    """
    settings = result.settings
    train_data, val_data = training_data(result)
    every = snapshot_budget(*result.weights_before.shape, epochs=settings.epochs,
                            budget_bytes=SNAPSHOT_BUDGET_BYTES)
    if not every:  # too large for a movie: keep only the start and end, as weights_before/after
        result.snapshots, result.snapshot_epochs = [], []
    # Epoch 0 is weights_before, kept by prepare(); an interrupted run adds its last epoch below.
    kept = set(snapshot_epochs(settings.epochs, every=every)) - {0}
    recorder = _recorder_class()(result, kept=kept, on_epoch=on_epoch, should_stop=should_stop)
    started = time.perf_counter()
    try:
        result.model.fit(train_data, validation_data=val_data, epochs=settings.epochs,
                         verbose=0, shuffle=False,  # the dataset shuffles itself, seeded
                         callbacks=[recorder])
    finally:
        # Also when `on_epoch` raises to end training early (a Streamlit rerun after a Stop
        # click does): the run then holds what was learnt up to its last whole epoch.
        result.seconds = time.perf_counter() - started
        result.weights_after = embedding_weights(result.model)
        last = result.epochs_run
        if every and last and result.snapshot_epochs[-1] != last:
            result.snapshots.append(result.weights_after)
            result.snapshot_epochs.append(last)
    return result


def training_data(result: TrainResult):
    """(the seeded, shuffled batches of the training reviews, (x, y) held out or None).

    `train` feeds the batches to `fit`; explorer/stepping.py walks the same pipeline to train
    a step at a time, so both see the reviews in the same order.
    """
    import tensorflow as tf

    settings = result.settings
    x, y = result.encoded.padded, result.labels
    train_idx, val_idx = split_indices(y, validation_split=settings.validation_split,
                                       seed=settings.seed)
    batch_size = min(settings.batch_size, len(train_idx))
    train_data = (tf.data.Dataset.from_tensor_slices((x[train_idx], y[train_idx]))
                  .shuffle(len(train_idx), seed=settings.seed, reshuffle_each_iteration=True)
                  .batch(batch_size))
    return train_data, ((x[val_idx], y[val_idx]) if len(val_idx) else None)


@functools.cache
def _recorder_class():
    # Defined on first use so that importing this module does not import TensorFlow.
    import keras

    class Recorder(keras.callbacks.Callback):
        """History, snapshots, NaN guard, stop requests, and the page's per-epoch hook."""

        def __init__(self, result, *, kept, on_epoch, should_stop):
            super().__init__()
            self.result, self.kept = result, kept  # the epochs whose weights are kept
            self.on_epoch, self.should_stop = on_epoch, should_stop
            self.last_good = None

        def on_train_begin(self, logs=None):
            self.last_good = self.model.get_weights()

        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            if not all(math.isfinite(float(v)) for v in logs.values()):
                # A diverged step poisons every weight; go back to the last epoch that was fine.
                self.model.set_weights(self.last_good)
                self.model.stop_training = True
                kept = (f"the weights after epoch {epoch} were kept" if epoch
                        else "the starting weights were kept")
                self.result.stopped = (
                    f"The loss became NaN or infinite at epoch {epoch + 1}, so training stopped "
                    f"and {kept}. Lower the learning rate "
                    f"(now {self.result.settings.learning_rate:g}) and train again."
                )
                return
            self.last_good = self.model.get_weights()
            history = self.result.history
            for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
                if key in logs:
                    history.setdefault(key, []).append(float(logs[key]))
            number = epoch + 1
            if number in self.kept:
                self.result.snapshots.append(embedding_weights(self.model))
                self.result.snapshot_epochs.append(number)
            if self.on_epoch is not None:
                self.on_epoch(number, history)
            if self.should_stop is not None and self.should_stop():
                self.model.stop_training = True
                self.result.stopped = f"Stopped by request after epoch {number}."

    return Recorder


def predict_texts(result: TrainResult, texts: list[str]) -> np.ndarray:
    """Probability of class 1 for each text, encoded exactly as the training reviews were."""
    encoded = encode(list(texts), result.encoded.settings, encoder=result.encoded.encoder)
    return _predict_rows(result.model, encoded.padded)


def _predict_rows(model, rows: np.ndarray) -> np.ndarray:
    if len(rows) == 0:
        return np.zeros(0, dtype=np.float32)
    # Calling the model directly skips predict()'s per-call dataset machinery.
    return np.asarray(model(rows, training=False)).reshape(-1)
