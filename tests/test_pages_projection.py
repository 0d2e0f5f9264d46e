"""AppTest: the Projection page for a trained tutorial model."""

import json
import re

import pytest

from tests.apptest_helpers import fresh_app, session_run, texts, visit
from tests.test_pages_glove_text import values  # plotly's lists or typed arrays


@pytest.fixture(scope="module")
def trained():
    at = visit(fresh_app(), "views/train.py")
    at.number_input(key="train_epochs").set_value(30).run()
    at.button(key="train_start").click().run()
    assert not at.exception
    return at


def scatter_spec(at) -> str:
    """The plotly JSON of the main scatter: the first chart on the page."""
    return at.get("plotly_chart")[0].proto.spec


def scatter_words(at) -> set[str]:
    return set(json.loads(scatter_spec(at))["data"][0]["text"])


def test_before_training_points_to_the_train_page():
    at = visit(fresh_app(), "views/projection.py")
    assert "train a model first" in texts(at.info)


def test_one_point_per_used_id_with_the_sample_words(trained):
    at = visit(trained, "views/projection.py")
    words = scatter_words(at)
    assert "awesome" in words and "rude, services, have" in words
    assert len(words) == 15  # 18 words on 15 ids: 3 share id 45 and 2 share id 18
    assert "(padding)" not in words


def test_unused_ids_shown_on_request(trained):
    at = visit(trained, "views/projection.py")
    at.checkbox(key="projection_show_unused").check().run()
    assert "(padding)" in scatter_words(at)
    at.checkbox(key="projection_show_unused").uncheck().run()


def test_3d_labels_every_word_of_a_small_map_and_says_so_when_some_go_unlabelled(trained):
    at = visit(trained, "views/projection.py")
    at.radio(key="projection_dims").set_value(3).run()
    labels = [t for t in json.loads(scatter_spec(at))["data"][0]["text"] if t]
    assert len(labels) == 15  # the tutorial's 15 word ids, every one labelled
    assert not any("far apart in space" in c.value for c in at.caption)
    at.checkbox(key="projection_show_unused").check().run()  # all 50 rows of the table
    labels = [t for t in json.loads(scatter_spec(at))["data"][0]["text"] if t]
    assert 4 <= len(labels) < 50
    assert any(f"{len(labels)} of the 50 are labelled, only words far apart in space" in c.value
               for c in at.caption)
    at.checkbox(key="projection_show_unused").uncheck().run()
    at.radio(key="projection_dims").set_value(2).run()


def test_epoch_slider_changes_the_plot(trained):
    at = visit(trained, "views/projection.py")
    last = scatter_spec(at)
    at.select_slider(key="projection_epoch").set_value(0).run()
    assert not at.exception
    assert scatter_spec(at) != last


def test_tsne_and_3d(trained):
    at = visit(trained, "views/projection.py")
    at.radio(key="projection_method").set_value("tsne").run()
    assert not at.exception and not at.warning
    at.radio(key="projection_dims").set_value(3).run()
    assert not at.exception
    assert '"scatter3d"' in scatter_spec(at)
    at.radio(key="projection_method").set_value("pca").run()
    at.radio(key="projection_dims").set_value(2).run()


def test_3d_with_two_dimensions_is_refused_with_a_message():
    at = visit(fresh_app(), "views/train.py")
    at.number_input(key="train_output_dim").set_value(2)
    at.number_input(key="train_epochs").set_value(2).run()
    at.button(key="train_start").click().run()
    visit(at, "views/projection.py")
    at.radio(key="projection_dims").set_value(3).run()
    assert not at.exception
    # In the controls' words, not the core's `n_components` (which the command line keeps).
    warning = texts(at.warning)
    assert warning == ("A 3-D plot needs word vectors of at least 3 numbers, and this model's "
                       "have 2 (its Output dimension on the Train page). Choose 2 under "
                       "Dimensions, or train again with an Output dimension of at least 3.")
    at.radio(key="projection_dims").set_value(2).run()
    assert not at.warning


def test_umap_missing_is_explained_with_the_method_control(trained, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "umap", None)  # as if umap-learn were not installed
    at = visit(trained, "views/projection.py")
    at.radio(key="projection_method").set_value("umap").run()
    assert not at.exception
    warning = texts(at.warning)
    assert "Choose PCA or t-SNE under Method" in warning and "pip install umap-learn" in warning
    assert "method=" not in warning
    at.radio(key="projection_method").set_value("pca").run()
    assert not at.warning


def trained_projection(vocab_size: int, *, epochs: int = 2):
    """A new session whose tutorial reviews are hashed into `vocab_size` ids (2 to 6 give 1 to
    5 word ids, 8 gives 7 with no id unused), trained `epochs` epochs, on the Projection page."""
    at = visit(fresh_app(), "views/encode.py")
    at.number_input(key="encode_vocab_size").set_value(vocab_size).run()
    visit(at, "views/train.py")
    at.number_input(key="train_epochs").set_value(epochs).run()
    at.button(key="train_start").click().run()
    assert not at.exception
    return visit(at, "views/projection.py")


def test_too_few_words_names_the_controls_that_help():
    at = trained_projection(3)
    assert "Only 2 ids to place, and a projection needs at least 4." in texts(at.warning)
    assert "the Vocabulary size on the Encode page" in texts(at.warning)


def scatter_points(at) -> dict[str, float]:
    """word → the colour value of its point in the main scatter."""
    trace = json.loads(scatter_spec(at))["data"][0]
    return dict(zip(trace["text"], trace["marker"]["color"]))


def colour_bar(at) -> list[str]:
    return json.loads(scatter_spec(at))["data"][0]["marker"]["colorbar"]["ticktext"]


def test_colour_is_the_models_lean_measured_in_the_reviews(trained):
    at = visit(trained, "views/projection.py")
    colours = scatter_points(at)
    # "food" and "waitress" occur only in negative reviews, never at position 0 alone.
    assert colours["food"] < 0 and colours["waitress"] < 0 and colours["awesome"] > 0
    caption = texts(at.caption)
    assert "replaced by padding (id 0)" in caption
    assert "Red pushes towards positive, blue towards negative" in caption
    # Centred on 0 (white), the ends named by the class their sign means.
    bar = colour_bar(at)
    assert bar[0].startswith("−") and bar[0].endswith("· negative")
    assert bar[1] == "0 · neither" and bar[2].endswith("· positive")
    trace = json.loads(scatter_spec(at))["data"][0]["marker"]
    assert trace["cmin"] == -trace["cmax"] == -max(abs(v) for v in colours.values())


def test_colour_by_the_share_of_reviews_in_each_class(trained):
    at = visit(trained, "views/projection.py")
    at.radio(key="projection_colour_by").set_value("share").run()
    assert not at.exception
    colours = scatter_points(at)
    assert colours["food"] == 0.0 and colours["awesome"] == 1.0
    assert colours["service, couldn't"] == 0.5  # one negative, one positive review
    assert colour_bar(at) == ["0 · all negative", "0.5 · half each", "1 · all positive"]
    assert "This is the data, not the model." in texts(at.caption)
    at.checkbox(key="projection_show_unused").check().run()
    assert scatter_points(at)["(padding)"] == 0.5  # in no review: neutral
    at.checkbox(key="projection_show_unused").uncheck().run()
    at.radio(key="projection_colour_by").set_value("lean").run()


def chart_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_titles(at) -> list[str]:
    """Every figure title and subplot title on the page."""
    found = []
    for spec in chart_specs(at):
        title = spec["layout"].get("title", {})
        found.append(title.get("text", "") if isinstance(title, dict) else str(title))
        found += [a.get("text", "") for a in spec["layout"].get("annotations", [])]
    return [t for t in found if t]


@pytest.fixture(scope="module", params=["glove_tuned", "glove_frozen"])
def glove_trained(request):
    at = visit(fresh_app(), "views/train.py")
    at.radio(key="train_start_from").set_value(request.param).run()
    at.number_input(key="train_epochs").set_value(5).run()
    at.button(key="train_start").click().run()
    assert not at.exception
    assert session_run(at).start == request.param
    return request.param, at


def test_a_glove_started_run_is_never_called_random(glove_trained):
    start, at = glove_trained
    frozen = start == "glove_frozen"
    visit(at, "views/projection.py")
    titles = chart_titles(at)
    assert "epoch 0 (GloVe start)" in titles
    assert ("epoch 5 (frozen: unchanged)" if frozen else "epoch 5 (trained)") in titles
    captions = texts(at.caption)
    assert "the words start where the GloVe 6B 50d vectors put them" in captions.replace(
        "The words", "the words")
    assert ("no word moves during training" in captions) == frozen
    visit(at, "views/weights.py")
    titles = chart_titles(at)
    assert "before (GloVe start)" in titles
    assert ("after training (frozen: unchanged)" if frozen else "after training") in titles
    captions = texts(at.caption)
    assert "The table starts from the GloVe 6B 50d vectors of your words" in captions
    assert ("the Embedding layer was frozen" in captions) == frozen
    for page_text in (captions, " ".join(titles)):
        assert "random start" not in page_text and "small random numbers (left)" not in page_text


def test_a_random_start_is_named_so(trained):
    at = visit(trained, "views/projection.py")
    assert "epoch 0 (random start)" in chart_titles(at)
    assert "the words start in a small random cloud" in texts(at.caption)
    visit(at, "views/weights.py")
    assert "before (random start)" in chart_titles(at)
    assert "The table starts from small random numbers (left)" in texts(at.caption)


def test_the_perplexity_slider_stops_where_t_sne_still_spreads_the_words(trained):
    import numpy as np

    at = visit(trained, "views/projection.py")
    at.radio(key="projection_method").set_value("tsne").run()
    slider = at.slider(key="projection_perplexity")
    assert slider.max == 7.0  # half the 14 other words of the tutorial
    slider.set_value(slider.max).run()
    assert not at.exception
    spec = json.loads(next(c for c in at.get("plotly_chart")
                           if c.proto.id.endswith("-projection_scatter")).proto.spec)
    xs = values(spec["data"][0]["x"])
    assert np.ptp(np.asarray(xs, dtype=float)) > 1.0, xs
    at.radio(key="projection_method").set_value("pca").run()


def test_class_names_reach_plotly_with_quotes_as_typed_and_tags_escaped(trained):
    # plotly.js decodes only &amp; &lt; &gt; (and numeric entities): &quot; would show literally.
    trained.session_state["class_names"] = ('"meh"', "<b>good</b>")
    at = visit(trained, "views/projection.py")
    spec = json.loads(scatter_spec(at))
    hover = " ".join(json.dumps(trace) for trace in spec["data"])
    assert '\\"meh\\"' in hover and "&quot;" not in hover
    assert "&lt;b&gt;good&lt;/b&gt;" in hover and "<b>good</b>" not in hover
    trained.session_state["class_names"] = ("negative", "positive")


# --- the Projector's panel on the trained embedding (issue 14) ---------------------------------

MAP = "projection_map_plot"


@pytest.fixture(scope="module")
def tutorial_plus():
    """The tutorial's ten reviews and two more, "Great!" and "Awful!", trained as the tutorial is
    (30 epochs): the sample itself has neither word. Hashing puts great on work's id."""
    at = visit(fresh_app(), "views/reviews.py")
    for text, label in (("Great!", "positive"), ("Awful!", "negative")):
        at.text_input(key="reviews_new_text").set_value(text)
        at.selectbox(key="reviews_new_class").set_value(label)
        at.button(key="reviews_add").click().run()
    assert len(at.session_state["reviews"]) == 12
    visit(at, "views/train.py")
    at.number_input(key="train_epochs").set_value(30).run()
    at.button(key="train_start").click().run()
    assert not at.exception
    return visit(at, "views/projection.py")


def chart(at, key):
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert found, f"no chart {key} on the page"
    return found[0]


def map_traces(at) -> dict:
    """Trace name -> the labels it draws on the inspector map (from each point's customdata)."""
    return {t.get("name"): [c[1] for c in t["customdata"]]
            for t in json.loads(chart(at, MAP).proto.spec)["data"]}


def map_trace(at, name: str) -> dict:
    """One trace of the inspector map, by name ("words" holds every point)."""
    return next(t for t in json.loads(chart(at, MAP).proto.spec)["data"] if t.get("name") == name)


def select_on_map(at, points, *, box: bool = False):
    """Run the page as the browser does after a click (one point) or a box selection on the
    inspector map: its selection event arrives as the chart's widget value."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    event = {"selection": {"points": [{"customdata": [row, word]} for row, word in points],
                           "point_indices": [row for row, _ in points],
                           "box": [{"x": [0, 1], "y": [0, 1]}] if box else [], "lasso": []}}
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=chart(at, MAP).proto.id, string_value=json.dumps(event)))
    at._run(states)
    assert not at.exception, at.exception
    return at


def neighbour_frame(at):
    found = [d.value for d in at.dataframe if any("distance" in c for c in d.value.columns)]
    assert len(found) == 1, "no table of the selected word's neighbours"
    return found[0]


def test_search_gre_highlights_great(tutorial_plus):
    at = tutorial_plus
    at.radio(key="projection_map_match").set_value("substring").run()
    at.text_input(key="projection_map_search").set_value("gre").run()
    assert map_traces(at)["search matches"] == ["work, great"]  # great shares work's id
    assert "16 trained vectors (20 words, epoch 30)" in chart(at, MAP).proto.spec
    assert "1 of the 16 words contains 'gre' (ringed in orange)." in texts(at.caption)
    # A whole word finds the point it is on, and selects it.
    at.radio(key="projection_map_match").set_value("word").run()
    at.text_input(key="projection_map_search").set_value("Great").run()
    assert map_traces(at)["selected"] == ["work, great"]
    at.text_input(key="projection_map_search").set_value("").run()


def test_a_click_lists_the_neighbours_explore_finds_on_the_weights(tutorial_plus):
    import numpy as np

    from explorer.explore import nearest

    at = tutorial_plus
    labels = session_run(at).encoded.encoder.row_labels()
    weights = session_run(at).weights_after
    words = map_traces(at)["words"]
    ids = [labels.index(w) for w in words]
    row = words.index("awesome")
    for metric in ("cosine", "euclidean"):
        at.radio(key="projection_map_metric").set_value(metric).run()
        # The browser sends the selection again with every rerun; AppTest keeps no chart state.
        select_on_map(at, [(row, "awesome")])
        assert map_traces(at)["selected"] == ["awesome"]
        expected = nearest(np.asarray(weights[ids], dtype=np.float64), row, k=10, metric=metric)
        table = neighbour_frame(at)
        assert table["word"].tolist() == [words[i] for i, _ in expected]
        assert table[f"{metric} distance"].tolist() == [round(d, 4) for _, d in expected]
        assert map_traces(at)["neighbours of awesome"] == [words[i] for i, _ in expected]
    at.radio(key="projection_map_metric").set_value("cosine").run()


def test_a_box_of_one_point_is_listed_but_not_isolated(tutorial_plus):
    at = tutorial_plus
    words = map_traces(at)["words"]
    select_on_map(at, [(words.index("rocks"), "rocks")], box=True)
    assert any("selected** with the box or lasso" in m.value for m in at.markdown)
    listed = [d.value for d in at.dataframe if list(d.value.columns) == ["word", "x", "y"]]
    assert [f["word"].tolist() for f in listed] == [["rocks"]]
    assert "Select at least 4 words to isolate them (a map needs 4)." in texts(at.caption)
    assert not at.warning


def test_isolating_projects_the_selection_again(tutorial_plus):
    from ui import map_explorer

    at = tutorial_plus
    at.session_state[map_explorer.isolated_key("projection_map")] = (
        "awesome", "rocks", "horrible", "cold", "no such word")
    at.run()
    assert "Isolated: the map shows only the 5 words you selected" in texts(at.info)
    assert sorted(map_traces(at)["words"]) == ["awesome", "cold", "horrible", "rocks"]
    at.button(key="projection_map_show_all").click().run()
    assert len(map_traces(at)["words"]) == 16


def test_patterns_that_match_nothing_or_everything_say_so(tutorial_plus):
    at = tutorial_plus
    at.radio(key="projection_map_match").set_value("regex").run()
    for pattern, says in (("^zz", "No word on this map matches the pattern"),
                          (".", "Every word on this map matches the pattern"),
                          ("(", "`pattern` is not a valid regular expression")):
        at.text_input(key="projection_map_search").set_value(pattern).run()
        assert says in texts(at.info) + texts(at.warning)
        assert "search matches" not in map_traces(at)
        assert at.text_input(key="projection_map_search").value == pattern
        assert chart(at, "projection_movie")  # the rest of the page is still there
    at.radio(key="projection_map_match").set_value("word").run()
    at.text_input(key="projection_map_search").set_value("gerat").run()
    assert ("'gerat' is not among the 16 words on this map: it is not in the vocabulary of the "
            "trained model (closest: great).") in texts(at.info)
    at.text_input(key="projection_map_search").set_value("").run()


def test_pca_variance_explained_on_the_trained_vectors(tutorial_plus):
    import numpy as np

    at = tutorial_plus
    labels = session_run(at).encoded.encoder.row_labels()
    trace = map_trace(at, "words")
    ids = [labels.index(c[1]) for c in trace["customdata"]]
    # The map's axes are the movie's (one PCA of every epoch): each holds this share of the
    # trained vectors' variance.
    trained = session_run(at).weights_after[ids].astype(np.float64)
    coords = np.column_stack([values(trace["x"]), values(trace["y"])])
    shares = coords.var(axis=0) / trained.var(axis=0).sum()
    assert (f"PCA axis 1 explains {shares[0]:.1%} of the variance, axis 2 {shares[1]:.1%}"
            in texts(at.caption))


def axis_frame(at, key="projection_axes_bars"):
    spec = json.loads(chart(at, key).proto.spec)["data"][0]
    return spec


def test_axis_great_minus_awful_puts_positive_words_right(tutorial_plus):
    at = tutorial_plus
    at.text_input(key="projection_axes_x").set_value("great - awful").run()
    assert not at.warning
    bars = axis_frame(at)
    score = dict(zip(bars["y"], values(bars["x"])))
    # awesome and rocks are only ever in positive reviews; horrible and cold only in negative.
    assert score["awesome"] > 0 and score["rocks"] > 0
    assert score["horrible"] < 0 and score["cold"] < 0
    assert score["work, great"] > 0 > score["awful"]
    at.text_input(key="projection_axes_y").set_value("awesome").run()
    point = json.loads(chart(at, "projection_axes_map").proto.spec)["data"][0]
    xs = dict(zip(point["hovertext"], [c[1] for c in point["customdata"]]))
    assert xs["awesome"] == round(score["awesome"], 4)
    at.text_input(key="projection_axes_y").set_value("").run()


def test_axis_with_an_unknown_word_offers_the_models_words(tutorial_plus):
    at = tutorial_plus
    at.text_input(key="projection_axes_x").set_value("grate - awful").run()
    assert "x axis: 'grate' is not in the vocabulary" in texts(at.warning)
    assert "Closest spellings: great" in texts(at.warning)
    assert chart(at, MAP)  # the map above is still drawn
    at.button(key="projection_axes_x_suggestion_0").click().run()
    assert at.text_input(key="projection_axes_x").value == "great - awful"
    assert not at.warning
    at.text_input(key="projection_axes_x").set_value("work - great").run()
    assert "has no direction" in texts(at.warning)  # two words on one id
    at.text_input(key="projection_axes_x").set_value("great - awful").run()


def test_the_default_axis_is_the_two_words_the_model_leans_on_most(trained):
    at = visit(trained, "views/projection.py")
    axis = at.text_input(key="projection_axes_x").value
    assert " - " in axis and not at.warning
    positive, negative = axis.split(" - ")
    leans = at.session_state["projection_leans"][1].values
    words = session_run(at).encoded.encoder.word_ids
    assert leans[words[positive]] == max(leans[i] for i in set(words.values()))
    assert leans[words[negative]] == min(leans[i] for i in set(words.values()))


def test_a_five_word_vocabulary_explores_with_messages_not_errors():
    at = trained_projection(6)
    words = map_traces(at)["words"]
    assert 4 <= len(words) <= 5
    at.toggle(key="projection_map_clusters").set_value(True).run()
    assert "clusters need at least" in texts(at.warning)
    select_on_map(at, [(0, words[0])])
    assert len(neighbour_frame(at)) == len(words) - 1
    assert chart(at, "projection_movie") and not at.exception


# --- padding and unused ids on the trained map; the map reuses the page's projection ----------

APART = "padding and unused ids"


def test_padding_and_unused_ids_on_the_trained_map_on_request(trained):
    import numpy as np

    at = visit(trained, "views/projection.py")
    assert APART not in map_traces(at) and "(padding)" not in map_traces(at)["words"]
    at.checkbox(key="projection_show_unused").check().run()
    assert not at.exception
    run = session_run(at)
    words = map_traces(at)["words"]
    assert len(words) == len(set(words)) == 50  # every row of the tutorial's 50-id table
    apart = map_traces(at)[APART]
    assert "(padding)" in apart and len(apart) == 50 - 15  # 15 ids hold the 18 words
    unused = sorted(int(w.removeprefix("(unused) id ")) for w in apart if w != "(padding)")
    assert unused == [i for i, label in enumerate(run.encoded.encoder.row_labels())
                      if label == "(unused)"]
    assert "Grey crosses: the padding row (id 0) and 34 unused ids." in texts(at.caption)
    # The lesson: no review has their words, so training left them where they started.
    np.testing.assert_array_equal(run.weights_after[unused], run.weights_before[unused])
    assert "50 trained vectors (18 words, epoch 30)" in chart(at, MAP).proto.spec
    # A click on an unused id selects it, as on a word.
    row = words.index(f"(unused) id {unused[0]}")
    select_on_map(at, [(row, words[row])])
    assert map_traces(at)["selected"] == [words[row]]
    names = list(map_traces(at))  # drawn in this order: the crosses under the highlights
    assert names.index("words") < names.index(APART) < names.index("selected")
    assert "points are labelled, where a label covers no other" in texts(at.caption)
    at.checkbox(key="projection_show_unused").uncheck().run()
    assert APART not in map_traces(at) and len(map_traces(at)["words"]) == 15


def test_a_vocabulary_that_fills_every_id_has_no_unused_ones():
    at = trained_projection(8)
    at.checkbox(key="projection_show_unused").check().run()
    assert not at.exception and not at.warning
    assert len(map_traces(at)["words"]) == 8
    assert map_traces(at)[APART] == ["(padding)"]
    captions = texts(at.caption)
    assert "Grey crosses: the padding row (id 0)." in captions
    assert not re.search(r"\d+ unused ids?\b", captions)


def scatter_coordinates(at, key: str, name: str | None = None) -> dict[str, tuple]:
    """label -> (x, y) of one trace of a chart (the first, or the one named `name`)."""
    data = json.loads(chart(at, key).proto.spec)["data"]
    trace = data[0] if name is None else next(t for t in data if t.get("name") == name)
    labels = trace["text"] if name is None else [c[1] for c in trace["customdata"]]
    return dict(zip(labels, zip(values(trace["x"]), values(trace["y"]))))


@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_the_trained_map_reuses_the_pages_projection(method, monkeypatch):
    import streamlit as st

    import explorer.projection
    import ui.projection_explore

    calls = {"snapshots": 0, "map": 0}

    def counted(name, function):
        def count(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return count

    monkeypatch.setattr(explorer.projection, "project_snapshots",
                        counted("snapshots", explorer.projection.project_snapshots))
    monkeypatch.setattr(ui.projection_explore, "project",
                        counted("map", ui.projection_explore.project))
    st.cache_data.clear()  # an earlier test's projections would answer from the cache
    at = trained_projection(50, epochs=5)
    if method != "pca":
        calls.update(snapshots=0, map=0)
        at.radio(key="projection_method").set_value(method).run()
    assert calls == {"snapshots": 1, "map": 0}, calls
    # The last epoch on the page and the map below are the same numbers.
    page = scatter_coordinates(at, "projection_scatter")
    explored = scatter_coordinates(at, MAP, "words")
    assert len(page) == 15 and explored == page
    # Sphereized, the map is other rows: projected on its own, once.
    at.checkbox(key="projection_map_sphereize").check().run()
    assert calls == {"snapshots": 1, "map": 1}, calls
    assert scatter_coordinates(at, MAP, "words") != page
    # In 3-D the page's frame has a third axis; the 2-D map is projected on its own.
    at.checkbox(key="projection_map_sphereize").uncheck().run()
    at.radio(key="projection_dims").set_value(3).run()
    assert calls["snapshots"] == 2 and calls["map"] == 2, calls
    assert not at.exception


# --- word axes on the smallest vocabularies ----------------------------------------------------

@pytest.mark.parametrize("vocab_size, n_word_ids", [(3, 2), (4, 3), (5, 4), (6, 5)])
def test_word_axes_work_from_two_word_ids(vocab_size, n_word_ids):
    at = trained_projection(vocab_size)
    run = session_run(at)
    mapping = run.encoded.encoder.id_to_words
    assert len(mapping) == n_word_ids
    first, second = (mapping[i][0] for i in sorted(mapping)[:2])
    at.text_input(key="projection_axes_x").set_value(f"{first} - {second}").run()
    bars = axis_frame(at)
    score = dict(zip(bars["y"], values(bars["x"])))
    assert len(score) == n_word_ids
    labels = run.encoded.encoder.row_labels()
    assert score[labels[sorted(mapping)[0]]] > 0 > score[labels[sorted(mapping)[1]]]
    assert f"of {n_word_ids} ids lie on the {first} side" in texts(at.caption)
    at.text_input(key="projection_axes_y").set_value(first).run()
    points = json.loads(chart(at, "projection_axes_map").proto.spec)["data"][0]
    assert len(points["customdata"]) == n_word_ids
    # Bad input on the smallest vocabularies: two words of one id, a word the model lacks.
    shared = mapping[sorted(mapping)[0]]
    if len(shared) > 1:
        at.text_input(key="projection_axes_x").set_value(f"{shared[0]} - {shared[1]}").run()
        assert "`x axis` has no direction" in texts(at.warning)
    at.text_input(key="projection_axes_x").set_value("zebra").run()
    assert "x axis: 'zebra' is not in the vocabulary" in texts(at.warning)
    at.text_input(key="projection_axes_x").set_value(f"{first} - {second}").run()
    if n_word_ids < 4:  # no projection of so few ids, said once; the axes are still there
        assert f"Only {n_word_ids} ids to place" in texts(at.warning)
        assert "Exploring the trained space" not in texts(at.info)
    else:
        assert not at.warning and chart(at, MAP)
    assert not at.exception


def test_one_word_id_gets_one_message_in_place_of_the_axes():
    at = trained_projection(2)
    assert len(session_run(at).encoded.encoder.id_to_words) == 1
    assert "Only 1 id to place, and a projection needs at least 4." in texts(at.warning)
    assert ("Word axes need at least 2 word ids, one for each side of an x axis such as "
            "awesome - horrible; this model has 1. Raise the Vocabulary size on the Encode page"
            in texts(at.info))
    assert not [c for c in at.get("plotly_chart") if "projection_axes" in c.proto.id]
    assert not at.exception
