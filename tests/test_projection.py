"""explorer.projection: shapes, exact answers on hand-made data, determinism, every limit."""

import doctest
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA

from explorer.errors import InputError
from explorer.projection import (
    default_perplexity,
    nearest_neighbours,
    neighbour_table,
    project,
    project_snapshots,
    trustworthiness,
)

ROOT = Path(__file__).resolve().parents[1]


def test_docstring_examples_run():
    import explorer.projection
    import explorer.tsne

    for module in (explorer.projection, explorer.tsne):
        results = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert results.attempted >= 1 and results.failed == 0, module.__name__


def _blobs(n=30, dims=8, seed=0):
    """Three well separated clusters, so t-SNE has something to find."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=10, size=(3, dims))
    return centres[np.arange(n) % 3] + rng.normal(size=(n, dims))


# --- project: shapes and values -----------------------------------------------------------


@pytest.mark.parametrize("method", ["pca", "tsne"])
@pytest.mark.parametrize("dims", [2, 3])
def test_project_gives_one_row_per_point_with_named_columns(method, dims):
    frame = project(_blobs(), method=method, n_components=dims)
    assert list(frame.columns) == ["id", "word", "x", "y", "z"][: 2 + dims]
    assert len(frame) == 30
    assert frame["id"].tolist() == list(range(30))
    assert frame["word"].tolist() == [str(i) for i in range(30)]
    assert np.isfinite(frame[["x", "y", "z"][:dims]].to_numpy()).all()


def test_project_keeps_given_ids_and_labels():
    labels = [f"w{i}" for i in range(6)]
    labels[2] = "good, great"  # an id shared by several words
    frame = project(np.eye(6), ids=[10, 11, 12, 13, 14, 15], labels=labels)
    assert frame["id"].tolist() == [10, 11, 12, 13, 14, 15]
    assert frame["word"].tolist() == labels


def test_pca_is_exact_on_hand_made_points():
    # Centred, with uncorrelated x and y spreads: the axes are x then y, signs fixed by sklearn.
    matrix = np.array([[-2, 0.5, 0], [-1, -0.5, 0], [1, -0.5, 0], [2, 0.5, 0]])
    frame = project(matrix, method="pca")
    np.testing.assert_allclose(frame["x"], [-2, -1, 1, 2], atol=1e-12)
    np.testing.assert_allclose(frame["y"], [0.5, -0.5, -0.5, 0.5], atol=1e-12)


def test_pca_matches_scikit_learn_full_svd():
    matrix = _blobs(n=40, dims=6)
    ours = project(matrix, method="pca", n_components=3)[["x", "y", "z"]].to_numpy()
    reference = PCA(3, svd_solver="full").fit_transform(matrix)
    np.testing.assert_allclose(ours, reference, atol=1e-9)


def test_tsne_keeps_clusters_apart():
    matrix = _blobs()
    coords = project(matrix, method="tsne")[["x", "y"]].to_numpy()
    cluster = np.arange(30) % 3
    centres = np.array([coords[cluster == c].mean(axis=0) for c in range(3)])
    within = max(np.linalg.norm(coords[cluster == c] - centres[c], axis=1).max() for c in range(3))
    between = min(np.linalg.norm(centres[a] - centres[b]) for a, b in [(0, 1), (0, 2), (1, 2)])
    assert between > 2 * within
    score, used = trustworthiness(matrix, coords)
    assert used == 10 and score > 0.9


def test_tsne_from_a_given_layout_moves_on_from_it():
    matrix = _blobs()
    first = project(matrix, method="tsne")[["x", "y"]].to_numpy()
    again = project(matrix, method="tsne", init=first)[["x", "y"]].to_numpy()
    # Already converged: without early exaggeration the layout stays where it was.
    spread = np.ptp(first, axis=0).max()
    assert np.abs(again - first).max() < 0.1 * spread
    assert not np.array_equal(again, first)


def test_tsne_works_for_ten_words_with_the_default_perplexity():
    frame = project(_blobs(n=10), method="tsne")
    assert len(frame) == 10 and np.isfinite(frame[["x", "y"]].to_numpy()).all()


def _blob_ids(n):
    return np.arange(n) % 3  # the clusters of _blobs


def _one_swap(n, k):
    # What trustworthiness loses when one of k neighbours is replaced by the next point in
    # line; on a dozen points that is already more than 0.02.
    return 2 / (n * k * (2 * n - 3 * k - 1))


def _check_tsne_layout(matrix, coords, dims):
    """Spread, blobs kept apart, and neighbours kept about as well as PCA keeps them."""
    n = len(matrix)
    assert np.isfinite(coords).all()
    assert coords.std() > 0.1, f"collapsed: std {coords.std():.3g}"
    blob = _blob_ids(n)
    centres = np.array([coords[blob == b].mean(axis=0) for b in range(min(n, 3))])
    nearest_centre = np.linalg.norm(coords[:, None] - centres[None], axis=-1).argmin(axis=1)
    np.testing.assert_array_equal(nearest_centre, blob)
    if n <= 300:  # a few dozen points per blob: every pair within closer than any across
        distances = np.linalg.norm(coords[:, None] - coords[None], axis=-1)
        same, other = blob[:, None] == blob[None], blob[:, None] != blob[None]
        np.fill_diagonal(same, False)
        if same.any():
            assert distances[same].max() < distances[other].min()
    ours, used = trustworthiness(matrix, coords)
    pca, _ = trustworthiness(matrix, PCA(dims).fit_transform(matrix))
    assert ours >= pca - max(0.02, _one_swap(n, used)), (ours, pca)


# 600: the FFT gradient; 1,200: early exaggeration as well.
@pytest.mark.parametrize("n_points", [*range(4, 61), 100, 300, 600, 1200])
def test_tsne_spreads_and_keeps_blobs_apart_at_every_size(n_points):
    matrix = _blobs(n=n_points)
    coords = project(matrix, method="tsne")[["x", "y"]].to_numpy()
    _check_tsne_layout(matrix, coords, 2)


@pytest.mark.parametrize("n_points", [4, 5, 6, 7, 10, 15, 19, 20, 30, 45, 60, 100])
def test_tsne_3d_spreads_and_keeps_blobs_apart(n_points):
    matrix = _blobs(n=n_points)
    coords = project(matrix, method="tsne", n_components=3)[["x", "y", "z"]].to_numpy()
    _check_tsne_layout(matrix, coords, 3)


@pytest.mark.parametrize("dims", [2, 3])
@pytest.mark.parametrize("n_points", [4, 5, 10, 15, 19, 20, 30])
def test_tsne_of_structureless_rows_does_not_collapse(n_points, dims):
    # Issue #9: random 8-D rows ended at |coordinates| of about 1e-54 for most of these sizes.
    matrix = np.random.default_rng(n_points).normal(size=(n_points, 8))
    coords = project(matrix, method="tsne", n_components=dims)[["x", "y", "z"][:dims]]
    assert coords.to_numpy().std() > 0.5


@pytest.mark.parametrize("dims", [2, 3])
def test_tsne_training_movie_keeps_its_spread_in_every_frame(dims):
    # 15 words drifting from a random start towards three groups, as training moves them.
    rng = np.random.default_rng(4)
    start, goal = rng.normal(scale=0.05, size=(15, 8)), _blobs(n=15, seed=4) / 10
    snapshots = [start + (goal - start) * t for t in np.linspace(0, 1, 6)]
    frames = project_snapshots(snapshots, epochs=range(6), method="tsne", n_components=dims)
    axes = ["x", "y", "z"][:dims]
    for epoch, frame in frames.groupby("epoch"):
        assert frame[axes].to_numpy().std() > 0.5, epoch
    # Each frame moves on from the last, so the groups formed late still end up apart.
    last = frames.loc[frames["epoch"] == 5, axes].to_numpy()
    distances = np.linalg.norm(last[:, None] - last[None], axis=-1)
    blob = _blob_ids(15)
    same, other = blob[:, None] == blob[None], blob[:, None] != blob[None]
    assert distances[same].max() < distances[other].min()


def test_all_equal_rows_give_finite_coordinates():
    for method in ("pca", "tsne"):
        frame = project(np.ones((6, 3)), method=method)
        assert np.isfinite(frame[["x", "y"]].to_numpy()).all()


@pytest.mark.parametrize(
    ("n_points", "expected"),
    [(4, 2.0), (5, 2.0), (6, 2.5), (10, 4.5), (31, 15.0), (61, 30.0), (10_000, 30.0)],
)
def test_default_perplexity_fits_tiny_and_large_sets(n_points, expected):
    assert default_perplexity(n_points) == expected
    assert default_perplexity(n_points) < n_points


# --- determinism --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_same_seed_same_coordinates(method):
    matrix = _blobs()
    first = project(matrix, method=method, n_components=3, random_state=7)
    second = project(matrix, method=method, n_components=3, random_state=7)
    pd.testing.assert_frame_equal(first, second, check_exact=True)


def test_tsne_coordinates_do_not_depend_on_the_thread_count(monkeypatch):
    import explorer.tsne as tsne

    matrix = _blobs()
    monkeypatch.setattr(tsne, "_THREADS_FROM", 0)
    monkeypatch.setattr(tsne, "_TSNE_JOBS", 1)
    one = project(matrix, method="tsne")
    monkeypatch.setattr(tsne, "_TSNE_JOBS", 2)
    pd.testing.assert_frame_equal(one, project(matrix, method="tsne"), check_exact=True)


def test_tsne_fft_and_exaggeration_do_not_depend_on_the_thread_count(monkeypatch):
    import explorer.tsne as tsne

    matrix = _blobs(n=60)
    monkeypatch.setattr(tsne, "_THREADS_FROM", 0)
    monkeypatch.setattr(tsne, "_FFT_FROM", 0)
    monkeypatch.setattr(tsne, "_SCHEDULE", ())  # the large sets' schedule
    monkeypatch.setattr(tsne, "_TSNE_JOBS", 1)
    one = project(matrix, method="tsne")
    monkeypatch.setattr(tsne, "_TSNE_JOBS", 2)
    pd.testing.assert_frame_equal(one, project(matrix, method="tsne"), check_exact=True)


def test_tsne_layout_does_not_depend_on_the_seed():
    # It starts from PCA and uses exact neighbours: nothing random is left.
    matrix = _blobs()
    pd.testing.assert_frame_equal(project(matrix, method="tsne", random_state=0),
                                  project(matrix, method="tsne", random_state=9))


_CHILD = """
import json, sys
import numpy as np
from explorer.projection import project
from tests.test_projection import _blobs
out = {m: project(_blobs(), method=m, random_state=3)[["x", "y"]].to_numpy().tobytes().hex()
       for m in ("pca", "tsne")}
print(json.dumps(out))
"""


def test_same_coordinates_in_a_new_process():
    child = subprocess.run(
        [sys.executable, "-c", _CHILD], cwd=ROOT, capture_output=True, text=True, check=True,
        # The child inherits the environment (OPENBLAS_CORETYPE and the like matter on some
        # machines); only the hash seed differs, which must not change the numbers.
        env={**os.environ, "PYTHONHASHSEED": "123"},
    )
    theirs = json.loads(child.stdout)
    for method in ("pca", "tsne"):
        ours = project(_blobs(), method=method, random_state=3)[["x", "y"]].to_numpy()
        assert ours.tobytes().hex() == theirs[method], method


# --- limits and their messages ------------------------------------------------------------


def _message(**kwargs):
    kwargs.setdefault("matrix", _blobs(n=12, dims=4))
    with pytest.raises(InputError) as caught:
        project(kwargs.pop("matrix"), **kwargs)
    return str(caught.value)


def test_unknown_method_lists_the_choices():
    message = _message(method="lda")
    assert "`method`" in message and "'pca', 'tsne', 'umap'" in message and "'lda'" in message


@pytest.mark.parametrize("bad", [1, 4, True, 2.0, "2"])
def test_only_two_or_three_components(bad):
    message = _message(n_components=bad)
    assert "`n_components` must be 2 or 3" in message and repr(bad) in message


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_nan_or_infinite_values_point_to_the_learning_rate(value):
    matrix = _blobs(n=12, dims=4)
    matrix[5, 1] = value
    matrix[9, 0] = value
    message = _message(matrix=matrix)
    assert "NaN or infinite values in 2 of 12 rows (first: row 5)" in message
    assert "training diverged" in message and "lower the learning rate" in message


@pytest.mark.parametrize("n_points", [1, 2, 3])
@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_one_to_three_points_are_too_few(n_points, method):
    message = _message(matrix=np.ones((n_points, 4)), method=method)
    assert f"at least 4 points (rows). Received: {n_points}" in message


def test_three_d_needs_three_dimensions():
    message = _message(matrix=_blobs(n=12, dims=2), n_components=3)
    assert "`n_components=3` needs vectors of at least 3 dimensions; these have 2" in message
    assert "2-D plot" in message and "output_dim of at least 3" in message


def test_two_d_needs_two_dimensions():
    message = _message(matrix=_blobs(n=12, dims=1), n_components=2)
    assert "these have 1. Train with output_dim of at least 2." in message


def test_three_d_with_four_points_works_and_three_do_not():
    assert len(project(_blobs(n=4, dims=3), n_components=3, method="tsne")) == 4
    assert "at least 4 points" in _message(matrix=_blobs(n=3, dims=3), n_components=3)


@pytest.mark.parametrize("perplexity", [12, 30, 11.5])
def test_perplexity_must_be_below_the_number_of_points(perplexity):
    message = _message(method="tsne", perplexity=perplexity)
    assert "less than the number of points (12)" in message
    assert "the largest valid value is 11" in message
    assert f"Received: perplexity={perplexity!r}" in message


def test_largest_offered_perplexity_works():
    frame = project(_blobs(n=12, dims=4), method="tsne", perplexity=11)
    assert np.isfinite(frame[["x", "y"]].to_numpy()).all()


@pytest.mark.parametrize("perplexity", [0, 0.5, -3, True, "30"])
def test_perplexity_must_be_a_number_of_at_least_one(perplexity):
    assert "`perplexity` must be" in _message(method="tsne", perplexity=perplexity)


def test_perplexity_is_refused_for_pca():
    assert "t-SNE setting" in _message(method="pca", perplexity=5)


@pytest.mark.parametrize("matrix", [np.ones(5), np.ones((2, 3, 4)), [["a", "b"], ["c", "d"]]])
def test_matrix_must_be_a_2d_array_of_numbers(matrix):
    message = _message(matrix=matrix)
    assert "`matrix` must" in message


def test_init_is_checked():
    assert "PCA does not use one" in _message(init=np.zeros((12, 2)))
    message = _message(method="tsne", init=np.zeros((12, 3)))
    assert "shape (12, 2). Received: shape (12, 3)" in message
    bad = np.zeros((12, 2))
    bad[0, 0] = np.nan
    assert "`init` has NaN" in _message(method="tsne", init=bad)


def test_labels_and_ids_need_one_per_row():
    assert "one label per row (12). Received: 2" in _message(labels=["a", "b"])
    assert "one id per row (12). Received: 3" in _message(ids=[1, 2, 3])


def test_umap_without_umap_learn_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "umap", None)  # makes `import umap` fail
    message = _message(method="umap")
    assert "`pip install umap-learn`" in message and "method='pca' or 'tsne'" in message


def test_umap_is_seeded():
    # umap-learn is in requirements.txt: a missing install fails here instead of skipping.
    first = project(_blobs(), method="umap", random_state=1)
    second = project(_blobs(), method="umap", random_state=1)
    pd.testing.assert_frame_equal(first, second, check_exact=True)


@pytest.mark.parametrize("dims", [2, 3])
@pytest.mark.parametrize("n_points", [4, 5, 6, 8, 12, 20])
def test_umap_lays_out_small_sets_without_warnings(n_points, dims):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = project(_blobs(n=n_points), method="umap", n_components=dims)
    coords = frame[["x", "y", "z"][:dims]].to_numpy()
    assert np.isfinite(coords).all() and coords.std() > 0.1
    assert [str(w.message) for w in caught] == []


# --- snapshots (training movie) -----------------------------------------------------------


def test_pca_snapshots_share_one_fit_on_all_frames():
    rng = np.random.default_rng(1)
    frames = [rng.normal(size=(8, 5)) * (1 + epoch) for epoch in range(3)]
    result = project_snapshots(frames, epochs=[0, 2, 4], labels=list("abcdefgh"))
    assert list(result.columns) == ["id", "word", "epoch", "x", "y"]
    assert result["epoch"].tolist() == [0] * 8 + [2] * 8 + [4] * 8
    assert result["id"].tolist() == list(range(8)) * 3
    assert result["word"].tolist() == list("abcdefgh") * 3
    pca = PCA(2, svd_solver="full").fit(np.vstack(frames))
    for epoch, frame in zip([0, 2, 4], frames):
        ours = result.loc[result["epoch"] == epoch, ["x", "y"]].to_numpy()
        np.testing.assert_allclose(ours, pca.transform(frame), atol=1e-9)


def test_pca_snapshot_axes_are_fixed_so_a_moved_cloud_moves_on_screen():
    # Fitted per frame, centring would hide the shift and both frames would look the same.
    rng = np.random.default_rng(2)
    still = rng.normal(size=(6, 4))
    shift = np.array([5.0, -3.0, 1.0, 0.5])
    result = project_snapshots([still, still + shift, still], epochs=[0, 1, 2], n_components=3)
    coords = [result.loc[result["epoch"] == e, ["x", "y", "z"]].to_numpy() for e in range(3)]
    np.testing.assert_array_equal(coords[0], coords[2])
    moves = coords[1] - coords[0]
    np.testing.assert_allclose(moves, np.repeat(moves[:1], 6, axis=0), atol=1e-9)
    assert np.linalg.norm(moves[0]) > 1


def test_tsne_snapshots_start_each_frame_from_the_last():
    frames = [_blobs(seed=0), _blobs(seed=0) * 1.1]
    result = project_snapshots(frames, epochs=[0, 1], method="tsne")
    first = project(frames[0], method="tsne")[["x", "y"]].to_numpy()
    second = project(frames[1], method="tsne", init=first)[["x", "y"]].to_numpy()
    np.testing.assert_array_equal(result.loc[result["epoch"] == 0, ["x", "y"]], first)
    np.testing.assert_array_equal(result.loc[result["epoch"] == 1, ["x", "y"]], second)


def test_snapshot_limits_name_the_epoch():
    good = _blobs(n=6, dims=3)
    diverged = good.copy()
    diverged[2, 2] = np.inf
    with pytest.raises(InputError, match=r"`snapshots` \(epoch 7\) has NaN or infinite"):
        project_snapshots([good, diverged], epochs=[0, 7])
    with pytest.raises(InputError, match=r"\(6, 3\) at epoch 0 but \(5, 3\) at epoch 1"):
        project_snapshots([good, good[:5]], epochs=[0, 1])
    with pytest.raises(InputError, match="one epoch per snapshot"):
        project_snapshots([good, good], epochs=[0])
    with pytest.raises(InputError, match="Train page"):
        project_snapshots([], epochs=[])
    with pytest.raises(InputError, match="at least 3 dimensions"):
        project_snapshots([good[:, :2]], epochs=[0], n_components=3)


# --- neighbours ---------------------------------------------------------------------------

HAND_MADE = np.array([
    [1.0, 0.0],   # 0
    [3.0, 4.0],   # 1: cos to 0 = 0.6
    [0.0, 2.0],   # 2: cos to 0 = 0
    [-1.0, 0.0],  # 3: cos to 0 = -1
    [0.0, 0.0],   # 4: zero row, cos 0 to everything
    [2.0, 0.0],   # 5: same direction as 0
])


def test_nearest_neighbours_exact_on_hand_made_vectors():
    assert nearest_neighbours(HAND_MADE, 0, k=5) == [
        (5, 1.0), (1, 0.6), (2, 0.0), (4, 0.0), (3, -1.0)
    ]
    assert nearest_neighbours(HAND_MADE, 2, k=2) == [(1, 0.8), (0, 0.0)]


def test_nearest_neighbours_zero_row_has_no_nan():
    result = nearest_neighbours(HAND_MADE, 4, k=10)
    assert result == [(0, 0.0), (1, 0.0), (2, 0.0), (3, 0.0), (5, 0.0)]


def test_nearest_neighbours_exclude_and_bounds():
    assert nearest_neighbours(HAND_MADE, 0, k=2, exclude=(5, 4)) == [(1, 0.6), (2, 0.0)]
    with pytest.raises(InputError, match="`index` must be between 0 and 5"):
        nearest_neighbours(HAND_MADE, 6)
    with pytest.raises(InputError, match="`k`"):
        nearest_neighbours(HAND_MADE, 0, k=0)


def test_neighbour_table_exact_on_hand_made_vectors():
    assert neighbour_table(HAND_MADE, k=2) == [
        [5, 1], [2, 0], [1, 0], [2, 4], [0, 1], [0, 1]
    ]


def test_neighbour_table_agrees_with_nearest_neighbours_including_ties():
    rng = np.random.default_rng(5)
    matrix = rng.integers(-2, 3, size=(40, 3)).astype(float)  # many exact ties and zero rows
    table = neighbour_table(matrix, k=4)
    for row in range(40):
        assert table[row] == [i for i, _ in nearest_neighbours(matrix, row, k=4)], row


def test_neighbour_table_small_sets():
    assert neighbour_table(np.ones((1, 3)), k=5) == [[]]
    assert neighbour_table(np.eye(3), k=5) == [[1, 2], [0, 2], [0, 1]]


# --- trustworthiness ----------------------------------------------------------------------


def test_trustworthiness_of_an_exact_layout_is_one_and_small_sets_use_fewer_neighbours():
    matrix = _blobs(n=12, dims=2)
    assert trustworthiness(matrix, matrix) == (1.0, 5)
    frame = project(matrix, method="pca")  # a rotation of 2-D data: nothing lost
    score, used = trustworthiness(matrix, frame, n_neighbors=3)
    assert used == 3 and score == pytest.approx(1.0)
