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
