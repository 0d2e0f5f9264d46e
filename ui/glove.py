"""The shipped GloVe vectors, loaded once per server process and shared by every session."""

import streamlit as st

from explorer.vectors import load_glove_6b_50d


@st.cache_resource(show_spinner="Loading GloVe 6B 50d (400,000 words)…")
def default_vectors():
    """GloVe 6B 50d: memory-mapped, read-only; one copy however many sessions use it."""
    return load_glove_6b_50d()
