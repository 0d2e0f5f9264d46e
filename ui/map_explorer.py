"""The word map's inspector, as the Embedding Projector's panel: select, isolate, search, clusters.

The Neighbours & word maps page draws its 2-D map through `show_map`: a click selects a word
and highlights its nearest words on the map (it stays selected through searches until another
click or Clear, see ui/map_selection.py), a box or lasso lists the words inside it (with a
download, an Isolate button and Zoom in here, which redraws that part with its words labelled),
the search box highlights every match, clusters are shaded regions whose names cover no point,
and an uploaded word,category file colours the points. `sphereize_control` and
`isolated_words` run before the map is projected, since both change what is projected.
Every key starts with the page's `prefix`: `word_map_` for GloVe's word map, `projection_map_`
for the Projection page's map of the trained embedding (the same panel on the model's rows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from explorer.clusters import MAX_CLUSTERS, cluster
from explorer.errors import InputError
from explorer.explore import (METRICS, nearest, read_categories, search, sphereize,
                              variance_explained)
from explorer.explore_charts import WEBGL_FROM, explore_map
from explorer.spreadsheet import frame_to_csv
from ui import map_selection, state
from ui.markup import md, md_message

MATCH_MODES = {"word": "Whole word", "substring": "Contains", "regex": "Regular expression"}
METRIC_NAMES = {"cosine": "cosine", "euclidean": "euclidean"}
SPACES = {"map": "the map's coordinates", "vectors": "the word vectors"}
MAX_NEIGHBOURS = 50
SHOWN_UNKNOWN = 10
APART_COLOUR = "#7a7a7a"  # padding and unused ids: grey, not a class or cluster colour
PREFIX = "word_map"  # the Word map page's keys; another page passes its own prefix
_DEFAULTS = {"match": "word", "k": 10, "metric": "cosine", "sphereize": False,
             "clusters": False, "n_clusters": 8, "cluster_space": "map"}


def defaults(prefix: str = PREFIX) -> dict:
    """The panel's widget defaults under `prefix`."""
    return {f"{prefix}_{name}": value for name, value in _DEFAULTS.items()}


DEFAULTS = defaults()


def isolated_key(prefix: str = PREFIX) -> str:
    """The session key of the words a map is isolated to (not a widget)."""
    return f"{prefix}_isolated"


ISOLATED = isolated_key()


def sphereize_control(where=st, *, prefix: str = PREFIX) -> bool:
    """The Sphereize checkbox; True when the rows are centred and unit-normed before projecting."""
    state.remember(defaults(prefix))
    where.checkbox("Sphereize", key=f"{prefix}_sphereize", persist_state="session",
                   help="Centre the words on their mean and scale each to length 1 before "
                        "projecting, as the Embedding Projector's Sphereize data does: the map "
                        "then shows how the words differ from each other, not the direction "
                        "they all share.")
    return bool(st.session_state[f"{prefix}_sphereize"])


def isolated_words(words, *, prefix: str = PREFIX):
    """The words to map: the isolated selection when there is one, else `words`."""
    kept = st.session_state.get(isolated_key(prefix))
    if not kept:
        return words
    st.info(f"Isolated: the map shows only the {len(kept):,} words you selected, projected "
            "again on their own.", icon=":material/filter_center_focus:")
    st.button("Show all words again", key=f"{prefix}_show_all", on_click=_isolate,
              args=(None, prefix))
    return list(kept)


def _isolate(words, prefix: str = PREFIX) -> None:
    st.session_state[isolated_key(prefix)] = tuple(words) if words else None


def projected_rows(vectors, rows, sphereized: bool) -> np.ndarray:
    """What a word map projects: the words' unit vectors, or the sphereized ones."""
    unit = vectors.unit(rows)
    return sphereize(unit).astype(np.float32) if sphereized else unit


def show_map(frame: pd.DataFrame, vectors, *, hover, title: str, method: str,
             centre: str | None = None, sphereized: bool = False, prefix: str = PREFIX,
             matrix=None, raw=None, apart=(), apart_name: str = "", variance=None) -> None:
    """The explorable 2-D map of `frame` (columns id, word, x, y), its controls and answers.

    Args:
        frame: the projection, one row per word; `id` is the word's row in `vectors`
            (unless `matrix` is given).
        vectors: the Vectors the map was made from; with `matrix`, the vocabulary a searched
            word that is not on the map is looked up in (None: not looked up).
        hover: hover text per row.
        title: the chart's title.
        method: "pca", "tsne" or "umap" (only PCA has a variance explained).
        centre: a word to select when nothing else is (a neighbourhood's centre).
        sphereized: whether the map was made from sphereized vectors; clusters on the vectors,
            neighbours and the variance explained then use those too.
        prefix: the page's key prefix (every widget's key starts with it).
        matrix: the rows the map was projected from, one per row of `frame` (default: the
            words' unit, or sphereized, rows of `vectors`).
        raw: the same points' vectors as they are, for euclidean neighbours (default: `matrix`
            without `vectors`, else the rows of `vectors.raw`).
        apart: rows that are not words (a trained table's padding and unused ids), drawn as
            grey crosses over their dots, in a legend entry named `apart_name`.
        variance: the share of the variance each of the map's two axes holds, for PCA
            (default: `matrix`'s own principal axes', right when the map is a PCA of it).
    """
    state.remember(defaults(prefix))
    s = st.session_state

    def key(name: str) -> str:
        return f"{prefix}_{name}"

    words = frame["word"].tolist()
    if matrix is None:
        rows = frame["id"].to_numpy()
        matrix = projected_rows(vectors, rows, sphereized)
        raw = np.asarray(vectors.raw[rows])
    # Euclidean distance means something only on the vectors' own lengths (on unit vectors it
    # ranks as the cosine does): the raw rows, or the sphereized ones when those are mapped.
    neighbour_matrix = matrix if sphereized or raw is None else raw
    matches, found = _search(words, vectors, prefix)
    c1, c2, c3 = st.columns([2, 2, 3])
    c1.number_input(f"Neighbours of a clicked word (0 to {MAX_NEIGHBOURS})", min_value=0,
                    max_value=MAX_NEIGHBOURS, step=1, key=key("k"), persist_state="session")
    c2.radio("Distance", METRICS, format_func=METRIC_NAMES.get, key=key("metric"),
             persist_state="session", horizontal=True,
             help="Cosine compares directions; euclidean, straight-line distance between the "
                  "vectors (between the sphereized vectors when Sphereize is on).")
    clusters = _clusters(c3, frame, matrix, words, prefix)
    categories = _categories(words, prefix)
    event = st.session_state.get(key("plot"))
    clicked, boxed = selection_rows(event, words)
    clicked = map_selection.remembered_click(prefix, clicked, words)
    selected = clicked if clicked is not None else found
    if clicked is not None and found is not None and found != clicked:
        matches = [found]  # the click stays selected; the word searched for is ringed
    if selected is None and centre in words:
        selected = words.index(centre)
    near = []
    if selected is not None and int(s[key("k")]) > 0:
        near = nearest(neighbour_matrix, selected, k=int(s[key("k")]), metric=s[key("metric")])
    sign = map_selection.signature(frame, title)
    zoom = map_selection.current_zoom(prefix, sign)
    fig = explore_map(frame, hover=hover, selected=selected, neighbours=[i for i, _ in near],
                      matches=matches, categories=categories, clusters=clusters, title=title,
                      zoom=zoom)
    if len(apart):
        add_under_highlights(fig, apart_points(frame, list(apart), hover, name=apart_name))
    st.plotly_chart(fig, key=key("plot"), on_select="rerun",
                    selection_mode=("points", "box", "lasso"))
    labelled = sum(1 for t in fig.data for text in (t.text or ()) if text)
    notes = [f"{labelled:,} {'points' if len(apart) else 'words'} are labelled, where a label "
             "covers no other; hover a point "
             "for its word. Click a word to select it and see its nearest words; drag a box or "
             "a lasso (in the chart's toolbar) to list the words inside it or to zoom in "
             "there, where more of them get labels."]
    if method == "pca":
        shares = variance_explained(matrix, 2) if variance is None else np.asarray(variance)
        notes.append(f"PCA axis 1 explains {shares[0]:.1%} of the variance, axis 2 "
                     f"{shares[1]:.1%} ({shares.sum():.1%} together).")
    if clusters is not None:
        notes.append("Each cluster's shaded region holds the 80% of its words nearest its "
                     "middle.")
    st.caption(" ".join(notes))
    if zoom:
        x0, x1, y0, y1 = zoom
        inside = int((frame["x"].between(x0, x1) & frame["y"].between(y0, y1)).sum())
        map_selection.zoomed_note(prefix, inside, len(frame))
    map_selection.clear_button(prefix, words)
    if selected is not None and near:
        _neighbour_table(words[selected], near, words, prefix)
    if boxed:
        _selected_words(frame, boxed, prefix, region=map_selection.selection_region(event),
                        sign=sign)


def apart_points(frame: pd.DataFrame, rows: list[int], hover, *, name: str):
    """Grey crosses over the points of `rows`; clickable as the dots they cover (same row and
    word in each point's customdata, the same hover)."""
    part = frame.iloc[rows]
    # WebGL as the map's dots are from WEBGL_FROM points: an SVG trace lies under WebGL ones.
    trace = go.Scattergl if len(frame) >= WEBGL_FROM else go.Scatter
    return trace(x=part["x"], y=part["y"], mode="markers", name=name, showlegend=True,
                      customdata=[[r, frame["word"].iat[r]] for r in rows],
                      hovertext=[hover[r] for r in rows], hoverinfo="text",
                      marker={"symbol": "x-thin-open", "size": 9, "color": APART_COLOUR,
                              "line": {"width": 2, "color": APART_COLOUR}})


def add_under_highlights(fig, trace) -> None:
    """Add `trace` over the map's dots but under its labels' own layer (a WebGL map's) and its
    search matches, neighbours and selection, so that labels and highlights stay on top."""
    highlights = [i for i, t in enumerate(fig.data)
                  if t.name in ("labels", "search matches", "selected") or (t.name or "").startswith(
                      "neighbours")]
    fig.add_trace(trace)
    at = highlights[0] if highlights else len(fig.data) - 1
    fig.data = fig.data[:at] + fig.data[-1:] + fig.data[at:-1]


def _search(words, vectors, prefix: str = PREFIX):
    """The rows the search box matches, and the row of a whole-word match (or None)."""
    s = st.session_state
    c1, c2 = st.columns([3, 2])
    c1.text_input("Find a word on the map", key=f"{prefix}_search", persist_state="session",
                  placeholder="type a word, some letters or a pattern to highlight")
    c2.radio("Match", list(MATCH_MODES), format_func=MATCH_MODES.get, key=f"{prefix}_match",
             persist_state="session", horizontal=True)
    pattern = s[f"{prefix}_search"].strip()
    mode = s[f"{prefix}_match"]
    if not pattern:
        return [], None
    if mode == "word":
        # A point may stand for several words (ids that words share: "rude, services").
        lowered = [w.lower().split(", ") for w in words]
        at = next((i for i, parts in enumerate(lowered) if pattern.lower() in parts), None)
        if at is not None:
            return [], at
        if vectors is None:
            st.info(f"{md(repr(pattern))} is not among the {len(words):,} words on this map.")
            return [], None
        row = vectors.find(pattern)
        if row is not None:
            where = f"it is word {row + 1:,} of {md(vectors.name)}"
        else:
            close = vectors.suggest(pattern, n=3)
            where = f"it is not in the vocabulary of {md(vectors.name)}" + (
                f" (closest: {md(', '.join(close))})" if close else "")
        st.info(f"{md(repr(pattern))} is not among the {len(words):,} words on this map: "
                f"{where}.")
        return [], None
    try:
        rows = search(words, pattern, mode=mode)
    except InputError as error:
        st.warning(md_message(error))
        return [], None
    one, many = (("contains", "contain") if mode == "substring"
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


def _clusters(where, frame, matrix, words, prefix: str = PREFIX):
    s = st.session_state
    with where:
        st.toggle("Clusters", key=f"{prefix}_clusters", persist_state="session",
                  help="KMeans (seed 0) groups the words; each group is shaded and named by "
                       "its words nearest its centre.")
        if not s[f"{prefix}_clusters"]:
            return None
        a, b = st.columns(2)
        a.number_input(f"How many (2 to {MAX_CLUSTERS})", min_value=2, max_value=MAX_CLUSTERS,
                       step=1, key=f"{prefix}_n_clusters", persist_state="session")
        b.radio("On", list(SPACES), format_func=SPACES.get, key=f"{prefix}_cluster_space",
                persist_state="session")
    on_map = s[f"{prefix}_cluster_space"] == "map"
    points = frame[["x", "y"]].to_numpy() if on_map else matrix
    try:
        return cluster(points, words, n_clusters=int(s[f"{prefix}_n_clusters"]), random_state=0)
    except InputError as error:
        st.warning(md_message(error))
        return None


def _categories(words, prefix: str = PREFIX):
    upload = st.file_uploader("Colour by category: a CSV of word,category", type=["csv", "txt"],
                              key=f"{prefix}_categories",
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


def _neighbour_table(word, near, words, prefix: str = PREFIX) -> None:
    metric = st.session_state[f"{prefix}_metric"]
    name = "cosine distance" if metric == "cosine" else "euclidean distance"
    st.markdown(f"**{md(word)}** and its {len(near)} nearest words on this map "
                f"(by {metric}, green on the map):")
    table = pd.DataFrame({"rank": range(1, len(near) + 1), "word": [words[i] for i, _ in near],
                          name: [round(d, 4) for _, d in near]})
    st.dataframe(table, hide_index=True, key=f"{prefix}_selected_neighbours", width=560)


def _selected_words(frame, rows, prefix: str = PREFIX, *, region=None, sign: str = "") -> None:
    picked = frame.iloc[rows][["word", "x", "y"]].reset_index(drop=True)
    st.markdown(f"**{len(picked):,} words selected** with the box or lasso:")
    st.dataframe(picked, hide_index=True, key=f"{prefix}_selection_table", width=560,
                 height=min(400, 36 * (len(picked) + 1)))
    c1, c2, c3 = st.columns(3)
    c1.download_button("Selected words as CSV", frame_to_csv(picked), "selected_words.csv",
                       "text/csv", key=f"{prefix}_selection_download")
    if region is not None:
        map_selection.zoom_button(c3, prefix, region, sign)
    if len(picked) >= 4:
        c2.button(f"Isolate these {len(picked):,} words", key=f"{prefix}_isolate",
                  on_click=_isolate, args=(picked["word"].tolist(), prefix),
                  help="Redraw the map with only the selected words, projected again.")
    else:
        c2.caption("Select at least 4 words to isolate them (a map needs 4).")
