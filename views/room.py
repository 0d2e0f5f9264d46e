"""Room: a workshop's shared board. The presenter starts a room and shows its code, link and QR
code; attendees join with a name, train with the room's reviews and settings, and every run
they finish appears on the presenter's board, which redraws itself every couple of seconds."""

from __future__ import annotations

import html
from urllib.parse import urlencode, urlsplit

import streamlit as st

from explorer.errors import InputError
from explorer.reviews import DEFAULT_CLASS_NAMES, load_sample, sample_files
from explorer.sweep import SWEEPABLE
from ui import pages, room_state
from ui.markup import md, md_message

BOARD_EVERY_S = 2  # the board's redraw interval
NO_SWEEP = ""
MY_TABLE = "The table I have"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")
SHARED = ("each run's settings, its loss and accuracy curves and final numbers, and your "
          "model's vectors of the room's {n} words. Reviews you add yourself are never shown to "
          "anyone; a run trained with reviews of your own shares no model.")


def render() -> None:
    st.title("Room")
    message = st.session_state.pop(room_state.MESSAGE, None)
    if message:
        st.info(md_message(message), icon=":material/info:")
    adopt_presenter_link()
    presenting = room_state.presenter()
    if presenting is not None:
        presenter_view(*presenting)
        return
    joined = room_state.membership()
    if joined is not None:
        attendee_view(joined)
        return
    st.caption("A workshop's shared board. The presenter starts a room; everyone joins with its "
               "code and a name (no account), trains as usual, and every finished run appears on "
               "the presenter's board beside everyone else's.")
    join_col, start_col = st.columns(2, gap="large")
    with join_col:
        join_form()
    with start_col:
        start_form()


# --- links ------------------------------------------------------------------------------------

def origin() -> str:
    """scheme://host:port the browser used to reach this page (localhost in tests)."""
    url = st.context.url or "http://localhost:8501/room"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def room_link(code: str, key: str | None = None) -> str:
    params = {room_state.ROOM_PARAM: code} | ({room_state.KEY_PARAM: key} if key else {})
    return f"{origin()}/{pages.ROOM.url_path}?{urlencode(params)}"


def link_html(link: str) -> str:
    """The join link for the wall, which may wrap after a slash but never inside its last
    part, `room?room=CODE` (with break-all the code was split over two lines)."""
    scheme, _, rest = link.rpartition("://")
    head, _, tail = rest.rpartition("/")
    breaks = "/<wbr>".join(html.escape(part) for part in head.split("/"))
    return (f'{html.escape(scheme)}://<wbr>{breaks}/<wbr><span class="room-link-code" '
            f'style="white-space:nowrap">{html.escape(tail)}</span>')


def adopt_presenter_link() -> None:
    """A presenter link opened: check its key, keep it in the session, and take it out of the
    address (the presenter's screen is on the wall)."""
    params = st.query_params
    key = params.get(room_state.KEY_PARAM)
    if key is None:
        return
    del params[room_state.KEY_PARAM]
    from explorer.room import check_presenter
    from explorer.store import StoreError

    try:
        room = check_presenter(room_state.store(), params.get(room_state.ROOM_PARAM, ""), key)
    except StoreError as error:
        st.error(md_message(error), icon=":material/key_off:")
        return
    room_state.become_presenter(room.code, key)


# --- an attendee ------------------------------------------------------------------------------

def join_form() -> None:
    st.subheader("Join a room", divider="gray")
    given = st.query_params.get(room_state.ROOM_PARAM)
    if given and "room_join_code" not in st.session_state:
        st.session_state.room_join_code = given[:20]
    with st.form("room_join", border=False):
        st.text_input("Room code", key="room_join_code", placeholder="KPTWXZ",
                      help="The six letters on the presenter's screen.")
        st.text_input("Your name", key="room_join_name", placeholder="Ada",
                      help="Shown on the board next to your runs. Any name; no account is made.")
        st.caption("When you join, your runs are shared with this room: "
                   + SHARED.format(n="most frequent"))
        pressed = st.form_submit_button("Join", type="primary", icon=":material/login:")
    if pressed:
        join(st.session_state.room_join_code, st.session_state.room_join_name)


def join(code: str, name: str) -> None:
    try:
        joined, loaded = room_state.join(code, name)
    except InputError as error:  # every room and store refusal; what was typed stays
        st.error(md_message(error), icon=":material/error:")
        return
    notes = " ".join(joined.notes)
    st.session_state[room_state.MESSAGE] = (
        f"You joined room {joined.room.code} as “{joined.name}”. {notes} Loaded the room's "
        f"{loaded}")
    st.rerun()


def attendee_view(joined) -> None:
    from explorer.room_charts import value_text

    room = joined.room
    st.success(f"You are in room **{room.code}** ({md(room.title)}) as **{md(joined.name)}**.",
               icon=":material/groups:")
    st.info("**Your runs are shared with this room:** " + SHARED.format(n=len(room.words)),
            icon=":material/visibility:")
    if joined.sweep_field:
        label = SWEEPABLE[joined.sweep_field][1]
        value = md(value_text(joined.sweep_value))
        st.markdown(f"The room sweeps **{md(label)}**; yours is **{value}**"
                    " (already set for you). Keep it, so that your run is "
                    "this value's point on the board.")
    st.markdown("The room's settings are **locked**: runs with other settings are not posted."
                if room.locked else
                "The room's settings are **suggested**: change them if you like; every run you "
                "finish is posted with the settings it used.")
    kind, note = st.session_state.get(room_state.NOTE, (None, None))
    if note:
        (st.success if kind == "success" else st.warning)(md_message(note))
    pages.link(pages.TRAIN, "Next: train with the room's settings")
    reload_col, leave_col, _ = st.columns([2, 1, 2])
    if reload_col.button("Load the room's reviews and settings again", key="room_reload",
                         width="stretch"):
        st.session_state[room_state.MESSAGE] = "Loaded " + room_state.load_setup(joined)
        st.rerun()
    if leave_col.button("Leave the room", key="room_leave", icon=":material/logout:"):
        room_state.leave()
        st.rerun()


# --- the presenter ----------------------------------------------------------------------------

def start_form() -> None:
    from ui import persistence

    s = st.session_state
    st.subheader("Start a room", divider="gray")
    st.caption("For the presenter: the room gets a code, a join link and a QR code to show.")
    choices = list(sample_files()) + [MY_TABLE]
    st.radio("The room's reviews", choices, key="room_reviews", horizontal=True,
             format_func=lambda c: f"{c} ({len(s.reviews)} reviews)" if c == MY_TABLE else c)
    settings = persistence.current_settings()
    e, m = settings["encode_settings"], settings["model_settings"]
    st.caption(f"The room starts from your settings now: {e['method']} encoding, vocabulary "
               f"{e['vocab_size']}, max length {e['max_length']}, output dimension "
               f"{m['output_dim']}, {m['epochs']} epochs, {m['head']} head (change them on the "
               "Encode and Train pages first).")
    st.radio("Settings in the room", ["suggested", "locked"], key="room_locked", horizontal=True,
             format_func={"suggested": "Suggested (attendees may change them)",
                          "locked": "Locked (runs with other settings are refused)"}.get)
    sweep_inputs("room_start")
    if st.button("Start a room", key="room_start", type="primary", icon=":material/co_present:"):
        start_room(settings)


def sweep_inputs(prefix: str) -> None:
    c1, c2 = st.columns(2)
    c1.selectbox("Sweep one setting across the room", [NO_SWEEP, *SWEEPABLE],
                 key=f"{prefix}_sweep_field",
                 format_func=lambda f: "No sweep" if f == NO_SWEEP else SWEEPABLE[f][1],
                 help="Each attendee who joins gets the next value; the rest stays the same.")
    c2.text_input("Values: a list or a range", key=f"{prefix}_sweep_values",
                  placeholder="20, 50, 100   or   10..100 step 10")


def chosen_sweep(prefix: str):
    """The sweep typed under `prefix`, None for no sweep. Raises InputError."""
    from explorer.sweep import parse_sweep

    field = st.session_state.get(f"{prefix}_sweep_field", NO_SWEEP)
    if field == NO_SWEEP:
        return None
    return parse_sweep(field, st.session_state.get(f"{prefix}_sweep_values", ""))


def start_room(settings: dict) -> None:
    from explorer.room import start_room as start

    s = st.session_state
    choice = s.room_reviews
    try:
        sweep = chosen_sweep("room_start")
        if choice == MY_TABLE:
            reviews, names, title = s.reviews, tuple(s.class_names), "The presenter's reviews"
        else:
            reviews, names, title = load_sample(choice), DEFAULT_CLASS_NAMES, choice
        started = start(room_state.store(), reviews=reviews, class_names=names, title=title,
                        locked=s.room_locked == "locked", sweep=sweep, **settings)
    except InputError as error:
        st.error(md_message(error), icon=":material/error:")
        return
    room_state.become_presenter(started.code, started.presenter_key)
    st.rerun()


def presenter_view(code: str, key: str) -> None:
    from explorer.room import check_presenter
    from explorer.room_charts import qr_png
    from explorer.store import StoreError

    try:
        room = check_presenter(room_state.store(), code, key)
    except StoreError as error:
        room_state.stop_presenting()
        st.error(md_message(error))
        return
    if room.ended_at is not None:
        # Nobody can join an ended room: no link, code or QR to invite anyone, no controls,
        # and no code in the address to fill the join box after a refresh or Leave the board.
        if room_state.ROOM_PARAM in st.query_params:
            del st.query_params[room_state.ROOM_PARAM]
        st.warning(f"This room has ended (code {room.code}): no more joins or runs. Its board "
                   "stays readable below, with its downloads.")
        leave_button("Leave the board")
        board_view(room.code, key)
        return
    link = room_link(room.code)
    code_col, qr_col = st.columns([3, 2], vertical_alignment="center")
    with code_col:
        # Sizes follow the column (cqw: a hundredth of its width), so that the code and the
        # link's room?room=CODE fit whole on a narrow screen too, up to 7rem and 2.2rem.
        st.html(f'<div style="container-type:inline-size">'
                f'<div style="font-size:1.4rem">Join at</div>'
                f'<div class="room-link" style="font-size:min(2.2rem,9.5cqw);font-weight:600;'
                f'overflow-wrap:anywhere">{link_html(link)}</div>'
                f'<div style="font-size:1.4rem;margin-top:1rem">Room code</div>'
                f'<div class="room-code" style="font-size:min(7rem,21cqw);font-weight:800;'
                f'letter-spacing:0.12em;font-family:monospace;line-height:1.1;white-space:nowrap">'
                f'{room.code}</div></div>')
        if urlsplit(link).hostname in LOCAL_HOSTS:
            st.warning("This link names this computer as localhost, which only this computer "
                       "can open. Start the server with HOST=0.0.0.0 and open this page at the "
                       "computer's network address (see README, Running a workshop).")
    qr_col.image(qr_png(link), width="stretch", caption="Scan to join")  # the column wide
    with st.expander("Your presenter link (keep it to yourself: it can change and end the room)"):
        st.code(room_link(room.code, key), language=None)
        st.caption("Open it again after a refresh or on another computer to get back to this "
                   "board. It is not in this page's address, which the room can see.")
    room_controls(room, key)
    board_view(room.code, key)


def room_controls(room, key: str) -> None:
    from explorer import room as rooms
    from explorer.store import StoreError
    from explorer.sweep import sweep_text

    with st.expander("Change the room"):
        sweep = room.sweep
        st.caption("Sweep now: " + (f"{sweep.label}, values {sweep_text(sweep)[:300]}"
                                    if sweep else "none") + ". A new sweep applies to attendees "
                   "who join from now on; those in the room keep their values.")
        show_running_sweep(room)
        sweep_inputs("room_change")
        c1, c2, c3 = st.columns(3)
        # Each control answers on its own, so a bad sweep's message leaves Lock and End in place.
        problem = None
        if c1.button("Change the sweep", key="room_change_sweep"):
            try:
                sweep = chosen_sweep("room_change")
                st.success(md_message(rooms.set_sweep(room_state.store(), room.code, key, sweep)))
                # The boxes hold the new sweep already: the next run must not write over them.
                st.session_state["room_change_running"] = (
                    room.code, None if sweep is None else sweep.as_json())
            except (StoreError, InputError) as error:
                problem = error
        locked = c2.toggle("Lock the settings", value=room.locked, key="room_lock_toggle")
        confirm = c3.checkbox("Yes, end the room now", key="room_end_confirm")
        end = c3.button("End the room", key="room_end", disabled=not confirm)
        try:
            if locked != room.locked:
                rooms.set_locked(room_state.store(), room.code, key, locked)
                st.rerun()
            if end:
                rooms.end_room(room_state.store(), room.code, key)
                st.rerun()
        except StoreError as error:
            problem = error
        if problem is not None:
            st.error(md_message(problem))
        leave_button("Leave the board (the room goes on)")


def show_running_sweep(room) -> None:
    """The sweep controls start from the sweep the room runs, and follow it when it changes
    (set before the widgets are drawn; what the presenter types stays until then)."""
    from explorer.sweep import sweep_text

    s, sweep = st.session_state, room.sweep
    running = (room.code, None if sweep is None else sweep.as_json())
    if s.get("room_change_running") != running:
        s["room_change_running"] = running
        s["room_change_sweep_field"] = NO_SWEEP if sweep is None else sweep.field
        s["room_change_sweep_values"] = "" if sweep is None else sweep_text(sweep)


def leave_button(label: str) -> None:
    if st.button(label, key="room_stop_presenting"):
        room_state.stop_presenting()
        st.rerun()


@st.fragment(run_every=BOARD_EVERY_S)
def board_view(code: str, key: str) -> None:
    """The board: redrawn every BOARD_EVERY_S seconds on its own, without rerunning the page."""
    from explorer.board import board_of, room_now, runs_csv
    from explorer.room_charts import board_html, value_text

    store = room_state.store()
    fresh = room_now(store, code)
    drawn_at, table, figures = room_state.drawn(store, fresh)
    now = board_of(store, fresh, runs_as_of=drawn_at)
    label = now.room.sweep.label if now.room.sweep else None
    members = now.members
    st.subheader("The board", divider="gray")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Attendees", len(members))
    c2.metric("Training now", int(members["training"].sum()))
    c3.metric("Waiting", int(members["waiting"].sum()),
              help="Pressed Train and wait for a turn: the server trains a few at a time.")
    c4.metric("Runs", len(now.runs))
    if len(members):
        people = members.assign(
            now=["training" if t else "waiting for a turn" if w else ""
                 for t, w in zip(members["training"], members["waiting"])],
            swept=[value_text(v) for v in members["swept"]])  # no "None" before a sweep
        with st.container(key="room_board_members"):
            st.dataframe(people[["name", "now", "runs"] + (["swept"] if label else [])]
                         .rename(columns={"name": "Name", "now": "Now", "runs": "Runs",
                                          "swept": label or "swept"}),
                         hide_index=True, height=min(38 + 35 * len(people), 300))
    else:
        st.info("Nobody has joined yet. Show the code or the QR code to the room.")
    if not len(now.runs):
        return
    with st.container(key="room_board_runs"):
        st.dataframe(without_blanks(table), hide_index=True, column_config=one_decimal(table),
                     height=min(38 + 35 * len(table), 420))
    best_run(now, key)
    for index, (title, figure) in enumerate(figures.items()):
        st.markdown(f"**{md(title)}**")
        st.plotly_chart(figure, key=f"room_board_chart_{index}", config={"displaylogo": False})
    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button("Runs (CSV)", data=lambda: runs_csv(now), icon=":material/download:",
                       file_name=f"room-{code}-runs.csv", mime="text/csv", on_click="ignore",
                       key="room_download_csv", width="stretch")
    c2.download_button("Board (HTML)", data=lambda: board_html(now, table),
                       icon=":material/download:", file_name=f"room-{code}-board.html",
                       mime="text/html", on_click="ignore", key="room_download_html",
                       width="stretch")


def one_decimal(table) -> dict:
    """The runs table's column config: room_charts.ONE_DECIMAL's columns written as 5.0."""
    from explorer.room_charts import ONE_DECIMAL

    return {column: st.column_config.NumberColumn(format="%.1f")
            for column in ONE_DECIMAL if column in table}


def without_blanks(table):
    """The runs table with "no split" where a run had no validation split (a table shows a
    missing number as "None"), still sorting by the numbers."""
    from explorer.room_charts import VALIDATION_COLUMN

    if VALIDATION_COLUMN not in table or not table[VALIDATION_COLUMN].isna().any():
        return table
    return table.style.format(precision=1, na_rep="no split", subset=list(one_decimal(table)))


def best_run(now, key: str) -> None:
    from explorer.room_charts import value_text

    best = now.best
    score = "val_accuracy" if best["val_accuracy"] == best["val_accuracy"] else "accuracy"
    words = "validation accuracy" if score == "val_accuracy" else "training accuracy"
    swept = (f", {md(now.room.sweep.label)} {md(value_text(best['swept']))}"
             if now.room.sweep else "")
    st.success(f"Best run so far: **{md(best['name'])}**{swept}, {words} "
               f"{100 * best[score]:.1f}% after {int(best['epochs'])} epochs.",
               icon=":material/trophy:")
    if best["has_model"] and st.button("Open the best run as my own", key="room_open_best",
                                       help="Its model and the room's reviews become yours on "
                                            "the Train, Weights and Projection pages."):
        open_run(now.room.code, key, int(best["id"]), best["name"])


def open_run(code: str, key: str, run_id: int, name: str) -> None:
    from explorer.board import run_workspace
    from explorer.workspace import workspace_to_json
    from ui import persistence

    try:
        work = run_workspace(room_state.store(), code, key, run_id)
        text = workspace_to_json(reviews=work.reviews, class_names=work.class_names,
                                 encode_settings=work.encode_settings,
                                 model_settings=work.model_settings,
                                 embedding_start=work.embedding_start, model=work.model)
        opened = persistence.open_workspace(text.encode("utf-8"))
    except InputError as error:
        st.error(md_message(error))
        return
    st.session_state[room_state.MESSAGE] = (f"Opened {name}'s run as your own: {opened} See it on "
                                            "the Train, Weights and Projection pages.")
    st.rerun()


if __name__ == "__main__":
    render()
