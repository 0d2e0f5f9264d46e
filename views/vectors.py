"""Vectors: choose the word vectors the GloVe pages use — the shipped GloVe, a file of your own, or an upload."""

import pandas as pd
import streamlit as st

from explorer.errors import InputError
from explorer.vectors import (GLOVE_NAME, MAX_DIM, MAX_UPLOAD_WORDS, REASONS, VECTORS_DIR_VARIABLE,
                              list_vector_files, vectors_dir)
from ui import state
from ui.markup import md, md_message
from ui.vectors_choice import (FOLDER, GLOVE, SHIPPED, UPLOAD, Choice, current_choice,
                               load_folder_file, load_glove, parse_upload, upload_limit_mb, use,
                               vectors_badge)

SOURCES = {SHIPPED: "GloVe 6B 50d (shipped)", FOLDER: "A file from the vectors folder",
           UPLOAD: "Upload a file"}
ON_ERROR = {"skip": "Skip them and count them", "raise": "Refuse the file"}
SOURCE_NAMES = {"memory": "already in this server's memory", "cache": "mapped from the fast cache",
                "text": "read from the text file (a fast cache was written beside it)",
                "shipped": "the shipped package, memory-mapped", "upload": "parsed from the upload"}


def render() -> None:
    state.remember({"vectors_source": SHIPPED, "vectors_on_error": "skip"})
    s = st.session_state
    st.title("Vectors")
    st.caption(
        "Word vectors learnt on large text collections: each word is a row of numbers, and words "
        "used alike get rows that point alike. The Analogy, Word map and Analogy benchmark pages "
        "use the vectors chosen here."
    )
    # Filled in last, so a load made further down this run shows here at once.
    badge = st.container()
    st.radio("Where the vectors come from", list(SOURCES), format_func=SOURCES.get,
             key="vectors_source", persist_state="session", horizontal=True)
    st.radio("Malformed lines (wrong number of values, not a number, duplicate word, blank, "
             "not UTF-8)", list(ON_ERROR), format_func=ON_ERROR.get, key="vectors_on_error",
             persist_state="session", horizontal=True,
             help="Skipped lines are counted, with their first line numbers. Refusing stops at "
                  "the first bad line and names it.")
    on_error = s.vectors_on_error
    if s.vectors_source == SHIPPED:
        glove_source()
    elif s.vectors_source == FOLDER:
        folder_source(on_error)
    else:
        upload_source(on_error)

    # --- the outcome of the last load -------------------------------------------------------------
    if s.get("vectors_last_error"):
        st.error(f"{md_message(s.vectors_last_error)} The vectors in use are unchanged.",
                 icon=":material/error:")
    elif s.get("vectors_last_loaded") is not None:
        st.subheader("Loaded", divider="gray")
        show_loaded(s.vectors_last_loaded)
    with badge:
        vectors_badge(link=False)


def show_loaded(loaded) -> None:
    """The load report: words, dimensions, time taken, and any lines left out."""
    vectors, report = loaded.vectors, loaded.report
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Words", f"{len(vectors):,}")
    c2.metric("Dimensions", vectors.dim)
    c3.metric("Lines skipped", f"{report.n_skipped:,}" if report else "0")
    c4.metric("Ready in", f"{loaded.seconds:.3f} s")
    where = SOURCE_NAMES[loaded.source]
    kind = f"{report.format} text" if report else "GloVe 6B 50d, most frequent words first"
    st.caption(f"{md(vectors.name)}: {kind}; {where}.")
    if report and report.skipped:
        lines = "1 malformed line was" if report.n_skipped == 1 else f"{report.n_skipped:,} malformed lines were"
        st.warning(f"{lines} skipped; the other {report.count:,} words were loaded.",
                   icon=":material/rule:")
        st.dataframe(pd.DataFrame({
            "reason": [REASONS[r] for r in report.skipped],
            "lines": list(report.skipped.values()),
            "first line numbers": [", ".join(f"{n:,}" for n in report.first_lines.get(r, []))
                                   for r in report.skipped],
        }), hide_index=True, key="vectors_skipped_table")
    for note in report.notes if report else ():
        st.info(md_message(note), icon=":material/info:")
    if current_choice().name == vectors.name:
        st.success(f"The GloVe pages now use {md(vectors.name)}.", icon=":material/check:")


# The last load's outcome is kept so it stays on the page across reruns.
def remember_outcome(loaded=None, error: str | None = None) -> None:
    s = st.session_state
    s.vectors_last_loaded, s.vectors_last_error = loaded, error


def glove_source() -> None:
    st.markdown(f"**{GLOVE_NAME}**: 400,000 words, 50 numbers each, learnt by Stanford's GloVe "
                "on 6 billion words of Wikipedia and Gigaword. It ships with the app; nothing "
                "is downloaded.")
    if st.button(f"Use {GLOVE_NAME}", key="vectors_use_glove", type="primary",
                 disabled=current_choice() == GLOVE):
        with st.spinner(f"Loading {GLOVE_NAME}…"):
            loaded = load_glove()
        use(GLOVE)
        remember_outcome(loaded)


def folder_source(on_error: str) -> None:
    s = st.session_state
    folder = vectors_dir()
    st.markdown(
        f"Folder: `{folder.resolve()}` (set `{VECTORS_DIR_VARIABLE}` to use another). Put GloVe "
        "text files (one word and its numbers per line, separated by spaces) or word2vec text "
        "files (the same, after a first line *count dimensions*) in it; they are listed here. "
        "The first load writes a fast cache beside the file, so later loads are instant."
    )
    names = list_vector_files()
    if not names:
        st.info("The folder holds no vector files yet. Add one and reload this page, or "
                "upload a file instead.", icon=":material/folder_open:")
        return
    state.keep_among("vectors_file", names)
    st.selectbox("File", names, key="vectors_file", persist_state="session")
    if st.button("Load and use this file", key="vectors_load", type="primary"):
        try:
            with st.spinner(f"Reading {s.vectors_file}…"):
                loaded = load_folder_file(s.vectors_file, on_error=on_error)
        except InputError as error:
            remember_outcome(error=f"{error}")
        else:
            use(Choice(FOLDER, s.vectors_file, on_error))
            remember_outcome(loaded)


def upload_source(on_error: str) -> None:
    s = st.session_state
    limit = upload_limit_mb()
    upload = st.file_uploader(
        f"GloVe or word2vec text, up to {limit} MB (kept in this session only)",
        key="vectors_upload", max_upload_size=limit,
        help=f"Larger files, or more than {MAX_UPLOAD_WORDS:,} words: put them in the vectors "
             f"folder ({VECTORS_DIR_VARIABLE}) and choose \"{SOURCES[FOLDER]}\". Lines may "
             f"hold up to {MAX_DIM:,} numbers.")
    if upload is None:
        return
    # Each file is parsed once per setting; reruns must not parse it again. Going back to
    # an upload after using other vectors parses it again (its memory was let go).
    fresh = s.get("vectors_upload_done") != (upload.file_id, on_error)
    in_use = current_choice() == Choice(UPLOAD, upload.name, on_error)
    again = not fresh and not in_use and st.button(f"Use {upload.name}", key="vectors_use_upload",
                                                   type="primary")
    if fresh or again:
        s.vectors_upload_done = (upload.file_id, on_error)
        try:
            with st.spinner(f"Reading {upload.name}…"):
                loaded = parse_upload(upload, name=upload.name, on_error=on_error)
        except InputError as error:
            remember_outcome(error=f"{error}")
        else:
            use(Choice(UPLOAD, upload.name, on_error), loaded.vectors)
            remember_outcome(loaded)


if __name__ == "__main__":
    render()
