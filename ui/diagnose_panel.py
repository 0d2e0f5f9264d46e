"""The Train page's "Try a new review": the answer, and why (explorer/diagnose.py)."""

from __future__ import annotations

import streamlit as st

from explorer.diagnose import diagnose, with_and_without_mask
from explorer.errors import InputError
from ui import state
from ui.markup import md, md_message


def try_a_review(run, names) -> None:
    """A box for a new review; the model's answer, the review as the model read it, and how much
    each word moves the answer."""
    st.subheader("Try a new review", divider="gray")
    state.remember({"train_try_text": "awesome food"})
    text = st.text_input("Review", key="train_try_text", persist_state="session",
                         max_chars=10_000)
    if not text.strip():
        st.caption("Type a review to see the model's answer and which words decide it.")
        return
    try:
        found = diagnose(run, text)
    except InputError as error:
        st.warning(md_message(error))
        return
    probability = found.probability
    st.markdown(f"P({md(names[1])}) = **{probability:.3f}** → "
                f"**{md(names[int(probability >= 0.5)])}**")
    st.progress(min(1.0, max(0.0, probability)))
    if found.message:
        st.warning(md_message(found.message))
    st.caption("Padded row the model reads: " + " ".join(map(str, found.padded.tolist())))
    st.dataframe(_word_table(found.words), hide_index=True, width="stretch",
                 key="train_try_words", column_config={
                     "influence": st.column_config.NumberColumn(
                         "influence", format="%+.3f",
                         help=f"P({names[1]}) with the review as it is, minus P({names[1]}) "
                              "with this word's id replaced by padding (0)."),
                 })
    st.caption("Influence: how much the word moves the answer: towards "
               f"{md(names[1])} when it is above 0, towards {md(names[0])} when below.")
    if run.settings.head != "flatten":
        _mask_effect(run, text, names)


def _word_table(words):
    table = words[["word", "id"]].copy()
    table["place"] = ["cut by Max length" if slot < 0 else f"slot {slot}"
                      for slot in words["slot"]]
    table["unknown"] = words["unknown"]
    table["shares its id with"] = words["shares_id_with"]
    table["influence"] = words["influence"]
    return table


def _mask_effect(run, text: str, names) -> None:
    """The same review from the same weights, with the mask and without."""
    try:
        both = with_and_without_mask(run, [text]).iloc[0]
    except InputError as error:
        st.caption(md_message(error))
        return
    own = "with" if run.settings.mask_zero else "without"
    st.caption(
        f"The same weights with mask_zero on: P({md(names[1])}) = {both['with mask']:.3f}; "
        f"off: {both['without mask']:.3f} (this run trained {own} the mask). Without the mask "
        "the head also reads the padding positions, so a short review is pulled towards what "
        "padding means to the model.")
