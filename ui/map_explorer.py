"""The word map's inspector, as the Embedding Projector's panel: select, isolate, search, clusters.

The Neighbours & word maps page draws its 2-D map through `show_map`: a click selects a word
and highlights its nearest words on the map, a box or lasso lists the words inside it (with a
download and an Isolate button), the search box highlights every match, clusters are named
where they sit, and an uploaded word,category file colours the points. `sphereize_control` and
`isolated_words` run before the map is projected, since both change what is projected.
Every key starts with `word_map_` (the page's name).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from explorer.clusters import MAX_CLUSTERS, cluster
from explorer.errors import InputError
from explorer.explore import (METRICS, nearest, read_categories, search, sphereize,
                              variance_explained)
from explorer.explore_charts import explore_map
from explorer.spreadsheet import frame_to_csv
from ui import state
from ui.markup import md, md_message

MATCH_MODES = {"word": "Whole word", "substring": "Contains", "regex": "Regular expression"}
METRIC_NAMES = {"cosine": "cosine", "euclidean": "euclidean"}
SPACES = {"map": "the map's coordinates", "vectors": "the word vectors"}
MAX_NEIGHBOURS = 50
SHOWN_UNKNOWN = 10
DEFAULTS = {
    "word_map_match": "word", "word_map_k": 10, "word_map_metric": "cosine",
    "word_map_sphereize": False, "word_map_clusters": False, "word_map_n_clusters": 8,
    "word_map_cluster_space": "map",
}
ISOLATED = "word_map_isolated"  # the words the map is isolated to (not a widget)


def sphereize_control(where=st) -> bool:
    """The Sphereize checkbox; True when the rows are centred and unit-normed before projecting."""
    state.remember(DEFAULTS)
    where.checkbox("Sphereize", key="word_map_sphereize", persist_state="session",
                   help="Centre the words on their mean and scale each to length 1 before "
                        "projecting, as the Embedding Projector's Sphereize data does: the map "
                        "then shows how the words differ from each other, not the direction "
                        "they all share.")
    return bool(st.session_state.word_map_sphereize)


def isolated_words(words):
    """The words to map: the isolated selection when there is one, else `words`."""
    kept = st.session_state.get(ISOLATED)
    if not kept:
        return words
    st.info(f"Isolated: the map shows only the {len(kept):,} words you selected, projected "
            "again on their own.", icon=":material/filter_center_focus:")
    st.button("Show all words again", key="word_map_show_all", on_click=_isolate, args=(None,))
    return list(kept)


def _isolate(words) -> None:
    st.session_state[ISOLATED] = tuple(words) if words else None


def projected_rows(vectors, rows, sphereized: bool) -> np.ndarray:
    """What a word map projects: the words' unit vectors, or the sphereized ones."""
    unit = vectors.unit(rows)
    return sphereize(unit).astype(np.float32) if sphereized else unit


def show_map(frame: pd.DataFrame, vectors, *, hover, title: str, method: str,
             centre: str | None = None, sphereized: bool = False) -> None:
    """The explorable 2-D map of `frame` (columns id, word, x, y), its controls and answers.

    Args:
        frame: the projection, one row per word; `id` is the word's row in `vectors`.
        vectors: the Vectors the map was made from.
        hover: hover text per row.
        title: the chart's title.
        method: "pca", "tsne" or "umap" (only PCA has a variance explained).
        centre: a word to select when nothing else is (a neighbourhood's centre).
        sphereized: whether the map was made from sphereized vectors; clusters on the vectors,
            neighbours and the variance explained then use those too.
    """
    state.remember(DEFAULTS)
    s = st.session_state
    words = frame["word"].tolist()
    rows = frame["id"].to_numpy()
    matrix = projected_rows(vectors, rows, sphereized)
    # Euclidean distance means something only on the vectors' own lengths (on unit vectors it
    # ranks as the cosine does): the raw rows, or the sphereized ones when those are mapped.
    neighbour_matrix = matrix if sphereized else np.asarray(vectors.raw[rows])
    matches, found = _search(words, vectors)
    c1, c2, c3 = st.columns([2, 2, 3])
    c1.number_input(f"Neighbours of a clicked word (0 to {MAX_NEIGHBOURS})", min_value=0,
                    max_value=MAX_NEIGHBOURS, step=1, key="word_map_k", persist_state="session")
    c2.radio("Distance", METRICS, format_func=METRIC_NAMES.get, key="word_map_metric",
             persist_state="session", horizontal=True,
             help="Cosine compares directions; euclidean, straight-line distance between the "
                  "vectors (between the sphereized vectors when Sphereize is on).")
    clusters = _clusters(c3, frame, matrix, words)
    categories = _categories(words)
    clicked, boxed = selection_rows(st.session_state.get("word_map_plot"), words)
    selected = clicked if clicked is not None else found
    if selected is None and centre in words:
        selected = words.index(centre)
    near = []
    if selected is not None and int(s.word_map_k) > 0:
        near = nearest(neighbour_matrix, selected, k=int(s.word_map_k), metric=s.word_map_metric)
    fig = explore_map(frame, hover=hover, selected=selected, neighbours=[i for i, _ in near],
                      matches=matches, categories=categories, clusters=clusters, title=title)
    st.plotly_chart(fig, key="word_map_plot", on_select="rerun",
                    selection_mode=("points", "box", "lasso"))
    notes = ["Click a word to select it and see its nearest words; drag a box or a lasso "
             "(in the chart's toolbar) to list the words inside it."]
    if method == "pca":
        shares = variance_explained(matrix, 2)
        notes.append(f"PCA axis 1 explains {shares[0]:.1%} of the variance, axis 2 "
                     f"{shares[1]:.1%} ({shares.sum():.1%} together).")
    st.caption(" ".join(notes))
    if selected is not None and near:
        _neighbour_table(words[selected], near, words)
    if boxed:
        _selected_words(frame, boxed)


def _search(words, vectors):
    """The rows the search box matches, and the row of a whole-word match (or None)."""
    s = st.session_state
    c1, c2 = st.columns([3, 2])
    c1.text_input("Find a word on the map", key="word_map_search", persist_state="session",
                  placeholder="type a word, some letters or a pattern to highlight")
    c2.radio("Match", list(MATCH_MODES), format_func=MATCH_MODES.get, key="word_map_match",
             persist_state="session", horizontal=True)
    pattern = s.word_map_search.strip()
    if not pattern:
        return [], None
    if s.word_map_match == "word":
        lowered = [w.lower() for w in words]
        if pattern.lower() in lowered:
            return [], lowered.index(pattern.lower())
        row = vectors.find(pattern) if vectors is not None else None
        where = (f"it is word {row + 1:,} of {md(vectors.name)}" if row is not None
                 else f"it is not in the vocabulary of {md(getattr(vectors, 'name', ''))}")
        st.info(f"{md(repr(pattern))} is not among the {len(words):,} words on this map: "
                f"{where}.")
        return [], None
    try:
        rows = search(words, pattern, mode=s.word_map_match)
    except InputError as error:
        st.warning(md_message(error))
        return [], None
    one, many = (("contains", "contain") if s.word_map_match == "substring"
                 else ("matches the pattern", "match the pattern"))
    if not rows:
        st.info(f"No word on this map {one} {md(repr(pattern))}.")
    elif len(rows) == len(words):
        st.info(f"Every word on this map {one} {md(repr(pattern))}, so nothing stands out. "
                "Narrow the search.")
        return [], None
    else:
        st.caption(f"{len(rows):,} of the {len(words):,} words {many if len(rows) > 1 else one} "
                   f"{md(repr(pattern))} (ringed in orange).")
    return rows, None


def _clusters(where, frame, matrix, words):
    s = st.session_state
    with where:
        st.toggle("Clusters", key="word_map_clusters", persist_state="session",
                  help="KMeans (seed 0) groups the words; each group is named by its words "
                       "nearest its centre.")
        if not s.word_map_clusters:
            return None
        a, b = st.columns(2)
        a.number_input(f"How many (2 to {MAX_CLUSTERS})", min_value=2, max_value=MAX_CLUSTERS,
                       step=1, key="word_map_n_clusters", persist_state="session")
        b.radio("On", list(SPACES), format_func=SPACES.get, key="word_map_cluster_space",
                persist_state="session")
    points = frame[["x", "y"]].to_numpy() if s.word_map_cluster_space == "map" else matrix
    try:
        return cluster(points, words, n_clusters=int(s.word_map_n_clusters), random_state=0)
    except InputError as error:
        st.warning(md_message(error))
        return None


def _categories(words):
    upload = st.file_uploader("Colour by category: a CSV of word,category", type=["csv", "txt"],
                              key="word_map_categories",
                              help="One line per word, e.g. king,royalty. Words not on the "
                                   "map are listed; the 10 commonest categories get colours.")
    if upload is None:
        return None
    try:
        found = read_categories(upload.getvalue(), words)
    except InputError as error:
        st.warning(md_message(error))
        return None
    named = sum(v is not None for v in found.per_row)
    notes = [f"{named:,} of the {len(words):,} words on the map have a category in "
             f"{md(upload.name)} ({found.n_categories:,} categories)."]
    if found.lumped:
        notes.append(f"Only the 10 commonest get a colour of their own; the other "
                     f"{found.lumped:,} are drawn as “other”.")
    if found.unknown:
        shown = ", ".join(found.unknown[:SHOWN_UNKNOWN])
        more = f" and {len(found.unknown) - SHOWN_UNKNOWN:,} more" if len(
            found.unknown) > SHOWN_UNKNOWN else ""
        notes.append(f"{len(found.unknown):,} word{'s' * (len(found.unknown) > 1)} of the file "
                     f"{'are' if len(found.unknown) > 1 else 'is'} not on this map: "
                     f"{md(shown)}{more}.")
    (st.warning if named == 0 else st.caption)(" ".join(notes))
    return found.per_row if named else None


def selection_rows(event, words) -> tuple[int | None, list[int]]:
    """(the clicked row or None, the rows of a box or lasso) from a chart's selection event.

    A point whose word is not the word at its row on this map was selected on another map
    (other words, the same chart key) and is ignored: each point carries its row and word.

    >>> words = ["king", "queen", "frog"]
    >>> click = {"selection": {"points": [{"customdata": [1, "queen"]}], "box": [], "lasso": []}}
    >>> selection_rows(click, words)
    (1, [])
    >>> box = {"selection": {"points": [{"customdata": [0, "king"]}, {"customdata": [2, "frog"]},
    ...                                 {"customdata": [2, "toad"]}], "box": [{}], "lasso": []}}
    >>> selection_rows(box, words)
    (None, [0, 2])
    """
    selection = (event or {}).get("selection") or {}
    rows = []
    for point in selection.get("points") or []:
        data = point.get("customdata") or []
        if (len(data) >= 2 and isinstance(data[0], int) and 0 <= data[0] < len(words)
                and words[data[0]] == data[1]):
            rows.append(data[0])
    rows = list(dict.fromkeys(rows))
    dragged = bool(selection.get("box") or selection.get("lasso"))
    if not rows:
        return None, []
    if len(rows) == 1 and not dragged:
        return rows[0], []
    return None, rows


def _neighbour_table(word, near, words) -> None:
    s = st.session_state
    name = "cosine distance" if s.word_map_metric == "cosine" else "euclidean distance"
    st.markdown(f"**{md(word)}** and its {len(near)} nearest words on this map "
                f"(by {s.word_map_metric}, green on the map):")
    table = pd.DataFrame({"rank": range(1, len(near) + 1), "word": [words[i] for i, _ in near],
                          name: [round(d, 4) for _, d in near]})
    st.dataframe(table, hide_index=True, key="word_map_selected_neighbours", width=560)


def _selected_words(frame, rows) -> None:
    picked = frame.iloc[rows][["word", "x", "y"]].reset_index(drop=True)
    st.markdown(f"**{len(picked):,} words selected** with the box or lasso:")
    st.dataframe(picked, hide_index=True, key="word_map_selection_table", width=560,
                 height=min(400, 36 * (len(picked) + 1)))
    c1, c2 = st.columns(2)
    c1.download_button("Selected words as CSV", frame_to_csv(picked), "selected_words.csv",
                       "text/csv", key="word_map_selection_download")
    if len(picked) >= 4:
        c2.button(f"Isolate these {len(picked):,} words", key="word_map_isolate",
                  on_click=_isolate, args=(picked["word"].tolist(),),
                  help="Redraw the map with only the selected words, projected again.")
    else:
        c2.caption("Select at least 4 words to isolate them (a map needs 4).")
