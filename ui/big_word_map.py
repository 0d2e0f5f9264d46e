"""Word maps of more than 10,000 words (up to 100,000) on the Neighbours & word maps page.

PCA is drawn at once; t-SNE and UMAP show a progress bar and are kept on disk by
explorer.big_map, so the next visitor asking for the same map gets it at once. The figure is
explorer.big_map_charts' WebGL one: every point, the word on hover, labels where they fit.
Selection, clusters and colours (ui/map_explorer.py) stay with maps of up to 10,000 words.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.big_map import BIG_FROM, map_coordinates
from explorer.big_map_charts import MAX_LABELS, big_map_figure, readable_labels
from explorer.errors import InputError
from explorer.spreadsheet import frame_to_csv
from ui import map_explorer
from ui.markup import md, md_message

NAMES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}


def word_rows(vectors, words) -> list[int] | range:
    """The rows of `words`, which are in vocabulary spelling (100,000 lookups by row() would
    take seconds; the most frequent words are simply the first rows)."""
    if list(words) == vectors.words[:len(words)]:
        return range(len(words))
    index = vectors.index
    return [index[w] for w in words]


@st.cache_data(max_entries=4, show_spinner=False)
def cached_pca(key, words, sphereized, _vectors):
    # `key` stands for the vectors (see vectors_key); a few 100,000-word maps are ~1 MB each.
    rows = word_rows(_vectors, words)
    matrix = map_explorer.projected_rows(_vectors, rows, sphereized)
    return map_coordinates(matrix, words, method="pca").coords


def coordinates(vectors, vkey, words, *, method: str, seed: int, sphereized: bool):
    """The map's (n, 2) coordinates; t-SNE and UMAP with a progress bar (or from the disk)."""
    if method == "pca":
        with st.spinner(f"PCA of {len(words):,} words…"):
            return cached_pca(vkey, tuple(words), sphereized, vectors)
    matrix = map_explorer.projected_rows(vectors, word_rows(vectors, words), sphereized)
    bar = st.progress(0.0, text=f"{NAMES[method]} of {len(words):,} words: several minutes on "
                                "a busy machine; the map is kept, so it is computed once…")

    def progress(fraction: float, text: str) -> None:
        bar.progress(min(1.0, max(0.0, fraction)), text=f"{text} ({fraction:.0%})")

    try:
        return map_coordinates(matrix, words, method=method, dims=2, seed=seed,
                               progress=progress).coords
    finally:
        bar.empty()


def show_big_map(vectors, vkey, words, *, method: str, dims: int, seed: int,
                 sphereized: bool) -> None:
    """The map of `words` (more than BIG_FROM), a search that marks a word, the download."""
    s = st.session_state
    if dims == 3:
        st.info(f"Maps of more than {BIG_FROM:,} words are drawn in 2-D: a 3-D cloud of that "
                "many points shows nothing but a ball.", icon=":material/info:")
    try:
        coords = coordinates(vectors, vkey, words, method=method, seed=seed,
                             sphereized=sphereized)
    except InputError as error:
        st.warning(md_message(error))
        return
    st.text_input("Find a word on the map", key="word_map_search", persist_state="session",
                  placeholder="type a word to mark it")
    search = s.word_map_search.strip()
    on_map = {w.lower(): w for w in words} if search else {}
    highlight = on_map.get(search.lower())
    if search and highlight is None:
        st.info(f"{md(repr(search))} is not among the {len(words):,} words on this map.")
    title = f"{NAMES[method]} of {len(words):,} words"
    st.plotly_chart(big_map_figure(coords, words, title=title, highlight=highlight),
                    key="word_map_big_plot")
    labelled = len(readable_labels(coords, max_labels=MAX_LABELS))
    st.caption(f"{len(words):,} words drawn with WebGL; {labelled:,} labelled where a label "
               "fits, the most frequent first. Hover a point for its word, drag to pan, scroll "
               "to zoom. Selection, clusters and colours work on maps of up to "
               f"{BIG_FROM:,} words.")
    frame = pd.DataFrame({"word": list(words), "x": coords[:, 0], "y": coords[:, 1]})
    st.download_button("Coordinates as CSV (word, x, y)", lambda: frame_to_csv(frame),
                       "word_map.csv", "text/csv", key="word_map_big_download")

