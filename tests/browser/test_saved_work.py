"""Runs that survive a refresh, in a real browser: train the tutorial, reload, it is all back.

The page address carries `work=` (ui/saved_work.py); the trained model and the runs come back
from the server's database after a reload, and after a server restart (a second server on the
same data folder). Screenshots: test-artifacts/saved-work-*.png.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser import AppPage
from tests.browser.conftest import app_location, start_server

pytestmark = pytest.mark.browser

TRAINING_TIMEOUT = 300.0


def work_param(app: AppPage) -> str | None:
    values = parse_qs(urlparse(app.page.url).query).get("work")
    return values[-1] if values else None


def train(app: AppPage, epochs: str) -> None:
    field = app.widget("train_epochs").locator("input")
    with app.rerun_after():
        field.fill(epochs)
        field.press("Enter")
    with app.rerun_after(timeout=TRAINING_TIMEOUT):
        app.widget("train_start").locator("button").click()
    app.wait_for_text(f"{epochs} / {epochs}", timeout=TRAINING_TIMEOUT)


def test_a_reload_and_a_server_restart_bring_back_the_model_and_runs(app: AppPage, new_app):
    app.timeout = 180.0  # a reload on a busy 2-core machine rebuilds the model in seconds
    app.open("train")
    assert work_param(app) is None  # nothing trained, nothing kept
    train(app, "100")
    train(app, "20")
    app.wait_for_text("Runs side by side")
    app.assert_no_exception()
    before = app.metrics()
    assert before["Epochs run"] == "20 / 20" and before["Final accuracy"]
    work_id = work_param(app)
    assert work_id and len(work_id) == 43, app.page.url
    app.screenshot("saved-work-before-refresh")

    started = time.perf_counter()
    app.page.reload(wait_until="domcontentloaded")
    app.wait_for_text("Runs side by side", timeout=180)
    took = time.perf_counter() - started
    app.assert_no_exception()
    after = app.metrics()
    print(f"reload to the runs back on screen: {took:.2f} s")
    assert after["Epochs run"] == "20 / 20"
    assert after["Final accuracy"] == before["Final accuracy"]
    assert "Press Train to start" not in app.text()
    assert work_param(app) == work_id
    app.screenshot("saved-work-after-refresh")

    app.navigate("weights")  # the restored model is the session's model on every page
    app.assert_no_exception()
    assert "No model yet" not in app.text()

    path = urlparse(app.page.url)
    with start_server(**app_location(), name="saved-work-restart") as restarted:
        other = new_app(base_url=restarted.base_url)
        other.timeout = 180.0  # its first restore imports TensorFlow
        other.open(f"train?{path.query}")
        other.wait_for_text("Runs side by side", timeout=120)
        other.assert_no_exception()
        assert other.metrics()["Final accuracy"] == before["Final accuracy"]
        other.screenshot("saved-work-after-server-restart")
