"""The Room page in AppTest: a presenter starts a room, attendees join, bad input gets messages.

Each test has its own SQLite database (EXPLORER_DATABASE_URL in a temp folder); the page's
Store is a cached resource, cleared around each test. Sessions of one test share it, as the
sessions of one server do.
"""

from __future__ import annotations

import json
import re
import threading
import time

import pytest

from tests.apptest_helpers import (fresh_app, raw_texts, run_beside, session_run, texts,
                                   training_line_full, visit)
from ui import pages, room_state


@pytest.fixture(autouse=True)
def board_drawings_wait(monkeypatch):
    """A board redraw here waits for the drawing of new runs, as on a quiet server: these tests
    read the board right after a run (tests/test_kept.py has the drawing built behind)."""
    monkeypatch.setattr(room_state.DRAWINGS, "wait_seconds", 60)


@pytest.fixture(autouse=True)
def database(own_database):
    return own_database


def room_page(query: dict | None = None):
    at = fresh_app()
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return visit(at, pages.ROOM)


def start_room(*, sweep: tuple[str, str] | None = None, reviews: str | None = None,
               locked: bool = False):
    at = room_page()
    if reviews:
        at.radio(key="room_reviews").set_value(reviews)
    if locked:
        at.radio(key="room_locked").set_value("locked")
    if sweep:
        at.selectbox(key="room_start_sweep_field").set_value(sweep[0])
        at.text_input(key="room_start_sweep_values").set_value(sweep[1])
    at.button(key="room_start").click().run()
    assert not at.exception, at.exception
    return at


def code_and_key(presenter) -> tuple[str, str]:
    return tuple(presenter.session_state[room_state.PRESENTER])


def join(code: str, name: str, *, query: dict | None = None):
    at = room_page(query)
    at.text_input(key="room_join_code").set_value(code)
    at.text_input(key="room_join_name").set_value(name)
    at.button(key="FormSubmitter:room_join-Join").click().run()
    assert not at.exception, at.exception
    return at


def said(elements) -> str:
    """What a person reads: escapes shown as characters, bold marks gone."""
    return re.sub(r"(?<!\\)\*\*", "", raw_texts(elements)).replace("\\", "")


def shown_html(at) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def test_start_a_room_shows_code_link_and_qr_and_keeps_the_key_out_of_the_address():
    presenter = start_room()
    code, key = code_and_key(presenter)
    assert re.fullmatch(r"[A-HJKMNP-Z]{6}", code)
    page = shown_html(presenter)
    assert f">{code}</div>" in page and "font-size:min(7rem," in page
    # The link may wrap after a slash, never inside its room?room=CODE (no break-all).
    assert (f'localhost:8501/<wbr><span class="room-link-code" style="white-space:nowrap">'
            f"room?room={code}</span>") in page
    assert "http://<wbr>localhost" in page and "break-all" not in page
    assert key not in page
    assert len(presenter.get("imgs")) == 1 or len(presenter.get("image")) == 1
    # The presenter link, with the key, only in its own box; never in the address.
    links = [block.value for block in presenter.code]
    assert links == [f"http://localhost:8501/room?room={code}&presenter={key}"]
    assert key not in str(dict(presenter.query_params))
    assert "localhost" in said(presenter.warning)  # attendees could not open this link
    assert [m.value for m in presenter.metric] == ["0", "0", "0", "0"]
    assert "Nobody has joined yet" in said(presenter.info)


def test_an_attendee_joins_by_typed_code_and_is_told_what_is_shared():
    code, _ = code_and_key(start_room())
    attendee = join(code.lower(), "Ada")
    assert f"You joined room {code} as “Ada”" in said(attendee.info)
    assert f"You are in room {code}" in said(attendee.success)
    shared = said(attendee.info)
    assert "Your runs are shared with this room" in shared
    assert "Reviews you add yourself are never shown to anyone" in shared
    assert attendee.query_params[room_state.MEMBER_PARAM] == attendee.session_state[
        room_state.MEMBER]
    assert f"Room {code}" in said(attendee.sidebar.info)


def test_the_join_link_fills_in_the_code_and_a_sweep_gives_each_attendee_the_next_value():
    code, _ = code_and_key(start_room(sweep=("vocab_size", "20, 50")))
    values = []
    for name in ("Ann", "Bo", "Cy"):
        attendee = join(code, name, query={"room": code})
        values.append(attendee.session_state["encode_vocab_size"])
        assert "The room sweeps Vocabulary size; yours is " in said(attendee.markdown)
        assert "Your value in the sweep: Vocabulary size = " in said(attendee.sidebar.info)
    assert values == [20, 50, 20]
    link_page = room_page({"room": code})
    assert link_page.text_input(key="room_join_code").value == code


def test_the_room_reviews_and_settings_become_the_attendees():
    code, _ = code_and_key(start_room(reviews="Student feedback", locked=True))
    attendee = join(code, "Ada")
    assert "locked" in said(attendee.markdown)
    from explorer.reviews import load_sample

    assert attendee.session_state["reviews"]["text"].tolist() == load_sample(
        "Student feedback")["text"].tolist()


@pytest.mark.parametrize("code, message", [
    ("QQQQQQ", "No room has the code QQQQQQ"),
    ("hello world", "A room code is 6 letters"),
    ("", "A room code is 6 letters"),
])
def test_a_wrong_code_gets_a_message_and_what_was_typed_stays(code, message):
    start_room()
    at = join(code, "Ada")
    assert message in said(at.error)
    assert at.text_input(key="room_join_name").value == "Ada"
    assert at.text_input(key="room_join_code").value == code
    assert room_state.MEMBER not in at.session_state


def test_an_expired_room_says_so(monkeypatch):
    monkeypatch.setenv("EXPLORER_ROOM_HOURS", "0.0002")  # 0.72 s
    room_state.store.clear()
    code, _ = code_and_key(start_room())
    time.sleep(1.0)
    at = join(code, "Ada")
    assert f"Room {code} has expired" in said(at.error)


def test_a_forged_presenter_key_is_refused_and_the_page_offers_to_join():
    code, key = code_and_key(start_room())
    at = room_page({"room": code, "presenter": key[:-2] + "xx"})
    assert f"does not carry room {code}'s presenter key" in said(at.error)
    assert room_state.PRESENTER not in at.session_state
    assert at.text_input(key="room_join_code").value == code
    assert "presenter" not in dict(at.query_params)


def test_the_presenter_link_opens_the_board_on_another_computer_without_the_key_in_the_address():
    code, key = code_and_key(start_room())
    elsewhere = room_page({"room": code, "presenter": key})
    assert code_and_key(elsewhere) == (code, key)
    assert "presenter" not in dict(elsewhere.query_params)
    assert f">{code}</div>" in shown_html(elsewhere)


def test_a_name_of_ten_thousand_characters_is_cut_and_markup_shows_as_typed():
    code, _ = code_and_key(start_room())
    long = join(code, "A" * 10_000)
    assert "Names are at most 40 characters" in said(long.info)
    assert long.session_state[room_state.MEMBER]
    hostile = "**bold** <b>x</b> [link](http://evil.example) ![i](http://evil.example/i.png)"
    at = join(code, hostile)
    source = raw_texts(at.success)
    assert r"\*\*bold\*\* \<b\>x\</b\>" in source and "](http" not in source
    assert texts(at.success).count("**bold** <b>x</b>") == 1


def test_two_attendees_cannot_share_a_name():
    code, _ = code_and_key(start_room())
    join(code, "Ada")
    again = join(code, "ada")
    assert "already goes by “ada”" in said(again.error)


def test_the_presenter_changes_the_sweep_mid_room_and_attendees_keep_their_values():
    presenter = start_room(sweep=("vocab_size", "20, 50"))
    code, _ = code_and_key(presenter)
    first = join(code, "Ann")
    presenter.selectbox(key="room_change_sweep_field").set_value("epochs")
    presenter.text_input(key="room_change_sweep_values").set_value("5..15 step 5")
    presenter.button(key="room_change_sweep").click().run()
    assert not presenter.exception
    told = said(presenter.success)
    assert "next Epochs of 5, 10, 15" in told and "keep the values they were given" in told
    second = join(code, "Bo")
    assert second.session_state["train_epochs"] == 5
    first.run()
    assert first.session_state["encode_vocab_size"] == 20
    assert "Vocabulary size = 20" in said(first.sidebar.info)
    # A sweep that cannot be: a message in the controls' words, the room unchanged.
    presenter.text_input(key="room_change_sweep_values").set_value("5..x")
    presenter.button(key="room_change_sweep").click().run()
    assert not presenter.exception
    assert "must be numbers separated by commas" in said(presenter.error)


def test_leaving_the_room_keeps_the_work_and_ends_the_membership():
    code, _ = code_and_key(start_room())
    attendee = join(code, "Ada")
    attendee.button(key="room_leave").click().run()
    assert "You left the room" in said(attendee.info)
    assert room_state.MEMBER not in attendee.session_state
    assert room_state.MEMBER_PARAM not in dict(attendee.query_params)


def test_a_tampered_member_id_in_the_address_is_refused():
    code, _ = code_and_key(start_room())
    at = room_page({"member": "not-a-member-id"})
    assert "does not belong to anyone in a room" in said(at.info)
    assert room_state.MEMBER not in at.session_state


def test_the_presenter_ends_the_room_and_the_attendee_is_told():
    presenter = start_room()
    code, _ = code_and_key(presenter)
    attendee = join(code, "Ada")
    presenter.checkbox(key="room_end_confirm").check().run()
    presenter.button(key="room_end").click().run()
    assert not presenter.exception
    assert "This room has ended" in said(presenter.warning)
    # Nothing on the wall still invites people in, and nothing offers to end it again.
    assert not [e for e in presenter.main if type(e).__name__ == "Image"]  # the QR code
    assert not [b for b in presenter.button if b.key in ("room_end", "room_change_sweep")]
    assert [b.label for b in presenter.button if b.key == "room_stop_presenting"] == [
        "Leave the board"]
    attendee.run()
    assert f"Room {code} was ended by its presenter" in said(attendee.info)
    assert room_state.MEMBER not in attendee.session_state


def train(at) -> None:
    visit(at, pages.TRAIN)
    at.button(key="train_start").click().run()
    assert not at.exception, at.exception


def test_a_finished_run_goes_to_the_board_and_the_presenter_can_open_the_best_as_their_own():
    presenter = start_room(sweep=("epochs", "5, 10"))
    code, _ = code_and_key(presenter)
    ada = join(code, "Ada")
    train(ada)
    assert "Your run is on the room's board." in said(ada.sidebar.success)
    presenter.run()
    assert {m.label: m.value for m in presenter.metric}["Runs"] == "1"
    assert "Best run so far: Ada, Epochs 5, training accuracy" in said(presenter.success)
    # Training the same run again (a rerun, a second tab) keeps one row.
    ada.session_state[room_state.NOTE] = None
    from explorer.board import post_run

    again = post_run(room_state.store(), ada.session_state[room_state.MEMBER],
                     session_run(ada))
    assert again.note == "This run is on the board already."
    presenter.button(key="room_open_best").click().run()
    assert not presenter.exception
    assert "Opened Ada's run as your own" in said(presenter.info)
    assert session_run(presenter).epochs_run == 5
    assert presenter.session_state["train_epochs"] == 5


def test_while_new_runs_are_drawn_the_board_shows_the_last_drawing_then_the_new_one(monkeypatch):
    presenter = start_room(sweep=("epochs", "5, 10"))
    code, _ = code_and_key(presenter)
    ada = join(code, "Ada")
    train(ada)
    drawn_now, real = threading.Event(), room_state.drawing
    monkeypatch.setattr(room_state.DRAWINGS, "wait_seconds", 0.05)
    monkeypatch.setattr(room_state, "drawing",
                        lambda store, read: drawn_now.wait(30) and real(store, read))
    presenter.run()
    metrics = {m.label: m.value for m in presenter.metric}
    assert not presenter.exception
    assert (metrics["Attendees"], metrics["Runs"]) == ("1", "0")  # Ada is here, her run not drawn
    drawn_now.set()
    deadline = time.monotonic() + 30
    while metrics["Runs"] != "1" and time.monotonic() < deadline:
        time.sleep(0.05)
        metrics = {m.label: m.value for m in presenter.run().metric}
    assert metrics["Runs"] == "1"
    assert "Best run so far: Ada, Epochs 5" in said(presenter.success)


def test_a_locked_room_refuses_a_run_with_other_settings_with_a_message():
    code, _ = code_and_key(start_room(locked=True))
    ada = join(code, "Ada")
    visit(ada, pages.TRAIN)
    ada.session_state["train_epochs"] = 3
    train(ada)
    note = said(ada.sidebar.warning)
    assert "This room's settings are locked, and this run's differ: epochs" in note
    assert "your run stays on your Train page" in note
    assert session_run(ada).epochs_run == 3


def test_a_bad_sweep_value_leaves_the_lock_and_end_controls_in_place():
    presenter = start_room(sweep=("vocab_size", "20, 50"))
    presenter.selectbox(key="room_change_sweep_field").set_value("epochs")
    presenter.text_input(key="room_change_sweep_values").set_value("5..x")
    presenter.button(key="room_change_sweep").click().run()
    assert not presenter.exception
    assert "must be numbers separated by commas" in said(presenter.error)
    # The rest of the presenter's panel is still there, and still works.
    assert [t.key for t in presenter.toggle] == ["room_lock_toggle"]
    assert {b.key for b in presenter.button} >= {"room_end", "room_stop_presenting"}
    assert presenter.checkbox(key="room_end_confirm") is not None
    presenter.toggle(key="room_lock_toggle").set_value(True).run()
    assert not presenter.exception
    assert presenter.toggle(key="room_lock_toggle").value is True
    # What was typed is still in the box, to be corrected.
    assert presenter.text_input(key="room_change_sweep_values").value == "5..x"


def test_the_sweep_controls_show_the_sweep_the_room_runs():
    presenter = start_room(sweep=("vocab_size", "10..300 step 10"))
    assert presenter.selectbox(key="room_change_sweep_field").value == "vocab_size"
    assert presenter.text_input(key="room_change_sweep_values").value == "10..300 step 10"
    # After a change, the controls show the new sweep; with the sweep off, "No sweep".
    presenter.selectbox(key="room_change_sweep_field").set_value("learning_rate")
    presenter.text_input(key="room_change_sweep_values").set_value("0.001, 0.01")
    presenter.button(key="room_change_sweep").click().run()
    presenter.run()
    assert presenter.selectbox(key="room_change_sweep_field").value == "learning_rate"
    assert presenter.text_input(key="room_change_sweep_values").value == "0.001, 0.01"
    presenter.selectbox(key="room_change_sweep_field").set_value("")
    presenter.button(key="room_change_sweep").click().run()
    presenter.run()
    assert presenter.selectbox(key="room_change_sweep_field").value == ""
    assert "Sweep now: none" in said(presenter.caption)
    # A room started without a sweep says so in its controls too.
    plain = start_room()
    assert plain.selectbox(key="room_change_sweep_field").value == ""


def shown_cells(element):
    """A dataframe's cells as the page writes them (a Styler's display values, if any)."""
    import pyarrow as pa

    styler = element.proto.arrow_data.styler
    data = styler.display_values if styler.display_values else element.proto.arrow_data.data
    return pa.ipc.open_stream(data).read_pandas()


def board_tables(presenter) -> dict:
    return {key: shown_cells(presenter.dataframe[index])
            for index, key in enumerate(("members", "runs"))}


def test_a_run_without_a_validation_split_says_so_in_the_runs_table_not_none():
    presenter = start_room(sweep=("validation_split", "0, 0.2"))
    code, _ = code_and_key(presenter)
    for name in ("Ann", "Bo"):
        train(join(code, name))
    presenter.run()
    runs = board_tables(presenter)["runs"]
    by_name = dict(zip(runs["Name"], runs["Validation accuracy (%)"]))
    assert by_name["Ann"] == "no split"  # Ann's value is 0: no reviews held out
    assert re.fullmatch(r"\d+\.\d", by_name["Bo"]), by_name
    assert "None" not in runs.astype(str).to_numpy().ravel().tolist()
    for column in ("Training accuracy (%)", "Time (s)"):  # 5.0 beside 4.9, not 5
        assert all(re.fullmatch(r"\d+\.\d", v) for v in runs[column]), runs[column]


def test_the_runs_table_writes_its_percentages_and_times_with_one_decimal():
    presenter = start_room()
    code, _ = code_and_key(presenter)
    train(join(code, "Ann"))
    presenter.run()
    runs = presenter.dataframe[1]
    formats = {column: config.get("type_config", {}).get("format")
               for column, config in json.loads(runs.proto.columns).items()}
    assert formats["Training accuracy (%)"] == formats["Time (s)"] == "%.1f"
    assert "Validation accuracy (%)" not in shown_cells(runs)  # no split in this room: no column


def test_the_board_tells_an_attendee_waiting_for_a_turn_from_one_training():

    from explorer.board import board

    presenter = start_room()
    code, _ = code_and_key(presenter)
    ada = join(code, "Ada")
    visit(ada, pages.TRAIN)
    ada.number_input(key="train_epochs").set_value(3).run()
    with training_line_full() as release:  # other sessions train: the line is full
        pressed = threading.Thread(target=lambda: ada.button(key="train_start").click().run())
        pressed.start()

        def marks():
            members = board(room_state.store(), code).members
            return members["training"].tolist(), members["waiting"].tolist()

        deadline = time.monotonic() + 30
        while marks() != ([False], [True]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marks() == ([False], [True])  # pressed Train, but waits in line
        run_beside(presenter)
        metrics = {m.label: m.value for m in presenter.metric}
        assert (metrics["Training now"], metrics["Waiting"]) == ("0", "1")
        members = presenter.dataframe[0].value
        assert members["Now"].tolist() == ["waiting for a turn"]
        release.set()
    pressed.join(60)
    assert not ada.exception
    assert marks() == ([False], [False])  # trained, posted: neither
    presenter.run()
    assert {m.label: m.value for m in presenter.metric}["Runs"] == "1"


def test_an_ended_room_leaves_no_join_code_behind_for_its_presenter():
    code, key = code_and_key(start_room())
    presenter = room_page({"room": code, "presenter": key})  # the presenter link, elsewhere
    presenter.checkbox(key="room_end_confirm").check().run()
    presenter.button(key="room_end").click().run()
    assert "This room has ended" in said(presenter.warning)
    assert "room" not in dict(presenter.query_params)
    presenter.button(key="room_stop_presenting").click().run()
    assert not presenter.exception
    # The page offers to join or start a room, but not to join the one that just ended.
    assert presenter.text_input(key="room_join_code").value in ("", None)
