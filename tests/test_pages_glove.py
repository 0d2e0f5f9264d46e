"""AppTest: the Analogy and the Neighbours & word maps pages on the shipped GloVe 6B 50d.

The vectors load once per test process (st.cache_resource); maps use PCA, or t-SNE on a few
dozen words, so the module runs in seconds.
"""

import json

import pytest

from tests.apptest_helpers import fresh_app, texts, visit

ANALOGY = "views/analogy.py"
WORD_MAP = "views/word_map.py"


@pytest.fixture
def analogy_page():
    return visit(fresh_app(), ANALOGY)


@pytest.fixture
def map_page():
    return visit(fresh_app(), WORD_MAP)


def answers(at) -> list[str]:
    """The words of the answer table, best first."""
    return at.dataframe[0].value["word"].tolist()


def figure(at, key: str) -> dict:
    """The plotly figure of the chart made with `key`, as JSON."""
    charts = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert charts, f"no chart {key!r} on the page"
    return json.loads(charts[0].proto.spec)


def map_words(at) -> list[str]:
    """Every word on the word map (its first trace holds them all, labelled or not)."""
    data = figure(at, "word_map_plot")["data"]
    return list(data[0]["hovertext"])


# --- Analogy -------------------------------------------------------------------------------


def test_man_king_woman_gives_queen_with_scores_and_a_parallelogram(analogy_page):
    at = analogy_page
    table = at.dataframe[0].value
    assert list(table.columns) == ["rank", "word", "score"]
    assert table["word"].tolist()[:3] == ["queen", "throne", "prince"]
    assert table["rank"].tolist() == list(range(1, 11))
    assert table["score"].iloc[0] == pytest.approx(0.8524, abs=1e-4)
    assert not {"man", "king", "woman"} & set(table["word"])
    assert any("man : king :: woman : **:red[queen]**" in m.value for m in at.markdown)
    picture = figure(at, "analogy_picture")
    # Two solid arrows (man → king, woman → queen) and the dashed copy of the first.
    assert len(picture["layout"]["annotations"]) == 3
    roles = {trace["name"]: list(trace["text"]) for trace in picture["data"]}
    assert roles["answer"] == ["queen"] and roles["subtracted"] == ["man"]
    assert sorted(roles["added"]) == ["king", "woman"]
    assert len(roles["neighbours"]) >= 3


def test_cosmul_also_answers_queen(analogy_page):
    at = analogy_page
    at.radio(key="analogy_method").set_value("cosmul").run()
    assert not at.exception
    assert answers(at)[0] == "queen"
    assert at.dataframe[0].value["score"].iloc[0] == pytest.approx(0.9289, abs=1e-4)


def test_words_are_case_insensitive(analogy_page):
    at = analogy_page
    at.text_input(key="analogy_a").set_value("MAN")
    at.text_input(key="analogy_b").set_value("King").run()
    assert answers(at)[0] == "queen"
    assert not {"man", "king", "woman"} & set(answers(at))


def test_unknown_word_is_named_with_the_closest_spellings_and_one_click_fixes_it(analogy_page):
    at = analogy_page
    at.text_input(key="analogy_b").set_value("kingg").run()
    assert not at.exception
    message = texts(at.warning)
    assert "'kingg' is not in the vocabulary" in message and "king" in message
    assert not at.dataframe
    # What the user typed elsewhere is kept.
    assert at.text_input(key="analogy_a").value == "man"
    assert at.text_input(key="analogy_c").value == "woman"
    at.button(key="analogy_suggestion_0").click().run()
    assert at.text_input(key="analogy_b").value == "king"
    assert answers(at)[0] == "queen"


def test_empty_box_and_empty_list_ask_for_words(analogy_page):
    at = analogy_page
    at.text_input(key="analogy_c").set_value("   ").run()
    assert not at.exception and not at.dataframe
    assert "c is empty" in texts(at.info)
    at.radio(key="analogy_mode").set_value("free").run()
    at.text_input(key="analogy_positive").set_value(" , ").run()
    assert not at.exception and not at.dataframe
    assert "at least one word to add" in texts(at.info)
    # The other mode's words are still there.
    at.radio(key="analogy_mode").set_value("abc").run()
    assert at.text_input(key="analogy_b").value == "king"


def test_same_word_on_both_sides_is_refused(analogy_page):
    at = analogy_page
    at.text_input(key="analogy_c").set_value("Man").run()
    assert not at.exception and not at.dataframe
    assert "cannot be both positive and negative" in texts(at.warning)
    assert "a is subtracted" in texts(at.warning)


def test_top_k_is_bounded_1_to_100(analogy_page):
    at = analogy_page
    topn = at.number_input(key="analogy_topn")
    assert (topn.min, topn.max) == (1, 100)
    at.number_input(key="analogy_topn").set_value(100).run()
    assert len(answers(at)) == 100
    at.number_input(key="analogy_topn").set_value(1).run()
    assert answers(at) == ["queen"]
    for wrong in (0, 101):  # the browser refuses these; a forged value falls back in range
        at.number_input(key="analogy_topn").set_value(wrong).run()
        assert not at.exception
        assert 1 <= at.number_input(key="analogy_topn").value <= 100
        assert answers(at)[0] == "queen"


def test_free_lists_of_positive_and_negative_words(analogy_page):
    at = analogy_page
    at.radio(key="analogy_mode").set_value("free").run()
    at.text_input(key="analogy_positive").set_value("Paris, germany")
    at.text_input(key="analogy_negative").set_value("france").run()
    assert answers(at)[0] == "berlin"
    assert len(figure(at, "analogy_picture")["layout"]["annotations"]) == 3
    # One word alone is its neighbours, without arrows.
    at.text_input(key="analogy_positive").set_value("frog")
    at.text_input(key="analogy_negative").set_value("").run()
    assert answers(at)[:3] == ["snake", "ape", "toad"]
    assert not figure(at, "analogy_picture")["layout"].get("annotations")
    at.number_input(key="analogy_picture_neighbours").set_value(0).run()
    assert not at.exception and answers(at)[0] == "snake"
    assert "a PCA needs at least 4 words, and the query with its answer has 2" in texts(at.info)


# --- Neighbours & word maps ----------------------------------------------------------------


def test_neighbours_of_frog(map_page):
    at = map_page
    table = at.dataframe[0].value
    assert list(table.columns) == ["rank", "word", "cosine"]
    assert table["word"].tolist()[:3] == ["snake", "ape", "toad"]
    assert table["cosine"].iloc[0] == pytest.approx(0.8445, abs=1e-4)
    at.number_input(key="word_map_topn").set_value(3).run()
    assert at.dataframe[0].value["word"].tolist() == ["snake", "ape", "toad"]


def test_unknown_neighbour_word_keeps_the_map(map_page):
    at = map_page
    at.text_input(key="word_map_word").set_value("frogg").run()
    assert not at.exception
    assert "'frogg' is not in the vocabulary" in texts(at.warning) and "frog" in texts(at.warning)
    assert len(map_words(at)) == 26  # the word map below is still drawn


def test_map_of_the_100_most_frequent_words_has_100_points(map_page):
    at = map_page
    at.radio(key="word_map_source").set_value("frequent").run()
    at.number_input(key="word_map_top_n").set_value(100).run()
    assert not at.exception and not at.warning
    words = map_words(at)
    assert len(words) == 100
    assert words[0].startswith("<b>the</b>")


def test_search_highlights_a_word(map_page):
    at = map_page
    at.text_input(key="word_map_search").set_value("Queen").run()
    data = figure(at, "word_map_plot")["data"]
    assert data[-1]["text"] == ["queen"] and data[-1]["marker"]["symbol"] == "diamond"
    assert "queen" not in data[0]["text"]  # one label, on top
    at.text_input(key="word_map_search").set_value("frogs").run()
    assert "'frogs' is not among the 26 words on this map" in texts(at.info)
    assert len(figure(at, "word_map_plot")["data"]) == 1


def test_typed_list_names_unknown_words_and_maps_the_rest(map_page):
    at = map_page
    at.text_area(key="word_map_words").set_value("King queen kingg paris Paris xyzzyq berlin rome").run()
    assert not at.exception
    warning = texts(at.warning)
    assert "kingg (closest: king" in warning and "xyzzyq" in warning
    assert [w.split("</b>")[0][3:] for w in map_words(at)] == ["king", "queen", "paris", "berlin",
                                                                "rome"]
    at.text_area(key="word_map_words").set_value("king queen").run()
    assert "A map needs at least 4 words of the vocabulary; this set has 2." in texts(at.info)
    assert not at.get("plotly_chart")


def test_neighbourhood_in_tsne_and_3d(map_page):
    at = map_page
    at.radio(key="word_map_source").set_value("neighbourhood").run()
    at.number_input(key="word_map_centre_n").set_value(30).run()
    at.radio(key="word_map_method").set_value("tsne").run()
    assert not at.exception and not at.warning
    words = map_words(at)
    assert len(words) == 31 and words[0].startswith("<b>frog</b>")
    assert figure(at, "word_map_plot")["data"][-1]["text"] == ["frog"]  # the centre is marked
    at.radio(key="word_map_method").set_value("pca")
    at.radio(key="word_map_dims").set_value(3).run()
    assert figure(at, "word_map_plot")["data"][0]["type"] == "scatter3d"


def _label_count(fig: dict) -> int:
    return sum(bool(t) for trace in fig["data"] for t in (trace.get("text") or ()))


def test_a_3d_map_of_1000_words_labels_words_far_apart_and_says_how_many(map_page):
    at = map_page
    at.radio(key="word_map_source").set_value("frequent").run()
    at.radio(key="word_map_dims").set_value(3).run()
    fig = figure(at, "word_map_plot")
    labelled = _label_count(fig)
    assert 10 < labelled < 300  # not the first 300, on top of each other
    assert (f"{labelled:,} of the 1,000 words are labelled: in the list's order, a word only "
            "when no labelled word is near it in space") in texts(at.caption)
    at.text_input(key="word_map_search").set_value("king").run()
    assert figure(at, "word_map_plot")["data"][-1]["text"] == ["king"]  # searched: labelled


# --- the chart functions these pages draw with ---------------------------------------------------


def test_chart_examples_run():
    import doctest
    import importlib

    from explorer import charts

    attempted = 0
    for name in charts.MODULES:  # the package's modules, one per page family
        result = doctest.testmod(importlib.import_module(name))
        assert result.failed == 0, name
        attempted += result.attempted
    assert attempted >= 4


def test_parallelogram_labels_sit_away_from_arrows_and_unknown_arrows_are_skipped():
    import pandas as pd

    from explorer.charts import analogy_parallelogram

    frame = pd.DataFrame({"word": ["man", "king", "woman", "queen", "boy"],
                          "x": [0.0, 0.0, 2.0, 2.0, 1.0], "y": [0.0, 1.0, 0.0, 1.0, 0.5],
                          "role": ["negative", "positive", "positive", "answer", "neighbour"]})
    fig = analogy_parallelogram(frame, arrows=[("man", "king"), ("woman", "queen"),
                                               ("man", "prince")], highlight="queen")
    arrows = [(a.ax, a.ay, a.x, a.y) for a in fig.layout.annotations]
    # Two arrows and the dashed copy of man → king drawn from woman: it ends on queen here.
    assert arrows == [(0, 0, 0, 1), (2, 0, 2, 1), (2, 0, 2, 1)]
    by_name = {trace.name: trace for trace in fig.data}
    # man's arrow leaves upwards, so its label goes below; king's arrives from below: above.
    assert by_name["subtracted"].textposition == ("bottom center",)
    assert by_name["answer"].marker.size == (18,)
    assert fig.layout.yaxis.scaleanchor == "x"


def test_word_map_of_thousands_of_points_uses_webgl_and_keeps_the_highlight_on_top():
    import numpy as np
    import pandas as pd

    from explorer.charts import word_map

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"word": [f"w{i}" for i in range(3000)],
                          "x": rng.normal(size=3000), "y": rng.normal(size=3000)})
    fig = word_map(frame, highlight="w2999")
    assert [trace.type for trace in fig.data] == ["scattergl"] * 3
    crowd, labelled, marked = fig.data
    assert len(crowd.x) == 3000 and not any(crowd.text)
    # The words whose labels fit (tests/test_word_map_labels.py), not the first 300 on top of
    # each other; the highlighted word is placed first, and labelled on its own trace only.
    assert 30 < sum(map(bool, labelled.text)) < 300 and "w2999" not in labelled.text
    assert list(marked.text) == ["w2999"]


# --- the session's own vectors ---------------------------------------------------------------------


def use_own_vectors(at, seed: int, *, name: str = "mine.txt", rows: int = 50):
    """Give the session an 'uploaded' file of `rows` random 5-D vectors named w0, w1, ..."""
    import numpy as np

    from explorer.vectors import Vectors
    from ui import vectors_choice

    matrix = np.random.default_rng(seed).normal(size=(rows, 5))
    vectors = Vectors.from_arrays([f"w{i}" for i in range(rows)], matrix, name=name)
    at.session_state[vectors_choice.UPLOADED_KEY] = vectors
    at.session_state[vectors_choice.CHOICE_KEY] = vectors_choice.Choice("upload", name)
    return vectors


def test_pages_use_the_sessions_own_vectors_and_never_mix_up_two_files_of_one_name(map_page):
    from explorer.analogy import neighbours

    at = map_page
    at.radio(key="word_map_source").set_value("frequent").run()
    for seed in (1, 2):  # same name, same size, other numbers: the cached answers must differ
        vectors = use_own_vectors(at, seed)
        at.text_input(key="word_map_word").set_value("w1").run()
        assert not at.exception
        expected = [w for w, _ in neighbours(vectors, "w1", topn=10)]
        assert at.dataframe[0].value["word"].tolist() == expected
        # The 1,000 words asked for before become the 50 this file has.
        assert at.number_input(key="word_map_top_n").value == 50
        assert len(map_words(at)) == 50
    visit(at, ANALOGY)
    assert "'king' is not in the vocabulary (50 words)" in texts(at.warning)
