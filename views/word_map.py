"""Neighbours & word maps: which words GloVe puts close together, and a map of a whole word set."""


import pandas as pd
import streamlit as st

from explorer.analogy import MAX_TOPN, neighbours
from explorer.big_map import BIG_FROM, MAX_WORDS
from explorer.charts import word_map
from explorer.display import plotly_text
from explorer.errors import InputError
from explorer.explore_charts import label_count
from explorer.glove_settings import QuerySettings
from explorer.projection import MIN_POINTS, project
from explorer.spreadsheet import frame_to_csv
from ui import map_explorer, state
from ui.big_word_map import show_big_map
from ui.markup import md, md_message
from ui.vectors_choice import vectors_badge, vectors_key, words_in

METHOD_NAMES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}
SOURCES = {"typed": "Words I type", "neighbourhood": "A word and its neighbours",
           "frequent": "The most frequent words"}
MAX_FREQUENT = MAX_WORDS  # beyond BIG_FROM words the map is ui/big_word_map.py's
SLOW_TSNE_FROM = 1_000  # t-SNE of more points than this takes seconds: say so while it runs
UNKNOWN_SUGGESTED = 5  # closest spellings are looked up for this many unknown words at most
DEFAULT_WORDS = ("king, queen, prince, princess, man, woman, boy, girl, father, mother, "
                 "paris, france, rome, italy, berlin, germany, tokyo, japan, "
                 "frog, toad, snake, lizard, apple, banana, orange, grape")
DEFAULTS = {
    "word_map_word": "frog", "word_map_topn": QuerySettings.topn,
    "word_map_source": "typed", "word_map_words": DEFAULT_WORDS, "word_map_centre": "frog",
    "word_map_centre_n": 50, "word_map_top_n": 1000, "word_map_method": "pca",
    "word_map_dims": 2, "word_map_seed": 0, "word_map_search": "",
}


def render() -> None:
    state.remember(DEFAULTS)
    s = st.session_state
    st.title("Neighbours & word maps")
    st.caption(
        "Two words are neighbours when their vectors point the same way (a high cosine). "
        "GloVe learnt its vectors from which words appear near which in six billion words of "
        "text, so neighbours are words used alike: frog sits near toad and lizard."
    )
    vectors = vectors_badge()
    vkey = vectors_key(vectors)

    st.subheader("Nearest neighbours", divider="gray")
    nearest_neighbours(vectors, vkey)

    st.subheader("A map of a word set", divider="gray")
    st.radio("Words", list(SOURCES), format_func=SOURCES.get, key="word_map_source",
             persist_state="session", horizontal=True)
    words = chosen_words(vectors, vkey)
    if words is not None:
        words = map_explorer.isolated_words(words)
    c1, c2, c3, c4 = st.columns([3, 2, 3, 2])
    c1.radio("Method", list(METHOD_NAMES), format_func=METHOD_NAMES.get, key="word_map_method",
             persist_state="session", horizontal=True)
    c2.radio("Dimensions", [2, 3], key="word_map_dims", persist_state="session", horizontal=True)
    map_explorer.sphereize_control(c4)
    c3.number_input("Random seed", min_value=0, max_value=2**31 - 1, step=1, key="word_map_seed",
                    persist_state="session", disabled=s.word_map_method == "pca",
                    help="t-SNE starts from a seeded layout: the same seed gives the same map.")
    if words is None:
        st.stop()
    if len(words) < MIN_POINTS:
        st.info(f"A map needs at least {MIN_POINTS} words of the vocabulary; this set has "
                f"{len(words)}. Add more words.")
        st.stop()
    the_map(vectors, vkey, words)


@st.cache_data(max_entries=256, show_spinner=False)
def cached_neighbours(key, word, topn, _vectors):
    # `key` stands for the vectors (see vectors_key); the matrix itself is never hashed.
    return neighbours(_vectors, word, topn=topn)


# Server-wide: st.cache_data is one store for every session of the process, so a map one
# person drew (t-SNE of 10,000 words takes seconds) comes back at once for the next, keyed by
# the vectors, the words and every setting. 32 maps of 10,000 words are ~15 MB.
@st.cache_data(max_entries=32, show_spinner=False)
def cached_map(key, words, method, dims, seed, perplexity, _vectors, sphereized=False):
    """The projection of `words` (known, in vocabulary spelling) on their unit vectors, or on
    the sphereized ones."""
    rows = [_vectors.row(w) for w in words]
    return project(map_explorer.projected_rows(_vectors, rows, sphereized), method=method,
                   n_components=dims, random_state=seed, perplexity=perplexity,
                   labels=list(words), ids=rows)


def show_unknown(error: KeyError) -> None:
    st.warning(md_message(error), icon=":material/spellcheck:")


def nearest_neighbours(vectors, vkey) -> None:
    s = st.session_state
    c1, c2 = st.columns([3, 1])
    c1.text_input("Word", key="word_map_word", persist_state="session")
    c2.number_input(f"How many (top k, 1 to {MAX_TOPN})", min_value=1, max_value=MAX_TOPN, step=1,
                    key="word_map_topn", persist_state="session")
    word = s.word_map_word.strip()
    if not word:
        st.info("Type a word to see its nearest neighbours, for example frog.")
        return
    try:
        near = cached_neighbours(vkey, word, int(s.word_map_topn), vectors)
    except KeyError as error:
        show_unknown(error)
    except InputError as error:
        st.warning(md_message(error))
    else:
        st.dataframe(pd.DataFrame({"rank": range(1, len(near) + 1), "word": [w for w, _ in near],
                                   "cosine": [round(c, 4) for _, c in near]}),
                     hide_index=True, key="word_map_neighbours", width=560,
                     column_config={"cosine": st.column_config.NumberColumn(format="%.4f")})
        st.caption(f"Cosine similarity to {md(vectors.words[vectors.row(word)])} over all "
                   f"{len(vectors):,} words of {md(vectors.name)}.")


def chosen_words(vectors, vkey) -> list[str] | None:
    """The words to map, in vocabulary spelling and without repeats; None after a message."""
    s = st.session_state
    if s.word_map_source == "typed":
        st.text_area("Words, separated by commas or spaces", key="word_map_words",
                     persist_state="session", height=90)
        typed = words_in(s.word_map_words)
        known = [vectors.find(w) for w in typed]
        unknown = list(dict.fromkeys(w for w, row in zip(typed, known) if row is None))
        if unknown:
            named = [md(w) + (f" (closest: {md(', '.join(vectors.suggest(w, n=3)))})"
                              if i < UNKNOWN_SUGGESTED else "") for i, w in enumerate(unknown)]
            st.warning(f"Not in the vocabulary of {md(vectors.name)}, left out of the map: "
                       + "; ".join(named) + ".", icon=":material/spellcheck:")
        return list(dict.fromkeys(vectors.words[row] for row in known if row is not None))
    if s.word_map_source == "neighbourhood":
        c1, c2 = st.columns([3, 1])
        c1.text_input("Word", key="word_map_centre", persist_state="session")
        c2.number_input(f"Neighbours (3 to {MAX_TOPN})", min_value=3, max_value=MAX_TOPN, step=1,
                        key="word_map_centre_n", persist_state="session")
        centre = s.word_map_centre.strip()
        if not centre:
            st.info("Type a word: the map shows it and its nearest neighbours.")
            return None
        try:
            near = cached_neighbours(vkey, centre, int(s.word_map_centre_n), vectors)
        except KeyError as error:
            show_unknown(error)
            return None
        return [vectors.words[vectors.row(centre)]] + [w for w, _ in near]
    top = min(MAX_FREQUENT, len(vectors))
    if top < MIN_POINTS:
        st.info(f"{md(vectors.name)} holds only {len(vectors)} words: too few for a map.")
        return None
    # A smaller file than the last one: bring the number inside what the widget can show.
    s.word_map_top_n = min(int(s.word_map_top_n), top)
    st.number_input(f"How many words (4 to {top:,}; the first in {vectors.name}, most "
                    "frequent first)", min_value=4, max_value=top, step=100,
                    key="word_map_top_n", persist_state="session")
    return vectors.words[:int(s.word_map_top_n)]


def the_map(vectors, vkey, words: list[str]) -> None:
    """The projection of `words`, a search box that highlights one, and the download."""
    s = st.session_state
    method = s.word_map_method
    if len(words) > BIG_FROM:
        show_big_map(vectors, vkey, words, method=method, dims=int(s.word_map_dims),
                     seed=int(s.word_map_seed), sphereized=bool(s.word_map_sphereize))
        return
    slow = method in ("tsne", "umap") and len(words) > SLOW_TSNE_FROM
    wait = (f"{METHOD_NAMES[method]} of {len(words):,} words: this can take a minute on a busy "
            "machine; the map "
            "is kept, so it is drawn once…" if slow
            else f"{METHOD_NAMES[method]} of {len(words):,} words…")
    try:
        with st.spinner(wait, show_time=slow):
            frame = cached_map(vkey, tuple(words), method, int(s.word_map_dims),
                               int(s.word_map_seed), None, vectors,  # None: default perplexity
                               sphereized=bool(s.word_map_sphereize))
    except InputError as error:
        st.warning(md_message(error))
        st.stop()
    # Plotly reads tags such as <b> in hover text, and some GloVe tokens hold "<" or "&".
    hover = [f"<b>{plotly_text(w)}</b><br>frequency rank {row + 1:,}"
             for w, row in zip(frame["word"], frame["id"])]
    title = f"{METHOD_NAMES[method]} of {len(frame):,} words"
    if int(s.word_map_dims) == 2:
        # Select, isolate, search, clusters and colours: the Projector's panel, in 2-D.
        map_explorer.show_map(frame, vectors, hover=hover, title=title, method=method,
                              centre=words[0] if s.word_map_source == "neighbourhood" else None,
                              sphereized=bool(s.word_map_sphereize))
        map_notes(frame, method)
        return

    st.text_input("Find a word on the map", key="word_map_search", persist_state="session",
                  placeholder="type a word to highlight it")
    search = s.word_map_search.strip()
    on_map = {w.lower(): w for w in frame["word"]}
    highlight = on_map.get(search.lower()) if search else None
    if not search and s.word_map_source == "neighbourhood":
        highlight = words[0]  # the word whose neighbourhood this is
    if search and highlight is None:
        row = vectors.find(search)
        where = (f"it is word {row + 1:,} of {md(vectors.name)}" if row is not None
                 else f"it is not in the vocabulary of {md(vectors.name)}")
        st.info(f"{md(repr(search))} is not among the {len(frame):,} words on this map: {where}.")
    fig = word_map(frame, highlight=highlight, hover=hover, title=title)
    st.plotly_chart(fig, key="word_map_plot")
    st.caption("Selection, clusters, search patterns and colours work on 2-D maps: choose "
               "Dimensions 2.")
    map_notes(frame, method, labelled=label_count(fig))


def map_notes(frame, method, *, labelled: int | None = None) -> None:
    """What to read the map as, and its download; `labelled`: how many words a 3-D map labels."""
    notes = ["Points are the words' unit vectors: what counts is direction, as for the cosine."
             if not st.session_state.word_map_sphereize else
             "Points are the words' vectors centred on their mean, then at unit length "
             "(sphereized)."]
    if labelled is not None and labelled < len(frame):
        notes.append(f"{labelled:,} of the {len(frame):,} words are labelled: in the list's "
                     "order, a word only when no labelled word is near it in space, so few "
                     "labels cover each other however the map turns (Dimensions 2 places every "
                     "label apart); hover a point or search for a word to see the rest.")
    if method == "tsne":
        notes.append("t-SNE keeps neighbours together but distances between far-apart groups "
                     "mean little.")
    st.caption(" ".join(notes))
    st.download_button("Coordinates as CSV (word, x, y…)", lambda: frame_to_csv(frame),
                       "word_map.csv", "text/csv", key="word_map_download")


if __name__ == "__main__":
    render()
