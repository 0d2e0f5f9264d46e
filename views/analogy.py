"""Analogy: man is to king as woman is to ? Vector arithmetic on GloVe, and the parallelogram it draws."""


import pandas as pd
import streamlit as st

from explorer.analogy import MAX_TOPN, METHODS, analogy, neighbours
from explorer.charts import analogy_parallelogram
from explorer.errors import InputError
from explorer.glove_settings import QuerySettings
from explorer.projection import MIN_POINTS, project
from ui import state
from ui.markup import md, md_message
from ui.similarity_panel import odd_one_out_section
from ui.vectors_choice import vectors_badge, vectors_key, words_in

METHOD_NAMES = {"cosadd": "3CosAdd", "cosmul": "3CosMul"}
MODES = {"abc": "a is to b as c is to ?", "free": "Words to add and to subtract"}
FIELDS = {"analogy_a": "a", "analogy_b": "b", "analogy_c": "c",
          "analogy_positive": "Add", "analogy_negative": "Subtract"}
ABC = ("analogy_a", "analogy_b", "analogy_c")
MAX_PICTURE_NEIGHBOURS = 10
DEFAULTS = {
    "analogy_mode": "abc", "analogy_a": "man", "analogy_b": "king", "analogy_c": "woman",
    "analogy_positive": "king, woman", "analogy_negative": "man", "analogy_method": QuerySettings.method,
    "analogy_topn": QuerySettings.topn, "analogy_picture_neighbours": 3,
}


def render() -> None:
    state.remember(DEFAULTS)
    st.title("Analogy")
    st.caption(
        "Words that play the same part sit at the same offset from each other: the step from "
        "man to king is close to the step from woman to queen. So king − man + woman lands near "
        "queen. 3CosAdd looks for the word whose direction is closest to that sum; 3CosMul "
        "(Levy and Goldberg) multiplies the similarities instead, so one large term cannot "
        "outweigh the others."
    )
    vectors = vectors_badge()
    vkey = vectors_key(vectors)
    analogy_area = st.container()
    with st.container():  # below the analogy, drawn first: the analogy's st.stop() spares it
        odd_one_out_section(vectors)
    with analogy_area:
        the_analogy(vectors, vkey)


def the_analogy(vectors, vkey) -> None:
    """The question, its answers and the picture (stops the script after a message)."""
    s = st.session_state
    positive, negative, problem = the_question()
    if problem:
        st.info(md_message(problem))
        st.stop()
    answer = the_answer(vectors, vkey, positive, negative)
    canonical = {w: vectors.words[vectors.row(w)] for w in positive + negative}
    best = answer[0][0]
    if s.analogy_mode == "abc":
        a, b, c = (canonical[s[k].strip()] for k in ABC)
        st.markdown(f"### {md(a)} : {md(b)} :: {md(c)} : **:red[{md(best)}]**")
    else:
        sum_text = " + ".join(md(canonical[w]) for w in positive)
        sum_text += "".join(f" − {md(canonical[w])}" for w in negative)
        st.markdown(f"### {sum_text} ≈ **:red[{md(best)}]**")

    left, right = st.columns([2, 3])
    with left:
        answers_table(answer, vectors)
    with right:
        the_picture(vectors, vkey, positive, negative, canonical, best)


def use_suggestion(key: str, wrong: str, right: str) -> None:
    """Put `right` in place of `wrong` in the box `key` (runs before the page redraws it)."""
    s = st.session_state
    s[key] = ", ".join(right if w.lower() == wrong.lower() else w for w in words_in(s[key]))


@st.cache_data(max_entries=256, show_spinner=False)
def cached_analogy(key, positive, negative, topn, method, _vectors):
    # `key` stands for the vectors (see vectors_key); the matrix itself is never hashed.
    return analogy(_vectors, positive=list(positive), negative=list(negative), topn=topn,
                   method=method)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_picture(key, roles, per_word, _vectors):
    """PCA of the query words, the answer and `per_word` neighbours of each, with a role column."""
    placed = dict(roles)
    for word in list(placed):
        if per_word:
            for near, _ in neighbours(_vectors, word, topn=per_word):
                placed.setdefault(near, "neighbour")
    words = list(placed)
    frame = project(_vectors.unit([_vectors.row(w) for w in words]), method="pca",
                    n_components=2, random_state=0, labels=words)
    frame["role"] = [placed[w] for w in words]
    return frame


def the_question() -> tuple[list[str], list[str], str | None]:
    """Draw the question's boxes; return (words to add, words to subtract, what is missing)."""
    s = st.session_state
    st.radio("Ask", list(MODES), format_func=MODES.get, key="analogy_mode",
             persist_state="session", horizontal=True)
    if s.analogy_mode == "abc":
        c1, c2, c3, c4 = st.columns([3, 3, 3, 2])
        c1.text_input("a", key="analogy_a", persist_state="session", help="is to …")
        c2.text_input("b", key="analogy_b", persist_state="session", help="… as …")
        c3.text_input("c", key="analogy_c", persist_state="session", help="… is to ?")
        c4.markdown("#### : ?")
        typed = {key: s[key].strip() for key in ABC}
        positive, negative = [typed["analogy_b"], typed["analogy_c"]], [typed["analogy_a"]]
        empty = [FIELDS[key] for key, word in typed.items() if not word]
        problem = (f"Type a word in each of a, b and c (for example man, king, woman); "
                   f"{' and '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty."
                   if empty else None)
    else:
        c1, c2 = st.columns(2)
        c1.text_input("Add (positive words)", key="analogy_positive", persist_state="session",
                      help="Words separated by commas or spaces, e.g. king, woman")
        c2.text_input("Subtract (negative words)", key="analogy_negative", persist_state="session",
                      help="Words separated by commas or spaces, e.g. man; may be empty")
        positive, negative = words_in(s.analogy_positive), words_in(s.analogy_negative)
        problem = None if positive else (
            "Type at least one word to add (for example king, woman); the words to subtract "
            "may stay empty.")
    c1, c2, c3 = st.columns(3)
    c1.radio("Method", METHODS, format_func=METHOD_NAMES.get, key="analogy_method",
             persist_state="session", horizontal=True)
    c2.number_input(f"Answers (top k, 1 to {MAX_TOPN})", min_value=1, max_value=MAX_TOPN, step=1,
                    key="analogy_topn", persist_state="session")
    c3.number_input(f"Neighbours of each word in the picture (0 to {MAX_PICTURE_NEIGHBOURS})",
                    min_value=0, max_value=MAX_PICTURE_NEIGHBOURS, step=1,
                    key="analogy_picture_neighbours", persist_state="session")
    return positive, negative, problem


def the_answer(vectors, vkey, positive, negative) -> list:
    """The best answers, or (after saying what is wrong, with closest spellings) a stop."""
    s = st.session_state
    try:
        answer = cached_analogy(vkey, tuple(positive), tuple(negative),
                                int(s.analogy_topn), s.analogy_method, vectors)
    except KeyError as error:  # an unknown word: UnknownWordError, with the closest spellings
        st.warning(md_message(error), icon=":material/spellcheck:")
        wrong, suggestions = getattr(error, "word", None), getattr(error, "suggestions", [])
        box = next((key for key in FIELDS if key in s and wrong and
                    wrong.lower() in (w.lower() for w in words_in(s[key]))), None)
        if box and suggestions:
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(f"Put in place of **{md(wrong)}**:", width="content")
                for i, word in enumerate(suggestions):
                    st.button(word, key=f"analogy_suggestion_{i}", on_click=use_suggestion,
                              args=(box, wrong, word))
        st.stop()
    except InputError as error:
        if s.analogy_mode == "abc":
            st.warning(f"{md_message(error)} In a \\: b \\:\\: c \\: ?, a is subtracted and b and "
                       "c are added.")
        else:
            st.warning(md_message(error))
        st.stop()
    if not answer:
        st.info("No answer: every other word scored as undefined (vectors of length zero?).")
        st.stop()
    return answer


def answers_table(answer, vectors) -> None:
    method = st.session_state.analogy_method
    score_name = "cosine" if method == "cosadd" else "3CosMul score"
    table = pd.DataFrame({"rank": range(1, len(answer) + 1), "word": [w for w, _ in answer],
                          "score": [round(score, 4) for _, score in answer]})
    st.dataframe(table, hide_index=True, key="analogy_answers",
                 column_config={"score": st.column_config.NumberColumn(
                     score_name, format="%.4f")})
    st.caption(f"Searched all {len(vectors):,} words of {md(vectors.name)} with "
               f"{METHOD_NAMES[method]}. The query words are left out of the answers, "
               "as gensim leaves them out.")


def the_picture(vectors, vkey, positive, negative, canonical, best) -> None:
    """PCA of the query, the answer and their neighbours; the parallelogram when it has one."""
    method = st.session_state.analogy_method
    # The parallelogram needs the a : b :: c : ? shape: one word subtracted, two added.
    shaped = len(negative) == 1 and len(positive) == 2
    roles = {canonical[w]: "negative" for w in negative}
    roles.update({canonical[w]: "positive" for w in positive})
    roles[best] = "answer"
    try:
        frame = cached_picture(vkey, tuple(roles.items()),
                               int(st.session_state.analogy_picture_neighbours), vectors)
    except InputError:
        st.info(f"No picture: a PCA needs at least {MIN_POINTS} words, and the query with its "
                f"answer has {len(roles)}. Add neighbours of each word to the picture.")
        st.stop()
    if shaped:
        a, b, c = canonical[negative[0]], canonical[positive[0]], canonical[positive[1]]
        arrows = [(a, b), (c, best)]
    else:
        arrows = []
    st.plotly_chart(analogy_parallelogram(frame, arrows=arrows, highlight=best,
                                          title="PCA of the query, the answer and their neighbours"),
                    key="analogy_picture")
    if shaped:
        a, b, c, best = (md(w) for w in (a, b, c, best))
        why = (f"{best} is the word pointing most nearly that way in all {vectors.dim} "
               "dimensions" if method == "cosadd" else
               f"3CosMul picked {best} by multiplying its similarities to {b} and {c} and "
               f"dividing by its similarity to {a}")
        st.caption(f"Solid arrows: {a} → {b} and {c} → {best}. The dashed arrow is the step "
                   f"{a} → {b} again, from {c}: it ends where {c} \\+ ({b} − {a}) falls. {why}; "
                   "the picture shows only the two directions along which these words vary "
                   "most, so the fit looks rougher here.")
    else:
        st.caption("Arrows are drawn for questions of the form a : b :: c : ? (one word "
                   "subtracted, two added).")


if __name__ == "__main__":
    render()
