"""Take the code home, as a student does: train on the Train page, download the Keras script,
run it at home (a new process, no project on its path), and read the page's numbers again."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.browser import AppPage

pytestmark = pytest.mark.browser


def test_the_downloaded_script_prints_the_pages_loss_and_accuracy(app: AppPage, tmp_path):
    app.open("train")
    with app.rerun_after(timeout=300):
        app.button("Train").click()
    app.wait(timeout=300)
    metrics = app.metrics()
    assert metrics["Epochs run"] == "100 / 100"
    button = app.page.get_by_text("Download as Keras script")
    button.scroll_into_view_if_needed()
    app.screenshot("take_home_train")
    with app.page.expect_download(timeout=60_000) as download:
        button.click()
    assert download.value.suggested_filename == "embedding_run.py"
    script = tmp_path / "embedding_run.py"
    download.value.save_as(script)
    app.assert_no_exception()

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    child = subprocess.run([sys.executable, str(script)], cwd=tmp_path, text=True,
                           capture_output=True, timeout=600,
                           env={**env, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert child.returncode == 0, child.stderr[-3000:]
    report = json.loads(child.stdout.strip().splitlines()[-1])
    assert f"{report['params']:,}" == metrics["Total params"]
    assert f"{report['final_loss']:.4f}" == metrics["Final loss"]
    assert f"{report['final_accuracy']:.2%}" == metrics["Final accuracy"]
