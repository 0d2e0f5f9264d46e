"""Small pieces several pages share: getting checked reviews, showing a bad input, the trained run."""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import fields

import pandas as pd
import streamlit as st

from explorer.budget import check_padded_size
from explorer.errors import InputError
from explorer.model import DEFAULT_START, ModelSettings
from explorer.reviews import DEFAULT_CLASS_NAMES, load_sample, validate_reviews
from explorer.text import EncodeSettings, encode
from explorer.turns import TurnQueue
from ui import pages, state, training_session
from ui.markup import md_message

# The settings widgets' keys, by the field of EncodeSettings / ModelSettings they hold, and their
# first values: the settings' own defaults (bounds and options come from their CONSTRAINTS).
ENCODE_KEYS = {f.name: f"encode_{f.name}" for f in fields(EncodeSettings)}
ENCODE_DEFAULTS = {key: getattr(EncodeSettings(), name) for name, key in ENCODE_KEYS.items()}
# `trainable` has no widget of its own: it follows the start ("glove_frozen" freezes).
TRAIN_KEYS = {f.name: f"train_{f.name}" for f in fields(ModelSettings) if f.name != "trainable"}
START_KEY = "train_start_from"
TRAIN_DEFAULTS = {key: getattr(ModelSettings(), name) for name, key in TRAIN_KEYS.items()}
TRAIN_DEFAULTS[START_KEY] = DEFAULT_START


# Trainings running at once on this server; the rest wait their turn (see explorer/turns.py).
TRAINING_SLOTS = os.cpu_count() or 1


@st.cache_resource(show_spinner=False)
def training_queue() -> TurnQueue:
    """The one line every session's training joins: a resource, so it is shared server-wide."""
    return TurnQueue(TRAINING_SLOTS)


def ensure_reviews() -> None:
    """Start every session with the tutorial's ten restaurant reviews."""
    if "reviews" not in st.session_state:
        st.session_state.reviews = load_sample("Restaurant reviews")
        st.session_state.class_names = DEFAULT_CLASS_NAMES


def class_names() -> tuple[str, str]:
    ensure_reviews()
    return tuple(st.session_state.class_names)


def trained_run(message: str):
    """The session's trained run; without one, `message`, a link to Train, and the page stops."""
    run = training_session.current_run()
    if run is None:
        st.info(message)
        pages.link(pages.TRAIN, "Go to Train")
        st.stop()
    return run


def reviews_fingerprint() -> bytes:
    """A short digest of the session's reviews, in order: equal digests mean equal tables."""
    reviews = st.session_state.reviews
    hashes = pd.util.hash_pandas_object(reviews.astype(str), index=False).to_numpy()
    return hashlib.blake2b(hashes.tobytes(), digest_size=16).digest()


def _remembered(name: str, key, compute):
    # One answer per session, kept while its inputs are equal: every page encodes the reviews,
    # and 100,000 of them take seconds to check and encode.
    cached = st.session_state.get(name)
    if cached is None or cached[0] != key:
        cached = st.session_state[name] = (key, compute())
    return cached[1]


def checked_reviews():
    """(texts, labels) of the session's reviews, or None after showing what to fix."""
    checked = _checked_with_fingerprint()
    return None if checked is None else checked[1]


def _checked_with_fingerprint():
    # The fingerprint is taken once a run and keys both caches below (hashing 100,000 reviews
    # costs a tenth of a second).
    ensure_reviews()
    names = class_names()
    fingerprint = reviews_fingerprint()
    try:
        return fingerprint, _remembered(
            "checked_reviews_cache", (fingerprint, names),
            lambda: validate_reviews(st.session_state.reviews, class_names=names))
    except InputError as error:
        st.warning(md_message(error))
        pages.link(pages.REVIEWS, "Fix the reviews on the Reviews page")
        return None


def encode_settings() -> EncodeSettings:
    state.remember(ENCODE_DEFAULTS)
    s = st.session_state
    return EncodeSettings(s.encode_method, int(s.encode_vocab_size), int(s.encode_max_length),
                          s.encode_padding, s.encode_truncating)


def encoded_reviews():
    """The session's reviews encoded with the Encode page's settings: (Encoded, labels) or None."""
    checked = _checked_with_fingerprint()
    if checked is None:
        return None
    fingerprint, (texts, labels) = checked
    settings = encode_settings()
    try:
        check_padded_size(n_reviews=len(texts), max_length=settings.max_length)
        encoded = _remembered("encoded_reviews_cache", (fingerprint, settings),
                              lambda: encode(texts, settings))
        return encoded, labels
    except InputError as error:
        st.warning(md_message(error))
        return None


def upload_box_mb(limit_bytes: int) -> int:
    """The upload box's own limit (`max_upload_size`, in Streamlit's decimal megabytes) for a
    file the app accepts up to `limit_bytes` bytes.

    The box says "50MB per file" and refuses a larger file in the browser, so the server never
    holds it; the app's limits are whole decimal megabytes, so box and app name the same limit,
    and the app never writes a file (a workspace) that its own box would refuse. The app checks
    the size again, since a client need not obey the box.
    """
    return math.ceil(limit_bytes / 10**6)
