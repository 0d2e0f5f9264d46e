"""Weights: the Embedding table the model learnt, one row per id, one column per dimension."""

import streamlit as st

from explorer.charts import colour_scale_end, heat_style, vector_bars, weight_heatmap
from explorer.spreadsheet import frame_to_csv
from explorer.weights import projector_files, used_ids, weight_table
from ui import state, step_panel, training_session
from ui.common import trained_run

MAX_SHADED_CELLS = 200_000  # beyond this, shading every cell makes the table slow to draw
MAX_HEATMAP_IDS = 200


def render() -> None:
    st.title("Weights")
    step_panel.note_interruptions()
    trained_run("No model yet: train one first, then its Embedding table appears here.")
    # Outside the part below on purpose: a click there waits for a running step to end, a click
    # here reruns the whole page, which stops the step at its epoch's end (what it learnt kept).
    st.button("Stop", key="weights_stop", help="Ends a running step after the current epoch "
                                               "and keeps what was learnt.")
    table_and_steps()


@st.fragment
def table_and_steps() -> None:
    """Everything a step changes, with the step buttons: a click reruns only this part.

    The whole page would also rerun the router, the saved-work check and the sidebar, and the
    browser would redraw them; a step changes none of them (measured in
    bench/bench_step_redraw.py). A step's saved work is kept here, at the end, as the router's
    `persistence.work_kept` does after a whole page.
    """
    step_panel.note_interruptions()  # a rerun of this part alone starts here
    run = training_session.current_run()
    if run is None:  # dropped meanwhile (e.g. Start over in another part of the page)
        st.info("No model yet: train one first, then its Embedding table appears here.")
        return
    pressed = step_panel.buttons(prefix="weights")
    stepped = pressed is not None and step_panel.step(run, pressed)
    if stepped:
        run = training_session.current_run()  # the stepped run
    st.caption(f"After epoch {run.epochs_run} of {run.settings.epochs}: the step buttons "
               "train this run further, and everything below follows.")
    step_panel.restart_notice(run)
    labels = run.encoded.encoder.row_labels()
    after = weight_table(run.weights_after, labels)
    vocab_size, output_dim = run.weights_after.shape
    st.caption(
        f"{vocab_size} rows (ids 0–{vocab_size - 1}) × {output_dim} columns. Row 0 is padding; "
        "rows marked (unused) belong to no word in your reviews and never change. "
        "Red is positive, blue negative."
    )
    weights_table(after)
    step_panel.what_changed(run, labels)
    downloads(run, after, labels)
    st.subheader("One word's vector", divider="gray")
    one_word(run, labels)
    st.subheader("Before and after training", divider="gray")
    before_and_after(run, labels)
    if stepped:  # last: the browser draws the page while the step is saved
        step_panel.keep_saved()


def weights_table(after) -> None:
    """The table, every cell shaded; a large one a window of rows at a time."""
    dims = [c for c in after.columns if c.startswith("d")]
    if after.size <= MAX_SHADED_CELLS:
        st.dataframe(heat_style(after, dims), hide_index=True, width="stretch", height=420)
        return
    # A large table goes to the browser a window of rows at a time (the whole of a 6-million
    # weight table would be a message of hundreds of MB); the downloads hold every row.
    vocab_size = len(after)
    rows = max(1, MAX_SHADED_CELLS // after.shape[1])
    state.remember({"weights_first_id": 0})
    s = st.session_state
    s.weights_first_id = min(s.weights_first_id, vocab_size - 1)
    first = st.number_input(f"First id shown ({rows:,} rows at a time)", min_value=0,
                            max_value=vocab_size - 1, step=rows, key="weights_first_id")
    window = after.iloc[first:first + rows]
    st.dataframe(heat_style(window, dims), hide_index=True, width="stretch", height=420)
    st.caption(f"Ids {first:,}–{first + len(window) - 1:,} of {vocab_size:,}; the downloads "
               "below hold every row.")


def downloads(run, after, labels) -> None:
    # The files are built only on click: most visits download nothing.
    c1, c2, c3 = st.columns(3)
    c1.download_button("Download weights as CSV", lambda: frame_to_csv(after),
                       "embedding_weights.csv", "text/csv", key="weights_download_csv",
                       width="stretch")
    c2.download_button("vectors.tsv (Embedding Projector)",
                       lambda: projector_files(run.weights_after, labels)[0], "vectors.tsv",
                       "text/tab-separated-values", key="weights_download_vectors",
                       width="stretch")
    c3.download_button("metadata.tsv (Embedding Projector)",
                       lambda: projector_files(run.weights_after, labels)[1], "metadata.tsv",
                       "text/tab-separated-values", key="weights_download_metadata",
                       width="stretch")
    st.caption("Load both .tsv files at projector.tensorflow.org (Load → choose file) to explore "
               "them there.")


def one_word(run, labels) -> None:
    """A word picker, and its row before and after training."""
    choices = [labels[i] for i in used_ids(labels)]
    state.remember({"weights_word": choices[0] if choices else ""})
    state.keep_among("weights_word", choices)
    if not choices:
        return
    picked = st.selectbox("Word", choices, key="weights_word", persist_state="session")
    index = labels.index(picked)
    left, right = st.columns(2)
    left.plotly_chart(vector_bars(run.weights_before[index], title=f"id {index}: before training"),
                      width="stretch")
    right.plotly_chart(vector_bars(run.weights_after[index], title=f"id {index}: after training"),
                       width="stretch")


def before_and_after(run, labels) -> None:
    """Heatmaps of the table before and after training, on one colour scale."""
    vocab_size = run.weights_after.shape[0]
    if run.start == "random":
        began, source = "The table starts from small random numbers (left)", "random start"
    else:
        began = ("The table starts from the GloVe 6B 50d vectors of your words (left; padding at "
                 "zeros, and ids GloVe has no word for at small random numbers)")
        source = "GloVe start"
    if run.settings.trainable:
        st.caption(f"{began} and training moves the rows of the words in your reviews (right). "
                   "Both use one colour scale.")
    else:
        st.caption(f"{began}, but the Embedding layer was frozen: every row stayed as it was "
                   "(right), and only the head after it learnt. Both use one colour scale.")
    zmax = colour_scale_end(run.weights_before, run.weights_after)
    shown = slice(0, min(vocab_size, MAX_HEATMAP_IDS))
    if vocab_size > MAX_HEATMAP_IDS:
        st.caption("The heatmaps show the first 200 ids; the table above and the downloads have all.")
    left, right = st.columns(2)
    left.plotly_chart(weight_heatmap(run.weights_before[shown], labels[shown],
                                     title=f"before ({source})", zmax=zmax), width="stretch")
    after_title = "after training" if run.settings.trainable else "after training (frozen: unchanged)"
    right.plotly_chart(weight_heatmap(run.weights_after[shown], labels[shown], title=after_title,
                                      zmax=zmax), width="stretch")


if __name__ == "__main__":
    render()
