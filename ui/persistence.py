"""Nothing lost: the session's work kept in the page URL, and read from or written to a workspace file.

A browser refresh or a server restart starts a new Streamlit session with empty session state, so
the work has to live where the browser keeps it: the page address. `work_kept()` wraps each page
run (app.py) and keeps one query parameter, `w`, equal to the session's reviews, class names and
settings, packed by `explorer.workspace.settings_to_query`; a new session starts from it.

Why one packed parameter rather than widgets bound to the URL (`bind="query-params"`): the
reviews table is not a widget that can bind; Streamlit drops params bound to one page's widgets
when the user moves to another page, so a refresh on Reviews would forget the Train settings;
and one checked, versioned value is read by the same code that reads a workspace file, so a
hand-edited link gets the same plain message as a bad file.

Work too big for an address (the URL then holds no `w` at all, never an old one) or with a
trained model goes in a workspace file instead; `workspace_bytes` and `open_workspace` serve the
Save & restore page. A trained model is never put in the URL.
"""

from __future__ import annotations

import functools
import logging
from contextlib import contextmanager

import streamlit as st

from explorer.constraints import Integer, Real
from explorer.errors import InputError
from explorer.model import ModelSettings
from explorer.reviews import DEFAULT_CLASS_NAMES, load_sample
from explorer.workspace import (QUERY_PARAM, restore_run, saved_model, settings_from_query,
                                settings_to_query, workspace_from_json, workspace_to_json)
from ui import pages, reviews_state, saved_work, server_tuning, state, training_session
from ui.common import (ENCODE_DEFAULTS, ENCODE_KEYS, START_KEY, TRAIN_DEFAULTS, TRAIN_KEYS,
                       ensure_reviews)
from ui.markup import md_message

# Every key this module and the Save & restore page keep starts with this.
PREFIX = "workspace_"

_log = logging.getLogger("embedding_explorer")


@contextmanager
def work_kept():
    """Around a page run: restore a new session from the URL, and keep the URL up to date.

    The URL is written before the page runs (everything earlier runs changed) and again after it
    (what this run changed, such as a table edit). After `st.stop()` Streamlit sends nothing
    more, so that second write is lost, but the pages only stop early after changing nothing
    but widgets, whose values the first write already holds. A page that calls `st.rerun()`
    is written by the run that follows.
    """
    _restore_once()
    saved_work.restore_once()  # the trained model and runs, when the address has `work=`
    note = _SidebarNote()
    message = st.session_state.pop(PREFIX + "url_message", None)
    if message:
        st.warning(md_message(message), icon=":material/link_off:")
    _save_quietly(note)
    try:
        yield
    finally:
        _save_quietly(note)


def current_settings() -> dict:
    """The session's settings as `workspace_to_json` takes them (widgets not yet shown: defaults)."""
    s = st.session_state
    state.remember(ENCODE_DEFAULTS)
    state.remember(TRAIN_DEFAULTS)
    encode_settings = {name: s[key] for name, key in ENCODE_KEYS.items()}
    model_settings = {name: s[key] for name, key in TRAIN_KEYS.items()}
    model_settings["trainable"] = s[START_KEY] != "glove_frozen"
    return {"encode_settings": encode_settings, "model_settings": model_settings,
            "embedding_start": s[START_KEY]}


def url_status() -> str:
    """What the URL holds now: "saved", "default" (a fresh session's work, so no `w`),
    "too_big" (no `w`: use a workspace file), or "pending" (unsavable, e.g. a review without
    a class; the URL keeps the last savable work)."""
    return st.session_state.get(PREFIX + "url_status", "default")


def workspace_bytes(*, include_model: bool = True) -> bytes:
    """The session's work as a workspace file (UTF-8 JSON).

    Raises:
        InputError: the work cannot be saved as it is (see `workspace_to_json`).
    """
    s = st.session_state
    ensure_reviews()
    run = training_session.current_run() if include_model else None
    model = None
    if run is not None:
        model = saved_model(run, reviews=s.reviews, class_names=s.class_names)
    text = workspace_to_json(reviews=s.reviews, class_names=s.class_names, model=model,
                             **current_settings())
    return text.encode("utf-8")


def open_workspace(content) -> str:
    """Replace the session's work with a workspace file's, or change nothing at all.

    Args:
        content: the file's bytes or an uploaded file.

    Returns:
        One sentence saying what was opened, with notes on any setting brought into range.

    Raises:
        InputError: the file is malformed, foreign, or its model cannot be rebuilt; the
            message ends with "Nothing was changed."
    """
    workspace = workspace_from_json(content)
    server_tuning.freeze_imports()  # once per process, before its first model
    try:
        run = restore_run(workspace)
    except InputError:
        raise
    except Exception as error:  # Keras refusing something the checks let through
        _log.exception("rebuilding a model from a workspace file failed")
        raise InputError(f"The trained model in this file cannot be rebuilt "
                         f"({type(error).__name__}). Nothing was changed.") from None
    notes = _apply({"reviews": workspace.reviews, "class_names": workspace.class_names,
                    "encode_settings": workspace.encode_settings,
                    "model_settings": workspace.model_settings,
                    "embedding_start": workspace.embedding_start})
    if run is None:
        training_session.forget()
    else:
        training_session.replace(run)
    model = ("a trained model (" + (run.label or "no name") + f", {run.epochs_run} epochs)"
             if run is not None else "no trained model")
    return " ".join([f"{len(workspace.reviews)} reviews, their class names and settings, and "
                     f"{model}."] + notes)


def start_over() -> None:
    """Forget this session's work and its page address, and start again from the sample.

    The way back from a page that keeps failing: whatever the session or the link held that
    broke it is gone, and the next run is a first visit (the address is cleared first, so the
    link cannot bring it back).
    """
    st.query_params.clear()
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[PREFIX + "url_started"] = True  # nothing in the address to restore
    ensure_reviews()
    st.rerun()


# --- the URL ----------------------------------------------------------------------------------

def _restore_once() -> None:
    s = st.session_state
    if s.get(PREFIX + "url_started"):
        return
    s[PREFIX + "url_started"] = True
    restored, message = settings_from_query(st.query_params)
    if message:
        s[PREFIX + "url_message"] = message + " The sample reviews are loaded instead."
    elif restored is not None:
        notes = _apply(restored)
        if notes:
            s[PREFIX + "url_message"] = "Restored your work from the link. " + " ".join(notes)
    ensure_reviews()


def _save_quietly(note) -> None:
    try:
        _save(note)
    except Exception:  # a bug here must not cost the user the page; Stop/Rerun pass through
        _log.exception("keeping the work in the URL failed")
    try:
        saved_work.keep()  # the trained model and runs on the server, `work=` in the address
    except Exception:
        _log.exception("keeping the trained model and runs on the server failed")


def _save(note) -> None:
    s = st.session_state
    status, value = _url_value()
    s[PREFIX + "url_status"] = status
    current = st.query_params.get(QUERY_PARAM)
    if status == "saved" and current != value:
        st.query_params[QUERY_PARAM] = value
    elif status in ("default", "too_big") and current is not None:
        del st.query_params[QUERY_PARAM]
    if status == "too_big":
        note.show()
    else:
        note.clear()


class _SidebarNote:
    """The sidebar's "too big for the address" note, made only when needed: even an empty
    sidebar element draws a divider under the page list."""

    def __init__(self):
        self.slot = None

    def show(self) -> None:
        if self.slot is None:
            self.slot = st.sidebar.empty()
        with self.slot.container():
            st.warning("Your work is too big for the page address, so a refresh would start over. "
                       "Keep it in a workspace file.", icon=":material/save:")
            pages.link(pages.WORKSPACE)

    def clear(self) -> None:
        if self.slot is not None:
            self.slot.empty()


def _url_value() -> tuple[str, str | None]:
    """(status, value of `w`), reusing the last answer while nothing changed."""
    s = st.session_state
    ensure_reviews()
    settings = current_settings()
    names = tuple(s.class_names)
    key = (names, repr(settings))
    cached = s.get(PREFIX + "url_cache")
    if cached is not None and cached[0] == key and cached[1].equals(s.reviews):
        return cached[2]
    try:
        packed = settings_to_query(reviews=s.reviews, class_names=names, **settings)
    except InputError:
        answer = ("pending", None)
    else:
        if packed is None:
            answer = ("too_big", None)
        elif packed[QUERY_PARAM] == _default_value():
            answer = ("default", None)
        else:
            answer = ("saved", packed[QUERY_PARAM])
    s[PREFIX + "url_cache"] = (key, s.reviews.copy(), answer)
    return answer


@functools.cache
def _default_value() -> str:
    """`w` of a fresh session: the restaurant sample with every default; left out of the URL."""
    settings = {"encode_settings": {n: ENCODE_DEFAULTS[k] for n, k in ENCODE_KEYS.items()},
                "model_settings": {n: TRAIN_DEFAULTS[k] for n, k in TRAIN_KEYS.items()}
                | {"trainable": True},
                "embedding_start": TRAIN_DEFAULTS[START_KEY]}
    return settings_to_query(reviews=load_sample("Restaurant reviews"),
                             class_names=DEFAULT_CLASS_NAMES, **settings)[QUERY_PARAM]


# --- putting work into the session ----------------------------------------------------------------

def _apply(work: dict) -> list[str]:
    """Put reviews, class names and settings into the session and its widgets; return notes."""
    s = st.session_state
    reviews_state.restore(work["reviews"], work["class_names"])
    for name, key in ENCODE_KEYS.items():
        s[key] = work["encode_settings"][name]
    notes = []
    for name, key in TRAIN_KEYS.items():
        value = work["model_settings"][name]
        # The widget shows its rule's `widget` range; a file may hold values outside it (the
        # CLI trains with any validation split below 1), which are brought inside, with a note.
        rule = ModelSettings.CONSTRAINTS[name]
        if isinstance(rule, Real):
            value = float(value)  # a hand-made file may say 10; the widget holds floats
        low, high = rule.widget if isinstance(rule, (Integer, Real)) else (value, value)
        if not low <= value <= high:
            kept = min(max(value, low), high)
            notes.append(f"The Train page offers {name.replace('_', ' ')} from {low:g} to {high:g}, "
                         f"so {value:g} became {kept:g}.")
            value = kept
        s[key] = value
    s[START_KEY] = work["embedding_start"]
    return notes
