"""Runs that survive a refresh (ui/saved_work.py): AppTest sessions sharing one server database.

A refresh is a new AppTest started from the first one's page address.
"""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import APP, TIMEOUT, fresh_app, session_run, texts, visit
from ui import pages


@pytest.fixture(autouse=True)
def database(own_database):
    """Each test its own SQLite database."""
    return own_database


def refresh(at: AppTest, page=pages.TRAIN) -> AppTest:
    """A new session from the same address, as a browser refresh (or a server restart) makes."""
    again = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in at.query_params.items():
        again.query_params[key] = value[0] if isinstance(value, list) else value
    again.run()
    assert not again.exception, again.exception
    again.first_toasts = [t.value for t in again.toast]  # what the refresh's first run said
    return visit(again, page)


def trained(epochs: int = 5) -> AppTest:
    at = visit(fresh_app(), pages.TRAIN)
    at.number_input(key="train_epochs").set_value(epochs).run()
    at.button(key="train_start").click().run()
    assert not at.exception, at.exception
    return at


def test_a_refresh_brings_back_the_trained_model_and_the_runs():
    at = trained()
    at.button(key="train_start").click().run()  # a second run, to compare
    work_id = at.query_params["work"]
    assert len(work_id) == 43
    again = refresh(at)
    assert again.first_toasts == ["Brought back your trained model: 2 runs to compare."]
    run, before = session_run(again), session_run(at)
    for mine, theirs in zip(run.model.get_weights(), before.model.get_weights()):
        np.testing.assert_array_equal(mine, theirs)
    assert run.history == before.history and run.label == before.label
    assert [r["label"] for r in again.session_state["runs"]] == [
        r["label"] for r in at.session_state["runs"]]
    assert again.session_state["runs"][0]["final"] == at.session_state["runs"][0]["final"]
    assert "Runs side by side" in [h.value for h in again.subheader]
    assert again.query_params["work"] == work_id  # the address keeps it


def test_the_restored_model_reaches_the_other_pages():
    again = refresh(trained(), pages.WEIGHTS)
    assert again.dataframe[0].value.shape == (50, 2 + 8)


def test_a_restored_session_saves_its_next_run_under_its_own_id():
    at = trained()
    shared = at.query_params["work"]
    other = refresh(at)  # someone opening a shared link
    other.button(key="train_start").click().run()
    assert not other.exception
    assert other.query_params["work"] != shared
    assert len(refresh(at).session_state["runs"]) == 1  # the first session's work is untouched


@pytest.mark.parametrize("tampered", ["x" * 43, "not-an-id", "'; DROP TABLE work; --"])
def test_a_tampered_work_id_says_so_and_keeps_the_settings(tampered):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["work"] = tampered
    at.run()
    assert not at.exception
    assert "The saved work this page address points to is not on this server" in texts(at.warning)
    assert "work" not in at.query_params
    assert at.session_state["reviews"].shape[0] == 10


def test_a_session_that_never_trained_uses_no_database(database):
    at = visit(fresh_app(), pages.TRAIN)
    assert "work" not in at.query_params
    assert not (database / "explorer.sqlite3").exists()


def test_a_workspace_file_opened_is_kept_and_a_refresh_brings_it_back():
    from tests.test_persistence import upload, work_file

    content = work_file(trained(epochs=3))
    at = upload(fresh_app(), content, "mine.json")
    assert "work" in at.query_params
    again = refresh(at)
    assert session_run(again).epochs_run == 3 and len(again.session_state["runs"]) == 1


def test_a_model_too_big_for_the_server_says_so_and_the_runs_are_kept(monkeypatch):
    monkeypatch.setenv("EXPLORER_MAX_MODEL_MB", "0.001")  # 1 KB: the tutorial model is 1.7 KB
    at = trained()
    at.run()
    assert "so a refresh will not bring it back" in texts(at.sidebar.warning)
    again = refresh(at)
    assert session_run(again) is None
    assert len(again.session_state["runs"]) == 1
