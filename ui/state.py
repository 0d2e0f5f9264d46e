"""Per-session state that outlives a page: the settings widgets' values.

Settings widgets are drawn with `persist_state="session"`, so Streamlit keeps their values when
the user moves to another page. Each page gives its settings their first values with
`remember({...})` before drawing them, and the widgets take only `key=` (no `value=`): that way
other pages can read a setting the user has not yet seen, and a page can change a widget's value
(for instance after loading a file) without Streamlit warning about two sources of truth.
"""

from __future__ import annotations

import streamlit as st


def remember(defaults: dict) -> None:
    """Give these widget keys their first values, once per session."""
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


def keep_among(key: str, options, default=None) -> None:
    """Keep a widget's value among its options: one no longer offered becomes `default`, or the
    first option when no default is given (with no options and no default it stays as it is)."""
    if st.session_state.get(key) not in options:
        fallback = next(iter(options), None) if default is None else default
        if fallback is not None:
            st.session_state[key] = fallback


def bump(name: str) -> int:
    """Increase a counter used in a widget key, to make Streamlit draw that widget afresh."""
    st.session_state[name] = st.session_state.get(name, 0) + 1
    return st.session_state[name]
