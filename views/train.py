"""Train: build the small Keras model (Embedding → head → sigmoid) and watch it learn, epoch by epoch."""

import streamlit as st

from explorer.charts import training_curves, update_training_curves
from explorer.display import Throttle, readable_number
from explorer.errors import InputError
from explorer.constraints import options, widget_bounds
from explorer import runs
from explorer.model import HEADS, STARTS, ModelSettings, prepare, train
from explorer.starting_weights import embedding_matrix_for
from ui import (diagnose_panel, pages, runs_panel, state, step_panel, take_home,
                training_session, validation_panel)
from ui.markup import md, md_message
from ui.common import TRAIN_DEFAULTS, checked_reviews, encoded_reviews, training_queue
from ui.glove import default_vectors

# How often the live chart and progress bar are redrawn while training. Each redraw of the chart
# is a new Plotly chart, which the browser keeps hidden until it has laid it out: redrawn every
# epoch at tutorial speed (a hundred a second) it was never seen. The last epoch is always drawn.
CHART_REDRAW_S = 0.5
PROGRESS_REDRAW_S = 0.1
# ... and while others wait in the server's line for a training slot (a room pressing Train at
# once). Each redraw is Python on the server (~2-5 ms a chart, more on a loaded one) and a
# plotly layout in the browser, taken from the trainings everyone waits for: a room of ten spent
# 4 of its 48 GIL-seconds on live charts (py-spy). A chart every 2 s still grows in front of
# its attendee, over the 3-8 s a run takes in a busy room.
BUSY_CHART_REDRAW_S = 2.0
BUSY_PROGRESS_REDRAW_S = 0.5
# The radio's words for each of model.STARTS.
START_LABELS = {
    "random": "Random (uniform ±0.05)",
    "glove_frozen": "GloVe 6B 50d, frozen",
    "glove_tuned": "GloVe 6B 50d, fine-tuned",
}


def render() -> None:
    state.remember(TRAIN_DEFAULTS)
    s = st.session_state
    st.title("Train")
    st.caption(
        "The model looks up each id's vector in the Embedding table, passes them through a small "
        "head, and ends in one sigmoid unit: the probability that the review is of class 1. "
        "Training nudges every vector so that this probability gets right."
    )
    step_panel.note_interruptions()  # before keep_interrupted: was a training or a step stopped?
    training_session.keep_interrupted()

    glove_start = settings_widgets()
    encoded_and_labels = encoded_reviews()
    if encoded_and_labels is None:
        st.stop()
    encoded, labels = encoded_and_labels
    initial_embedding = glove_start_matrix(encoded, seed=int(s.train_seed)) if glove_start else None
    settings = chosen_settings(initial_embedding)

    # --- the model before training --------------------------------------------------------------
    st.subheader("The model", divider="gray")
    try:
        untrained = untrained_run(encoded, labels, settings, initial_embedding,
                                  start=s.train_start_from)
    except InputError as error:
        st.warning(md_message(error))
        st.stop()
    show_model(untrained, vocab_size=encoded.encoder.vocab_size, output_dim=settings.output_dim)

    # --- training -------------------------------------------------------------------------------
    st.subheader("Training", divider="gray")
    go_col, stop_col, step_col = st.columns([1, 1, 4])
    start = go_col.button("Train", type="primary", key="train_start", width="stretch")
    stop_col.button("Stop", key="train_stop", width="stretch",
                    help="Ends training (or a step) after the current epoch and keeps what was "
                         "learnt.")
    pressed = step_panel.buttons(prefix="train", where=step_col)
    notice = st.empty()  # filled once the step, if any, is done
    if start:
        train_now(untrained, settings, start=s.train_start_from)
    if pressed is not None:
        step_here(untrained, encoded, labels, settings, pressed, start=s.train_start_from)

    run = training_session.current_run()
    if step_panel.continues(run, encoded, labels, settings, start=s.train_start_from):
        step_panel.restart_notice(run, notice)
    if run is None:
        st.info("Press Train to start, or a step button to train one batch or epoch at a time. "
                "The curves grow as each epoch ends.")
        st.stop()
    show_run(run)
    step_panel.what_changed(run, run.encoded.encoder.row_labels())
    take_home.downloads(run, s.reviews["text"].astype(str).tolist(), s.class_names)
    diagnose_panel.try_a_review(run, s.class_names)
    checked = checked_reviews()
    if checked is not None and len(checked[0]) == len(run.labels):
        validation_panel.held_out_reviews(run, checked[0], s.class_names)
    validation_panel.cross_validation(encoded, labels, settings, initial_embedding,
                                      s.class_names)
    runs_panel.remember_embedding(run)
    runs_panel.runs_side_by_side(training_session.compared_runs())
    pages.link(pages.WEIGHTS, "Next: read the weights it learnt")


def settings_widgets() -> bool:
    """Draw the settings; return whether the Embedding starts from GloVe."""
    st.radio("Embedding starts from", list(STARTS), format_func=START_LABELS.get,
             key="train_start_from", persist_state="session", horizontal=True,
             help="GloVe copies each word's 50-number vector, learnt on 6 billion words, into the "
                  "table. Frozen keeps them as they are; fine-tuned lets training move them.")
    glove_start = st.session_state.train_start_from != "random"
    c1, c2, c3, c4 = st.columns(4)
    if glove_start:
        # The model takes the vectors' length; the user's own box (and value) waits for Random.
        c1.number_input("Output dimension", value=default_vectors().dim, disabled=True,
                        key="train_output_dim_glove",
                        help="Length of each word's vector: with GloVe, the vectors' length.")
    else:
        c1.number_input("Output dimension", **widget_bounds(ModelSettings, "output_dim"), step=1,
                        key="train_output_dim", persist_state="session",
                        help="Length of each word's vector. With GloVe it is the vectors' "
                             "length, 50.")
    c2.number_input("Epochs", **widget_bounds(ModelSettings, "epochs"), step=1,
                    key="train_epochs", persist_state="session")
    c3.number_input("Batch size", **widget_bounds(ModelSettings, "batch_size"), step=1,
                    key="train_batch_size", persist_state="session")
    c4.number_input("Learning rate", **widget_bounds(ModelSettings, "learning_rate"), step=0.001,
                    format="%.5f", key="train_learning_rate", persist_state="session")
    c1, c2, c3, c4 = st.columns(4)
    c1.selectbox("Optimizer", options(ModelSettings, "optimizer"), key="train_optimizer",
                 persist_state="session")
    c2.selectbox("Head", options(ModelSettings, "head"), format_func=HEADS.get,
                 key="train_head", persist_state="session")
    c3.slider("Validation split", **widget_bounds(ModelSettings, "validation_split"), step=0.05,
              key="train_validation_split", persist_state="session",
              help="Share of each class held out to check the model on reviews it never "
                   "trained on.")
    c4.number_input("Random seed", **widget_bounds(ModelSettings, "seed"), step=1,
                    key="train_seed", persist_state="session",
                    help="The same seed gives the same weights and the same curves every time.")
    mask_zero_widget()
    return glove_start


def mask_zero_widget() -> None:
    """Embedding(mask_zero=True), offered where the head can skip padding."""
    state.remember({"train_mask_zero": False})
    flatten = st.session_state.train_head == "flatten"
    st.checkbox("mask_zero: the head skips padding (id 0)", key="train_mask_zero",
                persist_state="session", disabled=flatten,
                help="Keras' Embedding(mask_zero=True): the average-pooling and LSTM heads "
                     "leave padded positions out, so the padding row stops learning.")
    if flatten:
        st.caption("mask_zero is off with the Flatten head: Flatten keeps one slot per position, "
                   "padding included, so it cannot skip masked positions (Keras drops the mask "
                   "there). Choose average pooling or LSTM to use it.")


def chosen_settings(initial_embedding) -> ModelSettings:
    """The model settings the widgets hold (with GloVe, its vectors' length as output_dim)."""
    s = st.session_state
    return ModelSettings(
        output_dim=(initial_embedding.shape[1] if initial_embedding is not None
                    else int(s.train_output_dim)),
        head=s.train_head, optimizer=s.train_optimizer,
        learning_rate=float(s.train_learning_rate), epochs=int(s.train_epochs),
        batch_size=int(s.train_batch_size), validation_split=float(s.train_validation_split),
        seed=int(s.train_seed), trainable=s.train_start_from != "glove_frozen",
        mask_zero=bool(s.get("train_mask_zero")) and s.train_head != "flatten",
    )


def glove_start_matrix(encoded, *, seed: int):
    """GloVe rows for the encoded words, and a note of how many of them GloVe knows."""
    vectors = default_vectors()
    words_by_id = {}
    for word, index in encoded.encoder.word_ids.items():
        words_by_id.setdefault(index, []).append(word)
    matrix, covered, missing = embedding_matrix_for(
        vectors, words_by_id, vocab_size=encoded.encoder.vocab_size, seed=seed)
    total = len(covered) + len(missing)
    message = f"GloVe knows {len(covered)} of your {total} vocabulary words."
    if missing:
        shown = ", ".join(missing[:30]) + (f" and {len(missing) - 30} more"
                                           if len(missing) > 30 else "")
        message += f" Missing (they start random): {shown}."
    st.info(md_message(message))
    return matrix


def untrained_run(encoded, labels, settings: ModelSettings, initial_embedding, *, start: str):
    """An untrained run for these reviews and settings, built once and reused on reruns."""
    signature = (encoded.settings, encoded.padded.tobytes(), labels.tobytes(), settings, start)

    def build():
        with st.spinner("Building the model (the first time loads TensorFlow)…"):
            return prepare(encoded, labels, settings=settings, initial_embedding=initial_embedding)

    return training_session.untrained_run(signature, build)


def show_model(untrained, *, vocab_size: int, output_dim: int) -> None:
    """The model's layers and weight counts, before training."""
    st.dataframe(untrained.summary, hide_index=True, width="stretch")
    m1, m2, m3 = st.columns(3)
    m1.metric("Total params", f"{untrained.totals['total']:,}")
    m2.metric("Trainable params", f"{untrained.totals['trainable']:,}")
    m3.metric("Non-trainable params", f"{untrained.totals['non_trainable']:,}")
    st.caption(f"The Embedding table has vocab_size × output_dim = {vocab_size} × "
               f"{output_dim} = {vocab_size * output_dim:,} weights.")


def epoch_text(epoch: int, total: int, history: dict) -> str:
    """What the progress bar says, during training and after it."""
    parts = [f"epoch {epoch} / {total}"]
    if history.get("loss"):
        parts.append(f"loss {readable_number(history['loss'][-1])}")
    if history.get("accuracy"):
        parts.append(f"accuracy {history['accuracy'][-1]:.2%}")
    return " · ".join(parts)


def run_label(settings: ModelSettings, *, start: str, number: int) -> str:
    """The run's name in the comparison: what tells it apart from the others."""
    return runs.run_label(settings, start_label=START_LABELS[start], number=number)


def redraw_pace(waiting: int) -> tuple[float, float]:
    """Seconds between redraws of (the progress bar, the live chart) while `waiting` sessions
    wait for a training slot."""
    if waiting:
        return BUSY_PROGRESS_REDRAW_S, BUSY_CHART_REDRAW_S
    return PROGRESS_REDRAW_S, CHART_REDRAW_S


def train_now(run, settings: ModelSettings, *, start: str) -> None:
    """Train `run` (the untrained run built from exactly these settings), drawing the curves
    as it learns; it becomes the session's run and the page is drawn again."""
    run.label = run_label(settings, start=start,
                          number=len(training_session.compared_runs()) + 1)
    progress = st.progress(0.0, text="Starting…")
    chart = st.empty()

    # The one figure the chart shows (each redraw only moves its data), and the epochs drawn.
    live = {"progress": 0, "chart": 0}
    progress_pace, chart_pace = Throttle(PROGRESS_REDRAW_S), Throttle(CHART_REDRAW_S)
    line = training_queue()

    def draw(epoch: int, history: dict, *, last: bool = False) -> None:
        progress_pace.seconds, chart_pace.seconds = redraw_pace(line.waiting)
        if live["progress"] != epoch and progress_pace.ready(force=last):
            progress.progress(epoch / settings.epochs,
                              text=epoch_text(epoch, settings.epochs, history))
            live["progress"] = epoch
        if live["chart"] != epoch and chart_pace.ready(force=last):
            if "figure" not in live:
                live["figure"] = training_curves(history, epochs=settings.epochs)
            # Static: no hover or zoom layers to build, so the browser paints each one sooner.
            chart.plotly_chart(update_training_curves(live["figure"], history), width="stretch",
                               config={"staticPlot": True})
            live["chart"] = epoch

    def on_epoch(epoch: int, history: dict) -> None:
        draw(epoch, history, last=epoch == settings.epochs)

    def on_wait(ahead: int, running: int) -> None:
        # Drawing the message is also where a Stop click interrupts the wait.
        progress.progress(0.0, text=f"Waiting for a turn: number {ahead + 1} in line, {running} "
                                    "training now on this server. It starts by itself; Stop "
                                    "leaves the line.")

    with training_session.training(run):
        with line.turn(on_wait):
            train(run, on_epoch=on_epoch)
        if run.epochs_run:  # ended early (the loss became NaN): show the epoch it reached
            draw(run.epochs_run, run.history, last=True)
    st.rerun()


def step_here(untrained, encoded, labels, settings: ModelSettings, pressed: dict, *,
              start: str) -> None:
    """One step: of the session's run when it was built from these settings (Epochs may have
    been raised since), else of the untrained run, which becomes a new run."""
    run = training_session.current_run()
    if step_panel.continues(run, encoded, labels, settings, start=start):
        step_panel.step(run, pressed, epochs=settings.epochs)
        return
    untrained.label = run_label(settings, start=start,
                                number=len(training_session.compared_runs()) + 1)
    step_panel.step(untrained, pressed, first=True)


def show_run(run) -> None:
    """The trained run: where training got to, its final numbers and its curves."""
    # The bar stays at the epoch training reached: the page is drawn afresh when training ends,
    # and a busy browser may not have shown the last few epochs of the live bar.
    st.progress(min(1.0, run.epochs_run / run.settings.epochs),
                text=epoch_text(run.epochs_run, run.settings.epochs, run.history))
    if run.stopped:
        (st.error if "NaN" in run.stopped else st.warning)(md_message(run.stopped))
    final = run.final
    # A run stepped part of the way has not ended: its numbers are where it is, not final.
    ended = run.stopped or run.epochs_run >= run.settings.epochs
    loss_label, accuracy_label = (("Final loss", "Final accuracy") if ended else
                                  (f"Loss after epoch {run.epochs_run}",
                                   f"Accuracy after epoch {run.epochs_run}"))
    cols = st.columns(4)
    cols[0].metric("Epochs run", f"{run.epochs_run} / {run.settings.epochs}")
    cols[1].metric(loss_label, readable_number(final.get("loss")))
    cols[2].metric(accuracy_label, f"{final['accuracy']:.2%}" if "accuracy" in final else "—")
    if "val_accuracy" in final:
        cols[3].metric("Validation accuracy", f"{final['val_accuracy']:.2%}")
    st.plotly_chart(training_curves(run.history, epochs=run.settings.epochs), width="stretch")
    st.caption(f"Trained in {run.seconds:.1f} s: {md(run.label)}")


if __name__ == "__main__":
    render()
