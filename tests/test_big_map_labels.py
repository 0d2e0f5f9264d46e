"""The big word map's labels (explorer.big_map_charts with clusters.readable_words): no two
overlap on screen at the whole map or zoomed in, and a zoom sends only its own points."""

import numpy as np
import pytest

from explorer import explore_charts
from explorer.big_map_charts import MAX_LABELS, ZOOMED_LABELS, big_map_figure
from explorer.clusters import label_size


def _boxes(fig):
    x_per_px, y_per_px = explore_charts.units_per_px(
        (*fig.layout.xaxis.range, *fig.layout.yaxis.range))
    labels = fig.data[1]
    out = []
    for x, y, text in zip(labels.x, labels.y, labels.text):
        w, h = label_size(text, x_per_px=x_per_px, y_per_px=y_per_px)
        out.append((x - w / 2, x + w / 2, y - h / 2, y + h / 2))
    return out


def _cut(fig):
    """Labels whose box runs past the axes' range (the plot's edge would cut them)."""
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    return [b for b in _boxes(fig) if b[0] < x0 or b[1] > x1 or b[2] < y0 or b[3] > y1]


def _overlapping(boxes):
    boxes = sorted(boxes)
    found = 0
    for k, a in enumerate(boxes):
        for b in boxes[k + 1:]:
            if b[0] >= a[1]:
                break
            found += a[2] < b[3] and b[2] < a[3]
    return found


@pytest.fixture(scope="module")
def big():
    rng = np.random.default_rng(0)
    coords = rng.normal(size=(30_000, 2)) * [1.0, 0.6]
    words = [f"w{i}" + "x" * int(i % 9) for i in range(30_000)]
    return coords, words


def test_the_whole_map_labels_do_not_overlap(big):
    coords, words = big
    fig = big_map_figure(coords, words)
    assert _overlapping(_boxes(fig)) == 0 and _cut(fig) == []
    assert 50 < len(fig.data[1].text) <= MAX_LABELS and fig.data[1].text[0] == "w0"


def test_zooming_in_sends_that_part_and_labels_more_of_it(big):
    coords, words = big
    whole = big_map_figure(coords, words)
    zoom = (-0.5, 0.5, -0.3, 0.3)
    inside = ((coords[:, 0] >= -0.5) & (coords[:, 0] <= 0.5) & (coords[:, 1] >= -0.3)
              & (coords[:, 1] <= 0.3))
    outside = int(np.flatnonzero(~inside)[0])
    marks = [*np.flatnonzero(inside)[:2].tolist(), outside]  # a search's matches
    fig = big_map_figure(coords, words, zoom=zoom, highlight=marks)
    assert len(fig.data[0].x) == inside.sum() < len(words) / 4  # only the part travels
    assert tuple(fig.layout.xaxis.range) == zoom[:2]
    before = sum(1 for x, y in zip(whole.data[1].x, whole.data[1].y)
                 if -0.5 <= x <= 0.5 and -0.3 <= y <= 0.3)
    after = len(fig.data[1].text)
    assert after >= 5 * max(1, before) and after <= ZOOMED_LABELS
    assert all(-0.5 <= x <= 0.5 and -0.3 <= y <= 0.3
               for x, y in zip(fig.data[1].x, fig.data[1].y))
    assert _overlapping(_boxes(fig)) == 0 and _cut(fig) == []
    marked = set(fig.data[2].hovertext)
    assert marked == {words[r] for r in marks[:2]}  # the one outside the zoom is not drawn
