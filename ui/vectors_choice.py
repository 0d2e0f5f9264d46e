"""Which word vectors this session uses: the shipped GloVe, a file from the vectors folder, or an upload.

Read-only vectors that every session may want (the shipped GloVe, the folder's files) are loaded
through `st.cache_resource`, so the server holds one copy however many sessions use them. A folder
file's entry is keyed by its resolved path, size, modification and change times: an edited file is read
again. Only names that `resolve_vector_file` accepts are ever opened. An uploaded file is parsed
in memory as text and numbers and kept in its session only.

Pages call `current_vectors()` and show `vectors_badge()`; the Vectors page changes the choice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
import time

import numpy as np
import streamlit as st

from ui.markup import md, md_message

import explorer.vectors
from explorer.errors import InputError
from explorer.vectors import (GLOVE_NAME, LoadReport, Vectors, load_vectors_file, parse_vectors_bytes,
                              resolve_vector_file)
from ui import pages
from ui.glove import default_vectors

CHOICE_KEY = "vectors_choice"
UPLOADED_KEY = "vectors_uploaded"  # this session's uploaded Vectors
NOTE_KEY = "vectors_choice_note"  # why a choice could not be kept, shown once by the badge
MAX_SHARED_FILES = 4  # folder files held in memory at once, across all sessions


# Where vectors come from: a Choice's kind, and the Vectors page's "Where the vectors come
# from" options (the same words, so a choice and the radio never disagree on a name).
SHIPPED, FOLDER, UPLOAD = "glove", "folder", "upload"


@dataclasses.dataclass(frozen=True)
class Choice:
    """What a session chose: kind SHIPPED (GloVe), FOLDER (a file's name in the vectors
    folder) or UPLOAD."""

    kind: str = SHIPPED
    name: str = GLOVE_NAME
    on_error: str = "skip"

    @property
    def label(self) -> str:
        return {SHIPPED: f"{self.name} (shipped)", FOLDER: f"{self.name} (vectors folder)",
                UPLOAD: f"{self.name} (uploaded)"}[self.kind]


GLOVE = Choice()


@dataclasses.dataclass(frozen=True)
class Loaded:
    """Vectors just made ready, how long that took here, and where they came from.

    `source` is "memory" (already loaded by this server), "cache" (mapped from the fast cache
    beside the file), "text" (read from the text file) or "shipped" (the GloVe package).
    """

    vectors: Vectors
    report: LoadReport | None
    seconds: float
    source: str


_last_call = threading.local()  # set by the cached loader when it really runs


@st.cache_resource(max_entries=MAX_SHARED_FILES, show_spinner=False)
def _shared_file(path: str, size: int, mtime_ns: int, ctime_ns: int,
                 on_error: str) -> tuple[Vectors, LoadReport]:
    # size and the times are not used here: as part of the key, they make an edited file a new
    # entry (the change time also tells a file copied in with an old modification time).
    _last_call.ran = True
    return load_vectors_file(path, on_error=on_error)


def load_folder_file(name: str, *, on_error: str = "skip") -> Loaded:
    """Load a file of the vectors folder through the server-wide cache.

    >>> load_folder_file("../secret.txt")  # doctest: +SKIP
    InputError: `name` must be a file inside the vectors folder ...

    Args:
        name: a name as `list_vector_files()` gives it; anything outside the folder is refused.
        on_error: "skip" (count bad lines) or "raise" (refuse the file at its first bad line).

    Returns:
        A Loaded. Raises InputError for a refused name or a refused file.
    """
    path = resolve_vector_file(name)
    info = path.stat()
    started = time.perf_counter()
    _last_call.ran = False
    vectors, report = _shared_file(str(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                                   on_error)
    seconds = time.perf_counter() - started
    source = ("cache" if report.from_cache else "text") if _last_call.ran else "memory"
    return Loaded(vectors, report, seconds, source)


def load_glove() -> Loaded:
    """The shipped GloVe 6B 50d, through the server-wide cache."""
    started = time.perf_counter()
    vectors = default_vectors()
    return Loaded(vectors, None, time.perf_counter() - started, "shipped")


def upload_limit_mb() -> int:
    """The most an uploaded vectors file may hold, in MB (the browser is told, and it is
    checked here too: a client need not obey the browser)."""
    return explorer.vectors.UPLOAD_LIMIT_MB


def parse_upload(data, *, name: str, on_error: str = "skip") -> Loaded:
    """Parse an uploaded file (its bytes, or the upload itself, read a chunk at a time, as data
    only, nothing written); InputError if refused, also for a file over the upload limit."""
    size = data.size if hasattr(data, "size") else len(data)
    limit = upload_limit_mb()
    if size > limit * 10**6:  # decimal megabytes, as the upload box counts them
        raise InputError(f"`{name}` is {size / 10**6:,.1f} MB; an upload may be at most "
                         f"{limit:,} MB. Put a larger file in the vectors folder and choose "
                         f"\"A file from the vectors folder\".")
    started = time.perf_counter()
    vectors, report = parse_vectors_bytes(data, name=name, on_error=on_error)
    return Loaded(vectors, report, time.perf_counter() - started, "upload")


def use(choice: Choice, vectors: Vectors | None = None) -> None:
    """Make `choice` this session's vectors; an upload passes its parsed `vectors`."""
    if choice.kind == UPLOAD:
        st.session_state[UPLOADED_KEY] = vectors
    else:
        # Nothing else needs the upload any more; let its memory go.
        st.session_state.pop(UPLOADED_KEY, None)
    st.session_state[CHOICE_KEY] = choice


def current_choice() -> Choice:
    return st.session_state.get(CHOICE_KEY, GLOVE)


def current_vectors() -> Vectors:
    """The vectors this session chose on the Vectors page; GloVe 6B 50d until it chooses.

    Never raises: if a chosen folder file can no longer be opened (removed, edited into a
    refused file, or a name outside the folder), the session goes back to GloVe, and
    `vectors_badge()` says why.
    """
    choice = current_choice()
    if choice.kind == FOLDER:
        try:
            return load_folder_file(choice.name, on_error=choice.on_error).vectors
        except InputError as error:
            st.session_state[NOTE_KEY] = f"{error} Using {GLOVE_NAME} instead."
    elif choice.kind == UPLOAD:
        uploaded = st.session_state.get(UPLOADED_KEY)
        if uploaded is not None:
            return uploaded
        st.session_state[NOTE_KEY] = (f"The uploaded file {choice.name!r} is no longer held. "
                                      f"Using {GLOVE_NAME} instead; upload it again on the "
                                      f"Vectors page.")
    if choice != GLOVE:
        use(GLOVE)
    return default_vectors()


def vectors_badge(*, link: bool = True) -> Vectors:
    """Show which vectors are in use (and why a choice was dropped); return them.

    Args:
        link: also offer a link to the Vectors page to change them.

    Returns:
        The session's vectors, as `current_vectors()` gives them.
    """
    vectors = current_vectors()
    note = st.session_state.pop(NOTE_KEY, None)
    if note:
        st.warning(md_message(note), icon=":material/warning:")
    text = (f":material/dataset: Vectors in use: **{md(current_choice().label)}**, "
            f"{len(vectors):,} words × {vectors.dim} dimensions")
    if link:
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.caption(text)
        pages.link(pages.VECTORS, "Change vectors", icon=":material/swap_horiz:", where=right)
    else:
        st.caption(text)
    return vectors


# --- small helpers the GloVe pages share ------------------------------------------------------

def words_in(text: str) -> list[str]:
    """The words typed in a box: separated by commas or spaces."""
    return [w for w in re.split(r"[,\s]+", text) if w]


# GloVe has tokens such as '*', '[' and '$': words are shown through ui.markup's md.


def vectors_key(vectors) -> tuple:
    """What tells these vectors apart in st.cache_data keys, cheaply.

    Hashing all 400,000 rows on every run would cost more than most answers. While vectors
    are held (shared by the server, or an upload in its session) their object is one object;
    with its name, size and a hash of every 512th of the rows, two files or two uploads of
    the same name never share cached answers.
    """
    step = max(1, len(vectors) // 512)
    sample = (np.ascontiguousarray(vectors.raw[::step]).tobytes()
              + "\n".join(vectors.words[::step]).encode())
    return (id(vectors), vectors.name, len(vectors), vectors.dim,
            hashlib.blake2b(sample, digest_size=16).hexdigest())
