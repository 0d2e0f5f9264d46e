"""Training a run a step at a time (one batch, one epoch, ten, or to the end) and what each step
changed in the Embedding table.

A `Stepper` keeps one run's compiled model, its optimizer (with Adam's moving averages) and its
seeded batch pipeline alive between steps. It walks the batches exactly as `model.fit` does
(the same `explorer.model.training_data` pipeline, one `train_function` call per batch, metrics
accumulated over the epoch), so ten one-epoch steps give bit for bit the weights and the history
of one ten-epoch `train()`; tests/test_stepping.py checks it.

The report of a step answers the question students ask about the layer ("when id i comes in,
is only row i updated?") for the run's own settings: which rows changed, by how much, and which
ids were in the step's batches.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

import numpy as np

from explorer.budget import snapshot_budget
from explorer.errors import InputError
from explorer.model import (SNAPSHOT_BUDGET_BYTES, TrainResult, embedding_weights,
                            split_indices, training_data)

PADDING_ID = 0
OPTIMIZER_NAMES = {"sgd": "SGD", "adam": "Adam", "rmsprop": "RMSprop"}
# Optimizers whose state (moving averages) a saved workspace does not keep. Keras' SGD without
# momentum, as the app builds it, keeps none: its next update depends on the gradient alone.
STATEFUL_OPTIMIZERS = ("adam", "rmsprop")


@dataclass(frozen=True)
class StepReport:
    """What one step did to the Embedding table.

    `before`/`after` are the table at the step's start and end; `seen_ids` the sorted ids that
    appeared in the step's batches (padding included when a review was padded).
    """

    before: np.ndarray
    after: np.ndarray
    seen_ids: np.ndarray
    batches: int
    epochs: int  # whole epochs completed during the step
    first_epoch: int  # epochs the run had completed before the step
    note: str = ""  # e.g. the optimizer started afresh

    @property
    def row_change(self) -> np.ndarray:
        """How far each row moved: the Euclidean length of its change, one number per id."""
        diff = self.after.astype(np.float64) - self.before.astype(np.float64)
        return np.sqrt((diff**2).sum(axis=1))

    @property
    def changed_ids(self) -> np.ndarray:
        """Ids whose row differs in any bit (a change too small to print still counts)."""
        return np.flatnonzero((self.after != self.before).any(axis=1))

    @property
    def moved_unseen(self) -> np.ndarray:
        """Ids that changed although they were in none of the step's batches."""
        return np.setdiff1d(self.changed_ids, self.seen_ids)

    @property
    def still_seen(self) -> np.ndarray:
        """Ids in the step's batches whose row stayed bit-identical (e.g. masked padding)."""
        return np.setdiff1d(self.seen_ids, self.changed_ids)


class Stepper:
    """Train `result` (a TrainResult from `explorer.model.prepare` or `train`) step by step.

    >>> stepper = Stepper(result)                         # doctest: +SKIP
    >>> report = stepper.step(epochs=1)                   # doctest: +SKIP
    >>> explain(result.settings, report)                  # doctest: +SKIP

    The result is updated in place after every epoch, as `train` does: history, snapshots for
    the training movie, `weights_after` and `seconds`. A run trained by `train` continues where
    it ended: the pipeline is wound on to the same epoch, and the model keeps its optimizer.
    """

    def __init__(self, result: TrainResult):
        check_steppable(result)
        self.result = result
        self.train_data, self.val_data = training_data(result)
        # `fit` opens one more iterator at each epoch's end than it reads (Keras' EpochIterator
        # prepares the next epoch's, then opens a fresh one); each opening reshuffles. Winding
        # on by two per epoch run keeps the batches those of one long `fit`.
        for _ in range(2 * result.epochs_run):
            iter(self.train_data)
        self._iterator = None  # the current epoch's batches when a step ended inside an epoch
        self.batch_in_epoch = 0
        self.batches_per_epoch = int(self.train_data.cardinality())
        self._busy = threading.Lock()
        self.every = snapshot_budget(*result.weights_before.shape, epochs=result.settings.epochs,
                                     budget_bytes=SNAPSHOT_BUDGET_BYTES)
        # A model rebuilt from saved work has its weights but not the optimizer's state.
        self.note = (f"The optimizer starts afresh at epoch {result.epochs_run}: saved work (a "
                     "workspace file, or a refresh that brought the run back) keeps the weights, "
                     f"not {OPTIMIZER_NAMES[result.settings.optimizer]}'s moving averages."
                     if restored_without_optimizer(result) else "")
        self.last_report: StepReport | None = None

    @property
    def epochs_left(self) -> int:
        """Epochs left before the run reaches its Epochs setting (a started epoch counts)."""
        return max(0, self.result.settings.epochs - self.result.epochs_run)

    def step(self, *, epochs: int | None = None, batches: int | None = None,
             on_epoch=None, should_stop=None) -> StepReport:
        """Train `epochs` more epochs (a started one is finished first) or `batches` batches,
        never past the run's Epochs setting.

        Args:
            epochs: whole epochs; `None` with `batches=None` means to the end.
            batches: single batches instead (one batch shows a step at its smallest).
            on_epoch, should_stop: as for `explorer.model.train`.

        Raises:
            InputError: the run is at its end, diverged, or already stepping in another thread.
        """
        if epochs is not None and batches is not None:
            raise InputError("Give `epochs` or `batches`, not both.")
        for name, value in (("epochs", epochs), ("batches", batches)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 1):
                raise InputError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
        check_steppable(self.result)
        if not self.epochs_left:
            total = self.result.settings.epochs
            raise InputError(
                f"This run has trained all its {total} epochs (Epochs = {total}). Raise Epochs "
                "on the Train page to train it further.")
        if not self._busy.acquire(blocking=False):
            raise InputError("This run is already training a step; wait for it to end.")
        try:
            return self._step(epochs, batches, on_epoch, should_stop)
        finally:
            self._busy.release()

    def _step(self, epochs, batches, on_epoch, should_stop) -> StepReport:
        result, model = self.result, self.result.model
        first_epoch = result.epochs_run
        if batches is None:
            # Whole epochs: what is left of a started epoch, then the rest.
            target = min(self.epochs_left, epochs) if epochs else self.epochs_left
            batches = target * self.batches_per_epoch - self.batch_in_epoch
        else:
            batches = min(batches, self.epochs_left * self.batches_per_epoch
                          - self.batch_in_epoch)
        before = embedding_weights(model)
        last_good = model.get_weights()
        seen = np.zeros(before.shape[0], dtype=bool)
        done = 0
        started = time.perf_counter()
        model.make_train_function()
        try:
            while done < batches:
                if self._iterator is None:
                    model.reset_metrics()  # fit starts every epoch's running means afresh
                    self._iterator = iter(self.train_data)
                x, y = next(self._iterator)
                seen[np.asarray(x).ravel()] = True
                logs = model.train_function(iter([(x, y, None)]))
                done += 1
                self.batch_in_epoch += 1
                logs = {k: float(v) for k, v in logs.items()}
                if not all(math.isfinite(v) for v in logs.values()):
                    self._diverged(last_good)
                    break
                if self.batch_in_epoch == self.batches_per_epoch:
                    last_good = model.get_weights()
                    if self._end_epoch(logs, on_epoch, should_stop):
                        break
        finally:
            result.seconds += time.perf_counter() - started
            result.weights_after = embedding_weights(model)
            self._snapshot_now()
            self.last_report = StepReport(
                before=before, after=result.weights_after, seen_ids=np.flatnonzero(seen),
                batches=done, epochs=result.epochs_run - first_epoch, first_epoch=first_epoch,
                note=self.note)
            self.note = ""
        return self.last_report

    def _end_epoch(self, logs, on_epoch, should_stop) -> bool:
        """Record the finished epoch as `train`'s Recorder does; True when asked to stop."""
        result = self.result
        iter(self.train_data)  # the iterator fit opens and never reads (see __init__)
        self._iterator, self.batch_in_epoch = None, 0
        if self.val_data is not None:
            val = result.model.evaluate(*self.val_data, verbose=0, return_dict=True)
            logs.update({f"val_{k}": float(v) for k, v in val.items()})
        for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
            if key in logs:
                result.history.setdefault(key, []).append(logs[key])
        number = result.epochs_run
        if self.every and number % self.every == 0:
            self._keep_snapshot(number)
        if on_epoch is not None:
            on_epoch(number, result.history)
        if should_stop is not None and should_stop():
            result.stopped = f"Stopped by request after epoch {number}."
            return True
        result.stopped = None
        return False

    def _keep_snapshot(self, number: int) -> None:
        result = self.result
        if result.snapshot_epochs and result.snapshot_epochs[-1] == number:
            return
        # A step that ended between the movie's regular epochs left one extra frame; the next
        # frame replaces it, so many small steps keep the movie within its memory budget.
        last = result.snapshot_epochs[-1] if result.snapshot_epochs else 0
        if last and last % self.every:
            result.snapshots.pop()
            result.snapshot_epochs.pop()
        result.snapshots.append(embedding_weights(result.model))
        result.snapshot_epochs.append(number)

    def _snapshot_now(self) -> None:
        if self.every and self.result.epochs_run:
            self._keep_snapshot(self.result.epochs_run)

    def _diverged(self, last_good) -> None:
        result = self.result
        result.model.set_weights(last_good)
        self._iterator, self.batch_in_epoch = None, 0
        result.stopped = (
            f"The loss became NaN or infinite in epoch {result.epochs_run + 1}, so the step "
            f"stopped and the weights after epoch {result.epochs_run} were kept. Lower the "
            f"learning rate (now {result.settings.learning_rate:g}) and press Train.")


def batches_per_epoch(result: TrainResult) -> int:
    """Batches in one epoch of the run's training reviews, as `training_data` cuts them."""
    settings = result.settings
    train_idx, _ = split_indices(result.labels, validation_split=settings.validation_split,
                                 seed=settings.seed)
    return math.ceil(len(train_idx) / min(settings.batch_size, len(train_idx)))


def restored_without_optimizer(result: TrainResult) -> bool:
    """True for a trained run whose model came back from saved work and has not stepped since:
    its weights are the run's, but its optimizer's moving averages (Adam, RMSprop) were not
    kept, so the next step starts them afresh."""
    return (result.settings.optimizer in STATEFUL_OPTIMIZERS and result.epochs_run > 0
            and int(result.model.optimizer.iterations.numpy()) == 0)


def optimizer_restart(result: TrainResult) -> int | None:
    """The epoch after which the run's optimizer started afresh (it came back from saved work
    and was stepped on), or None when its optimizer ran without a break in this model.

    The optimizer counts every batch it applied since the model was built. A run trained
    without a break has applied one per batch of every epoch it ran; a run restored after
    epoch E and stepped on has applied only those since E, so E = epochs run − whole epochs
    counted. Plain SGD keeps no state, so a restart changes nothing there: None.
    """
    if result.settings.optimizer not in STATEFUL_OPTIMIZERS or not result.epochs_run:
        return None
    applied = int(result.model.optimizer.iterations.numpy())
    per_epoch = batches_per_epoch(result)
    if applied == 0 or applied >= result.epochs_run * per_epoch:
        return None
    return result.epochs_run - applied // per_epoch


def check_steppable(result: TrainResult) -> None:
    """Raise InputError when stepping `result` could only give nonsense."""
    if is_diverged(result):
        raise InputError(
            "This run diverged (its loss became NaN or infinite), so its optimizer holds NaN "
            "and further steps would learn nothing. Lower the learning rate (now "
            f"{result.settings.learning_rate:g}) and press Train for a fresh run.")


def is_diverged(result: TrainResult) -> bool:
    """True when the run's loss became NaN or infinite, or its optimizer state did."""
    if result.stopped and "NaN" in result.stopped:
        return True
    return any(not np.isfinite(np.asarray(v)).all()
               for v in result.model.optimizer.variables)


def explain(settings, report: StepReport) -> str:
    """The answer in one sentence, for these settings and this step, to "which rows moved?"."""
    if not settings.trainable:
        return ("The Embedding layer is frozen, so no row changed in this step: only the layers "
                "after it learnt.")
    name = OPTIMIZER_NAMES.get(settings.optimizer, settings.optimizer)
    seen = len(report.seen_ids)
    if settings.optimizer == "adam":
        moved = len(report.moved_unseen)
        rule = (f"With {name} the rows of the {seen} ids in this step's batches change, and a row "
                "seen in an earlier step keeps moving through Adam's moving averages even when "
                f"its id is absent ({moved} such row{'s' if moved != 1 else ''} here"
                + ("" if moved else ": every epoch sees every training review, so step one "
                   "batch at a time to catch one") + ")")
    else:
        rule = (f"With {name} only the rows of the {seen} ids in this step's batches change; every "
                "other row is bit-identical")
        if settings.optimizer == "rmsprop":
            rule += (" (RMSprop without momentum moves a row only by its own gradient; an absent "
                     "row's average of squared gradients just decays)")
    if settings.head == "flatten":
        pad = ", and the padding row 0 learns too, because Flatten reads every position and "
        pad += "cannot mask the padding"
    elif settings.mask_zero:
        pad = ", but the padding row 0 stays as it was: mask_zero hides padding from the head"
    else:
        pad = (", and the padding row 0 learns too, because without mask_zero the head reads "
               "the padding positions")
    if PADDING_ID not in report.seen_ids:
        pad = ""  # no review in the step was padded
    return rule + pad + "."
