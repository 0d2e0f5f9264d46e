"""Projection: where each word sits in the trained embedding space, and how training moved it."""

import numpy as np
import streamlit as st

from explorer.charts import before_after, projection_scatter, training_movie
from explorer.errors import InputError
from explorer.spreadsheet import frame_to_csv
from explorer.model import word_probabilities
from explorer.projection import (METHODS, default_perplexity, nearest_neighbours, neighbour_table,
                                 project_snapshots)
from explorer.weights import used_ids
from ui import state
from ui.common import trained_run

METHOD_NAMES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}
MAX_MOVIE_FRAMES = 60  # more frames add little to the motion and slow the page down

st.title("Projection")
st.caption(
    "Each word's vector has as many numbers as the output dimension. PCA, t-SNE and UMAP "
    "squeeze them to 2 or 3 so we can look: nearby points are words the model treats alike."
)
run = trained_run("Nothing to project yet: train a model first, then its embedding space "
                  "appears here.")

state.remember({"projection_method": "pca", "projection_dims": 2, "projection_seed": 0,
                "projection_show_unused": False, "projection_perplexity": 0.0})
s = st.session_state
c1, c2, c3, c4 = st.columns(4)
c1.radio("Method", METHODS, format_func=METHOD_NAMES.get, key="projection_method",
         persist_state="session", horizontal=True)
c2.radio("Dimensions", [2, 3], key="projection_dims", persist_state="session", horizontal=True)
c3.number_input("Random seed", min_value=0, max_value=2**31 - 1, step=1, key="projection_seed",
                persist_state="session")
c4.checkbox("Show padding and unused ids", key="projection_show_unused", persist_state="session")

labels = run.encoded.encoder.row_labels()
ids = list(range(len(labels))) if s.projection_show_unused else used_ids(labels)
words = [labels[i] for i in ids]
if s.projection_method == "tsne":
    # Keep the slider's value valid for this many points (it is refused at n - 1 or more).
    largest = max(1.0, float(len(ids) - 1))
    s.projection_perplexity = min(s.projection_perplexity or default_perplexity(len(ids)), largest)
    st.slider("Perplexity (about how many neighbours each point keeps close)",
              min_value=1.0, max_value=largest, step=0.5,
              key="projection_perplexity", disabled=len(ids) < 3)
perplexity = float(s.projection_perplexity) if s.projection_method == "tsne" else None


@st.cache_data(max_entries=32, show_spinner=False)
def cached_snapshots(snapshots, epochs, labels, ids, method, dims, seed, perplexity):
    # One fit for all frames keeps the axes still; cached so the slider only re-draws.
    return project_snapshots(snapshots, epochs=epochs, method=method, n_components=dims,
                             random_state=seed, labels=labels, ids=ids, perplexity=perplexity)


def movie_frames():
    """The snapshots to animate: at most MAX_MOVIE_FRAMES, always the first and the last."""
    epochs = run.snapshot_epochs
    if not epochs:
        return [run.weights_before, run.weights_after], [0, run.epochs_run]
    keep = sorted(set(np.linspace(0, len(epochs) - 1, min(len(epochs), MAX_MOVIE_FRAMES)).astype(int)))
    return [run.snapshots[i] for i in keep], [epochs[i] for i in keep]


snapshots, epochs = movie_frames()
try:
    with st.spinner(f"{METHOD_NAMES[s.projection_method]} of {len(ids)} words over "
                    f"{len(epochs)} epochs…"):
        frames = cached_snapshots([m[ids] for m in snapshots], epochs, words, ids, s.projection_method,
                                  int(s.projection_dims), int(s.projection_seed), perplexity)
except InputError as error:
    st.warning(str(error))
    st.stop()

# Colour: what the trained model says about a review made of that word alone.
names = s.class_names
leaning = word_probabilities(run, ids)
trained = run.weights_after[ids]
nearest = neighbour_table(trained, k=min(5, len(ids) - 1)) if len(ids) > 1 else [[] for _ in ids]
norms = np.linalg.norm(trained, axis=1)
hover = [f"<b>{w}</b> (id {i})<br>norm {n:.3f} · P({names[1]}) {p:.2f}<br>nearest: "
         + ", ".join(words[j] for j in near) for w, i, n, p, near in zip(words, ids, norms, leaning, nearest)]

# --- the space at one epoch ----------------------------------------------------------------
st.subheader("The embedding space", divider="gray")
state.remember({"projection_epoch": epochs[-1], "projection_word": ""})
state.keep_among("projection_epoch", epochs, default=epochs[-1])
state.keep_among("projection_word", words, default="")


@st.fragment
def space_at_epoch():
    """The slider, the word picker and the scatter: moving them reruns only this part, not the
    movie and before/after figures below (which took most of a full rerun's ~0.6 s)."""
    epoch = st.select_slider("Epoch", options=epochs, key="projection_epoch")
    picked = st.selectbox("Find a word (highlight it and list its neighbours)", [""] + sorted(words),
                          key="projection_word", format_func=lambda w: w or "—")
    at_epoch = frames[frames["epoch"] == epoch]
    st.plotly_chart(projection_scatter(at_epoch, color=leaning, class_names=names, hover=hover,
                                       highlight=picked or None,
                                       title=f"epoch {epoch} of {run.epochs_run}"),
                    key="projection_scatter")
    st.caption(f"Colour: the model's P({names[1]}) for a review made of the word alone; "
               f"blue leans {names[0]}, red leans {names[1]}. Hover a point for its nearest words.")
    if picked:
        row = words.index(picked)
        k = len(nearest[row])
        near = nearest_neighbours(trained, row, k=k) if k >= 1 else []
        st.dataframe({"neighbour": [words[j] for j, _ in near],
                      "cosine": [cosine for _, cosine in near]}, hide_index=True)


space_at_epoch()

# --- before and after, and the movie -------------------------------------------------------------
if s.projection_dims == 2:
    st.subheader("Before and after training", divider="gray")
    st.plotly_chart(before_after(frames, first=epochs[0], last=epochs[-1], color=leaning,
                                 class_names=names, hover=hover), key="projection_before_after")
st.subheader("The training movie", divider="gray")
st.caption("Press Play or drag the slider: the words start in a random cloud and training "
           f"pulls the {names[0]} and {names[1]} words apart. Axes stay fixed across epochs.")
movie = training_movie(frames, color=leaning, class_names=names, hover=hover)
st.plotly_chart(movie, key="projection_movie")

# --- export --------------------------------------------------------------------------------------
c1, c2 = st.columns(2)
c1.download_button("Coordinates as CSV (id, word, epoch, x, y…)", lambda: frame_to_csv(frames),
                   "projection.csv", "text/csv", key="projection_download_csv", width="stretch")
c2.download_button("The movie as a standalone HTML file",
                   # Built only on click: the file carries all of plotly.js (several MB).
                   lambda: movie.to_html(include_plotlyjs=True, full_html=True), "projection.html",
                   "text/html", key="projection_download_html", width="stretch")
