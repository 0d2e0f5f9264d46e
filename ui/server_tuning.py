"""A Streamlit default that costs every session on a shared server, turned off once per process.

After each script run Streamlit calls `keras.backend.clear_session()` once Keras is imported
(`script_runner._clean_problem_modules`). That runs a full garbage collection and empties
TensorFlow's kernel cache while holding the GIL: ~0.3-0.5 s in which no other session is
answered, after every rerun of every session (the Projection page's epoch slider took 0.6 s to
redraw, 0.01 s of it our code). Keras 3 keeps its model-building state per thread and Streamlit
starts a new thread for each run, so there is nothing left for it to clear. The app draws no
matplotlib figures, the hook's only other work. (`runner.postScriptGC = false` in
.streamlit/config.toml drops the other full collection Streamlit runs after each script.)
"""

from __future__ import annotations

import threading

from streamlit.runtime.scriptrunner import script_runner


def _no_cleanup() -> None:
    """Nothing of ours needs clearing between runs."""


def skip_keras_clear_session() -> bool:
    """Replace Streamlit's post-run cleanup; False when this Streamlit version has no such hook
    (then nothing is changed, and tests/test_server_tuning.py says so)."""
    if not hasattr(script_runner, "_clean_problem_modules"):
        return False
    script_runner._clean_problem_modules = _no_cleanup
    return True


# --- memory of replaced models and ended sessions ---------------------------------------------

SWEEP_EVERY_S = 10.0
_sweeper: list = []
_model_dropped = threading.Event()
_frozen: list = []


def freeze_imports() -> bool:
    """Once per process, after importing Keras: keep what is alive now out of every collection.

    A Keras model dies in reference cycles, so only the cyclic collector frees it, and with
    TensorFlow loaded each full collection walks ~360,000 objects: 0.2-0.3 s with the GIL held,
    the whole room waiting. `gc.freeze()` moves today's objects (the imported modules, almost
    all of them) to a generation the collector skips: a collection then takes ~0.03 s.
    Call it before the first model is built, so no model of a session is frozen with them.
    """
    import gc

    if _frozen:
        return False
    _frozen.append(True)
    import keras  # noqa: F401  (with its backend: the objects worth freezing)

    gc.collect()
    gc.freeze()
    quicker_switches()
    return True


SWITCH_INTERVAL_S = 0.001  # Python's default is 0.005


def quicker_switches() -> None:
    """Once Keras is loaded, trainings can run: have a thread that holds the GIL hand it on
    after 1 ms instead of 5. The server's own thread answers every browser, and it gives the
    GIL up at each read and write of a socket; each time it took the GIL back it waited up to
    5 ms behind a training (2 MB over HTTP beside two trainings: median 31 ms, 7 ms at 0.5 ms),
    which a new visitor's page, made of many files and messages, paid for seconds."""
    import sys

    sys.setswitchinterval(SWITCH_INTERVAL_S)


def model_dropped() -> None:
    """A session let go of a trained model (a new run replaced it): collect it soon.

    Without this each run of a 5-million-weight model left ~80-125 MB of cyclic garbage that
    Python's automatic collection reached only much later. The sweeper collects it off the
    page's thread, so the page that trained answers at once.
    """
    _model_dropped.set()


def sweep_ended_sessions() -> bool:
    """Start (once per process) a thread that gives dropped models' memory back to the system.

    Streamlit drops a closed tab's session state after `server.disconnectedSessionTTL`, but with
    the post-script collection off (see above) its models can wait in reference cycles, and the
    C allocator keeps freed pages. When the number of sessions has fallen or a session dropped a
    model (`model_dropped`), the thread drops ended sessions' lazy downloads, collects cycles and
    asks glibc to return free pages (malloc_trim). Otherwise it sleeps, so it costs the room nothing while everyone works.
    """
    if _sweeper:
        return False
    thread = threading.Thread(target=_sweep_forever, name="explorer-sweeper", daemon=True)
    _sweeper.append(thread)
    thread.start()
    return True


def _sweep_forever() -> None:
    seen, sweeps_left = 0, 0
    while True:
        dropped = _model_dropped.wait(SWEEP_EVERY_S)
        _model_dropped.clear()
        try:
            count = _session_count()
        except Exception:  # no runtime (tests, bare mode): only dropped models to sweep
            count = seen
        if dropped or count < seen:
            # Now and on the next tick: a dropped run is still held by its page's lazy downloads
            # until that script run ends, and a session leaves the list before it is torn down.
            sweeps_left = 2
        if sweeps_left:
            sweeps_left -= 1
            drop_ended_sessions_downloads()
            release_memory()
        seen = count


def _session_count() -> int:
    from streamlit.runtime import Runtime

    return len(Runtime.instance()._session_mgr.list_sessions())


def drop_ended_sessions_downloads() -> None:
    """Let go of the download buttons' callables of sessions that have ended.

    A download built lazily (`st.download_button(data=callable)`) keeps its callable, and with it
    the run it closes over, in Streamlit's media file manager while a session refers to it. A
    closed tab's session is kept for `disconnectedSessionTTL` and then dropped from storage
    without being shut down, so its references are never cleared: each closed tab kept its runs'
    models alive for good (probe on the server: two 5-million-weight models after the tab closed,
    held by TrainResult <- closure <- MediaFileManager._deferred_callables). Here the references
    of every session no longer listed are cleared and the orphans swept.
    """
    from streamlit.runtime import Runtime

    try:
        runtime = Runtime.instance()
        live = {info.session.id for info in runtime._session_mgr.list_sessions()}
        manager = runtime.media_file_mgr
        for session_id in list(manager._files_by_session_and_coord):
            if session_id not in live:
                manager.clear_session_refs(session_id)
        manager.remove_orphaned_files()
    except Exception:  # no runtime (tests, bare mode), or a Streamlit that changed these names
        pass


def release_memory() -> None:
    """Collect reference cycles, then return the allocator's free pages to the system."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): the collection is what we can do
        pass
