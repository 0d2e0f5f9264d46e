"""Word similarity on the pages: the pairs benchmark (Benchmark page) and the odd one out
(Analogy page). Each function draws its own section; keys start with the page's prefix."""

from __future__ import annotations

import streamlit as st

from explorer.errors import InputError
from explorer.similarity import (
    DEFAULT_RESTRICT_VOCAB,
    PAIR_SETS,
    default_pairs_path,
    evaluate_pairs,
    rank_by_centrality,
    read_pairs,
)
from explorer.similarity_charts import centrality_bars, pairs_scatter
from ui import state
from ui.markup import md, md_message
from ui.vectors_choice import vectors_key, words_in

UPLOAD = "upload"
MAX_RESTRICT_VOCAB = 100_000_000
WORST_PAIRS = 10
ODD_DEFAULT = "breakfast cereal dinner lunch"
PAIRS_HELP = {
    "WordSim353": "353 pairs scored for relatedness by 13 to 16 people (Finkelstein et al. "
                  "2002): cup and coffee score high.",
    "SimLex-999": "999 pairs scored for similarity alone (Hill et al. 2015): cup and coffee "
                  "score low, cup and mug high.",
}


@st.cache_data(max_entries=64, show_spinner=False)
def cached_pairs(key, name, source, restrict_vocab, dummy4unknown, _vectors):
    # `key` stands for the vectors (see vectors_key); the file is a path or its bytes, read
    # under its own name so that a message says "Received: 'mine.txt'", not 'pairs'.
    return evaluate_pairs(_vectors, read_pairs(source, name=name), restrict_vocab=restrict_vocab,
                          dummy4unknown=dummy4unknown)


def pairs_benchmark(vectors) -> None:
    """The word-similarity section: choose a pair set, read the correlations and the scatter."""
    s = st.session_state
    st.subheader("Word similarity: WordSim353 and SimLex-999", divider="gray")
    st.caption("People scored how alike the two words of each pair are; the vectors score them "
               "by cosine. Spearman's correlation says how well the two orders agree (1: the "
               "same order). The rules are gensim's `evaluate_word_pairs`: case does not "
               "matter, only the most frequent words are searched, and a pair with a word "
               "outside them is left out and counted.")
    sources = {name: name for name in PAIR_SETS if default_pairs_path(name)}
    sources[UPLOAD] = "Upload a pairs file"
    state.remember({"benchmark_pairs_source": next(iter(sources)),
                    "benchmark_pairs_restrict_vocab": DEFAULT_RESTRICT_VOCAB,
                    "benchmark_pairs_dummy": False})
    state.keep_among("benchmark_pairs_source", sources)
    c1, c2 = st.columns([3, 2])
    c1.radio("Pairs", list(sources), format_func=sources.get, key="benchmark_pairs_source",
             persist_state="session", horizontal=True)
    c2.number_input("Search only the most frequent words", min_value=1,
                    max_value=MAX_RESTRICT_VOCAB, step=10_000,
                    key="benchmark_pairs_restrict_vocab", persist_state="session",
                    help="gensim's restrict_vocab, 300,000 by default.")
    st.checkbox("Score pairs with an unknown word 0", key="benchmark_pairs_dummy",
                persist_state="session",
                help="gensim's dummy4unknown: such pairs then count in the correlations.")
    chosen = _chosen_pairs(s.benchmark_pairs_source)
    if chosen is None:
        return
    name, source = chosen
    try:
        result = cached_pairs(vectors_key(vectors), name, source,
                              int(s.benchmark_pairs_restrict_vocab),
                              bool(s.benchmark_pairs_dummy), vectors)
    except InputError as error:
        st.error(f"{md(name)}: {md_message(error)}", icon=":material/error:")
        return
    _show_pairs(result, name, vectors)


def _chosen_pairs(choice: str):
    """(name, path or bytes) of the pairs to score, or None after saying what to do."""
    if choice != UPLOAD:
        st.caption(md(PAIRS_HELP.get(choice, "")))
        return choice, str(default_pairs_path(choice))
    if not any(default_pairs_path(name) for name in PAIR_SETS):
        st.info("gensim is not installed here, so WordSim353 and SimLex-999 are not at hand. "
                "Get wordsim353.tsv or simlex999.txt from gensim's test data "
                "(gensim/test/test_data, or `pip install gensim`) and upload it.",
                icon=":material/help:")
    upload = st.file_uploader("A pairs file: lines word<TAB>word<TAB>score; lines starting "
                              "with # are comments", type=["tsv", "txt", "csv"],
                              key="benchmark_pairs_upload")
    if upload is None:
        return None
    return upload.name, upload.getvalue()


def _show_pairs(result, name: str, vectors) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Spearman", f"{result.spearman:.4f}")
    c2.metric("Pearson", f"{result.pearson:.4f}")
    c3.metric("Pairs scored", f"{result.pairs:,}")
    c4.metric("With an unknown word", f"{result.oov:,} ({result.oov_ratio:.1f} %)",
              help="gensim's oov_ratio: the share of the file's pairs with a word outside the "
                   "words searched.")
    notes = [f"{md(vectors.name)} on {md(name)}, searching the {result.restrict_vocab:,} most "
             f"frequent words, in {result.seconds:.2f} s."]
    if result.invalid_lines:
        lines = ", ".join(str(n) for n in result.invalid_lines[:5])
        more = "…" if len(result.invalid_lines) > 5 else ""
        notes.append(f"{len(result.invalid_lines):,} lines are not pairs and were skipped, as "
                     f"gensim skips them (line {lines}{more}).")
    st.caption(" ".join(notes))
    st.plotly_chart(pairs_scatter(result, worst=WORST_PAIRS), key="benchmark_pairs_chart")
    worst = result.worst(WORST_PAIRS)
    st.markdown("**The pairs the vectors rank most differently from the people**")
    st.dataframe(worst[["word1", "word2", "human", "cosine", "rank gap", "line"]],
                 hide_index=True, key="benchmark_pairs_worst",
                 column_config={"cosine": st.column_config.NumberColumn(format="%.4f"),
                                "rank gap": st.column_config.NumberColumn(
                                    format="%+.2f", help="Cosine rank minus human rank, as a "
                                    "share of the pairs: +0.9 means the vectors put the pair "
                                    "far higher than people did.")})


# --------------------------------------------------------------------------- odd one out


def use_odd_suggestion(wrong: str, right: str) -> None:
    """Put `right` in place of `wrong` among the odd-one-out words (before the page redraws)."""
    s = st.session_state
    s.analogy_odd_words = " ".join(right if w.lower() == wrong.lower() else w
                                   for w in words_in(s.analogy_odd_words))


def odd_one_out_section(vectors) -> None:
    """Which word does not fit? gensim's doesnt_match, with each word's cosine to the mean."""
    st.subheader("Odd one out", divider="gray")
    state.remember({"analogy_odd_words": ODD_DEFAULT})
    st.text_input("Words, separated by commas or spaces (3 or more)", key="analogy_odd_words",
                  persist_state="session",
                  help="The word whose direction is furthest from the mean direction of all "
                       "of them, as gensim's doesnt_match picks it.")
    words = words_in(st.session_state.analogy_odd_words)
    try:
        ranked = rank_by_centrality(vectors, words)
    except KeyError as error:  # UnknownWordError, with the closest spellings
        st.warning(md_message(error), icon=":material/spellcheck:")
        wrong, suggestions = getattr(error, "word", None), getattr(error, "suggestions", [])
        if wrong and suggestions:
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(f"Put in place of **{md(wrong)}**:", width="content")
                for i, word in enumerate(suggestions):
                    st.button(word, key=f"analogy_odd_suggestion_{i}", on_click=use_odd_suggestion,
                              args=(wrong, word))
        return
    except InputError as error:
        st.info(md_message(error))
        return
    if len({word.lower() for word, _ in ranked}) == 1:
        # gensim answers the word itself; a page saying "the odd one out: cat" for "cat cat cat"
        # reads as nonsense.
        st.info(f"Every word here is **{md(ranked[0][0])}**, so none of them is the odd one "
                "out. Type at least two different words.")
        return
    odd = ranked[-1][0]
    st.markdown(f"### The odd one out: **:red[{md(odd)}]**")
    st.plotly_chart(centrality_bars(ranked), key="analogy_odd_chart")
    st.caption("Each bar is a word's cosine with the mean of all the words' unit vectors; the "
               "lowest is the odd one out.")
