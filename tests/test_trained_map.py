"""The trained map's parts, exact on small inputs: its axes' share of the variance
(explorer.projection.axis_variance_shares), the labels of padding and unused ids
(views.projection.point_labels) and their grey crosses (ui.map_explorer.apart_points)."""

import doctest

import numpy as np
import pandas as pd
import pytest

from explorer.errors import InputError
from explorer.projection import axis_variance_shares, project, project_snapshots


@pytest.mark.parametrize("n_points", [4, 5, 12, 60])
def test_on_a_pca_of_the_rows_the_shares_are_its_explained_variance(n_points):
    from sklearn.decomposition import PCA

    rows = np.random.default_rng(n_points).normal(size=(n_points, 6)) * [5, 3, 2, 1, 1, 0.5]
    frame = project(rows, method="pca", random_state=0)
    shares = axis_variance_shares(rows, frame[["x", "y"]].to_numpy())
    np.testing.assert_allclose(shares, PCA(2).fit(rows).explained_variance_ratio_, rtol=1e-9)


def test_on_the_movies_axes_the_shares_are_the_trained_rows_variance_along_them():
    # Epoch 0 spreads along the first column, the trained rows along the second (80 % of their
    # variance) and the third (20 %): the movie's one PCA of both epochs is the first two
    # columns, and holds 0 % and 80 % of the trained rows' variance, not their own PCA's 80/20.
    start = np.array([[4.0, 0, 0], [-4, 0, 0], [2, 0, 0], [-2, 0, 0]])
    trained = np.array([[0.0, 1, 0], [0, -1, 0], [0, 0, 0.5], [0, 0, -0.5]])
    frames = project_snapshots([start, trained], epochs=[0, 1])
    last = frames[frames["epoch"] == 1][["x", "y"]].to_numpy()
    np.testing.assert_allclose(axis_variance_shares(trained, last), [0.0, 0.8], atol=1e-12)


def test_same_rows_have_no_variance_to_share_and_bad_coordinates_are_refused():
    np.testing.assert_array_equal(axis_variance_shares(np.ones((4, 3)), np.zeros((4, 2))), [0, 0])
    with pytest.raises(InputError, match="one row per row of `matrix` \\(4\\)"):
        axis_variance_shares(np.ones((4, 3)), np.zeros((3, 2)))


@pytest.mark.parametrize("vocab_size", [3, 7, 10, 50, 400])
def test_every_id_gets_its_own_label_and_words_keep_theirs(vocab_size):
    import views.projection
    from explorer.text import fit_encoder

    reviews = pd.read_csv("sample_data/restaurant_reviews.csv")["text"].tolist()
    labels = fit_encoder(reviews, method="hashing", vocab_size=vocab_size).row_labels()
    placed = views.projection.point_labels(labels, list(range(vocab_size)))
    assert len(set(placed)) == vocab_size and placed[0] == "(padding)"
    for index, (label, shown) in enumerate(zip(labels, placed)):
        assert shown == (f"(unused) id {index}" if label == "(unused)" else label)
    assert doctest.testmod(views.projection).failed == 0


def test_padding_and_unused_ids_are_grey_crosses_clickable_as_their_dots():
    from ui.map_explorer import APART_COLOUR, apart_points

    frame = pd.DataFrame({"id": [0, 2, 5, 7], "word": ["(padding)", "good", "(unused) id 5", "bad"],
                          "x": [0.0, 1, 2, 3], "y": [0.0, -1, -2, -3]})
    trace = apart_points(frame, [0, 2], [f"hover {i}" for i in range(4)], name="padding and unused ids")
    assert [list(c) for c in trace.customdata] == [[0, "(padding)"], [2, "(unused) id 5"]]
    assert list(trace.x) == [0, 2] and list(trace.y) == [0, -2]
    assert list(trace.hovertext) == ["hover 0", "hover 2"]
    assert trace.marker.symbol == "x-thin-open" and trace.marker.line.color == APART_COLOUR


@pytest.mark.parametrize("n_points, webgl", [(4, False), (1_999, False), (2_000, True), (5_000, True)])
def test_the_crosses_are_drawn_as_the_dots_are_svg_or_webgl(n_points, webgl):
    import plotly.graph_objects as go

    from ui.map_explorer import apart_points

    frame = pd.DataFrame({"id": range(n_points), "word": [f"w{i}" for i in range(n_points)],
                          "x": np.arange(n_points, dtype=float), "y": 0.0})
    trace = apart_points(frame, [0, n_points - 1], ["h"] * n_points, name="padding and unused ids")
    # An SVG trace would lie under the WebGL dots a map of 2,000 points or more is drawn with.
    assert isinstance(trace, go.Scattergl) == webgl and list(trace.x) == [0, n_points - 1]


@pytest.mark.parametrize("n_points", [5, 60, 2_500])
def test_the_crosses_go_over_the_dots_and_under_labels_and_highlights(n_points):
    from explorer.explore_charts import explore_map
    from ui.map_explorer import add_under_highlights, apart_points

    rng = np.random.default_rng(n_points)
    frame = pd.DataFrame({"id": range(n_points), "word": [f"w{i}" for i in range(n_points)],
                          "x": rng.normal(size=n_points), "y": rng.normal(size=n_points)})
    fig = explore_map(frame, selected=0, neighbours=[1, 2], matches=[3])
    add_under_highlights(fig, apart_points(frame, [1, 4], list(frame["word"]), name="apart"))
    names = [t.name for t in fig.data]
    assert names[0] == "words" and names[-3:] == ["search matches", "neighbours of w0", "selected"]
    assert names.index("apart") == (1 if n_points < 2_000 else names.index("labels") - 1)
