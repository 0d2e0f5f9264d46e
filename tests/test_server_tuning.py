"""The app turns off Streamlit's per-run Keras clean-up and garbage collection (ui/server_tuning.py)."""

import gc
import json
import subprocess
import sys
import time
import tomllib
import weakref
from pathlib import Path

from streamlit.runtime.scriptrunner import script_runner

from tests.apptest_helpers import fresh_app
from ui import server_tuning

REPO = Path(__file__).resolve().parent.parent


def test_streamlit_still_has_the_hook_we_replace():
    # If an upgrade renames it, every rerun pays for keras.backend.clear_session() again.
    assert hasattr(script_runner, "_clean_problem_modules")


def test_the_app_replaces_the_keras_clean_up():
    fresh_app()
    assert script_runner._clean_problem_modules is server_tuning._no_cleanup


def test_no_full_collection_after_each_run():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_the_sweeper_starts_once_and_releasing_memory_is_safe_anywhere():
    from ui import server_tuning

    server_tuning.release_memory()  # glibc or not, it must not raise
    first = server_tuning.sweep_ended_sessions() or bool(server_tuning._sweeper)
    assert first and server_tuning.sweep_ended_sessions() is False
    assert server_tuning._sweeper[0].daemon and server_tuning._sweeper[0].is_alive()


def test_a_dropped_model_is_collected_by_the_sweeper_soon_and_not_before():
    from ui import server_tuning

    class Model:  # a reference cycle, as a Keras model is: only the cyclic collector frees it
        def __init__(self):
            self.me = self

    server_tuning.sweep_ended_sessions()
    gc.disable()  # so that only the sweeper can collect it here
    try:
        model = Model()
        alive = weakref.ref(model)
        del model
        time.sleep(0.3)
        assert alive() is not None  # nobody said it was dropped: nothing collects it
        server_tuning.model_dropped()
        deadline = time.monotonic() + 10
        while alive() is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert alive() is None
    finally:
        gc.enable()


FREEZE_THEN_TRAIN = """
import gc, json, weakref
from ui import server_tuning
first, again = server_tuning.freeze_imports(), server_tuning.freeze_imports()
frozen = gc.get_freeze_count()
import keras
model = keras.Sequential([keras.Input((3,)), keras.layers.Embedding(10, 2)])
model(keras.ops.zeros((1, 3), dtype="int32"))
alive = weakref.ref(model)
del model
server_tuning.release_memory()
print(json.dumps({"first": first, "again": again, "frozen": frozen, "freed": alive() is None}))
"""


def test_imports_are_frozen_once_and_a_model_built_after_is_still_freed():
    out = subprocess.run([sys.executable, "-c", FREEZE_THEN_TRAIN], cwd=REPO, check=True,
                         capture_output=True, text=True, timeout=120).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["first"] is True and result["again"] is False
    assert result["frozen"] > 100_000  # Keras and TensorFlow's objects, skipped by collections
    assert result["freed"] is True


def test_an_ended_sessions_lazy_download_lets_go_of_its_run(monkeypatch):
    """A download button's callable (st.download_button(data=lambda: ...)) closes over the run.
    A closed tab's session expires from Streamlit's storage without a shutdown, so its file
    references, and the callable, stay; the sweeper's call clears them. Another session's stays."""
    import types

    from streamlit.runtime import Runtime, media_file_manager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    class Run:  # stands for a TrainResult and its model
        pass

    manager = media_file_manager.MediaFileManager(MemoryMediaFileStorage("/media"))
    open_tab = types.SimpleNamespace(session=types.SimpleNamespace(id="open-tab"))
    runtime = types.SimpleNamespace(media_file_mgr=manager, _session_mgr=types.SimpleNamespace(
        list_sessions=lambda: [open_tab]))
    monkeypatch.setattr(Runtime, "instance", lambda: runtime)
    alive = {}
    for session_id in ("closed-tab", "open-tab"):
        monkeypatch.setattr(media_file_manager, "_get_session_id", lambda s=session_id: s)
        run = Run()
        alive[session_id] = weakref.ref(run)
        manager.add_deferred(lambda run=run: b"weights", "text/csv", f"{session_id}.download")
    del run
    gc.collect()
    server_tuning.release_memory()
    assert alive["closed-tab"]() is not None  # Streamlit still holds it: what the sweeper is for
    server_tuning.drop_ended_sessions_downloads()
    gc.collect()
    assert alive["closed-tab"]() is None
    assert alive["open-tab"]() is not None  # a live session's download still works
