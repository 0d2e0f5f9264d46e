"""The Reviews page's own session keys, and the only functions that change them from elsewhere.

The page's widgets can take a new value only before they are drawn, so code that swaps in a
whole new table (the page's own Load and Add buttons, a workspace file, a link) does not set them
itself: it calls `replace`, and the page's next run (`take_pending_names`, then a fresh table
editor) shows the new work. The reviews and class names themselves are the session's, kept in
`reviews` and `class_names` (ui.common) for every page to read.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import state

CLASS_KEYS = ("reviews_class_0", "reviews_class_1")  # the class-name boxes
PENDING_NAMES = "reviews_pending_names"  # names for those boxes, put in before they are drawn
MESSAGE = "reviews_message"  # what the last replacement did, said once on the next run
UPLOAD_ERROR = "reviews_upload_error"  # why the last upload was refused, until the next one
VERSION = "reviews_version"  # in the table editor's key: a new number draws a fresh editor


def replace(reviews: pd.DataFrame, class_names=None, *, message: str | None = None) -> None:
    """Make `reviews` (and `class_names`, when given) the session's work; the Reviews page
    shows them afresh on its next run, with `message` when given."""
    s = st.session_state
    s.reviews = reviews.reset_index(drop=True)
    if class_names is not None:
        s.class_names = tuple(class_names)
        s[PENDING_NAMES] = tuple(class_names)
    if message is not None:
        s[MESSAGE] = message
    state.bump(VERSION)


def restore(reviews: pd.DataFrame, class_names) -> None:
    """`replace` for work coming from a workspace file or a link: everything the page said
    about the previous work (a refused upload) goes with it."""
    replace(reviews, class_names)
    st.session_state.pop(UPLOAD_ERROR, None)


def take_pending_names() -> None:
    """Put the names a replacement brought into the class-name boxes (before they are drawn)."""
    s = st.session_state
    if PENDING_NAMES in s:
        s[CLASS_KEYS[0]], s[CLASS_KEYS[1]] = s.pop(PENDING_NAMES)


def editor_key() -> str:
    """The table editor's key: new after each replacement or rename, so the editor starts again
    from the session's reviews."""
    return f"reviews_editor_{st.session_state.get(VERSION, 0)}"


def redraw_table() -> None:
    """Draw a fresh table editor on this run (after the class names changed)."""
    state.bump(VERSION)
