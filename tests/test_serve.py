"""ui.serve imports what the first page needs before the server answers (make run uses it)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# In a fresh interpreter: preload, note whether that imported TensorFlow, then run the first page
# as a new visitor would, and list the modules that run still had to import.
_PROBE = """
import json, sys
from ui import serve
missing = serve.preload()
tensorflow = "tensorflow" in sys.modules
before = set(sys.modules)
from streamlit.testing.v1 import AppTest
testing = set(sys.modules) - before
at = AppTest.from_file(str(serve.APP), default_timeout=120)
at.run()
late = sorted(set(sys.modules) - before - testing)
print(json.dumps({"missing": missing, "late": late, "exception": bool(at.exception),
                  "tensorflow": tensorflow}))
"""
HEAVY = ("pandas", "pyarrow", "numpy", "explorer", "ui", "plotly")


@pytest.fixture(scope="module")
def probe() -> dict:
    """What the probe above found, run once for this module's tests."""
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=REPO, capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_first_page_imports_nothing_heavy_after_preload(probe):
    assert probe["missing"] == [] and not probe["exception"]
    late = [name for name in probe["late"] if name.split(".")[0] in HEAVY]
    assert late == [], f"Imported only when the first visitor came: {late}"


def test_no_tensorflow_before_a_page_needs_it(probe):
    assert probe["tensorflow"] is False
