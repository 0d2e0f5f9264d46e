"""The session's training, owned here: the untrained run the Train page shows, the run being
trained, the hand-off when a click interrupts it, and the session's trained runs.

A run is one `TrainResult` (explorer.model), from the untrained model `prepare` builds to the
trained one; the UI calls it a run everywhere.

How a Stop works: any click while training (Stop, or another widget) makes Streamlit rerun the
page, which interrupts the script thread at its next drawing, inside `train`'s per-epoch hook.
`train` then keeps what was learnt up to the last whole epoch (its `finally`), and `training`
below marks the hand-off done. The rerun that follows starts at once, perhaps before that, so
`keep_interrupted` waits for the hand-off before it keeps the run with a note of where it
stopped.

Why the heavy values sit in a `Held` box: Streamlit keeps each session value of the last
finished run (`SessionState._old_state`) until the session's next rerun, so a run replaced by a
new one would keep its model, optimizer state and weight copies alive that long, one more model
per session (measured: three 5-million-weight models alive in a session that shows two). The box
stays the same object, so replacing what it holds lets go of the old run at once.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import streamlit as st

from ui import projection_state, room_state, server_tuning

RUN = "run"  # the session's trained run, which the Weights, Projection and Encode pages read
RUNS = "runs"  # the trained runs the Train page compares: label, history, final numbers
PREVIEW = "train_preview"  # (signature, untrained run) shown by the Train page
TRAINING = "training"  # the run training now, or None
DONE = "training_done"  # set (threading.Event) when that training has let go of its run

MAX_RUNS_KEPT = 10  # runs compared on the Train page; older ones are dropped
# The longest a page waits for an interrupted training to end its epoch.
HANDOFF_S = 60.0


class Held:
    """One session value Streamlit does not keep a second copy of (see above)."""

    __slots__ = ("value",)

    def __init__(self):
        self.value = None


def _held(key):
    held = st.session_state.get(key)
    return held.value if isinstance(held, Held) else None


def _hold(key, value) -> None:
    held = st.session_state.get(key)
    if not isinstance(held, Held):
        held = st.session_state[key] = Held()
    held.value = value


def current_run():
    """The session's trained run, or None."""
    return _held(RUN)


def compared_runs() -> list[dict]:
    return st.session_state.get(RUNS, [])


def untrained_run(signature, build):
    """The untrained run for `signature` (everything it is built from): `build()` once, then
    the same run on every rerun while the signature stays."""
    cached = _held(PREVIEW)
    if cached is None or cached[0] != signature:
        if cached is not None:
            _hold(PREVIEW, None)  # let go of the old one before building its successor
            server_tuning.model_dropped()  # the old untrained model is garbage now
        server_tuning.freeze_imports()  # once per process, before its first model
        cached = (signature, build())
        _hold(PREVIEW, cached)
    return cached[1]


@contextmanager
def training(run):
    """Around training `run` (the untrained run): it becomes the session's run when training
    ends, or, when a rerun interrupts it, on that rerun (`keep_interrupted`)."""
    s = st.session_state
    _hold(PREVIEW, None)  # it is about to learn; the next untrained run must start fresh
    done = threading.Event()  # set by this thread however its training ends
    s[TRAINING], s[DONE] = run, done
    room_state.training_started(done)  # a room's board shows who is training
    try:
        yield
    finally:
        done.set()
    s[TRAINING] = None
    keep_run(run)
    room_state.run_finished(run)  # an attendee's finished run goes to the room's board


def keep_interrupted() -> None:
    """After a click interrupted training: wait for the hand-off, then keep what it learnt as
    the session's run, saying where it stopped. Nothing to do otherwise."""
    s = st.session_state
    if s.get(TRAINING) is None:
        return
    run = s.pop(TRAINING)
    # With Streamlit's fast reruns this run starts while the interrupted one may still be ending
    # its epoch in another thread; wait until train() has let go of the run.
    done = s.pop(DONE, None)
    if done is not None:
        done.wait(timeout=HANDOFF_S)
    if run.epochs_run:  # train() already kept its weights, time and last snapshot
        run.stopped = run.stopped or (
            f"Training was stopped after epoch {run.epochs_run} of {run.settings.epochs}; "
            "the weights learnt so far are kept.")
        keep_run(run)
        room_state.run_finished(run)


def keep_run(run, *, only: bool = False) -> None:
    """Make `run` the session's trained run and add it to the runs to compare.

    `only=True` starts the comparison afresh, as when a workspace file replaces the session.
    """
    s = st.session_state
    if current_run() is not None:
        server_tuning.model_dropped()  # the old model is garbage once this run replaces it
    runs = [] if only else s.get(RUNS, [])
    runs.append({"label": run.label, "history": run.history, "final": run.final,
                 "epochs": run.epochs_run, "stopped": run.stopped})
    _hold(RUN, run)
    s[RUNS] = runs[-MAX_RUNS_KEPT:]
    projection_state.forget_model()


def keep_step(run) -> None:
    """After a step (ui/step_panel.py): `run`, a copy of the session's stepped run, becomes the
    session's run, and the run's row in the comparison shows where it got to (a new row when it
    is not the last one compared)."""
    s = st.session_state
    runs = list(s.get(RUNS, []))
    entry = {"label": run.label, "history": run.history, "final": run.final,
             "epochs": run.epochs_run, "stopped": run.stopped}
    if runs and runs[-1]["label"] == run.label:
        runs[-1] = entry
    else:
        runs.append(entry)
    _hold(RUN, run)
    s[RUNS] = runs[-MAX_RUNS_KEPT:]
    projection_state.forget_model()


def forget() -> None:
    """No trained run, none training, no untrained one kept: as a session that never trained
    (a workspace file without a model)."""
    s = st.session_state
    _drop_training()
    _hold(RUN, None)
    s[RUNS] = []


def replace(run) -> None:
    """`run` (e.g. a workspace file's) becomes the session's only run; any training is dropped."""
    _drop_training()
    keep_run(run, only=True)


def restore(run, runs: list[dict]) -> None:
    """A refresh's saved work (ui/saved_work.py): `run` (or None when it was not kept) becomes
    the session's run and `runs` the runs to compare, as they were before the refresh."""
    _drop_training()
    s = st.session_state
    if run is not None:
        keep_run(run, only=True)
    else:
        _hold(RUN, None)
    s[RUNS] = list(runs)[-MAX_RUNS_KEPT:]


def _drop_training() -> None:
    s = st.session_state
    s.pop(TRAINING, None)
    s.pop(DONE, None)
    _hold(PREVIEW, None)
