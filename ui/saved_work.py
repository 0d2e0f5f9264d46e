"""Runs that survive a refresh: the session's trained model and runs kept on the server.

The page address carries `work=<id>` beside `w=` (the reviews and settings, ui/persistence.py):
an unguessable id (explorer.store) under which the server's database keeps the trained model, as
a workspace file, and the runs the Train page compares. A refresh, a dropped connection or a
server restart starts a new session from the address, and `restore_once` brings the model and
the runs back. `keep` (called by `persistence.work_kept` before and after every page run) saves
them whenever the session's model or runs change.

A session only ever writes under an id it made itself: a session restored from an address (a
refresh, or a link someone shared) reads that work, and its first new run is saved under a new
id, so nobody overwrites work that is not theirs. Old work is cleaned up by
`explorer.store.cleanup` (run here at most once an hour per process).

The store (SQLAlchemy) is imported only when there is work to keep or an id to restore, so a
first visit stays light (tests/test_serve.py).
"""

from __future__ import annotations

import logging
import threading
import time

import streamlit as st

from ui import room_state, server_tuning, training_session
from ui.markup import md_message

PARAM = "work"
OWN = "saved_work_id"  # the id this session made and writes to
SHOWN = "saved_work_shown"  # the id in the address (ours, or the one restored from)
SAVED = "saved_work_saved"  # what was saved last: (run identity, the runs' labels and epochs)
STARTED = "saved_work_started"
NOTE = "saved_work_note"  # why the model is not kept on the server (too big), shown once
CLEANUP_EVERY_S = 3600

_log = logging.getLogger("embedding_explorer")
_cleanup_lock = threading.Lock()
_last_cleanup = [0.0]


def restore_once() -> None:
    """On a new session whose address has `work=`: bring back its trained model and runs.
    Called before every page run; later runs show why the model is not kept, if it is not."""
    s = st.session_state
    if s.get(STARTED):
        _show_note()
        return
    s[STARTED] = True
    given = st.query_params.get(PARAM)
    if not given:
        return
    from explorer.errors import InputError
    from explorer.store import load_work
    from explorer.workspace import restore_run

    started = time.perf_counter()
    try:
        saved = load_work(room_state.store(), given)
        run = None
        if saved.workspace is not None and saved.workspace.model is not None:
            with st.spinner("Bringing back your trained model…"):
                server_tuning.freeze_imports()  # once per process, before its first model
                run = restore_run(saved.workspace)
        _log.info("saved work restored in %.2f s", time.perf_counter() - started)
    except InputError as error:
        _drop_param()
        st.warning(md_message(f"{error}"), icon=":material/link_off:")
        return
    except Exception:  # a bug here must not cost the page; the reviews and settings are back
        _log.exception("restoring saved work failed")
        _drop_param()
        st.warning("Your trained model could not be brought back (the server log says why). "
                   "Your reviews and settings are kept; train again.", icon=":material/link_off:")
        return
    training_session.restore(run, saved.runs)
    s[SHOWN] = given
    s[SAVED] = _signature()
    if run is not None or saved.runs:
        what = "your trained model" if run is not None else "your runs (not the model)"
        count = len(training_session.compared_runs())
        st.toast(f"Brought back {what}: {count} run{'s' if count != 1 else ''} to compare.",
                 icon=":material/history:")


def keep() -> None:
    """Save the model and runs when they changed since the last save; keep `work=` in the address."""
    s = st.session_state
    signature = _signature()
    if signature != s.get(SAVED):
        _save(signature)
        _show_note()  # at once, when this run is the one that trained
    shown = s.get(SHOWN)
    if shown and st.query_params.get(PARAM) != shown:
        st.query_params[PARAM] = shown  # pages drop parameters they do not own


def _show_note() -> None:
    note = st.session_state.get(NOTE)
    if note:
        st.sidebar.warning(md_message(note), icon=":material/cloud_off:")


def work_id() -> str | None:
    """The id in the page address now (for tests and the Save & restore page)."""
    return st.session_state.get(SHOWN)


def _signature():
    run = training_session.current_run()
    runs = training_session.compared_runs()
    return (id(run) if run is not None else None,
            tuple((r.get("label"), r.get("epochs")) for r in runs))


def _save(signature) -> None:
    s = st.session_state
    run = training_session.current_run()
    runs = training_session.compared_runs()
    if run is None and not runs and not s.get(OWN):
        s[SAVED] = signature  # nothing to keep, and nothing kept before: no database needed
        if s.get(SHOWN):  # restored work whose runs this session has since let go of
            s[SHOWN] = None
            _drop_param()
        return
    from explorer.errors import InputError
    from explorer.store import LimitError, new_work, save_model, save_runs

    store = room_state.store()
    if run is None and not runs:
        save_model(store, s[OWN], None)
        save_runs(store, s[OWN], [])
        s[SHOWN] = None
        _drop_param()
        s[SAVED] = signature
        return
    if not s.get(OWN):
        s[OWN] = new_work(store)
        _cleanup_now_and_then(store)
    s[SHOWN] = s[OWN]
    model_changed = signature[0] != (s.get(SAVED) or (None,))[0]
    s[SAVED] = signature  # also when saving fails: one attempt, not one per rerun
    save_runs(store, s[OWN], [dict(r) for r in runs])
    if not model_changed:
        return
    s.pop(NOTE, None)
    try:
        save_model(store, s[OWN], None if run is None else _model_text(store, run))
    except (LimitError, InputError) as error:
        s[NOTE] = f"{error}"


def _model_text(store, run) -> str:
    from explorer.store import LimitError
    from ui import persistence

    weights = sum(w.size for w in run.model.get_weights()) * 4
    if weights > store.limits.max_model_bytes:  # known too big before spending time on it
        raise LimitError(
            f"The trained model takes about {weights / 2**20:,.0f} MB; the server keeps models of "
            f"up to {store.limits.max_model_bytes / 2**20:,.0f} MB, so a refresh will not bring it "
            "back. Keep it in a workspace file (Save & restore).")
    return persistence.workspace_bytes(include_model=True).decode("utf-8")


def _drop_param() -> None:
    if PARAM in st.query_params:
        del st.query_params[PARAM]


def _cleanup_now_and_then(store) -> None:
    """Old sessions' work and expired rooms go, at most once an hour per server process."""
    from explorer.store import cleanup

    with _cleanup_lock:
        if time.monotonic() - _last_cleanup[0] < CLEANUP_EVERY_S and _last_cleanup[0]:
            return
        _last_cleanup[0] = time.monotonic()
    try:
        cleanup(store)
    except Exception:  # cleaning up is housekeeping; a failure must not cost the page
        _log.exception("cleaning up old saved work failed")
