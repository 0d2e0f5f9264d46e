"""The Projection page's session keys that outlive a run, and the functions other code calls.

The page's widgets keep their own values (keys `projection_*`, see views/projection.py); what is
kept here is what the page works out from the session's trained model, which other code must
be able to drop when the model changes (`forget_model`).
"""

from __future__ import annotations

import streamlit as st

from explorer.lean import word_leans
from explorer.weights import word_vectors

LEANS = "projection_leans"  # (the run they were measured on, its Leans)
VOCABULARY = "projection_vocabulary"  # (the run, its words as Vectors of its trained rows)


def leans(run):
    """The trained model's lean on each id, measured once per run (it runs the model)."""
    s = st.session_state
    cached = s.get(LEANS)
    if cached is None or cached[0] is not run:
        with st.spinner("Measuring how the model leans on each word…"):
            cached = s[LEANS] = (run, word_leans(run))
    return cached[1]


def vocabulary(run):
    """Every word the run's encoder knows with its trained vector (words sharing an id share
    it): what an axis or a search on the Projection page looks words up in."""
    s = st.session_state
    cached = s.get(VOCABULARY)
    if cached is None or cached[0] is not run:
        cached = s[VOCABULARY] = (run, word_vectors(run.encoded.encoder.id_to_words,
                                                    run.weights_after))
    return cached[1]


def forget_model() -> None:
    """Drop what was worked out from the session's model: kept, it would hold that model (and
    its weights) alive beside a new one."""
    for key in (LEANS, VOCABULARY):
        st.session_state.pop(key, None)
