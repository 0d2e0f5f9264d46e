"""The app turns off Streamlit's per-run Keras clean-up and garbage collection (ui/server_tuning.py)."""

import tomllib
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
