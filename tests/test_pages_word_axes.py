"""AppTest: the Word axes page (axis map, bias view, WEAT) on the shipped GloVe 6B 50d."""

import json

import pytest

from explorer.weat import PUBLISHED_TESTS
from tests.apptest_helpers import fresh_app, texts, visit
from tests.test_pages_glove_text import values as plotly_array
from ui import pages

@pytest.fixture
def page():
    return visit(fresh_app(), pages.WORD_AXES)


def figure(at, key: str) -> dict:
    charts = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert charts, f"no chart {key!r} on the page"
    return json.loads(charts[0].proto.spec)


def test_axis_map_places_words_by_their_cosines(page):
    at = page
    data = figure(at, "word_axes_map")["data"]
    words = data[0]["hovertext"]
    custom = {w: c for w, c in zip(words, data[0]["customdata"])}
    # he − she: king right of zero, queen left; good − bad: peace above war.
    assert custom["king"][1] > 0 > custom["queen"][1]
    assert custom["peace"][2] > custom["war"][2]
    assert "he − she: %{customdata[1]:.4f}" in data[0]["hovertemplate"]
    assert not at.warning or "gladiola" in texts(at.warning)  # only the WEAT list's note


def test_unknown_axis_word_offers_spellings_that_fix_the_axis(page):
    at = page
    at.text_input(key="word_axes_x").set_value("he - shhe").run()
    assert "x axis: 'shhe' is not in the vocabulary" in texts(at.warning)
    at.button(key="word_axes_x_suggestion_0").click().run()
    assert at.text_input(key="word_axes_x").value == "he - she"
    assert not at.exception and figure(at, "word_axes_map")


@pytest.mark.parametrize("axis, says", [
    ("", "`x axis` is empty"),
    ("he she", "`x axis` needs + or - between words"),
    ("he - He", "`x axis` has 'he' on both sides of the minus sign"),
])
def test_bad_axes_get_messages_and_keep_the_rest(page, axis, says):
    at = page
    at.text_area(key="word_axes_words").set_value("king, queen, nurse, doctor").run()
    at.text_input(key="word_axes_x").set_value(axis).run()
    assert says in texts(at.warning)
    assert at.text_area(key="word_axes_words").value == "king, queen, nurse, doctor"
    assert figure(at, "word_axes_bias_chart")  # the other sections still answer


def test_points_from_a_neighbourhood_and_the_most_frequent(page):
    at = page
    at.radio(key="word_axes_source").set_value("neighbourhood").run()
    data = figure(at, "word_axes_map")["data"]
    assert len(data[0]["hovertext"]) == 41 and data[-1]["text"] == ["doctor"]
    at.radio(key="word_axes_source").set_value("frequent").run()
    at.number_input(key="word_axes_top_n").set_value(500).run()
    assert len(figure(at, "word_axes_map")["data"][0]["hovertext"]) == 500


@pytest.mark.parametrize("n", [60, 1000])
def test_the_caption_says_how_many_words_are_labelled_as_the_map_shows(page, n):
    at = page
    at.radio(key="word_axes_source").set_value("frequent").run()
    at.number_input(key="word_axes_top_n").set_value(n).run()
    data = figure(at, "word_axes_map")["data"]
    labelled = sum(bool(t) for trace in data for t in (trace.get("text") or ()))
    assert 20 < labelled < min(n, 300)  # what fits, not the first 300 on top of each other
    assert (f"{labelled:,} of the {n:,} words are labelled, where no two labels overlap"
            in texts(at.caption))
    assert "Only the first 300" not in texts(at.caption)


def test_a_short_list_is_labelled_whole_and_says_nothing_about_labels(page):
    at = page
    at.text_area(key="word_axes_words").set_value("king, queen, man, woman").run()
    data = figure(at, "word_axes_map")["data"]
    assert sorted(t for trace in data for t in trace["text"] if t) == [
        "king", "man", "queen", "woman"]
    assert "are labelled" not in texts(at.caption)


def test_bias_view_needs_two_poles_and_sorts_the_words(page):
    at = page
    at.text_area(key="word_axes_bias_words").set_value("nurse, engineer, mechanic, homemaker").run()
    bars = figure(at, "word_axes_bias_chart")["data"][0]
    scores = plotly_array(bars["x"])
    assert scores == sorted(scores)  # drawn bottom-up: the most positive ends on top
    assert set(bars["y"]) == {"nurse", "engineer", "mechanic", "homemaker"}
    assert bars["y"][-1] in ("engineer", "mechanic") and bars["y"][0] in ("nurse", "homemaker")
    at.text_input(key="word_axes_bias_axis").set_value("he").run()
    assert "`axis` needs a word on each side of a minus sign" in texts(at.warning)


def test_weat_published_test_and_own_lists(page):
    at = page
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Effect size"] == "+1.0916"  # flowers/insects; WEFE gives 1.0916 too
    test9 = [t for t in PUBLISHED_TESTS if t.startswith("9.")][0]
    at.selectbox(key="word_axes_weat_test").set_value(test9).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Splits counted"] == "924 (all)"  # 6 + 6 targets: every split
    at.text_area(key="word_axes_weat_a").set_value("").run()
    assert "Type words in Attributes A" in texts(at.info)
    at.text_area(key="word_axes_weat_a").set_value("happy").run()
    at.text_area(key="word_axes_weat_x").set_value("sad, gloomy, zzzqqq, xxyyzz").run()
    assert "`targets X`: 2 of its 4 words are not in the vectors" in texts(at.warning)
    at.text_area(key="word_axes_weat_x").set_value("sad, gloomy, tearful, miserable, zzzqqq").run()
    assert "Not in the vocabulary, left out: Targets X: zzzqqq" in texts(at.warning)
    assert not at.exception
