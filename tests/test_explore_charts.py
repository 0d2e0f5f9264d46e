"""The figures of word axes, the bias view and the explorable map, read as a person reads them."""

import doctest

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from explorer import explore_charts
from explorer.clusters import REACH_PX, cluster, covers, label_anchors, label_size
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


def test_axis_map_draws_many_points_in_webgl_and_labels_what_fits_not_the_first_300():
    frame = pd.DataFrame({"word": [f"w{i}" for i in range(2500)], "x": np.zeros(2500),
                          "y": np.zeros(2500)})
    fig = axis_scatter(frame, x_title="a", y_title="b")
    assert isinstance(fig.data[0], go.Scattergl)
    # 2,500 words on one spot: two labels fit there (above and below; beside, a label would
    # meet those), not 300 on top of each other.
    assert [b[4] for b in _label_boxes(fig)] == ["w0", "w1"]
    assert _overlaps(_label_boxes(fig)) == []
    # The labels are a WebGL trace drawn after the crowd's, so its dots cannot bury them.
    assert (fig.data[1].type, fig.data[1].mode) == ("scattergl", "markers+text")
    assert fig.data[1].marker.opacity == 0 and fig.data[1].hoverinfo == "skip"


@pytest.mark.parametrize("n", [4, 5, 60, 300, 1_000])
def test_axis_map_labels_never_overlap_nor_leave_the_plot(n):
    frame = _glove_like(n, seed=1)
    frame[["x", "y"]] *= 0.2  # cosines: a cloud around zero
    highlight = frame["word"].iloc[n // 2]
    fig = axis_scatter(frame, x_title="he − she", y_title="good − bad", highlight=[highlight])
    boxes = _label_boxes(fig)
    assert _overlaps(boxes) == []
    assert len(boxes) >= min(n, 25) and highlight in {b[4] for b in boxes}
    assert [b[4] for b in boxes].count(highlight) == 1  # on its own trace only
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    assert [b[4] for b in boxes if b[0] < x0 or b[1] > x1 or b[2] < y0 or b[3] > y1] == []
    assert explore_charts.label_count(fig) == len(boxes)
    if n <= 5:
        assert len(boxes) == n  # a handful of words are all labelled


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


def _label_boxes(fig):
    """(x0, x1, y0, y1, word) of every word label drawn, by the label model (clusters.label_size)
    at the axes' ranges over the plot area the layout assumes, placed where its textposition
    says (above, below or beside its dot: explore_charts.LABEL_SPOTS)."""
    x_per_px, y_per_px = explore_charts.units_per_px(
        (*fig.layout.xaxis.range, *fig.layout.yaxis.range))
    boxes = []
    for trace in fig.data:
        places = trace.textposition
        places = [places] * len(trace.x) if isinstance(places, str) else places or ()
        for x, y, text, place in zip(trace.x, trace.y, trace.text or (), places):
            if text:
                w, h = label_size(text, x_per_px=x_per_px, y_per_px=y_per_px)
                kx, dx, dy = explore_charts.LABEL_SPOTS[place]
                x, y = x + kx * w / 2 + dx * x_per_px, y + dy * y_per_px
                boxes.append((x - w / 2, x + w / 2, y - h / 2, y + h / 2, text))
    return boxes


def _overlaps(boxes):
    """Pairs of boxes whose insides meet (touching edges do not count)."""
    found = []
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
    for k, i in enumerate(order):  # sweep along x: only boxes starting before i ends can meet
        for j in order[k + 1:]:
            if boxes[j][0] >= boxes[i][1]:
                break
            if boxes[i][2] < boxes[j][3] and boxes[j][2] < boxes[i][3]:
                found.append((boxes[i][4], boxes[j][4]))
    return found


def _in_convex(ring, points):
    """Whether each point is inside or on a convex polygon (a closed ring of corners)."""
    edges = np.diff(ring, axis=0)
    cross = (edges[:, 0][None] * (points[:, 1][:, None] - ring[:-1, 1][None])
             - edges[:, 1][None] * (points[:, 0][:, None] - ring[:-1, 0][None]))
    return np.all(cross >= -1e-12, axis=1) | np.all(cross <= 1e-12, axis=1)


def _glove_like(n, seed=0):
    """A map like PCA of GloVe words: a dense middle thinning out, words of 2-12 letters."""
    rng = np.random.default_rng(seed)
    coords = rng.normal(size=(n, 2)) * [1.0, 0.7]
    words = ["".join(rng.choice(list("abcdefghij"), size=rng.integers(2, 13))) + str(i)
             for i in range(n)]
    return pd.DataFrame({"word": words, "x": coords[:, 0], "y": coords[:, 1]})


@pytest.mark.parametrize("n", [4, 5, 60, 1_000, 10_000])
def test_word_labels_never_overlap(n):
    frame = _glove_like(n)
    fig = explore_map(frame, selected=0, neighbours=[1, 2], matches=[3])
    boxes = _label_boxes(fig)
    assert _overlaps(boxes) == []
    assert len(boxes) >= min(n, 25)  # and the map is not left unlabelled to get there
    labelled = {b[4] for b in boxes}
    assert frame["word"].iloc[0] in labelled  # the selected word is placed first
    if n >= 1_000:
        assert isinstance(fig.data[0], go.Scattergl) == (n >= explore_charts.WEBGL_FROM)


def test_zooming_in_labels_more_words_per_area_all_inside_the_range():
    frame = _glove_like(1_000)
    whole = explore_map(frame)
    x0, x1 = whole.layout.xaxis.range
    y0, y1 = whole.layout.yaxis.range
    zoom = (-0.6, 0.6, -0.5, 0.5)  # the crowded middle
    zoomed = explore_map(frame, zoom=zoom)
    assert tuple(zoomed.layout.xaxis.range) == zoom[:2]
    assert tuple(zoomed.layout.yaxis.range) == zoom[2:]
    word_at = dict(zip(frame["word"], zip(frame["x"], frame["y"])))

    def inside(word):
        x, y = word_at[word]
        return zoom[0] <= x <= zoom[1] and zoom[2] <= y <= zoom[3]

    before = [b[4] for b in _label_boxes(whole) if inside(b[4])]
    after = [b[4] for b in _label_boxes(zoomed)]
    # Per area of the map: the same area (the zoom box) holds many more labels once zoomed.
    assert len(after) >= 3 * max(1, len(before)) and len(after) >= 40
    assert all(inside(w) for w in after)
    assert _overlaps(_label_boxes(zoomed)) == []
    # and no label is cut by the plot's edge: each box, where it is drawn, fits in the range
    lifted = _label_boxes(zoomed)
    assert [b[4] for b in lifted if b[0] < zoom[0] or b[1] > zoom[1] or b[2] < zoom[2]
            or b[3] > zoom[3]] == []


def test_clusters_are_shaded_regions_under_the_points_with_names_covering_no_point():
    rng = np.random.default_rng(0)
    # Eight separated blobs in a small square: names must move apart and off the dots.
    coords = np.vstack([rng.normal(size=(30, 2)) * 0.05 + (i % 3, i // 3) for i in range(8)])
    frame = pd.DataFrame({"word": [f"word{i}" for i in range(240)], "x": coords[:, 0],
                          "y": coords[:, 1]})
    clusters = cluster(coords, frame["word"].tolist(), n_clusters=8, random_state=0)
    fig = explore_map(frame, clusters=clusters)
    regions = [t for t in fig.data if (t.name or "").startswith("region")]
    points = [t for t in fig.data if not (t.name or "").startswith("region")]
    # One shaded region per cluster, in its colour, drawn before (under) every point trace.
    assert len(regions) == 8 and fig.data[:8] == tuple(regions)
    for c, region in enumerate(regions):
        assert region.fill == "toself" and region.line.color == explore_charts.PALETTE[c]
        members = coords[clusters.labels == c]
        inside = _in_convex(np.column_stack([region.x, region.y]), members)
        assert inside.mean() >= 0.75  # the core: most of its words are inside its region
    assert points[0].name.startswith("1: ")
    notes = fig.layout.annotations
    assert {n.text for n in notes} == {f"{c + 1}: {name}" for c, name in
                                       enumerate(clusters.names)}
    x_per_px, y_per_px = explore_charts.units_per_px(
        (*fig.layout.xaxis.range, *fig.layout.yaxis.range))
    boxes = []
    for n in notes:
        w, h = label_size(n.text, x_per_px=x_per_px, y_per_px=y_per_px)
        boxes.append((n.x - w / 2, n.x + w / 2, n.y - h / 2, n.y + h / 2, n.text))
    assert _overlaps(boxes) == []
    covered = [(b[4], int(((coords[:, 0] > b[0]) & (coords[:, 0] < b[1]) & (coords[:, 1] > b[2])
                           & (coords[:, 1] < b[3])).sum())) for b in boxes]
    assert [c for c in covered if c[1]] == []
    # No word label runs into a cluster name either.
    assert _overlaps(boxes + _label_boxes(fig)) == []


def test_on_a_crowded_map_cluster_names_cover_the_fewest_points_they_can():
    frame = _glove_like(2_000, seed=1)
    coords = frame[["x", "y"]].to_numpy()
    clusters = cluster(coords, frame["word"].tolist(), n_clusters=8, random_state=0)
    fig = explore_map(frame, clusters=clusters)
    x_per_px, y_per_px = explore_charts.units_per_px(
        (*fig.layout.xaxis.range, *fig.layout.yaxis.range))

    def covered(at):
        return sum(covers(coords, (x, y, *np.array(label_size(text, x_per_px=x_per_px,
                                                              y_per_px=y_per_px)) / 2))
                   for (x, y), text in at)

    ours = covered([((n.x, n.y), n.text) for n in fig.layout.annotations])
    centres = label_anchors(coords, clusters.labels, 8)
    on_centres = covered(zip(centres, [f"{c + 1}: {n}" for c, n in enumerate(clusters.names)]))
    # In the middle of 2,000 points no spot within REACH_PX of a centre is empty: a name there
    # takes the spot covering fewest. Stated, not hidden: 20 dots under the 8 names, where on
    # their centres they would cover 936 (1,000 points: 12 against 408; 10,000: 132 against
    # 5,337).
    assert ours <= 0.05 * on_centres and ours == 20
    # And each name stays near its cluster: within REACH_PX of its centre.
    far = [n.text for n, (x, y) in zip(fig.layout.annotations, centres)
           if np.hypot((n.x - x) / x_per_px, (n.y - y) / y_per_px) > REACH_PX + 1e-6]
    assert far == []


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


@pytest.mark.parametrize("clustered", [False, True])
def test_a_webgl_map_draws_its_labels_over_every_dot_but_under_the_highlights(clustered):
    frame = _glove_like(3_000)
    coords = frame[["x", "y"]].to_numpy()
    found = cluster(coords, frame["word"].tolist(), n_clusters=4) if clustered else None
    fig = explore_map(frame, selected=0, neighbours=[1, 2], clusters=found)
    names = [t.name for t in fig.data if not (t.name or "").startswith("region")]
    at = names.index("labels")
    # Dots of every group first (drawn without text), then the labels, then the highlights.
    groups = [t for t in fig.data[:len(fig.data) - len(names) + at]
              if not (t.name or "").startswith("region")]
    assert len(groups) == (4 if clustered else 1) and not any(any(t.text or ()) for t in groups)
    assert names[at + 1:] == ["neighbours of " + frame["word"].iloc[0], "selected"]
    labels = fig.data[len(fig.data) - len(names) + at]
    assert labels.type == "scattergl" and labels.marker.opacity == 0
    assert labels.hoverinfo == "skip" and len(labels.text) > 30
    assert [frame["word"].iloc[r] for r, _ in labels.customdata] == [w for _, w in
                                                                    labels.customdata]
    assert _overlaps(_label_boxes(fig)) == []
