"""Projection: where each word sits in the trained embedding space, and how training moved it."""

import importlib.util
from dataclasses import dataclass

import numpy as np
import streamlit as st

from explorer.charts import before_after, projection_scatter, training_movie
from explorer.errors import InputError
from explorer.explore_charts import label_count
from explorer.spreadsheet import frame_to_csv
from explorer.lean import class_shares
from explorer.display import plotly_text
from explorer.projection import (METHODS, MIN_POINTS, default_perplexity, nearest_neighbours,
                                 neighbour_table, project_snapshots)
from explorer.text import NO_WORD_LABELS, UNUSED_LABEL
from explorer.weights import used_ids
from ui import projection_explore, projection_state, state
from ui.common import trained_run
from ui.markup import md, md_message

METHOD_NAMES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}
MAX_MOVIE_FRAMES = 60  # more frames add little to the motion and slow the page down
COLOUR_BY = {"lean": "The model's lean", "share": "Share of its reviews in each class"}
# Points a plot places at most: PCA of 5,000 is instant, t-SNE and UMAP redo every movie frame.
MAX_POINTS = {"pca": 5_000, "tsne": 2_000, "umap": 2_000}
DEFAULTS = {"projection_method": "pca", "projection_dims": 2, "projection_seed": 0,
            "projection_show_unused": False, "projection_perplexity": 0.0,
            "projection_colour_by": "lean"}


@dataclass(frozen=True)
class Colouring:
    """How the points are coloured and labelled, the same in every figure of the page."""

    names: list  # the class names, escaped for plotly
    colour: np.ndarray
    hover: list
    scale: str  # a key of COLOUR_BY
    caption: str


def render() -> None:
    st.title("Projection")
    st.caption(
        "Each word's vector has as many numbers as the output dimension. PCA, t-SNE and UMAP "
        "squeeze them to 2 or 3 so we can look: nearby points are words the model treats alike."
    )
    run = trained_run("Nothing to project yet: train a model first, then its embedding space "
                      "appears here.")
    state.remember(DEFAULTS)
    s = st.session_state
    c1, c2, c3, c4 = st.columns(4)
    c1.radio("Method", METHODS, format_func=METHOD_NAMES.get, key="projection_method",
             persist_state="session", horizontal=True)
    c2.radio("Dimensions", [2, 3], key="projection_dims", persist_state="session", horizontal=True)
    c3.number_input("Random seed", min_value=0, max_value=2**31 - 1, step=1, key="projection_seed",
                    persist_state="session")
    c4.checkbox("Padding, unused ids", key="projection_show_unused", persist_state="session",
                help="Place id 0 (padding) and the ids no word of your reviews has on every map "
                     "of this page too, as the Embedding Projector shows every row of the table: "
                     "see where training leaves the rows it never reads.")

    labels = run.encoded.encoder.row_labels()
    ids = ids_to_place(labels)
    words = point_labels(labels, ids)
    perplexity = perplexity_slider(len(ids))
    projected = space_and_movie(run, ids, words, labels, perplexity)
    if projected is not None:
        frames, colouring = projected
        # The map below shows the same points: on a 2-D page it reuses the last frame above.
        last = frames[frames["epoch"] == run.epochs_run]
        trained_frame = (last[["id", "word", "x", "y"]].reset_index(drop=True)
                         if int(s.projection_dims) == 2 and len(last) == len(ids) else None)
        n_no_word = sum(labels[i] in NO_WORD_LABELS for i in ids)
        projection_explore.explore_section(run, ids, words, colouring.hover,
                                           method=s.projection_method, seed=int(s.projection_seed),
                                           perplexity=perplexity, trained_frame=trained_frame,
                                           no_word_points=n_no_word)
    # The axes place words only, and need no projection: they stay when the plots cannot be drawn.
    word_ids = used_ids(labels)
    projection_explore.axes_section(run, word_ids, [labels[i] for i in word_ids])


def point_labels(labels: list[str], ids: list[int]) -> list[str]:
    """A label per placed id, none twice: its words, the Weights page's "(padding)", or its
    "(unused)" with the id ("(unused) id 37"), so a map can tell one unused id from another.

    >>> point_labels(["(padding)", "good", "(unused)", "bad, awful"], [1, 3, 0, 2])
    ['good', 'bad, awful', '(padding)', '(unused) id 2']
    """
    return [f"{UNUSED_LABEL} id {i}" if labels[i] == UNUSED_LABEL else labels[i] for i in ids]


def space_and_movie(run, ids, words, labels, perplexity):
    """The space at one epoch, before and after, the movie: (the frames, the Colouring), or None
    with a message when the settings above cannot be drawn."""
    s = st.session_state
    problem = what_cannot_be_drawn(run, ids, labels)
    if problem:
        st.warning(md_message(problem))
        return None
    snapshots, epochs = movie_frames(run, n_ids=len(ids))
    try:
        with st.spinner(f"{METHOD_NAMES[s.projection_method]} of {len(ids)} words over "
                        f"{len(epochs)} epochs…"):
            frames = cached_snapshots([m[ids] for m in snapshots], epochs, words, ids,
                                      s.projection_method, int(s.projection_dims),
                                      int(s.projection_seed), perplexity)
    except InputError as error:
        st.warning(md_message(error))
        return None

    trained = run.weights_after[ids]
    nearest = neighbour_table(trained, k=min(5, len(ids) - 1)) if len(ids) > 1 else [[] for _ in ids]
    colouring = colour_by(run, ids, words, labels, trained, nearest)

    # --- the space at one epoch ------------------------------------------------------------
    st.subheader("The embedding space", divider="gray")
    state.remember({"projection_epoch": epochs[-1], "projection_word": ""})
    state.keep_among("projection_epoch", epochs, default=epochs[-1])
    state.keep_among("projection_word", words, default="")
    space_at_epoch(frames, epochs, words, trained, nearest, colouring, epochs_run=run.epochs_run)

    before_after_and_movie(run, frames, epochs, colouring)
    return frames, colouring


def ids_to_place(labels: list[str]) -> list[int]:
    """The ids the plots place: the words' ids (and padding and unused ids when asked), at
    most the method's MAX_POINTS, with a caption when some are left out."""
    s = st.session_state
    wanted = used_ids(labels)
    if s.projection_show_unused:
        used = set(wanted)
        wanted += [i for i in range(len(labels)) if i not in used]
    limit = MAX_POINTS[s.projection_method]
    if len(wanted) > limit:
        st.caption(f"Showing {limit:,} of {len(wanted):,} ids ({METHOD_NAMES[s.projection_method]} "
                   "places at most this many): the words' ids first, in id order"
                   + (", then padding and unused ids." if s.projection_show_unused else "."))
    return wanted[:limit]


def perplexity_slider(n_points: int) -> float | None:
    """t-SNE's perplexity slider (only for t-SNE); its value, or None for the other methods."""
    s = st.session_state
    if s.projection_method != "tsne":
        return None
    # Up to half the other points: near n - 1 every neighbour weighs the same and t-SNE's best
    # layout is a single point (see explorer.projection.default_perplexity).
    largest = max(2.0, min(100.0, (n_points - 1) / 2))
    s.projection_perplexity = min(s.projection_perplexity or default_perplexity(n_points), largest)
    st.slider("Perplexity (about how many neighbours each point keeps close)",
              min_value=1.0, max_value=largest, step=0.5,
              key="projection_perplexity", disabled=n_points < 3)
    return float(s.projection_perplexity)


@st.cache_data(max_entries=32, show_spinner=False)
def cached_snapshots(snapshots, epochs, labels, ids, method, dims, seed, perplexity):
    # Frames share one frame of reference (PCA: one fit; t-SNE, UMAP: each frame starts from,
    # and UMAP's is aligned to, the last); cached so the slider only re-draws.
    return project_snapshots(snapshots, epochs=epochs, method=method, n_components=dims,
                             random_state=seed, labels=labels, ids=ids, perplexity=perplexity)


def movie_frames(run, *, n_ids: int):
    """The snapshots to animate: at most MAX_MOVIE_FRAMES, always the first and the last."""
    epochs = run.snapshot_epochs
    if not epochs:
        return [run.weights_before, run.weights_after], [0, run.epochs_run]
    # t-SNE and UMAP lay out each frame anew: many points get fewer frames, so the work stays
    # about that of 60 frames of 300 points.
    frames_wanted = MAX_MOVIE_FRAMES if st.session_state.projection_method == "pca" else max(
        2, min(MAX_MOVIE_FRAMES, 18_000 // max(1, n_ids)))
    keep = sorted(set(np.linspace(0, len(epochs) - 1, min(len(epochs), frames_wanted)).astype(int)))
    return [run.snapshots[i] for i in keep], [epochs[i] for i in keep]


def umap_installed() -> bool:
    try:
        spec = importlib.util.find_spec("umap")
    except (ImportError, ValueError):  # a blocked or half-removed module
        return False
    return spec is not None and spec.origin is not None  # an empty umap/ folder is no package


def what_cannot_be_drawn(run, ids: list[int], labels: list[str]) -> str | None:
    """The settings above that cannot be drawn, said with this page's and the others' controls.

    The core's messages name its arguments (n_components, method='umap'), which suits the
    command line and the library; here the user knows only the controls.
    """
    s = st.session_state
    dims, has = int(s.projection_dims), run.weights_after.shape[1]
    if has < dims:
        fix = "Choose 2 under Dimensions, or train again" if has >= 2 else "Train again"
        return (f"A {dims}-D plot needs word vectors of at least {dims} numbers, and this model's "
                f"have {has} (its Output dimension on the Train page). {fix} with an Output "
                f"dimension of at least {dims}.")
    if s.projection_method == "umap" and not umap_installed():
        return ("UMAP needs the optional package umap-learn, which is not installed here. Choose "
                "PCA or t-SNE under Method, or install it (`pip install umap-learn`) and restart "
                "the app.")
    if len(ids) < MIN_POINTS:
        more = (" Tick \"Padding, unused ids\" to place every id, or raise"
                if not s.projection_show_unused and len(labels) >= MIN_POINTS else " Raise")
        return (f"Only {len(ids)} id{'s' * (len(ids) != 1)} to place, and a projection needs at "
                f"least {MIN_POINTS}."
                f"{more} the Vocabulary size on the Encode page, or add reviews with more words.")
    return None


def colour_by(run, ids, words, labels, trained, nearest) -> Colouring:
    """The "Colour by" radio; which class each word pulls towards, in the model's eyes or in
    the reviews, and the hover text of each point (`words`: the points' labels; `labels`: the
    encoder's row labels)."""
    s = st.session_state
    # Class names are the user's text: escaped for markdown captions, and for plotly, whose
    # labels read HTML tags (<, > and & only: plotly prints &quot; literally).
    names = [plotly_text(name) for name in s.class_names]
    shown = [md(name) for name in s.class_names]
    leans = projection_state.leans(run)
    shares = class_shares(run.encoded.padded, run.labels, vocab_size=len(labels))
    st.radio("Colour by", list(COLOUR_BY), format_func=COLOUR_BY.get, key="projection_colour_by",
             persist_state="session", horizontal=True,
             help="The model's lean: how the trained model's answer moves when the word is taken "
                  "out of the reviews it is in. The share: how those reviews split between the "
                  "classes, whatever the model learnt.")
    scale = s.projection_colour_by
    colour = leans.values[ids] if scale == "lean" else shares.share[ids]
    norms = np.linalg.norm(trained, axis=1)

    def hover_text(row: int, index: int) -> str:
        negative, positive = shares.counts[index]
        seen = (f"in {negative} {names[0]} and {positive} {names[1]} reviews" if negative + positive
                else "in no review")
        return (f"<b>{labels[index]}</b> (id {index})<br>lean {leans.values[index]:+.3f} · {seen}"
                f"<br>norm {norms[row]:.3f} · nearest: " + ", ".join(words[j] for j in nearest[row]))

    hover = [hover_text(row, index) for row, index in enumerate(ids)]
    sampled = (f" (measured on a fixed sample of {leans.looked_at:,} of your {leans.total:,} "
               "reviews)" if leans.looked_at < leans.total else "")
    if scale == "lean":
        caption = (
            f"Colour: the trained model's lean on each word: its P({shown[1]}) for a review "
            f"containing the word, minus its P({shown[1]}) for the same review with the word "
            f"replaced by padding (id 0), averaged over the reviews containing it{sampled}. Red "
            f"pushes towards {shown[1]}, blue towards {shown[0]}, white neither (or the word is in "
            "no review). The colours are the trained model's at every epoch.")
    else:
        caption = (
            f"Colour: the share of the reviews containing the word that are {shown[1]}: red all "
            f"{shown[1]}, blue all {shown[0]}, white half each (or the word is in no review). "
            "This is the data, not the model.")
    return Colouring(names=names, colour=colour, hover=hover, scale=scale, caption=caption)


@st.fragment
def space_at_epoch(frames, epochs, words, trained, nearest, colouring: Colouring, *,
                   epochs_run: int) -> None:
    """The slider, the word picker and the scatter: moving them reruns only this part, not the
    movie and before/after figures below (which took most of a full rerun's ~0.6 s)."""
    epoch = st.select_slider("Epoch", options=epochs, key="projection_epoch")
    picked = st.selectbox("Find a word (highlight it and list its neighbours)", [""] + sorted(words),
                          key="projection_word", format_func=lambda w: w or "—")
    at_epoch = frames[frames["epoch"] == epoch]
    fig = projection_scatter(at_epoch, color=colouring.colour, class_names=colouring.names,
                             hover=colouring.hover, highlight=picked or None,
                             scale=colouring.scale, title=f"epoch {epoch} of {epochs_run}")
    st.plotly_chart(fig, key="projection_scatter")
    labelled = label_count(fig)
    spread = (f" {labelled} of the {len(at_epoch)} are labelled, only words far apart in space,"
              " so few labels meet however the map turns (Dimensions 2 labels more)."
              if "z" in at_epoch and labelled < len(at_epoch) else "")
    st.caption(f"{colouring.caption}{spread} Hover a point for its counts and nearest words.")
    if picked:
        row = words.index(picked)
        k = len(nearest[row])
        near = nearest_neighbours(trained, row, k=k) if k >= 1 else []
        st.dataframe({"neighbour": [words[j] for j, _ in near],
                      "cosine": [cosine for _, cosine in near]}, hide_index=True)


def before_after_and_movie(run, frames, epochs, colouring: Colouring) -> None:
    """Where the words began and ended, the training movie, and their downloads."""
    # Where the words began, in the run's own terms: random numbers or GloVe vectors, and frozen?
    frozen = not run.settings.trainable
    if run.start == "random":
        source, began = "random start", "in a small random cloud (every number uniform in ±0.05)"
    else:
        source = "GloVe start"
        began = ("where the GloVe 6B 50d vectors put them (words GloVe does not know start small "
                 "and random)")
    figure = {"color": colouring.colour, "class_names": colouring.names, "hover": colouring.hover,
              "scale": colouring.scale}
    if st.session_state.projection_dims == 2:
        st.subheader("Before and after training", divider="gray")
        st.plotly_chart(before_after(frames, first=epochs[0], last=epochs[-1], start=source,
                                     end="frozen: unchanged" if frozen else "trained", **figure),
                        key="projection_before_after")
    st.subheader("The training movie", divider="gray")
    if frozen:
        st.caption(f"The words start {began}, and the Embedding layer was frozen: no word moves "
                   "during training, only the head after it learns. Press Play or drag the slider "
                   "to see it. Axes stay fixed across epochs.")
    else:
        st.caption(f"Press Play or drag the slider: the words start {began} and each epoch of "
                   "training moves their vectors. Axes stay fixed across epochs.")
    movie = training_movie(frames, **figure)
    st.plotly_chart(movie, key="projection_movie")

    c1, c2 = st.columns(2)
    c1.download_button("Coordinates as CSV (id, word, epoch, x, y…)", lambda: frame_to_csv(frames),
                       "projection.csv", "text/csv", key="projection_download_csv", width="stretch")
    c2.download_button("The movie as a standalone HTML file",
                       # Built only on click: the file carries all of plotly.js (several MB).
                       lambda: movie.to_html(include_plotlyjs=True, full_html=True, auto_play=False),
                       "projection.html",
                       "text/html", key="projection_download_html", width="stretch")


if __name__ == "__main__":
    render()
