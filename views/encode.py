"""Encode: how each review becomes a row of integer ids, the only thing an Embedding layer reads."""

from contextlib import nullcontext

import numpy as np
import pandas as pd
import streamlit as st

from explorer.model import embedding_lookup
from explorer.constraints import options, widget_bounds
from explorer.keras_code import keras_encode_code, text_vectorization_ids
from explorer.text import HASHING_METHODS, EncodeSettings, encode, one_hot
from explorer.weights import id_window, random_start_rows
from ui.common import ENCODE_DEFAULTS, encoded_reviews
from ui import pages, state, training_session
from ui.markup import md

# Large review sets are shown a window at a time: a browser table of 100,000 styled rows would
# take minutes to build and megabytes to send.
ROWS_SHOWN = 200
MAX_STYLED_IDS = 2_000  # shading is drawn cell by cell; a large table keeps its collision column
# Streamlit styles a table column by column: with hundreds of dimensions that takes seconds, so
# wide tables are sent rounded and plain, the picked row named in its label instead of shaded.
MAX_STYLED_DIMS = 64


def render() -> None:
    state.remember(ENCODE_DEFAULTS)
    st.title("Encode")
    st.caption(
        "A neural network cannot read words. Each word becomes an integer id below `vocab_size`, "
        "and every review is padded or cut to `max_length` ids, so that all rows have one length."
    )
    settings_widgets()
    # keras_hashing asks Keras' own Hashing layer, so its first use loads TensorFlow.
    with st.spinner("Loading Keras for its Hashing layer…", show_time=True) \
            if st.session_state.get("encode_method") == "keras_hashing" else nullcontext():
        result = encoded_reviews()
    if result is None:
        st.stop()
    encoded, labels = result

    st.subheader("Tokens → ids → padded row", divider="gray")
    shown = review_window(encoded.padded.shape[0])
    review_by_review(encoded, labels, shown, names=st.session_state.class_names)
    st.subheader("The padded matrix the model reads", divider="gray")
    padded_matrix(encoded, shown)
    st.subheader("Which words share an id", divider="gray")
    shared_ids(encoded.encoder)
    st.subheader("An Embedding layer is a lookup table", divider="gray")
    lookup_table(encoded.encoder, training_session.current_run())
    st.subheader("How today's Keras does it", divider="gray")
    keras_equivalent(encoded.settings)
    if encoded.settings.method == "vocabulary":
        keras_vocabulary_differences(encoded)
    pages.link(pages.TRAIN, "Next: train a model on these rows")


def settings_widgets() -> None:
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.radio("Encoding", options(EncodeSettings, "method"), key="encode_method",
             persist_state="session",
             help="hashing: a stable hash of the word picks its id (like Keras' old one_hot), "
                  "so two words can share an id. vocabulary: the most frequent words get the low "
                  "ids; id 1 stands for words outside the vocabulary. keras_hashing: Keras' own "
                  "Hashing layer (FarmHash), also the same in every process.")
    c2.number_input("Vocabulary size", **widget_bounds(EncodeSettings, "vocab_size"), step=1,
                    key="encode_vocab_size", persist_state="session",
                    help="Number of ids, including 0 for padding.")
    c3.number_input("Max length", **widget_bounds(EncodeSettings, "max_length"), step=1,
                    key="encode_max_length", persist_state="session",
                    help="Every review becomes exactly this many ids.")
    c4.radio("Padding", options(EncodeSettings, "padding"), key="encode_padding",
             persist_state="session", horizontal=True,
             help="Add the 0s at the end (post) or the start (pre) of a short review.")
    c5.radio("Truncating", options(EncodeSettings, "truncating"), key="encode_truncating",
             persist_state="session", horizontal=True,
             help="Cut a long review at the end (post) or at the start (pre).")


def review_window(n_reviews: int) -> slice:
    """The reviews shown: all of a small set, else a window the user moves."""
    first = 0
    if n_reviews > ROWS_SHOWN:
        state.remember({"encode_first_review": 1})
        first = st.number_input(f"First review shown (of {n_reviews:,}; {ROWS_SHOWN} at a time)",
                                min_value=1, max_value=n_reviews, step=ROWS_SHOWN,
                                key="encode_first_review") - 1
    return slice(first, first + ROWS_SHOWN)


def review_by_review(encoded, labels, shown: slice, *, names) -> None:
    encoder = encoded.encoder
    # The window's rows only: the encoder the whole set fitted, on the window's reviews.
    texts = st.session_state.reviews["text"].iloc[shown].astype(str).tolist()
    table = encode(texts, encoded.settings, encoder=encoder).table()
    table.insert(0, "review", [text[:200] for text in texts])
    table.insert(1, "class", [names[int(v)] for v in labels[shown]])
    lost = (table["cut by max length"] != "") | (table["outside vocabulary"] != "")
    st.dataframe(
        table.style.apply(lambda row: ["background-color: #fdebd0" if lost[row.name] else ""]
                          * len(row), axis=1),
        width="stretch", hide_index=True,
    )
    n_cut = sum(1 for words in encoded.truncated if words)
    n_unknown = sum(1 for words in encoded.unknown if words)
    if n_cut or n_unknown:
        st.info(
            f"Highlighted rows lost words: {n_cut} review(s) longer than max length "
            f"{encoded.settings.max_length} were cut ({encoded.settings.truncating}); "
            f"{n_unknown} review(s) have words outside the vocabulary of {encoder.vocab_size} ids "
            "(they all share id 1). Raise max length or vocabulary size to keep them."
        )


def padded_matrix(encoded, shown: slice) -> None:
    first = shown.start
    n_reviews = encoded.padded.shape[0]
    padded = encoded.padded_frame().iloc[shown]
    padded.index = range(first + 1, first + 1 + len(padded))  # review numbers, from 1
    window_note = (f" (reviews {first + 1}–{first + len(padded)} shown)"
                   if n_reviews > ROWS_SHOWN else "")
    st.caption(f"{encoded.padded.shape[0]} reviews × {encoded.padded.shape[1]} ids{window_note}; "
               "0 is padding.")
    st.dataframe(padded, width="stretch", height=min(400, 38 + 35 * len(padded)))


def shared_ids(encoder) -> None:
    """Every id and its words, ids holding more than one word shaded."""
    mapping = encoder.id_to_words
    collisions = encoder.collisions
    id_table = pd.DataFrame({"id": list(mapping), "words": [", ".join(w) for w in mapping.values()]})
    id_table = id_table.sort_values("id", ignore_index=True)
    id_table["collision"] = id_table["id"].isin(list(collisions))
    st.dataframe(
        id_table.style.apply(lambda row: ["background-color: #fadbd8" if row["collision"] else ""]
                             * len(row), axis=1) if len(id_table) <= MAX_STYLED_IDS else id_table,
        width="stretch", hide_index=True, height=min(400, 38 + 35 * len(id_table)),
    )
    if collisions:
        shared = "; ".join(f"{i}: {', '.join(w)}" for i, w in sorted(collisions.items()))
        st.warning(
            f"{len(collisions)} id(s) hold more than one word ({shared}). A hash spreads words "
            f"over only {encoder.vocab_size - 1} ids, so different words can land on the same "
            "one, and the model then cannot tell them apart. A larger vocabulary size makes this "
            "rarer."
        )
    elif encoder.method in HASHING_METHODS:
        st.success("No two words share an id at this vocabulary size.")


def keras_equivalent(settings: EncodeSettings) -> None:
    """The Keras 3 layers that encode these reviews, and where their ids differ from ours."""
    why = {
        "vocabulary": "`keras.layers.TextVectorization` gives these ids: the same words, the "
                      "same order, except that words of equal count are ordered by the words "
                      "themselves (in reverse), where this page keeps their first appearance.",
        "keras_hashing": "`keras.layers.Hashing` is this encoding: these are its ids.",
        "hashing": "Keras 3 has no md5 hashing (its old `one_hot` used Python's `hash`, which "
                   "changes from run to run); `keras.layers.Hashing` is its successor, with "
                   "other ids: choose keras_hashing above to see them.",
    }[settings.method]
    st.markdown(why + " The standardize function splits words as this page does; Python also "
                "splits at Unicode spaces (such as the no-break space), TensorFlow only at ASCII "
                "ones.")
    st.code(keras_encode_code(settings), language="python")


def keras_vocabulary_differences(encoded) -> None:
    """Which words TextVectorization would number differently for these very reviews."""
    ours = encoded.encoder.word_ids
    theirs = text_vectorization_ids(encoded.tokens, vocab_size=encoded.encoder.vocab_size)
    words = [w for w in ours if theirs.get(w) != ours[w]]
    words += [w for w in theirs if w not in ours]
    if not words:
        st.success("With these reviews TextVectorization gives exactly the ids above: no two "
                   "words it keeps share a count in a way that orders them differently.")
        return
    st.info(f"With these reviews {len(words)} of the {len(ours)} kept words share their count "
            "with others, so TextVectorization numbers them differently (a word shown without an "
            "id is outside that vocabulary and gets 1, [UNK]):")
    table = pd.DataFrame({
        "word": words,
        "id here": pd.array([ours.get(w) for w in words], dtype="Int64"),
        "id in TextVectorization": pd.array([theirs.get(w) for w in words], dtype="Int64"),
    })
    st.dataframe(table, hide_index=True, width="stretch", height=min(300, 38 + 35 * len(table)))


def lookup_table(encoder, run) -> None:
    """A word's one-hot row times the embedding matrix is its row: shown, and checked against
    the trained model's real Embedding layer when there is one for these ids."""
    words = sorted(encoder.word_ids)
    state.remember({"encode_lookup_word": words[0] if words else ""})
    state.keep_among("encode_lookup_word", words)
    word = st.selectbox("Pick a word", words, key="encode_lookup_word", persist_state="session")
    index = encoder.id_of(word)
    # The one-hot row has vocab_size positions; a window of ids around this one always shows its 1.
    window = id_window(index, vocab_size=encoder.vocab_size)
    if run is not None and run.weights_after.shape[0] == encoder.vocab_size:
        rows, dim = run.weights_after[window.start:window.stop], run.weights_after.shape[1]
        source = "the trained model's Embedding weights"
        layer_row = embedding_lookup(run.model, index)  # the real Keras layer, called on [[id]]
        layer_name = "Embedding layer output"
    else:
        # Before training, the table holds small random numbers; show such a start, seeded.
        dim = int(st.session_state.get("train_output_dim", 8))
        rows = random_start_rows(window, output_dim=dim, seed=0)
        source = f"a random start ({dim} dimensions, seed 0); train a model to see learnt weights"
        layer_row, layer_name = rows[index - window.start], f"row {index} of the matrix"
    row = one_hot(index, vocab_size=encoder.vocab_size)[window.start:window.stop]
    # Every position outside the window is 0, so the window's rows are all the product can use.
    product = row @ rows
    st.markdown(f"**{md(word)}** has id **{index}**. Its one-hot row has {encoder.vocab_size:,} "
                f"positions, all 0 but a single 1 at position {index} (ids {window.start}–"
                f"{window.stop - 1} shown):")
    one_hot_row = pd.DataFrame([row.astype(int)], index=["one-hot"],
                               columns=[str(i) for i in window])
    st.dataframe(one_hot_row.style.map(lambda v: "background-color: #f5b7b1" if v else ""),
                 width="stretch")
    st.markdown(f"The embedding matrix ({encoder.vocab_size:,} × {dim}; {source}), rows "
                f"{window.start}–{window.stop - 1}; row {index} is the one the 1 picks:")
    columns = [f"d{j}" for j in range(dim)]
    styled = dim <= MAX_STYLED_DIMS
    labels = [str(i) if i != index or styled else f"{i} ← the 1 picks this row" for i in window]
    matrix_rows = pd.DataFrame(np.round(rows, 4), index=labels, columns=columns)
    st.dataframe(matrix_rows.style.format("{:.4f}").apply(
        lambda r: ["background-color: #f5b7b1" if r.name == str(index) else ""] * len(r), axis=1)
        if styled else matrix_rows, width="stretch", height=250)
    same = np.allclose(product, layer_row, rtol=0, atol=1e-7)
    st.markdown(f"one-hot × matrix, and {layer_name.lower()} for id {index}: "
                f"**{'identical' if same else 'different'}**.")
    both = pd.DataFrame(np.round(np.vstack([product, layer_row]), 4),
                        index=["one-hot × matrix", layer_name], columns=columns)
    st.dataframe(both.style.format("{:.4f}") if styled else both, width="stretch")


if __name__ == "__main__":
    render()
