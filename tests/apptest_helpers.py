"""Helpers for AppTest tests of the pages: start the app, move between pages, read messages."""

import re
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
