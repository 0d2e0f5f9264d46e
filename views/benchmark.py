"""Analogy benchmark: how many of Google's "a is to b as c is to ?" questions the vectors get right."""

import streamlit as st

from explorer.benchmark import DEFAULT_RESTRICT_VOCAB, TOTAL_SECTION, default_questions_path, evaluate_analogies, read_questions
from explorer.charts import analogy_section_bars
from explorer.errors import InputError
from ui import state
from ui.markup import md, md_message
from ui.similarity_panel import pairs_benchmark
from ui.vectors_choice import vectors_badge

GOOGLE_NAME = "questions-words.txt"
MAX_RESTRICT_VOCAB = 100_000_000


def render() -> None:
    s = st.session_state
    st.title("Analogy benchmark")
    st.caption(
        "Google's analogy test (Mikolov et al., 2013): about 19,500 questions such as "
        "*Athens : Greece :: Baghdad : ?* in 14 sections, from capitals to verb tenses. A question "
        "counts as right when the word closest to *Greece − Athens + Baghdad* is *Iraq*. The rules "
        "are gensim's `evaluate_word_analogies`: only the most frequent words are searched, case "
        "does not matter, and a question with a word outside them is skipped and counted."
    )
    vectors = vectors_badge()
    google = default_questions_path()
    settings_widgets(has_google=bool(google))

    chosen = chosen_questions(google)
    name = parsed = None
    if chosen is not None:
        name, questions = chosen
        try:
            parsed = read_questions(questions)
        except InputError as error:
            st.error(f"{md(name)}: {md_message(error)}", icon=":material/error:")
        else:
            st.caption(f"{md(name)}: {len(parsed.words):,} questions in "
                       f"{len(parsed.sections)} sections.")

    if st.button("Run the benchmark", key="benchmark_run", type="primary",
                 icon=":material/play_arrow:", disabled=parsed is None):
        run_benchmark(vectors, parsed, name=name, restrict_vocab=int(s.benchmark_restrict_vocab))

    # The last result stays on the page, whatever is chosen above, until the next run replaces it.
    if s.get("benchmark_result") is not None:
        show_result(s.benchmark_result)

    pairs_benchmark(vectors)


def settings_widgets(*, has_google: bool) -> None:
    sources = {"google": f"Google's {GOOGLE_NAME} (from gensim's test data)"} if has_google else {}
    sources["upload"] = "Upload a questions file"
    state.remember({"benchmark_questions": next(iter(sources)),
                    "benchmark_restrict_vocab": DEFAULT_RESTRICT_VOCAB})
    state.keep_among("benchmark_questions", sources)
    c1, c2 = st.columns([3, 2])
    c1.radio("Questions", list(sources), format_func=sources.get, key="benchmark_questions",
             persist_state="session", horizontal=True)
    c2.number_input("Search only the most frequent words", min_value=1,
                    max_value=MAX_RESTRICT_VOCAB, step=10_000, key="benchmark_restrict_vocab",
                    persist_state="session",
                    help="gensim's restrict_vocab: 300,000 by default. Questions with a word "
                         "outside these are skipped; a number above the vocabulary size means "
                         "every word.")


def chosen_questions(google):
    """(name, source for evaluate_analogies) of the questions to ask, or None after saying why."""
    if st.session_state.benchmark_questions == "google":
        return GOOGLE_NAME, google
    if not google:
        st.info(
            f"gensim is not installed here, so Google's {GOOGLE_NAME} is not at hand. Get the "
            f"file from gensim's test data (gensim/test/test_data/{GOOGLE_NAME}, or "
            f"`pip install gensim`) or from the original word2vec distribution, and upload it. "
            f"Any file in its format works: ': section' lines, each followed by lines of four "
            f"words.", icon=":material/help:")
    upload = st.file_uploader("A questions file: ': section' lines, then lines of four words "
                              "(a b c answer)", type=["txt"], key="benchmark_upload")
    if upload is None:
        return None
    return upload.name, upload.getvalue()


def run_benchmark(vectors, parsed, *, name: str, restrict_vocab: int) -> None:
    """Ask every question, with a progress bar; keep the result in the session."""
    bar = st.progress(0.0, text=f"Answering {len(parsed.words):,} questions with {vectors.name}…")

    def progress(fraction: float) -> None:
        bar.progress(min(1.0, fraction),
                     text=f"Answering questions with {vectors.name}… {fraction:.0%}")

    try:
        result = evaluate_analogies(vectors, parsed, restrict_vocab=restrict_vocab,
                                    progress=progress)
    except InputError as error:
        st.error(f"{md(name)}: {md_message(error)}", icon=":material/error:")
    else:
        st.session_state.benchmark_result = {"result": result, "vectors": vectors.name,
                                             "questions": name}
    finally:
        bar.empty()


def show_result(kept: dict) -> None:
    result = kept["result"]
    st.subheader(f"{kept['vectors']} on {kept['questions']}", divider="gray")
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric("Accuracy", f"{result.accuracy:.2%}")
    c2.metric("Correct", f"{result.correct:,}")
    c3.metric("Answered", f"{result.answered:,}",
              help="Questions whose four words are all among the words searched.")
    c4.metric("Skipped", f"{result.skipped:,}", help="Questions with a word outside the words searched.")
    c5.metric("Time", f"{result.seconds:.2f} s")
    st.caption(f"Searched the {result.restrict_vocab:,} most frequent words.")
    st.plotly_chart(analogy_section_bars(result.sections, total_label=TOTAL_SECTION),
                    key="benchmark_chart")
    st.dataframe(result.sections.assign(accuracy=result.sections["accuracy"] * 100), hide_index=True,
                 height="content", key="benchmark_table",
                 column_config={"accuracy": st.column_config.NumberColumn("accuracy (%)", format="%.2f")})


if __name__ == "__main__":
    render()
