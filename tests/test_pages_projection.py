"""AppTest: the Projection page for a trained tutorial model."""

import json

import pytest

from tests.apptest_helpers import fresh_app, texts, visit


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


def test_too_few_words_names_the_controls_that_help():
    at = visit(fresh_app(), "views/encode.py")
    at.number_input(key="encode_vocab_size").set_value(3).run()
    visit(at, "views/train.py")
    at.number_input(key="train_epochs").set_value(2).run()
    at.button(key="train_start").click().run()
    visit(at, "views/projection.py")
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
    assert at.session_state["run"].start == request.param
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
    from tests.test_pages_glove_text import values  # plotly's lists or typed arrays
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
