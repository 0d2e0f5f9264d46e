"""Step by step, on the Train and Weights pages: the step buttons (one batch, one epoch, ten, to
the end) and "What changed in this step".

The session's `Stepper` (explorer/stepping.py) is owned here, under `train_step_*` keys: it keeps
the run's compiled model, optimizer and batch pipeline between steps. A stepped run is handed to
`training_session.keep_step`, which makes it the session's run and moves its row in the
comparison, so the curves, the weights and the projection follow each step.

A click while a step (or a training) runs makes Streamlit rerun the page and interrupts it at an
epoch end; `note_interruptions`, called before the page's `keep_interrupted`, keeps what the
step learnt and says so, and the click that interrupted does not start another step.
"""

from __future__ import annotations

import dataclasses
import logging
import threading

import numpy as np
import streamlit as st
from streamlit.errors import StreamlitAPIException

from explorer.charts.runs import step_change_heatmap
from explorer.display import Throttle, readable_number
from explorer.errors import InputError
from explorer.stepping import (OPTIMIZER_NAMES, Stepper, explain, optimizer_restart,
                               restored_without_optimizer)
from ui import training_session
from ui.common import training_queue
from ui.markup import md, md_message

STEPPER = "train_step_stepper"  # the Stepper of the session's run
STEPPING = "train_step_running"  # (run, threading.Event) while a step runs
NOTE = "train_step_note"  # what the last click interrupted, to say on this run
_log = logging.getLogger("embedding_explorer")
HANDOFF_S = 60.0
PROGRESS_REDRAW_S = 0.1
MAX_HEATMAP_IDS = 200  # rows of the change heatmap, as on the Weights page
# The buttons: key suffix, label, Stepper.step arguments, help.
STEPS = (
    ("batch", "1 batch", {"batches": 1}, "One batch: the smallest step. With Adam, watch rows "
                                         "of ids that are not in this batch."),
    ("epoch", "1 epoch", {"epochs": 1}, "Every training review once (finishes a started epoch)."),
    ("ten", "10 epochs", {"epochs": 10}, "Ten more epochs, never past Epochs."),
    ("end", "To the end", {}, "Every epoch left until Epochs."),
)


def note_interruptions() -> None:
    """Call before `training_session.keep_interrupted()`: remember whether this rerun came from
    a click that stopped a training or a step (or took one out of the line), and keep what an
    interrupted step learnt."""
    s = st.session_state
    training = s.get(training_session.TRAINING)
    if training is not None:
        s[NOTE] = (f"Training stopped after epoch {training.epochs_run}: that click came while it "
                   "was running, and what it learnt is kept. Press a step button again to go on "
                   "from there."
                   if training.epochs_run else
                   "Training was waiting for its turn and that click took it out of the line. "
                   "Press Train or a step button again.")
    stepping = s.pop(STEPPING, None)
    if stepping is None:
        return
    run, done = stepping
    done.wait(timeout=HANDOFF_S)  # the interrupted step lets go of the run at an epoch end
    s[NOTE + "_step"] = True
    s[NOTE] = (f"The step stopped after epoch {run.epochs_run}: that click came while it was "
               "running (or waiting for its turn). What it learnt is kept; press a step button "
               "again to go on.")
    _keep(run)


def buttons(*, prefix: str, where=None) -> dict | None:
    """Draw the step buttons (keys `{prefix}_step_...`); return the pressed step's arguments."""
    where = where or st
    columns = where.columns(len(STEPS))
    pressed = None
    for column, (key, label, arguments, hint) in zip(columns, STEPS):
        if column.button(label, key=f"{prefix}_step_{key}", width="stretch", help=hint):
            pressed = arguments
    note = st.session_state.pop(NOTE, None)
    step_stopped = st.session_state.pop(NOTE + "_step", False)
    # A stopped training says so itself (its run's warning); a stopped step says it here, also
    # when the click was Stop rather than a step button.
    if note is not None and (pressed is not None or step_stopped):
        st.info(md_message(note))
    if note is not None and pressed is not None:
        return None  # that click interrupted something; it does not step as well
    return pressed


def restart_notice(run, where=None) -> None:
    """Under the step buttons: say when stepping `run` goes on without its optimizer's state
    (it came back from saved work), or went on so, since that changes its numbers."""
    if run is None:
        return
    where = where or st
    name = OPTIMIZER_NAMES.get(run.settings.optimizer, run.settings.optimizer)
    if restored_without_optimizer(run):
        where.caption(
            f"This run came back from saved work with its weights but not {name}'s moving "
            f"averages: a step goes on from epoch {run.epochs_run} with the optimizer started "
            "afresh, so from there its numbers differ from a run trained without the break "
            "(and from the Keras program below, which trains without one).")
        return
    restart = optimizer_restart(run)
    if restart is not None:
        where.caption(
            f"This run's optimizer ({name}) started afresh after epoch {restart}, when the run "
            "came back from saved work; its numbers since differ from a run trained without "
            "the break.")


def step(run, arguments: dict, *, first: bool = False, epochs: int | None = None) -> bool:
    """Train `run` one step and make it the session's run. `first`: `run` is the untrained run
    (it joins the comparison as a new run). `epochs`: the page's Epochs, when it was raised
    after the run reached its end. Returns False after showing why it could not step."""
    s = st.session_state
    try:
        stepper = _stepper_for(run)
        if epochs is not None and epochs > run.settings.epochs:
            run.settings = dataclasses.replace(run.settings, epochs=epochs)
    except InputError as error:
        st.error(md_message(error))
        return False
    status = st.empty()
    pace = Throttle(PROGRESS_REDRAW_S)

    def on_epoch(epoch: int, history: dict) -> None:
        if pace.ready(force=False):  # drawing here is also where a click interrupts the step
            status.progress(min(1.0, epoch / run.settings.epochs),
                            text=f"Stepping: epoch {epoch} / {run.settings.epochs}")

    def on_wait(ahead: int, running: int) -> None:
        status.progress(0.0, text=f"Waiting for a turn: number {ahead + 1} in line, {running} "
                                  "training now on this server. The step starts by itself.")

    done = threading.Event()
    if not first:  # a first step's run is training_session's until it is kept
        s[STEPPING] = (run, done)
    try:
        if first:
            with training_session.training(run):
                _turn(stepper, arguments, on_epoch, on_wait)
        else:
            _turn(stepper, arguments, on_epoch, on_wait)
    except InputError as error:
        st.error(md_message(error))
        return False
    finally:
        done.set()
        s.pop(STEPPING, None)
    status.empty()
    if not first:
        _keep(run)
    return True


def continues(run, encoded, labels, settings, *, start: str) -> bool:
    """Whether a step on the Train page goes on with `run`: it was built from these reviews,
    this encoding and these settings (Epochs aside: raising it lets the run go further)."""
    return (run is not None and run.start == start and run.encoded.settings == encoded.settings
            and np.array_equal(run.encoded.padded, encoded.padded)
            and np.array_equal(run.labels, np.asarray(labels, dtype=run.labels.dtype))
            and dataclasses.replace(run.settings, epochs=settings.epochs) == settings
            and settings.epochs >= run.epochs_run)


def _turn(stepper, arguments, on_epoch, on_wait) -> None:
    with training_queue().turn(on_wait):
        stepper.step(on_epoch=on_epoch, **arguments)


def _stepper_for(run) -> Stepper:
    s = st.session_state
    stepper = s.get(STEPPER)
    if stepper is None or stepper.result is not run:
        stepper = s[STEPPER] = Stepper(run)  # raises InputError for a diverged run
    return stepper


def _keep(run) -> None:
    # A copy (same model, same arrays) is a new object, so the saved work sees a changed model.
    copy = dataclasses.replace(run)
    stepper = st.session_state.get(STEPPER)
    if stepper is not None and stepper.result is run:
        stepper.result = copy
    training_session.keep_step(copy)


def keep_saved() -> None:
    """After a step in a fragment (a rerun of part of a page, which skips the router's
    `persistence.work_kept`): keep the stepped run in the saved work, so that a refresh
    brings back this very step."""
    from ui import saved_work

    try:
        saved_work.keep()
    except StreamlitAPIException:  # its sidebar note, where a fragment may not write
        _log.exception("the saved-work note could not be shown after a step")


def last_report(run):
    """The last step's report when it was a step of `run`, else None."""
    stepper = st.session_state.get(STEPPER)
    if stepper is None or stepper.result is not run:
        return None
    return stepper.last_report


def what_changed(run, row_labels: list[str]) -> None:
    """The last step's change of every Embedding row, the ids in its batches, and why."""
    report = last_report(run)
    st.subheader("What changed in this step", divider="gray")
    if report is None:
        st.caption("Press a step button (1 batch, 1 epoch, …) to see which rows of the "
                   "Embedding table one step moves.")
        return
    st.info(md_message(explain(run.settings, report)))
    if report.note:
        st.caption(report.note)
    c1, c2, c3, c4 = st.columns(4)
    batches = f"{report.batches} batch{'es' if report.batches != 1 else ''}"
    c1.metric("Step", f"{report.epochs} epoch{'s' if report.epochs != 1 else ''}"
              if report.epochs else batches,
              help=f"{batches}: epochs {report.first_epoch} → "
                   f"{report.first_epoch + report.epochs}")
    c2.metric("Ids in its batches", f"{len(report.seen_ids):,}")
    c3.metric("Rows changed", f"{len(report.changed_ids):,}")
    c4.metric("Changed, not in a batch", f"{len(report.moved_unseen):,}")
    shown = slice(0, min(len(row_labels), MAX_HEATMAP_IDS))
    change = report.after[shown].astype(np.float64) - report.before[shown].astype(np.float64)
    st.plotly_chart(step_change_heatmap(change, row_labels[shown], seen_ids=report.seen_ids,
                                        title="change of each row in this step (after − before)"),
                    width="stretch", key=None)
    st.caption("● marks the ids that were in the step's batches. "
               + largest_change(report, row_labels)
               + (f" The heatmap shows the first {MAX_HEATMAP_IDS} ids." if len(row_labels)
                  > MAX_HEATMAP_IDS else ""))


def largest_change(report, row_labels: list[str]) -> str:
    """The sentence naming the row that moved most in the step, and in what unit."""
    moved = report.row_change  # per row: the Euclidean length (L2 norm) of after − before
    if not len(moved) or not moved.max():
        return "No row changed in this step."
    row = int(np.argmax(moved))
    return (f"Largest change of one row: id {row} ({md(row_labels[row])}), "
            f"{readable_number(float(moved[row]))}, the length (L2 norm) of its change "
            f"(after − before) over its {report.after.shape[1]} numbers.")
