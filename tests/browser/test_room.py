"""A workshop room in Chromium: a presenter and two attendees, each in a browser context of
their own, on one server. The attendees join by the link, train with their swept value, and
the presenter's board shows both runs without the presenter touching anything."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser import AppPage

pytestmark = pytest.mark.browser

TRAINING_TIMEOUT = 300.0


def start_room(presenter: AppPage, *, sweep: tuple[str, str] | None = None) -> str:
    """The presenter starts a room (optionally sweeping one setting); returns its code."""
    presenter.open("room")
    if sweep:
        label, values = sweep
        presenter.widget("room_start_sweep_field").locator("input").click()
        with presenter.rerun_after():
            presenter.page.get_by_role("option", name=label).click()
        field = presenter.widget("room_start_sweep_values").locator("input")
        field.fill(values)
        with presenter.rerun_after():
            field.press("Enter")
    with presenter.rerun_after():
        presenter.button("Start a room").click()
    presenter.page.locator("div.room-code").wait_for(timeout=60_000)
    presenter.wait()
    return presenter.page.locator("div.room-code").inner_text().strip()


def join_room(attendee: AppPage, code: str, name: str) -> None:
    """Open the join link, type a name, press Join."""
    attendee.open(f"room?room={code}")
    attendee.widget("room_join_name").locator("input").fill(name)
    with attendee.rerun_after():
        attendee.button("Join").click()
    attendee.wait_for_text(f"You are in room {code}")


def press_train(attendee: AppPage) -> None:
    attendee.navigate("train")
    attendee._run_count()  # install the run counter, as rerun_after does
    attendee.widget("train_start").locator("button").click()


def wait_for_metric(app: AppPage, label: str, value: str, timeout: float = 60.0) -> float:
    """Wait until the page shows metric `label` = `value` by itself; return the seconds."""
    started = time.monotonic()
    while app.metrics().get(label) != value:
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{label} stayed {app.metrics().get(label)!r}, not {value!r}, "
                                 f"for {timeout:.0f} s: {app.metrics()}")
        app.page.wait_for_timeout(200)
    return time.monotonic() - started


def test_a_presenter_sees_two_attendees_runs_on_the_board(new_app):
    presenter = new_app()
    code = start_room(presenter, sweep=("Vocabulary size", "20, 50"))
    assert re.fullmatch(r"[A-Z]{6}", code)
    attendees = {name: new_app() for name in ("Ada", "Grace")}
    for name, attendee in attendees.items():
        join_room(attendee, code, name)
    ada = attendees["Ada"]
    assert "Your runs are shared with this room" in ada.text()
    assert "yours is 20" in ada.text()
    assert "yours is 50" in attendees["Grace"].text()
    ada.screenshot("room-attendee")
    wait_for_metric(presenter, "Attendees", "2")

    for attendee in attendees.values():
        press_train(attendee)
    for attendee in attendees.values():
        attendee.wait_for_text("Final accuracy", timeout=TRAINING_TIMEOUT)
        attendee.assert_no_exception()
    assert "Your run is on the room's board." in ada.page.locator(
        '[data-testid="stSidebar"]').inner_text()

    seconds = wait_for_metric(presenter, "Runs", "2")
    presenter.wait()
    board = presenter.text()
    assert "Vocabulary size against accuracy" in board and "Loss curves" in board
    assert "Best run so far" in board
    runs = presenter.read_table(presenter.widget("room_board_runs"))
    assert sorted(runs["Name"]) == ["Ada", "Grace"]
    assert sorted(runs["Vocabulary size"]) == ["20", "50"]
    assert all(re.fullmatch(r"\d+(\.\d)?", v) for v in runs["Training accuracy (%)"])
    presenter.assert_no_exception()
    presenter.screenshot("room-presenter-board")
    print(f"\nroom: both runs on the board {seconds:.1f} s after the last attendee's finished")
