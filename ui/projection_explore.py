"""The Projection page's Projector panel on the trained embedding: the inspector map, word axes.

The map is the Word map page's inspector (ui/map_explorer.py) on the model's own rows: click an
id for its nearest ids, box or lasso to list and isolate, search, PCA's variance explained,
Sphereize, clusters, colours from a word,category CSV. The axes are explorer/axes.py's, written
with any word the model knows and placing the model's ids. Keys start with `projection_map_`
and `projection_axes_`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import streamlit as st

from explorer.axes import UnknownAxisWordError, axis_coordinates, parse_axis
from explorer.errors import InputError
from explorer.explore import sphereize
from explorer.explore_charts import axis_scatter, bias_bars
from explorer.projection import MIN_POINTS, axis_variance_shares, project
from explorer.spreadsheet import frame_to_csv
from explorer.text import PADDING_ID
from ui import map_explorer, projection_state, state
from ui.markup import md, md_message

PREFIX = "projection_map"
METHOD_NAMES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}
MAX_BARS = 40  # one axis: the bar chart shows the ids at both ends, the CSV all of them
AXIS_KEYS = {"x axis": "projection_axes_x", "y axis": "projection_axes_y"}
# An axis such as awesome - horrible runs from one id's vector to another's: words on one id
# share one vector (no direction between them), and a one-word axis on a lone id only ranks
# that id against itself. Two ids are the least that can be placed apart on an axis.
MIN_AXIS_IDS = 2


@st.cache_data(max_entries=16, show_spinner=False)
def cached_map(matrix, method, seed, perplexity, labels, ids):
    # Keyed by the rows themselves (a few thousand at most): a new model is a new map.
    return project(matrix, method=method, n_components=2, random_state=seed,
                   perplexity=perplexity, labels=list(labels), ids=list(ids))


@st.fragment
def explore_section(run, ids, words, hover, *, method: str, seed: int, perplexity,
                    trained_frame=None, no_word_points: int = 0) -> None:
    """The inspector map of the trained vectors of `ids` (labelled `words`, hover `hover`).

    Args:
        perplexity: the page's t-SNE perplexity for exactly these points (None: the default).
        trained_frame: the page's own 2-D projection of these ids' trained vectors (columns
            id, word, x, y), shown as it is while the map shows all of them unsphereized
            instead of projecting them a second time; None to project here.
        no_word_points: how many of `ids` are padding or unused ids (the page places them on
            request), drawn apart from the words.
    """
    st.subheader("Explore the trained space", divider="gray")
    st.caption(
        "The trained vectors, explored as in the Embedding Projector: click a point to see the "
        "words the model treats most alike, drag a box or a lasso to list and isolate words, "
        "search by letters or a pattern. This map is always 2-D and uses the Method, seed and "
        "\"Padding, unused ids\" above.")
    by_label = dict(zip(words, ids))
    hover_of = dict(zip(ids, hover))
    kept = st.session_state.get(map_explorer.isolated_key(PREFIX))
    if kept and sum(w in by_label for w in kept) < MIN_POINTS:
        # Isolated on an earlier model's words: this model's map shows all of its own.
        st.session_state[map_explorer.isolated_key(PREFIX)] = None
    sphereized = map_explorer.sphereize_control(prefix=PREFIX)
    shown = [w for w in map_explorer.isolated_words(words, prefix=PREFIX) if w in by_label]
    place = [by_label[w] for w in shown]
    raw = np.asarray(run.weights_after[place], dtype=np.float64)
    matrix = sphereize(raw) if sphereized else raw
    if trained_frame is not None and not sphereized and place == list(ids):
        frame = trained_frame  # the same points as the page's map above: the same picture
    else:
        try:
            with st.spinner(f"{METHOD_NAMES[method]} of {len(place)} words…"):
                frame = cached_map(matrix, method, seed,
                                   perplexity if len(place) == len(ids) else None,
                                   tuple(shown), tuple(place))
        except InputError as error:
            st.warning(md_message(error))
            return
    mapping = run.encoded.encoder.id_to_words
    no_word = [row for row, index in enumerate(place) if index == PADDING_ID or index not in mapping]
    n_words = sum(len(mapping[index]) for index in place if index in mapping and index != PADDING_ID)
    title = (f"{METHOD_NAMES[method]} of {len(frame):,} trained vectors ({n_words:,} words, "
             f"epoch {run.epochs_run})")
    map_explorer.show_map(frame, projection_state.vocabulary(run), hover=[hover_of[i] for i in place],
                          title=title, method=method, sphereized=sphereized, prefix=PREFIX,
                          matrix=matrix, raw=raw, apart=no_word,
                          apart_name="padding and unused ids",
                          # The reused frame's axes are the movie's PCA of every epoch, not
                          # these rows' own: say what share of their variance those axes hold.
                          variance=axis_variance_shares(matrix, frame[["x", "y"]].to_numpy())
                          if method == "pca" else None)
    notes = ["Points are the trained vectors as they are: a word's length counts for euclidean "
             "distance and for PCA." if not sphereized else
             "Points are the trained vectors centred on their mean, then at unit length "
             "(sphereized)."]
    if no_word:
        notes.append(no_word_note(run, [place[row] for row in no_word]))
    elif no_word_points:
        notes.append("The padding and unused ids are not among the isolated words.")
    st.caption(" ".join(notes))
    st.download_button("Coordinates as CSV (id, word, x, y)", lambda: frame_to_csv(frame),
                       "trained_map.csv", "text/csv", key=f"{PREFIX}_download")


def no_word_note(run, no_word_ids) -> str:
    """What the grey crosses are, how many, and why they sit where they do."""
    padding = PADDING_ID in no_word_ids
    unused = len(no_word_ids) - padding
    parts = (["the padding row (id 0)"] if padding else []) + (
        [f"{unused:,} unused id{'s' * (unused != 1)}"] if unused else [])
    said = [f"Grey crosses: {' and '.join(parts)}."]
    if unused:
        said.append("An unused id belongs to no word of your reviews, so training never moves "
                    "it: it stays where it started.")
    if padding:
        said.append("Padding fills the empty slots of a review shorter than the Max length; "
                    "it moves only as far as the model learns from those slots"
                    + (" (here none: mask_zero makes the head skip padding)."
                       if run.settings.mask_zero else "."))
    return " ".join(said)


def default_axis(run, leans) -> str:
    """The words the model leans on most towards each class, as an axis ("awesome - horrible"),
    or "" when no two ids lean apart."""
    mapping = run.encoded.encoder.id_to_words
    known = [i for i in mapping if i < len(leans.values)]
    if len(known) < 2:
        return ""
    most, least = max(known, key=lambda i: leans.values[i]), min(known, key=lambda i: leans.values[i])
    if leans.values[most] <= leans.values[least]:
        return ""
    return f"{mapping[most][0]} - {mapping[least][0]}"


@st.fragment
def axes_section(run, ids, words) -> None:
    """The model's ids placed on one or two word directions typed with its own words."""
    st.subheader("Word axes on the trained embedding", divider="gray")
    if len(ids) < MIN_AXIS_IDS:
        st.info(f"Word axes need at least {MIN_AXIS_IDS} word ids, one for each side of an x "
                f"axis such as awesome - horrible; this model has {len(ids)}. Raise the "
                "Vocabulary size on the Encode page, or add reviews with more words.")
        return
    state.remember({"projection_axes_x": default_axis(run, projection_state.leans(run)),
                    "projection_axes_y": ""})
    s = st.session_state
    st.caption(
        "Type a direction as words joined by + and −, such as great − awful: each point is "
        "placed by the cosine between its trained vector and that direction (−1 to 1), as the "
        "Word axes page does for GloVe. With only an x axis the words are ranked along it; add "
        "a y axis for a map on two directions.")
    c1, c2 = st.columns(2)
    c1.text_input("x axis", key="projection_axes_x", persist_state="session",
                  help="Words the model knows joined by + and −, e.g. awesome - horrible, or one "
                       "word (similarity to it).")
    c2.text_input("y axis (optional)", key="projection_axes_y", persist_state="session",
                  help="Leave empty to rank the words along the x axis alone.")
    if not s.projection_axes_x.strip():
        st.info("Type an x axis, for example two words of your reviews that mean opposite "
                "things, such as awesome - horrible.")
        return
    vocabulary = projection_state.vocabulary(run)
    try:
        axes = [parse_axis(s.projection_axes_x, field="x axis")]
        if s.projection_axes_y.strip():
            axes.append(parse_axis(s.projection_axes_y, field="y axis"))
        spelled, coords = axis_coordinates(vocabulary, run.weights_after[ids], axes)
    except (UnknownAxisWordError, InputError) as error:
        show_axis_problem(error)
        return
    texts = [axis.text for axis in spelled]
    if len(axes) == 2:
        frame = pd.DataFrame({"id": ids, "word": words, "x": coords[:, 0], "y": coords[:, 1]})
        st.plotly_chart(axis_scatter(frame, x_title=texts[0], y_title=texts[1],
                                     title=f"{len(frame):,} ids on {texts[0]} and {texts[1]}"),
                        key="projection_axes_map")
        st.caption(f"x = cos(vector, {md(texts[0])}), y = cos(vector, {md(texts[1])}); each "
                   "direction adds and subtracts its words' unit vectors. Right of zero: nearer "
                   "the first words of the x axis.")
    else:
        frame = pd.DataFrame({"id": ids, "word": words, "score": coords[:, 0]}).sort_values(
            "score", ascending=False, kind="stable").reset_index(drop=True)
        shown = frame if len(frame) <= MAX_BARS else pd.concat(
            [frame.head(MAX_BARS // 2), frame.tail(MAX_BARS // 2)])
        positive = " + ".join(spelled[0].positive) or "—"
        negative = " + ".join(spelled[0].negative)
        st.plotly_chart(bias_bars(shown, axis_text=texts[0], positive=positive,
                                  negative=negative or "the opposite direction"),
                        key="projection_axes_bars")
        ahead = int((frame["score"] > 0).sum())
        other = f"the {md(negative)} side" if negative else "the other"
        note = (f" The {MAX_BARS // 2} ids at each end are drawn; the CSV has all "
                f"{len(frame):,}." if len(frame) > MAX_BARS else "")
        st.caption(f"{ahead} of {len(frame)} ids lie on the {md(positive)} side (blue, right), "
                   f"{len(frame) - ahead} on {other} (red, left); here blue and red mark the "
                   "sides of the axis, not the classes. The bar is the cosine between the id's "
                   f"trained vector and {md(texts[0])}.{note}")
    st.download_button("Axis coordinates as CSV", frame_to_csv(frame), "trained_axes.csv",
                       "text/csv", key="projection_axes_download")


def use_suggestion(key: str, wrong: str, right: str) -> None:
    """Put `right` in place of the word `wrong` in the axis box `key` (before the page redraws)."""
    pattern = r"(?<![^\s+\-])" + re.escape(wrong) + r"(?![^\s+\-])"
    st.session_state[key] = re.sub(pattern, lambda _: right, st.session_state[key], count=1,
                                   flags=re.IGNORECASE)


def show_axis_problem(error: Exception) -> None:
    """A message for a bad axis; for a word the model does not know, its closest spellings as
    buttons that put them in the box."""
    st.warning(md_message(error), icon=":material/spellcheck:")
    if not isinstance(error, UnknownAxisWordError) or not error.suggestions:
        return
    key = AXIS_KEYS[error.field]
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"Put in place of **{md(error.word)}**:", width="content")
        for i, word in enumerate(error.suggestions):
            st.button(word, key=f"{key}_suggestion_{i}", on_click=use_suggestion,
                      args=(key, error.word, word))
