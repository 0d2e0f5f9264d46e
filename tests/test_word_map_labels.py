"""Labels of the word maps drawn by explorer.charts (word_map, projection_scatter), read as a
person reads them: in 2-D no two labels overlap and none is cut by the plot's edge; in 3-D the
labelled points are far apart in the cube the map is drawn in, so a turn rarely brings two
labels together."""

import itertools

import numpy as np
import pandas as pd
import pytest

from explorer import explore_charts
from explorer.charts import projection_scatter, word_map
from explorer.clusters import LABEL_ALL_3D, SPREAD_3D
from tests.test_explore_charts import _label_boxes

SIZES = [4, 5, 60, 300, 1_000]


def _frame(n, dims, seed=0):
    """Like a PCA of GloVe words: a dense middle thinning out, axes of unequal spread."""
    rng = np.random.default_rng(seed)
    coords = rng.normal(size=(n, dims)) * [1.0, 0.7, 0.4][:dims]
    words = ["".join(rng.choice(list("abcdefghij"), size=rng.integers(2, 13))) + str(i)
             for i in range(n)]
    return pd.DataFrame({"word": words, **dict(zip("xyz", coords.T))})


def _overlapping(boxes):
    return [(a[4], b[4]) for a, b in itertools.combinations(boxes, 2)
            if a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]]


@pytest.mark.parametrize("n", SIZES)
def test_2d_word_map_labels_never_overlap_nor_leave_the_plot(n):
    frame = _frame(n, 2)
    highlight = frame["word"].iloc[-1]  # the least frequent word, searched for
    fig = word_map(frame, highlight=highlight)
    boxes = _label_boxes(fig)
    assert _overlapping(boxes) == []
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    assert [b[4] for b in boxes if b[0] < x0 or b[1] > x1 or b[2] < y0 or b[3] > y1] == []
    assert [b[4] for b in boxes].count(highlight) == 1
    assert len(boxes) >= min(n, 25)
    # The plot height the label layout assumed (explore_charts.PLOT_PX).
    assert fig.layout.height == explore_charts.HEIGHT


def _cube(frame):
    coords = frame[["x", "y", "z"]].to_numpy()
    return (coords - coords.min(axis=0)) / np.ptp(coords, axis=0)


def _labelled_3d(fig):
    """The word -> (x, y, z) of every label drawn on a 3-D figure."""
    return {t: (x, y, z) for trace in fig.data
            for x, y, z, t in zip(trace.x, trace.y, trace.z,
                                  () if trace.text is None else list(trace.text)) if t}


@pytest.mark.parametrize("n", sorted({*SIZES, LABEL_ALL_3D, LABEL_ALL_3D + 1}))
@pytest.mark.parametrize("draw", ["word_map", "projection_scatter"])
def test_3d_labelled_points_are_far_apart_in_the_drawn_cube(n, draw):
    frame = _frame(n, 3, seed=n)
    highlight = frame["word"].iloc[n // 2]
    fig = (word_map if draw == "word_map" else projection_scatter)(frame, highlight=highlight)
    labelled = _labelled_3d(fig)
    at = {w: i for i, w in enumerate(frame["word"])}
    cube = _cube(frame)
    rows = [at[w] for w in labelled]
    assert highlight in labelled
    if n <= LABEL_ALL_3D:
        assert len(labelled) == n  # a small map labels every word
        return
    gaps = [np.linalg.norm(cube[a] - cube[b]) for a, b in itertools.combinations(rows, 2)]
    assert not gaps or min(gaps) >= SPREAD_3D
    assert frame["word"].iloc[0] in labelled or np.linalg.norm(
        cube[0] - cube[at[highlight]]) < SPREAD_3D  # the most frequent, unless by the highlight
    assert len(labelled) >= min(n - 1, 10)
    if n >= 300:
        assert len(labelled) < n / 2  # not every word: that is the cloud of labels this avoids
