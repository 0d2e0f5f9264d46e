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


def test_the_join_link_never_breaks_inside_the_code_and_an_ended_room_invites_nobody(new_app):
    presenter = new_app()
    presenter.page.set_viewport_size({"width": 900, "height": 1000})  # a narrow wall
    code = start_room(presenter)
    presenter.screenshot("room-presenter-narrow")
    # The link's last part, room?room=CODE, is drawn on one line (one box), whole.
    boxes = presenter.page.locator("span.room-link-code").evaluate(
        "node => node.getClientRects().length")
    assert boxes == 1
    assert presenter.page.locator("span.room-link-code").inner_text() == f"room?room={code}"
    # The code and the link's end fit in their column: nothing runs under the QR code.
    for selector in ("div.room-code", "span.room-link-code"):
        overflow = presenter.page.locator(selector).evaluate(
            "node => node.getBoundingClientRect().right"
            " - node.closest('[data-testid=\"stColumn\"]').getBoundingClientRect().right")
        assert overflow <= 1, (selector, overflow)

    presenter.page.get_by_text("Change the room").click()
    with presenter.rerun_after():
        presenter.widget("room_end_confirm").locator("label").click()
    with presenter.rerun_after():
        presenter.button("End the room").click()
    presenter.wait_for_text("This room has ended")
    for moment in ("at once", "a board redraw or two later"):
        if moment != "at once":
            presenter.page.wait_for_timeout(3000)
        presenter.wait()
        text = presenter.text()
        presenter.screenshot("room-presenter-ended")
        for invitation in ("Join at", "Scan to join", "Join a room", "Room code",
                           "Change the room", "Start a room"):
            assert invitation not in text, (moment, invitation, text[:600])
    assert presenter.page.locator("div.room-code").count() == 0
    assert presenter.page.locator('[data-testid="stImage"]').count() == 0
    assert "Leave the board" in text and "The board" in text
    presenter.assert_no_exception()
