"""The Train page's judgement on unseen reviews: the held-out reviews, the confusion matrix, and
k-fold cross-validation (explorer/validation.py). Keys: `train_cv_*`."""

from __future__ import annotations

import streamlit as st

from explorer.errors import InputError
from explorer.validation import DEFAULT_FOLDS, FOLDS, check_folds, confusion, cross_validate, held_out
from ui import state
from ui.common import training_queue
from ui.markup import md_message

RESULT = "train_cv_result"  # (signature, CrossValidation) of the last cross-validation


def held_out_reviews(run, texts, names) -> None:
    """Each held-out review with its probability and whether the model got it right."""
    if not run.settings.validation_split:
        return
    st.subheader("Held-out reviews", divider="gray")
    table = held_out(run, texts)
    if table.empty:
        return
    right = int(table["right"].sum())
    st.caption(f"The model never trained on these {len(table)} reviews: it got {right} right "
               f"({right / len(table):.1%}). A handful of reviews gives a noisy number; "
               "cross-validation below averages several splits.")
    shown = table.assign(**{
        "class": [names[c] for c in table["class"]],
        "predicted": [names[c] for c in table["predicted"]],
        "right": ["✓" if r else "✗" for r in table["right"]],
    })
    st.dataframe(shown, hide_index=True, width="stretch", key="train_held_out", column_config={
        "probability": st.column_config.NumberColumn(f"P({names[1]})", format="%.3f")})
    st.markdown("**Confusion matrix** (rows: the review's class; columns: the model's answer)")
    st.dataframe(confusion(table, names), width="content", key="train_confusion")


def cross_validation(encoded, labels, settings, initial_embedding, names) -> None:
    """k-fold cross-validation on demand: mean ± standard deviation of validation accuracy."""
    st.subheader("Cross-validation", divider="gray")
    state.remember({"train_cv_k": DEFAULT_FOLDS})
    low, high = FOLDS.widget
    left, right = st.columns([1, 3])
    left.number_input("k (folds)", min_value=low, max_value=high, step=1, key="train_cv_k",
                      persist_state="session",
                      help="Each of k models holds out a different 1/k of the reviews, with "
                           "both classes in every fold.")
    right.caption(f"Trains {int(st.session_state.train_cv_k)} models with the settings above "
                  f"({settings.epochs} epochs each), each tested on the reviews it did not see.")
    signature = (encoded.settings, encoded.padded.tobytes(), labels.tobytes(), settings,
                 int(st.session_state.train_cv_k))
    if st.button("Cross-validate", key="train_cv_start"):
        _run(encoded, labels, settings, initial_embedding, names, signature)
    kept = st.session_state.get(RESULT)
    if kept is not None and kept[0] == signature:
        result = kept[1]
        st.metric(f"Validation accuracy over {len(result.accuracies)} folds",
                  f"{result.mean:.1%} ± {result.std:.1%}")
        st.caption("Folds: " + ", ".join(f"{a:.1%}" for a in result.accuracies)
                   + f" (held out {', '.join(map(str, result.fold_sizes))} reviews; "
                     f"{result.seconds:.1f} s).")


def _run(encoded, labels, settings, initial_embedding, names, signature) -> None:
    k = int(st.session_state.train_cv_k)
    try:
        check_folds(k, labels, names)
    except InputError as error:
        st.warning(md_message(error))
        return
    progress = st.progress(0.0, text="Starting…")

    def on_fold(number, total, accuracy):
        progress.progress(number / total, text=f"fold {number} / {total}: {accuracy:.1%}")

    def on_wait(ahead, running):
        progress.progress(0.0, text=f"Waiting for a turn: number {ahead + 1} in line, {running} "
                                    "training now on this server.")

    try:
        with training_queue().turn(on_wait):
            result = cross_validate(encoded, labels, settings=settings, k=k,
                                    initial_embedding=initial_embedding, class_names=names,
                                    on_fold=on_fold)
    except InputError as error:
        st.warning(md_message(error))
        return
    progress.empty()
    st.session_state[RESULT] = (signature, result)
