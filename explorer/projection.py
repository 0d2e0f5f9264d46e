"""Place the rows of a matrix in 2-D or 3-D (PCA, t-SNE, UMAP), seeded, as a DataFrame.

The same function serves a trained Embedding layer of a few dozen words and 10,000 GloVe
vectors. Every method takes `random_state`, and the same inputs give the same coordinates in
every process. Bad input raises `InputError` with a message that says what to change.

This module checks the input and shapes the answer; each method has its own module:
explorer/pca.py, explorer/tsne.py (openTSNE, tuned by set size) and explorer/umap_layout.py.
The nearest neighbours by cosine (`nearest_neighbours`, `neighbour_table`) and the layouts'
`trustworthiness` live here too.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
import pandas as pd

from explorer.errors import InputError, check_choice, check_int
from explorer.pca import fit_pca
from explorer.tsne import TSNE_PERPLEXITY, default_perplexity, tsne
from explorer.umap_layout import UMAP_NEIGHBOURS, umap_layout

__all__ = ["METHODS", "MIN_POINTS", "TSNE_PERPLEXITY", "UMAP_NEIGHBOURS",
           "axis_variance_shares", "default_perplexity", "nearest_neighbours", "neighbour_table", "project",
           "project_snapshots", "trustworthiness"]

METHODS = ("pca", "tsne", "umap")
# A plot of three points or fewer says nothing a table would not, and t-SNE's neighbour search,
# PCA's third axis and UMAP's graph all need a few points to work with.
MIN_POINTS = 4
_DIVERGED_HINT = (
    "This usually means training diverged: lower the learning rate (or train for fewer "
    "epochs) and train again."
)


def project(matrix, *, method="pca", n_components=2, random_state=0, perplexity=None,
            labels=None, ids=None, init=None) -> pd.DataFrame:
    """Project the rows of `matrix` to 2-D or 3-D coordinates.

    Example:
        >>> frame = project(np.eye(5), method="pca", labels=list("abcde"))
        >>> list(frame.columns), len(frame)
        (['id', 'word', 'x', 'y'], 5)

    Args:
        matrix: 2-D array, one row per point (e.g. one embedding vector per word id).
        method: "pca", "tsne" or "umap" (UMAP needs `pip install umap-learn`).
        n_components: 2 or 3.
        random_state: seed; the same seed and inputs give the same coordinates. t-SNE starts
            from PCA and uses exact neighbours, so its layout does not depend on the seed.
        perplexity: t-SNE only; default `default_perplexity(n_points)`.
        labels: one string per row (several words joined with ", "); default the id as text.
        ids: one id per row; default 0..n-1.
        init: t-SNE and UMAP only: a starting layout of shape (n_points, n_components). t-SNE
            then skips early exaggeration, so the layout moves on from where it was.

    Returns:
        DataFrame with columns id, word, x, y (and z for 3-D), one row per matrix row.
    """
    data = _check_matrix(matrix, name="matrix")
    _check_request(method, n_components, data.shape, perplexity=perplexity)
    start = _check_init(init, method, data.shape[0], n_components)
    coords = _embed(data, method, n_components, random_state, perplexity, start)
    return _frame(coords, *_ids_and_labels(ids, labels, data.shape[0]))


def project_snapshots(snapshots, *, epochs, method="pca", n_components=2, random_state=0,
                      labels=None, ids=None, perplexity=None) -> pd.DataFrame:
    """Project one matrix per epoch on fixed axes, for the training movie.

    PCA is fitted once on all snapshots stacked together, so every frame shares its axes;
    t-SNE and UMAP start each frame from the previous frame's layout (the first frame seeded),
    so points move smoothly instead of jumping to a new arrangement. UMAP rescales its start
    into a box of its own and drifts from there, so each UMAP frame is also moved and turned
    (not resized) onto the previous one: the frames share one frame of reference.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> frames = project_snapshots([rng.normal(size=(6, 4)) for _ in range(3)],
        ...                            epochs=[0, 1, 2])
        >>> list(frames.columns), len(frames)
        (['id', 'word', 'epoch', 'x', 'y'], 18)

    Args:
        snapshots: sequence of 2-D arrays of the same shape, e.g. embedding weights per epoch.
        epochs: the epoch number of each snapshot.
        method, n_components, random_state, labels, ids, perplexity: as for `project`.

    Returns:
        DataFrame with columns id, word, epoch, x, y[, z]: every id once per epoch.
    """
    frames, epochs = _check_snapshots(snapshots, epochs)
    _check_request(method, n_components, frames[0].shape, perplexity=perplexity)
    row_ids, row_labels = _ids_and_labels(ids, labels, frames[0].shape[0])
    if method == "pca":
        pca = fit_pca(np.vstack(frames), n_components, random_state)
        coords = [pca.transform(frame) for frame in frames]
    else:
        coords, previous = [], None
        for frame in frames:
            layout = _embed(frame, method, n_components, random_state, perplexity, previous)
            if method == "umap" and previous is not None:
                layout = _align_to(previous, layout)
            previous = layout
            coords.append(previous)
    parts = [_frame(c, row_ids, row_labels, epoch=e) for c, e in zip(coords, epochs)]
    return pd.concat(parts, ignore_index=True)


def axis_variance_shares(matrix, coords) -> np.ndarray:
    """The share of the rows' total variance that each axis of a linear map of them holds.

    For a PCA of `matrix` itself these are its explained variance ratios; for the training
    movie's PCA (fitted on every epoch stacked), the share of these rows' variance along the
    movie's axes. Only linear maps (PCA) make sense here: t-SNE and UMAP have no such axes.

    Example:
        >>> rows = np.array([[1.0, 0], [-1, 0], [0, 0.5], [0, -0.5]])
        >>> axis_variance_shares(rows, rows).round(4)  # the identity map: PCA's own axes
        array([0.8, 0.2])

    Args:
        matrix: the rows mapped, one per point.
        coords: their coordinates on the map, one row per point, one column per axis.

    Returns:
        One share per axis (zeros when every row is the same).
    """
    data = _check_matrix(matrix, name="matrix")
    coords = np.asarray(coords, dtype=np.float64)
    if coords.ndim != 2 or len(coords) != len(data):
        raise InputError(f"`coords` must have one row per row of `matrix` ({len(data)}). "
                         f"Received: coords of shape {coords.shape}")
    total = data.var(axis=0).sum()
    if total == 0:
        return np.zeros(coords.shape[1])
    return coords.var(axis=0) / total


def nearest_neighbours(matrix, index, *, k=5, exclude=()) -> list[tuple[int, float]]:
    """The `k` rows closest to row `index` by cosine similarity, best first.

    A row of zeros (an id the model never saw move) has cosine 0 to everything instead of NaN.
    Ties go to the lower row index.

    Example:
        >>> nearest_neighbours(np.array([[1.0, 0], [0.9, 0.1], [0, 1], [-1, 0]]), 0, k=2)
        [(1, 0.9939), (2, 0.0)]

    Args:
        matrix: 2-D array, one row per point.
        index: the row whose neighbours are wanted (never part of the answer).
        k: how many neighbours (fewer if the matrix has fewer other rows).
        exclude: further row indices to leave out (e.g. padding).

    Returns:
        List of (row_index, cosine) pairs, cosine rounded to 4 decimals.
    """
    unit = _unit_rows(_check_matrix(matrix, name="matrix"))
    n = unit.shape[0]
    index = check_int("index", index, low=0, high=n - 1)
    k = check_int("k", k, low=1, high=10**6)
    scores = unit @ unit[index]
    keep = np.ones(n, dtype=bool)
    keep[index] = False
    keep[[i for i in exclude if 0 <= i < n]] = False
    rows = np.flatnonzero(keep)
    order = rows[np.argsort(-scores[rows], kind="stable")][:k]
    return [(int(i), round(float(scores[i]), 4)) for i in order]


def neighbour_table(matrix, *, k=5) -> list[list[int]]:
    """The `k` nearest rows by cosine for every row at once (for hover text).

    Same answers as `nearest_neighbours` row by row, ties to the lower index, computed with
    one matrix product per block of rows.

    Example:
        >>> neighbour_table(np.array([[1.0, 0], [0.9, 0.1], [0, 1], [-1, 0]]), k=1)
        [[1], [0], [1], [2]]

    Args:
        matrix: 2-D array, one row per point.
        k: neighbours per row (at most the number of other rows).

    Returns:
        One list of row indices per row, best first.
    """
    unit = _unit_rows(_check_matrix(matrix, name="matrix"))
    n = unit.shape[0]
    k = min(check_int("k", k, low=1, high=10**6), n - 1)
    table = []
    block = max(1, 2**22 // max(n, 1))  # about 32 MB of float64 scores per block
    for start in range(0, n, block):
        scores = unit[start:start + block] @ unit.T
        rows = np.arange(start, start + scores.shape[0])
        scores[rows - start, rows] = -np.inf  # a row is not its own neighbour
        table.extend(_top_k(scores, k))
    return table


def trustworthiness(matrix, coords, *, n_neighbors=10) -> tuple[float, int]:
    """scikit-learn's trustworthiness of a layout, with `n_neighbors` lowered for small sets.

    scikit-learn needs n_neighbors < n_points / 2, so 10 neighbours need 21 points; smaller
    sets are scored with the largest count that is allowed.

    Example:
        >>> score, used = trustworthiness(np.eye(6), np.eye(6)[:, :2])
        >>> used
        2

    Args:
        matrix: the input vectors, one row per point.
        coords: the layout, an array or a `project` DataFrame (its x, y[, z] columns).
        n_neighbors: neighbours to check (10 by default, as in the bench).

    Returns:
        (score between 0 and 1, number of neighbours actually used).
    """
    from sklearn.manifold import trustworthiness as sk_trustworthiness

    data = _check_matrix(matrix, name="matrix")
    if isinstance(coords, pd.DataFrame):
        coords = coords[[c for c in ("x", "y", "z") if c in coords.columns]].to_numpy()
    n = data.shape[0]
    used = min(check_int("n_neighbors", n_neighbors, low=1, high=10**6), math.ceil(n / 2) - 1)
    if used < 1:
        raise InputError(f"trustworthiness needs at least 3 points. Received: {n} points")
    return float(sk_trustworthiness(data, np.asarray(coords), n_neighbors=used)), used


# --- checks -------------------------------------------------------------------------------


def _check_matrix(matrix, *, name: str, epoch=None) -> np.ndarray:
    where = "" if epoch is None else f" (epoch {epoch})"
    try:
        data = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InputError(f"`{name}`{where} must hold numbers only. ({error})") from None
    if data.ndim != 2:
        raise InputError(
            f"`{name}`{where} must be 2-D, one row per point. Received an array of shape "
            f"{data.shape}"
        )
    bad = ~np.isfinite(data).all(axis=1)
    if bad.any():
        rows = np.flatnonzero(bad)
        raise InputError(
            f"`{name}`{where} has NaN or infinite values in {rows.size:,} of {data.shape[0]:,} "
            f"rows (first: row {rows[0]}), so those points have no place. {_DIVERGED_HINT}"
        )
    return data


def _check_request(method, n_components, shape, *, perplexity) -> None:
    check_choice("method", method, METHODS)
    is_int = isinstance(n_components, (int, np.integer)) and not isinstance(n_components, bool)
    if not is_int or n_components not in (2, 3):
        raise InputError(
            f"`n_components` must be 2 or 3 (a 2-D or 3-D plot). "
            f"Received: n_components={n_components!r}"
        )
    n_points, n_dims = shape
    if n_points < MIN_POINTS:
        raise InputError(
            f"A projection needs at least {MIN_POINTS} points (rows). Received: {n_points}. "
            "Use more words: a larger vocabulary, more reviews or a larger word set."
        )
    if n_dims < n_components:
        instead = "Choose a 2-D plot, or train" if n_dims >= 2 else "Train"
        raise InputError(
            f"`n_components={n_components}` needs vectors of at least {n_components} "
            f"dimensions; these have {n_dims}. {instead} with output_dim of at least "
            f"{n_components}."
        )
    if perplexity is not None:
        _check_perplexity(perplexity, method, n_points)


def _check_perplexity(perplexity, method, n_points) -> None:
    if method != "tsne":
        raise InputError(
            f"`perplexity` is a t-SNE setting; method={method!r} does not use it. Leave it "
            f"unset or choose method='tsne'. Received: perplexity={perplexity!r}"
        )
    if isinstance(perplexity, bool) or not isinstance(perplexity, Real):
        raise InputError(f"`perplexity` must be a number. Received: perplexity={perplexity!r}")
    largest = n_points - 1
    if not 1 <= perplexity <= largest:
        raise InputError(
            f"`perplexity` must be at least 1 and less than the number of points "
            f"({n_points}); the largest valid value is {largest}. "
            f"Received: perplexity={perplexity!r}"
        )


def _check_init(init, method, n_points, n_components):
    if init is None:
        return None
    if method == "pca":
        raise InputError(
            "`init` is a starting layout for t-SNE or UMAP; PCA does not use one. "
            "Leave it unset or choose method='tsne' or 'umap'."
        )
    start = _check_matrix(init, name="init")
    if start.shape != (n_points, n_components):
        raise InputError(
            f"`init` must have one row per point and one column per output dimension, "
            f"shape ({n_points}, {n_components}). Received: shape {start.shape}"
        )
    return start


def _check_snapshots(snapshots, epochs) -> list[np.ndarray]:
    snapshots, epochs = list(snapshots), list(epochs)
    if not snapshots:
        raise InputError("`snapshots` is empty: train the model first (Train page).")
    if len(epochs) != len(snapshots):
        raise InputError(
            f"`epochs` must give one epoch per snapshot. Received: {len(epochs)} epochs "
            f"for {len(snapshots)} snapshots"
        )
    frames = [_check_matrix(s, name="snapshots", epoch=e) for s, e in zip(snapshots, epochs)]
    for frame, epoch in zip(frames, epochs):
        if frame.shape != frames[0].shape:
            raise InputError(
                f"Every snapshot must have the same shape. Received: {frames[0].shape} at "
                f"epoch {epochs[0]} but {frame.shape} at epoch {epoch}"
            )
    return frames, epochs


def _ids_and_labels(ids, labels, n):
    row_ids = np.arange(n) if ids is None else np.asarray(ids)
    if row_ids.shape != (n,):
        raise InputError(f"`ids` must have one id per row ({n}). Received: {row_ids.size}")
    if labels is None:
        return row_ids, [str(i) for i in row_ids]
    row_labels = [str(label) for label in labels]
    if len(row_labels) != n:
        raise InputError(
            f"`labels` must have one label per row ({n}). Received: {len(row_labels)}"
        )
    return row_ids, row_labels


def _frame(coords, ids, labels, *, epoch=None) -> pd.DataFrame:
    columns = {"id": ids, "word": labels}
    if epoch is not None:
        columns["epoch"] = np.full(len(ids), epoch)
    for axis, values in zip("xyz", np.asarray(coords, dtype=np.float64).T):
        columns[axis] = values
    return pd.DataFrame(columns)


# --- methods ------------------------------------------------------------------------------


def _embed(data, method, n_components, random_state, perplexity, init) -> np.ndarray:
    if method == "pca":
        return fit_pca(data, n_components, random_state).transform(data)
    if method == "tsne":
        return tsne(data, n_components, random_state, perplexity, init)
    return umap_layout(data, n_components, random_state, init)


def _align_to(reference: np.ndarray, layout: np.ndarray) -> np.ndarray:
    """`layout` translated and rotated (or mirrored) to lie best on `reference`, point by point.

    Orthogonal Procrustes without scaling: the frame keeps its own spread, so a cloud that
    grows during training is seen to grow.
    """
    from scipy.linalg import orthogonal_procrustes

    centred = layout - layout.mean(axis=0)
    target = reference - reference.mean(axis=0)
    rotation, _ = orthogonal_procrustes(centred, target)
    return centred @ rotation + reference.mean(axis=0)


# --- neighbours ---------------------------------------------------------------------------


def _unit_rows(data: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(data, axis=1, keepdims=True)
    return data / np.where(norms > 0, norms, 1.0)


def _top_k(scores: np.ndarray, k: int) -> list[list[int]]:
    if k <= 0:
        return [[] for _ in range(scores.shape[0])]
    n = scores.shape[1]
    picks = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    picked = np.take_along_axis(scores, picks, axis=1)
    order = np.lexsort((picks, -picked), axis=1)
    picks = np.take_along_axis(picks, order, axis=1)
    # argpartition splits ties at the k-th score arbitrarily; those rows get a stable sort.
    kth = np.take_along_axis(scores, picks[:, -1:], axis=1)
    tied = np.flatnonzero((scores >= kth).sum(axis=1) > k) if k < n else []
    for row in tied:
        picks[row] = np.argsort(-scores[row], kind="stable")[:k]
    return picks.tolist()
