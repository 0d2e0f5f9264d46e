"""The session's place in a workshop room, owned here: as an attendee or as the presenter.

Keys (all `room_`): MEMBER, the attendee's member id (explorer.room: unguessable, the only
thing that lets a browser post as that attendee); PRESENTER, the (code, presenter key) this
session started or opened; NOTE, what became of the last run posted. The Room page
(views/room.py) draws; the Train page's finished runs reach the room through
`training_started` and `run_finished`, which ui/training_session.py calls; app.py calls
`keep_in_address` on every run and `sidebar_note` for the room's line in the menu.

The member id is kept in the page address (`member=`), so a refresh on any page keeps the
attendee in the room. The presenter key never stays in the address: the presenter's screen is
on the wall, and anyone who reads the key could end the room; the page shows the presenter
link to keep instead.

The store and room modules (SQLAlchemy) are imported only when a room is used, so the first
page of a visitor who never opens the Room page stays light (tests/test_serve.py).
"""

from __future__ import annotations

import logging
import threading

import streamlit as st

from explorer.kept import Kept

MEMBER = "room_member"
PRESENTER = "room_presenter"
NOTE = "room_note"
MESSAGE = "room_message"  # a message for the Room page's next run (joined, left, ended)
MEMBER_PARAM = "member"
ROOM_PARAM = "room"
KEY_PARAM = "presenter"
BEAT_SECONDS = 60.0  # "training" on the board is renewed this often (room.TRAINING_BEAT_SECONDS)
# How long a board redraw waits for the drawing of new runs before it shows the last one (the
# next redraw, BOARD_EVERY_S later, shows the new). Not at all: a wait of 0.25 s was spent in
# the very redraws that also hand the page new charts, the slowest ones (2026-12-03, a quiet
# board in Chromium gaining a run every 3 s: those redraws' median 0.22 s, 0.12 s without it).
DRAWING_WAIT_S = 0.0

_log = logging.getLogger("embedding_explorer")


@st.cache_resource(show_spinner=False)
def store():
    """The server's database (explorer.store.Store: SQLite file, or EXPLORER_DATABASE_URL)."""
    from explorer.store import Store

    return Store()


# --- the presenter's board -----------------------------------------------------------------------

# (database, room code) -> (the reading drawn, runs table, figures): built again only when the
# runs change, and then behind the redraw (explorer/kept.py says why). Here, not in the page's
# script, which runs afresh on each page run: so this process's presenters share it.
DRAWINGS = Kept(wait_seconds=DRAWING_WAIT_S)


def drawn(store, read):
    """(the room reading drawn, its runs table, its board's figures) for room reading `read`,
    or for an earlier reading while `read`'s drawing is built."""
    return DRAWINGS.get((store.url, read.room.code), read.version,
                        lambda: drawing(store, read))[1]


def drawing(store, read):
    """The drawing of room reading `read` (None and no figures before its first run)."""
    from explorer.board import board_of
    from explorer.room_charts import board_figures, runs_table

    if not read.run_ids:
        return read, None, {}
    now = board_of(store, read)
    return read, runs_table(now.runs, now.room.sweep.label if now.room.sweep else None), \
        board_figures(now)


# --- attendee -------------------------------------------------------------------------------------

def member_id() -> str | None:
    return st.session_state.get(MEMBER)


def membership():
    """This session's `explorer.room.Membership`, or None. A room that ended or expired, or an
    id no longer in the room, ends the membership with a message for the Room page."""
    from explorer.store import StoreError
    from explorer.room import member

    identifier = member_id()
    if identifier is None:
        return None
    try:
        return member(store(), identifier)
    except StoreError as error:
        _forget_member(str(error))
        return None


def join(code, name):
    """Join room `code` as `name`; the room's reviews and settings (with this attendee's swept
    value) become the session's. Returns (membership, sentence about what was loaded).

    Raises:
        StoreError, InputError: with the message to show; nothing in the session changed.
    """
    from explorer.room import join_room

    joined = join_room(store(), code, name)
    st.session_state[MEMBER] = joined.member_id
    st.query_params[MEMBER_PARAM] = joined.member_id
    return joined, load_setup(joined)


def load_setup(joined) -> str:
    """Put the room's reviews and settings (the attendee's version) into the session."""
    from explorer.workspace import workspace_to_json
    from ui import persistence

    setup = joined.setup
    text = workspace_to_json(reviews=setup.reviews, class_names=setup.class_names,
                             encode_settings=setup.encode_settings,
                             model_settings=setup.model_settings,
                             embedding_start=setup.embedding_start)
    return persistence.open_workspace(text.encode("utf-8"))


def leave() -> None:
    """Leave the room; the session keeps its reviews, settings and model."""
    from explorer.store import StoreError
    from explorer.room import leave_room

    identifier = member_id()
    if identifier is not None:
        try:
            leave_room(store(), identifier)
        except StoreError:
            pass  # already gone: leaving is done either way
    _forget_member("You left the room. Your reviews, settings and model stay yours here; "
                   "runs you posted stay on the room's board.")


def _forget_member(message: str) -> None:
    s = st.session_state
    s.pop(MEMBER, None)
    s.pop(NOTE, None)
    s[MESSAGE] = message
    if MEMBER_PARAM in st.query_params:
        del st.query_params[MEMBER_PARAM]


def keep_in_address() -> None:
    """Every run: a new session whose address has `member=` rejoins that membership; a member
    session keeps `member=` in the address (pages drop parameters they do not own)."""
    s = st.session_state
    given = st.query_params.get(MEMBER_PARAM)
    identifier = s.get(MEMBER)
    if identifier is None and given:
        from explorer.room import member
        from explorer.store import StoreError

        try:
            member(store(), given)
        except StoreError as error:
            s[MESSAGE] = str(error)
            del st.query_params[MEMBER_PARAM]
            return
        s[MEMBER] = identifier = given
    if identifier is not None and given != identifier:
        st.query_params[MEMBER_PARAM] = identifier


def training_started(done: threading.Event) -> None:
    """The session starts training: show the attendee as waiting in the server's line, then as
    training once their turn comes (explorer.turns.on_next_turn: this is the thread that takes
    it), until `done` is set. The mark is renewed every BEAT_SECONDS (a browser closed
    mid-training never says it stopped)."""
    identifier = member_id()
    if identifier is None:
        return
    from explorer.room import set_training, set_waiting
    from explorer.turns import on_next_turn

    database = store()
    now = {"training": False}

    def mark() -> None:
        if now["training"]:
            set_training(database, identifier, True)
        else:
            set_waiting(database, identifier)

    def turn_taken() -> None:
        now["training"] = True
        try:
            mark()
        except Exception:  # the board's mark is a nicety; training goes on regardless
            _log.exception("marking a room member as training failed")

    try:
        mark()
    except Exception:
        _log.exception("marking a room member as waiting failed")
        return
    on_next_turn(turn_taken)

    def beat() -> None:
        while not done.wait(BEAT_SECONDS):
            try:
                mark()
            except Exception:
                return
        try:
            set_training(database, identifier, False)
        except Exception:
            pass

    threading.Thread(target=beat, name="room-training-beat", daemon=True).start()


def run_finished(run) -> None:
    """A training ended (completed or stopped): post the run to the attendee's room. What
    happened is kept in NOTE for the sidebar; a refusal never interrupts the Train page."""
    identifier = member_id()
    if identifier is None:
        return
    from explorer.board import post_run
    from explorer.errors import InputError

    try:
        posted = post_run(store(), identifier, run)
    except InputError as error:
        st.session_state[NOTE] = ("warning", str(error))
        return
    except Exception:
        _log.exception("posting a run to a room failed")
        st.session_state[NOTE] = ("warning", "This run could not be posted to the room; it "
                                  "stays on your Train page. Train again to post another.")
        return
    st.session_state[NOTE] = ("success", " ".join(
        part for part in ("Your run is on the room's board.", posted.note) if part))


# --- presenter ------------------------------------------------------------------------------------

def presenter() -> tuple[str, str] | None:
    """(code, presenter key) of the room this session presents, or None."""
    return st.session_state.get(PRESENTER)


def become_presenter(code: str, key: str) -> None:
    st.session_state[PRESENTER] = (code, key)


def stop_presenting() -> None:
    st.session_state.pop(PRESENTER, None)


# --- every page -----------------------------------------------------------------------------------

def sidebar_note() -> None:
    """The room's line in the menu: which room, that runs are shared, the swept value, and what
    became of the last run posted. Nothing for a session outside any room."""
    if member_id() is None:
        return
    from ui.markup import md

    joined = membership()
    if joined is None:
        return
    from explorer.room_charts import value_text
    from explorer.sweep import SWEEPABLE

    with st.sidebar:
        text = f"**Room {joined.room.code}** as {md(joined.name)}: your runs are shared."
        if joined.sweep_field:
            text += (f" Your value in the sweep: **{md(SWEEPABLE[joined.sweep_field][1])} = "
                     f"{md(value_text(joined.sweep_value))}**.")
        st.info(text, icon=":material/groups:")
        kind, note = st.session_state.get(NOTE, (None, None))
        if note:
            (st.success if kind == "success" else st.warning)(md(note))
