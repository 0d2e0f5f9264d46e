"""Helpers for AppTest tests of the pages: start the app, move between pages, read messages."""

import re
import threading
from contextlib import contextmanager
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 180


def fresh_app() -> AppTest:
    """The app as a new visitor sees it: the Reviews page with the restaurant sample."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def visit(at: AppTest, page) -> AppTest:
    """Switch to `page` (a ui.pages View such as pages.TRAIN, or its script, "views/train.py")
    and run it; fail on any exception."""
    at.switch_page(getattr(page, "script", page))
    at.run()
    assert not at.exception, at.exception
    return at


def texts(elements) -> str:
    """All the text of some elements (at.warning, at.error, at.info, ...), one per line, as a
    person reads it: markdown's backslash escapes (ui.markup) shown as the characters."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", raw_texts(elements))


def raw_texts(elements) -> str:
    """The markdown source of some elements, escapes and all."""
    return "\n".join(str(e.value) for e in elements)


def session_run(at: AppTest):
    """The session's trained run, or None (ui.training_session keeps it in a `Held` box)."""
    held = at.session_state["run"] if "run" in at.session_state else None
    return getattr(held, "value", None)


def run_beside(at: AppTest) -> AppTest:
    """`at.run()` while another AppTest's run goes on in a thread. Each run puts a mock of
    Streamlit's Runtime singleton in place and sets it to None when it ends, which left the
    other run without one ("Runtime hasn't been created!" in its thread, at its next rerun)."""
    from streamlit.runtime import Runtime

    theirs = Runtime._instance
    try:
        return at.run()
    finally:
        Runtime._instance = theirs


@contextmanager
def training_line_full(hold_s: float = 60.0):
    """Every training slot of the server taken, as by other sessions training; yields the Event
    that frees them (they are freed after `hold_s` seconds, or on leaving, at the latest)."""
    from ui.common import TRAINING_SLOTS, training_queue

    held, release = threading.Event(), threading.Event()

    def hold_every_slot(left=TRAINING_SLOTS):
        if left == 0:
            held.set()
            release.wait(hold_s)
            return
        with training_queue().turn():
            hold_every_slot(left - 1)

    holder = threading.Thread(target=hold_every_slot)
    holder.start()
    assert held.wait(10)
    try:
        yield release
    finally:
        release.set()
        holder.join(10)
