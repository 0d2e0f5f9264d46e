"""Word maps of more than 10,000 words (up to 100,000) on the Neighbours & word maps page.

PCA is drawn at once; t-SNE and UMAP show a progress bar and are kept on disk by
explorer.big_map, so the next visitor asking for the same map gets it at once. The figure is
explorer.big_map_charts' WebGL one: every point, the word on hover, labels where they fit.
A box dragged on it zooms in: only that part is sent again, its words labelled at that zoom.
The search highlights a word, the words containing some letters, or a pattern's matches.
Click selection, box lists, clusters and colours (ui/map_explorer.py) stay with maps of up to
10,000 words: see LIMIT_NOTE for why.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from explorer.big_map import BIG_FROM, map_coordinates
from explorer.big_map_charts import big_map_figure
from explorer.errors import InputError
from explorer.explore import search
from explorer.spreadsheet import frame_to_csv
from ui import map_explorer, map_selection
from ui.markup import md, md_message

NAMES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}
PREFIX = "word_map_big"
MAX_MARKED = 5_000  # search matches drawn as diamonds; more would hide the map
LIMIT_NOTE = (
    "Clicking a word for its neighbours, box lists, clusters and colours work on maps of up "
    f"to {BIG_FROM:,} words: each click or box sends the selected points back to the server "
    "and the page then redraws the whole figure, about 2 MB at 100,000 words, several seconds "
    "a click on this server; and clusters named and shaded at 100,000 points crowd into "
    "blots. Search and zoom work here at any size.")


def word_rows(vectors, words) -> list[int] | range:
    """The rows of `words`, which are in vocabulary spelling (100,000 lookups by row() would
    take seconds; the most frequent words are simply the first rows)."""
    if list(words) == vectors.words[:len(words)]:
        return range(len(words))
    index = vectors.index
    return [index[w] for w in words]


def words_key(vectors, words) -> str:
    """A short name for a word list, for cache keys: hashing 100,000 words as a tuple took
    st.cache_data 2.8 s a rerun on a busy machine; the most frequent n words are "top n"."""
    if list(words) == vectors.words[:len(words)]:
        return f"top {len(words)}"
    return hashlib.blake2b("\n".join(words).encode("utf-8"), digest_size=16).hexdigest()


@st.cache_data(max_entries=4, show_spinner=False)
def cached_pca(key, wkey, sphereized, _vectors, _words):
    # `key` stands for the vectors (see vectors_key), `wkey` for the words (words_key); a few
    # 100,000-word maps are ~1 MB each.
    rows = word_rows(_vectors, _words)
    matrix = map_explorer.projected_rows(_vectors, rows, sphereized)
    return map_coordinates(matrix, _words, method="pca").coords


# Server-wide and not copied: building the 100,000-word figure (every word escaped for hover,
# plotly's copies of the arrays) took 0.3-0.8 s a rerun on a busy machine; a map someone drew
# is drawn again for the next visitor with only Streamlit's own serialising. st.plotly_chart
# reads the figure and never changes it.
@st.cache_resource(max_entries=4, show_spinner=False)
def cached_figure(key, wkey, method, seed, sphereized, title, marked, zoom, _coords, _words):
    # (key, wkey, method, seed, sphereized) name the coordinates; marked and zoom the view.
    highlight = list(marked) if isinstance(marked, tuple) else marked
    return big_map_figure(_coords, _words, title=title, highlight=highlight, zoom=zoom)


def coordinates(vectors, vkey, words, *, method: str, seed: int, sphereized: bool):
    """The map's (n, 2) coordinates; t-SNE and UMAP with a progress bar (or from the disk)."""
    if method == "pca":
        with st.spinner(f"PCA of {len(words):,} words…"):
            return cached_pca(vkey, words_key(vectors, words), sphereized, vectors, words)
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
    marked = _search(words)
    title = f"{NAMES[method]} of {len(words):,} words"
    frame = pd.DataFrame({"word": list(words), "x": coords[:, 0], "y": coords[:, 1]})
    sign = map_selection.signature(frame, title)
    region = map_selection.selection_region(s.get("word_map_big_plot"))
    if region != s.get(f"{PREFIX}_seen_box"):  # a box just dragged: zoom into it
        s[f"{PREFIX}_seen_box"] = region
        if region is not None:
            s[f"{PREFIX}_zoom"] = {"range": region, "map": sign}
    zoom = map_selection.current_zoom(PREFIX, sign)
    marks = tuple(marked) if isinstance(marked, list) else marked
    fig = cached_figure(vkey, words_key(vectors, words), method, seed, sphereized, title, marks,
                        zoom, coords, words)
    st.plotly_chart(fig, key="word_map_big_plot", on_select="rerun", selection_mode=("box",))
    shown, labelled = len(fig.data[0].x), len(fig.data[1].x)
    st.caption(f"{shown:,} words drawn with WebGL; {labelled:,} labelled where a label covers "
               "no other, the most frequent first. Hover a point for its word, drag to pan, "
               "scroll to zoom; to label more words, choose Box Select in the chart's toolbar "
               "and drag a box: the map zooms into it. " + LIMIT_NOTE)
    if zoom:
        map_selection.zoomed_note(PREFIX, shown, len(words))
    st.download_button("Coordinates as CSV (word, x, y)", lambda: frame_to_csv(frame),
                       "word_map.csv", "text/csv", key="word_map_big_download")


def _search(words) -> list[int] | str | None:
    """The search box and its Match choice: the word to mark, or the rows matched."""
    s = st.session_state
    c1, c2 = st.columns([3, 2])
    c1.text_input("Find a word on the map", key="word_map_search", persist_state="session",
                  placeholder="type a word, some letters or a pattern to mark")
    c2.radio("Match", list(map_explorer.MATCH_MODES), format_func=map_explorer.MATCH_MODES.get,
             key="word_map_match", persist_state="session", horizontal=True)
    pattern = s.word_map_search.strip()
    if not pattern:
        return None
    if s.word_map_match == "word":
        lowered = pattern.lower()
        found = next((w for w in words if w.lower() == lowered), None)
        if found is None:
            st.info(f"{md(repr(pattern))} is not among the {len(words):,} words on this map.")
        return found
    try:
        rows = search(words, pattern, mode=s.word_map_match)
    except InputError as error:
        st.warning(md_message(error))
        return None
    if not rows:
        st.info(f"No word on this map matches {md(repr(pattern))}.")
        return None
    st.caption(f"{len(rows):,} of the {len(words):,} words match {md(repr(pattern))}"
               + (f"; the {MAX_MARKED:,} most frequent are marked in red." if len(rows) >
                  MAX_MARKED else " (marked in red)."))
    return rows[:MAX_MARKED]
