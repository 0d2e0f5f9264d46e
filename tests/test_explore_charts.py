"""The figures of word axes, the bias view and the explorable map, read as a person reads them."""

import doctest

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from explorer import explore_charts
from explorer.clusters import cluster
from explorer.explore_charts import axis_scatter, bias_bars, explore_map


def test_doctests():
    assert doctest.testmod(explore_charts).failed == 0


def test_axis_map_hover_shows_the_word_and_both_coordinates():
    frame = pd.DataFrame({"word": ["king", "a<b"], "x": [0.51234, -0.2], "y": [0.1, 0.3]})
    fig = axis_scatter(frame, x_title="he − she", y_title="good − bad", highlight=["king"])
    base = fig.data[0]
    assert base.hovertemplate == ("<b>%{hovertext}</b><br>he − she: %{customdata[1]:.4f}<br>"
                                  "good − bad: %{customdata[2]:.4f}<extra></extra>")
    assert list(base.hovertext) == ["king", "a&lt;b"]  # a GloVe token with < stays text
    assert [list(c) for c in base.customdata] == [[0, 0.5123, 0.1], [1, -0.2, 0.3]]
    assert fig.layout.xaxis.title.text == "he − she" and fig.layout.yaxis.title.text == "good − bad"
    assert list(fig.data[1].text) == ["king"] and fig.data[1].marker.color == "#c0392b"


def test_axis_map_labels_only_the_first_words_and_draws_many_in_webgl():
    frame = pd.DataFrame({"word": [f"w{i}" for i in range(2500)], "x": np.zeros(2500),
                          "y": np.zeros(2500)})
    fig = axis_scatter(frame, x_title="a", y_title="b", max_labels=300)
    assert isinstance(fig.data[0], go.Scattergl)
    assert sum(bool(t) for t in fig.data[0].text) == 300


def test_bias_bars_most_positive_on_top_coloured_by_side():
    table = pd.DataFrame({"word": ["engineer", "teacher", "nurse"], "score": [0.3, -0.1, -0.4]})
    fig = bias_bars(table, axis_text="he − she", positive="he", negative="she")
    bars = fig.data[0]
    assert list(bars.y) == ["nurse", "teacher", "engineer"]  # drawn bottom-up
    assert list(bars.x) == [-0.4, -0.1, 0.3]
    assert list(bars.marker.color) == ["#c0392b", "#c0392b", "#2e86c1"]
    assert "nearer she" in fig.layout.xaxis.title.text
    assert "nearer he →" in fig.layout.xaxis.title.text


def _frame(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"word": [f"w{i}" for i in range(n)], "x": rng.normal(size=n),
                         "y": rng.normal(size=n)})


def test_every_trace_maps_its_points_back_to_rows():
    frame = _frame()
    fig = explore_map(frame, selected=3, neighbours=[5, 7], matches=[1, 3])
    for trace in fig.data:
        rows = [c[0] for c in trace.customdata]
        assert list(trace.x) == frame["x"].iloc[rows].tolist()
    names = [t.name for t in fig.data]
    assert names == ["words", "search matches", "neighbours of w3", "selected"]
    assert list(fig.data[2].text) == ["w5", "w7"]  # neighbours are always labelled
    base = list(fig.data[0].text)
    # A word drawn again on top is labelled there only; the others keep their labels.
    assert [base[i] for i in (1, 3, 5, 7)] == ["", "", "", ""] and base[0] == "w0"
    assert fig.layout.clickmode == "event+select"


def test_categories_get_a_trace_each_and_the_rest_grey():
    frame = _frame(6)
    fig = explore_map(frame, categories=["x", "y", None, "x", None, "y"])
    assert [(t.name, [c[0] for c in t.customdata]) for t in fig.data] == [
        ("x", [0, 3]), ("y", [1, 5]), ("no category", [2, 4])]
    assert fig.data[2].marker.color == "#cccccc"


def test_cluster_names_are_drawn_without_overlap():
    rng = np.random.default_rng(0)
    # Eight clusters crowded into a small square: the names must move apart.
    coords = np.vstack([rng.normal(size=(30, 2)) * 0.05 + (i % 3, i // 3) for i in range(8)])
    frame = pd.DataFrame({"word": [f"word{i}" for i in range(240)], "x": coords[:, 0],
                          "y": coords[:, 1]})
    clusters = cluster(coords, frame["word"].tolist(), n_clusters=8, random_state=0)
    fig = explore_map(frame, clusters=clusters)
    notes = fig.layout.annotations
    assert len(notes) == 8 and [t.name for t in fig.data][0].startswith("1: ")
    assert {n.text for n in notes} == {f"{c + 1}: {name}" for c, name in
                                       enumerate(clusters.names)}
    x_per_px, y_per_px = np.ptp(coords, axis=0) * 1.12 / np.array(explore_charts.PLOT_PX)
    boxes = []
    for n in notes:
        w = (len(n.text) * 7 + 8) * x_per_px
        h = 20 * y_per_px
        boxes.append((n.x - w / 2, n.x + w / 2, n.y - h / 2, n.y + h / 2))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3])


def test_a_quote_mark_word_is_labelled_as_a_quote_mark_not_as_an_entity():
    # GloVe's frequent words include '"'; plotly.js shows "&quot;" literally (it decodes only
    # &amp; &lt; &gt; and numeric entities), so quotes must not be escaped, but < must be.
    frame = pd.DataFrame({"word": ['"', "a<b", "it's", "x"], "x": [0.0, 1.0, 2.0, 3.0],
                          "y": [0.0, 1.0, 0.0, 1.0]})
    fig = explore_map(frame)
    shown = [t for trace in fig.data for t in (trace.text or ()) if t]
    assert sorted(shown) == sorted(['"', "a&lt;b", "it's", "x"])
    axis = axis_scatter(frame, x_title='"he"', y_title="b", highlight=['"'])
    assert list(axis.data[0].hovertext)[:3] == ['"', "a&lt;b", "it's"]
    assert '"he"' in axis.data[0].hovertemplate and "&quot;" not in axis.data[0].hovertemplate
