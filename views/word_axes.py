"""Word axes: words placed on directions you choose (he − she, good − bad), a bias view, WEAT."""

import re

import pandas as pd
import streamlit as st

from explorer.analogy import MAX_TOPN
from explorer.axes import (UnknownAxisWordError, axis_direction, axis_map, bias_table,
                           parse_axis, point_words)
from explorer.errors import InputError
from explorer.explore_charts import axis_scatter, bias_bars, label_count
from explorer.spreadsheet import frame_to_csv
from explorer.weat import (DEFAULT_PERMUTATIONS, MAX_PERMUTATIONS, PUBLISHED_TESTS, read_list,
                           weat)
from ui import state
from ui.markup import md, md_message
from ui.vectors_choice import vectors_badge, words_in

SOURCES = {"typed": "Words I type", "neighbourhood": "A word and its neighbours",
           "frequent": "The most frequent words"}
MAX_FREQUENT = 10_000
UNKNOWN_SUGGESTED = 5
OWN_LISTS = "Your own lists"
ROLE_KEYS = {"X": "word_axes_weat_x", "Y": "word_axes_weat_y", "A": "word_axes_weat_a",
             "B": "word_axes_weat_b"}
ROLE_NAMES = {"X": "Targets X", "Y": "Targets Y", "A": "Attributes A", "B": "Attributes B"}
AXIS_FIELDS = {"word_axes_x": "x axis", "word_axes_y": "y axis", "word_axes_bias_axis": "axis"}
DEFAULT_WORDS = ("king, queen, man, woman, boy, girl, doctor, nurse, engineer, teacher, "
                 "hero, villain, love, hate, peace, war, gift, theft, brave, cruel")
OCCUPATIONS = ("engineer, nurse, doctor, teacher, programmer, homemaker, surgeon, "
               "secretary, carpenter, librarian, pilot, receptionist, mechanic, dancer, "
               "architect, hairdresser, scientist, housekeeper, captain, stylist, lawyer, "
               "nanny, plumber, designer, manager, maid")
FIRST_TEST = next(iter(PUBLISHED_TESTS))


def _lists_of(test: str) -> dict:
    return {key: ", ".join(read_list(name)) for key, name in
            zip(ROLE_KEYS.values(), PUBLISHED_TESTS[test])}


DEFAULTS = {
    "word_axes_x": "he - she", "word_axes_y": "good - bad", "word_axes_source": "typed",
    "word_axes_words": DEFAULT_WORDS, "word_axes_centre": "doctor", "word_axes_centre_n": 40,
    "word_axes_top_n": 1000, "word_axes_bias_axis": "he - she",
    "word_axes_bias_words": OCCUPATIONS, "word_axes_weat_test": FIRST_TEST,
    "word_axes_permutations": DEFAULT_PERMUTATIONS, "word_axes_seed": 0,
}


def render() -> None:
    state.remember(DEFAULTS)
    state.remember(_lists_of(FIRST_TEST))
    st.title("Word axes")
    st.caption(
        "Pick two directions in the vector space, each written as words joined by + and −, "
        "and see where words fall on them: `he − she` against `good − bad`, as the Embedding "
        "Projector's custom projection does. A word's place on an axis is the cosine between "
        "its vector and the axis direction (−1 to 1). The same axes measure bias: how far a "
        "list of occupations leans towards he or she, and the WEAT test of Caliskan et al. "
        "(2017).")
    vectors = vectors_badge()
    st.subheader("A map on two directions", divider="gray")
    axis_map_section(vectors)
    st.subheader("Bias along one direction", divider="gray")
    bias_section(vectors)
    st.subheader("WEAT: the Word Embedding Association Test", divider="gray")
    weat_section(vectors)


def use_suggestion(key: str, wrong: str, right: str) -> None:
    """Put `right` in place of the word `wrong` in the axis box `key` (before the page redraws)."""
    pattern = r"(?<![^\s+\-])" + re.escape(wrong) + r"(?![^\s+\-])"
    st.session_state[key] = re.sub(pattern, lambda _: right, st.session_state[key], count=1,
                                   flags=re.IGNORECASE)


def show_axis_problem(error: Exception, keys) -> None:
    """A message for a bad axis; for an unknown word, buttons with the closest spellings."""
    st.warning(md_message(error), icon=":material/spellcheck:")
    if not isinstance(error, UnknownAxisWordError) or not error.suggestions:
        return
    key = next(k for k in keys if AXIS_FIELDS[k] == error.field)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"Put in place of **{md(error.word)}**:", width="content")
        for i, word in enumerate(error.suggestions):
            st.button(word, key=f"{key}_suggestion_{i}", on_click=use_suggestion,
                      args=(key, error.word, word))


def axis_map_section(vectors) -> None:
    s = st.session_state
    c1, c2 = st.columns(2)
    c1.text_input("x axis", key="word_axes_x", persist_state="session",
                  help="Words joined by + and −, e.g. he - she, or one word (similarity to it).")
    c2.text_input("y axis", key="word_axes_y", persist_state="session",
                  help="Words joined by + and −, e.g. good - bad, or one word.")
    st.radio("Points", list(SOURCES), format_func=SOURCES.get, key="word_axes_source",
             persist_state="session", horizontal=True)
    points = chosen_points(vectors)
    try:
        x_axis = parse_axis(s.word_axes_x, field="x axis")
        y_axis = parse_axis(s.word_axes_y, field="y axis")
        if points is None:
            return
        frame = axis_map(vectors, points.words, x_axis, y_axis, rows=points.rows)
    except (UnknownAxisWordError, InputError) as error:
        show_axis_problem(error, ("word_axes_x", "word_axes_y"))
        return
    x_text, y_text = _axis_text(vectors, x_axis), _axis_text(vectors, y_axis)
    centre = frame["word"].iloc[0] if s.word_axes_source == "neighbourhood" else None
    fig = axis_scatter(frame, x_title=x_text, y_title=y_text,
                       highlight=[centre] if centre else (),
                       title=f"{len(frame):,} words on {x_text} and {y_text}")
    st.plotly_chart(fig, key="word_axes_map")
    st.caption(
        f"x = cos(word, {md(x_text)}), y = cos(word, {md(y_text)}); each direction is the sum of "
        "its words' unit vectors, added or subtracted, so a long (frequent) word does not "
        "outweigh the others. Right of zero: nearer the first words of the x axis. "
        + _labels_note(label_count(fig), len(frame)))
    st.download_button("Coordinates as CSV (word, x, y)", frame_to_csv(frame), "word_axes.csv",
                       "text/csv", key="word_axes_download")


def _labels_note(labelled: int, shown: int) -> str:
    if labelled >= shown:
        return ""
    # Labels are placed for this view only: the page does not relabel a zoomed plot.
    return (f"{labelled:,} of the {shown:,} words are labelled, where no two labels overlap "
            "(the list's first words first); hover a point for the rest.")


def _axis_text(vectors, axis) -> str:
    return axis_direction(vectors, axis)[0].text


def chosen_points(vectors):
    """The points of the axis map; None after a message."""
    s = st.session_state
    if s.word_axes_source == "typed":
        st.text_area("Words, separated by commas or spaces", key="word_axes_words",
                     persist_state="session", height=80)
        points = point_words(vectors, typed=words_in(s.word_axes_words))
        if points.unknown:
            named = [md(w) + (f" (closest: {md(', '.join(vectors.suggest(w, n=3)))})"
                              if i < UNKNOWN_SUGGESTED else "")
                     for i, w in enumerate(points.unknown)]
            st.warning(f"Not in the vocabulary of {md(vectors.name)}, left out of the map: "
                       + "; ".join(named) + ".", icon=":material/spellcheck:")
        if not points.words:
            st.info("Type some words to place on the axes, for example king, queen, doctor.")
            return None
        return points
    if s.word_axes_source == "neighbourhood":
        c1, c2 = st.columns([3, 1])
        c1.text_input("Word", key="word_axes_centre", persist_state="session")
        c2.number_input(f"Neighbours (1 to {MAX_TOPN})", min_value=1, max_value=MAX_TOPN,
                        step=1, key="word_axes_centre_n", persist_state="session")
        if not s.word_axes_centre.strip():
            st.info("Type a word: the map shows it and its nearest neighbours.")
            return None
        try:
            return point_words(vectors, centre=s.word_axes_centre, n=int(s.word_axes_centre_n))
        except KeyError as error:
            st.warning(md_message(error), icon=":material/spellcheck:")
            return None
    top = min(MAX_FREQUENT, len(vectors))
    s.word_axes_top_n = min(int(s.word_axes_top_n), top)
    st.number_input(f"How many words (1 to {top:,}, most frequent first)", min_value=1,
                    max_value=top, step=100, key="word_axes_top_n", persist_state="session")
    return point_words(vectors, top=int(s.word_axes_top_n))


def bias_section(vectors) -> None:
    s = st.session_state
    c1, c2 = st.columns([1, 2])
    c1.text_input("Axis (a word on each side)", key="word_axes_bias_axis",
                  persist_state="session", help="e.g. he - she, or man + men - woman - women")
    c2.text_area("Words to project, e.g. occupations", key="word_axes_bias_words",
                 persist_state="session", height=80)
    typed = words_in(s.word_axes_bias_words)
    try:
        axis = parse_axis(s.word_axes_bias_axis, field="axis", two_poles=True)
        points = point_words(vectors, typed=typed)
        if not points.words:
            st.info("Type some words to project, for example engineer, nurse, teacher.")
            return
        spelled, _ = axis_direction(vectors, axis, field="axis")
        table = bias_table(vectors, points.words, axis)
    except (UnknownAxisWordError, InputError) as error:
        show_axis_problem(error, ("word_axes_bias_axis",))
        return
    if points.unknown:
        st.warning(f"Not in the vocabulary of {md(vectors.name)}, left out: "
                   f"{md(', '.join(points.unknown))}.", icon=":material/spellcheck:")
    positive, negative = " + ".join(spelled.positive), " + ".join(spelled.negative)
    st.plotly_chart(bias_bars(table, axis_text=spelled.text, positive=positive,
                              negative=negative), key="word_axes_bias_chart")
    lean_pos = table[table["score"] > 0]["word"].tolist()
    st.caption(f"{len(lean_pos)} of {len(table)} words lean towards {md(positive)} (blue, "
               f"right), {len(table) - len(lean_pos)} towards {md(negative)} (red, left). "
               "The bar is the cosine with the direction; a word's other senses move it too "
               "(secretary, as in secretary of state), so compare words with each other, not "
               "with zero alone.")


def load_test() -> None:
    """Fill the four lists from the chosen published test (runs before the page redraws)."""
    test = st.session_state.word_axes_weat_test
    if test in PUBLISHED_TESTS:
        st.session_state.update(_lists_of(test))


def weat_section(vectors) -> None:
    s = st.session_state
    st.caption(
        "Is one group of target words (X, say flowers) closer to one group of attribute words "
        "(A, pleasant) than another target group (Y, insects) is? The effect size is the "
        "difference of their mean associations in standard deviations; the p-value is the "
        "share of the ways of splitting X and Y anew that give a larger difference (one-sided "
        "permutation test). The published lists are Caliskan, Bryson & Narayanan (2017).")
    st.selectbox("Published test", list(PUBLISHED_TESTS) + [OWN_LISTS],
                 key="word_axes_weat_test", on_change=load_test, persist_state="session",
                 help="Choosing a test fills the four lists; edit them freely after.")
    c1, c2 = st.columns(2)
    for where, role in zip((c1, c2, c1, c2), "XYAB"):
        where.text_area(ROLE_NAMES[role], key=ROLE_KEYS[role], persist_state="session",
                        height=90)
    c1, c2 = st.columns(2)
    c1.number_input(f"Permutations (1 to {MAX_PERMUTATIONS:,})", min_value=1,
                    max_value=MAX_PERMUTATIONS, step=1000, key="word_axes_permutations",
                    persist_state="session",
                    help="When X and Y can be split in fewer ways than this, every split is "
                         "counted and the p-value is exact.")
    c2.number_input("Random seed", min_value=0, max_value=2**31 - 1, step=1,
                    key="word_axes_seed", persist_state="session")
    lists = {role: words_in(s[key]) for role, key in ROLE_KEYS.items()}
    empty = [ROLE_NAMES[r] for r, words in lists.items() if not words]
    if empty:
        st.info(f"Type words in {', '.join(empty)}, or pick a published test.")
        return
    try:
        with st.spinner("Counting permutations…"):
            result = weat(vectors, lists["X"], lists["Y"], lists["A"], lists["B"],
                          permutations=int(s.word_axes_permutations),
                          random_state=int(s.word_axes_seed))
    except InputError as error:
        st.warning(md_message(error))
        return
    c1, c2, c3 = st.columns(3)
    c1.metric("Effect size", f"{result.effect_size:+.4f}")
    c2.metric("p-value (one-sided)", f"{result.p_value:.4f}" if result.p_value >= 0.0001
              else "< 0.0001")
    c3.metric("Splits counted", f"{result.permutations:,}" + (" (all)" if result.exact else ""))
    side = "A" if result.effect_size > 0 else "B"
    st.caption(f"Positive: X is nearer A than Y is. Here the X words are nearer {side} by "
               f"{abs(result.effect_size):.2f} standard deviations of the associations. "
               + ("Every way of splitting the targets was counted."
                  if result.exact else f"{result.permutations:,} splits drawn with seed "
                  f"{int(s.word_axes_seed)}; p = (larger + 1) / (splits + 1)."))
    missing = {r: w for r, w in result.left_out.items() if w}
    if missing:
        st.warning("Not in the vocabulary, left out: " + "; ".join(
            f"{ROLE_NAMES[r]}: {md(', '.join(w))}" for r, w in missing.items()) + ".",
            icon=":material/spellcheck:")
    table = pd.DataFrame({"word": list(result.associations),
                          "list": ["X" if i < result.x_count else "Y"
                                   for i in range(len(result.associations))],
                          "s(w, A, B)": [round(v, 4) for v in result.associations.values()]})
    with st.expander("Each target word's association s(w, A, B) = mean cos with A − mean cos "
                     "with B"):
        st.dataframe(table, hide_index=True, key="word_axes_weat_table", width=560)


if __name__ == "__main__":
    render()
