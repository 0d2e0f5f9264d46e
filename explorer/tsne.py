"""t-SNE layouts on openTSNE, tuned by set size; deterministic for a given seed.

Exact neighbours and a PCA start; no early exaggeration below a thousand points (it would pull
a small set into a single point), a short one from there; the FFT-accelerated gradient in 2-D
from 500 points, Barnes-Hut below and in 3-D. Its speed and trustworthiness against
scikit-learn's TSNE, size by size, are measured in bench/bench_projection.py (figures in the
README's performance section). Called through `explorer.projection.project(method="tsne")`,
which checks the input.
"""

from __future__ import annotations

import os

import numpy as np

from explorer.pca import fit_pca

TSNE_PERPLEXITY = 30.0
# The t-kernel's degrees of freedom: 1 is the classic Cauchy kernel. Heavier tails (Kobak et
# al. 2020) keep each word's nearest neighbours better (trustworthiness in the bench).
TSNE_DOF = 0.6
# 3-D runs on Barnes-Hut, whose sum calls pow() for every cell unless dof is 1: twice the time,
# for no better neighbours (2,000 GloVe words in 3-D score as well or higher with 1).
TSNE_DOF_3D = 1.0
# Early exaggeration multiplies the attraction by 12. At the tiny starting spread every force
# is linear in the positions, and on a few dozen points, whose neighbour graph is nearly
# everyone, 12x the attraction beats the repulsion in every direction unless the data has
# strong clusters: the layout shrank by a constant factor each step, to ~1e-54 after 250
# steps, and the plain phase could not spread it again (a collapsed layout is stable for such
# flat affinities). On thousands of points each one's neighbours are a small part of the set,
# and the slowest directions stay free. The PCA start already holds the global arrangement
# that exaggeration is there to find, so sets below this size skip it.
_EXAGGERATE_FROM = 1_000
# (early exaggeration steps, plain steps) by set size: a few hundred points converge fully for
# little time; from 500 the steps are what the time goes on, and the bench's trustworthiness
# stays above scikit-learn's with these counts.
_SCHEDULE = ((500, (0, 500)), (_EXAGGERATE_FROM, (0, 200)))
_LARGE_SCHEDULE = (125, 375)
# 2-D from this size: the FFT-accelerated gradient (openTSNE's "FIt-SNE"); below it and in
# 3-D, Barnes-Hut. The grid starts at 10 intervals (openTSNE: 50) and each spans 2 units
# (openTSNE: 1): the FFT stops costing more than the points it serves, for the same
# trustworthiness (see the bench). With a dof other than 1 the Barnes-Hut sum calls pow()
# for every cell and runs about twice as slow, so the FFT pays off from a few hundred points.
_FFT_FROM = 500
FFT_MIN_INTERVALS = 10
_FFT_INTERVAL_UNITS = 2
# openTSNE gives the same coordinates, to the bit, whatever the thread count; threads only
# pay off on larger sets (a few dozen words run faster on one).
_TSNE_JOBS = max(1, min(os.cpu_count() or 1, 4))
_THREADS_FROM = 1_000

def default_perplexity(n_points: int) -> float:
    """The t-SNE perplexity used when none is given: 30, lowered for small sets.

    For fewer than 61 points the perplexity becomes (n_points - 1) / 2, at least 2: about
    half the other points count as neighbours. Much lower and a tiny set is held together
    by one neighbour per point (a point between two groups is pulled into the group that
    chose it); near n_points - 1 every neighbour weighs the same and the best layout is a
    single point. Ten words get perplexity 4.5, a hundred get 30.

    Example:
        >>> default_perplexity(4), default_perplexity(10), default_perplexity(10_000)
        (2.0, 4.5, 30.0)

    Args:
        n_points: number of rows to project.

    Returns:
        The perplexity as a float (always below n_points - 1 for n_points >= 4).
    """
    return float(min(TSNE_PERPLEXITY, max(2.0, (n_points - 1) / 2)))


def tsne(data, n_components, random_state, perplexity, init) -> np.ndarray:
    """Lay out the rows of `data` (checked, float64) in `n_components` dimensions.

    `perplexity` None takes `default_perplexity`; `init` a starting layout (then no early
    exaggeration, so a training movie's frame moves on from the last one) or None for PCA.
    """
    from openTSNE import TSNEEmbedding, affinity, nearest_neighbors

    n = data.shape[0]
    jobs = _TSNE_JOBS if n >= _THREADS_FROM else 1
    perplexity = default_perplexity(n) if perplexity is None else float(perplexity)
    # Exact neighbours: deterministic, and faster than Annoy on 50-D data of this size. Given
    # as an index, not as method="exact": openTSNE would first try `import pynndescent` to
    # pick a method, and with umap-learn installed that loads numba (a second or more).
    neighbours = nearest_neighbors.Sklearn(
        data, k=min(n - 1, max(1, int(3 * perplexity))), metric="euclidean", n_jobs=jobs,
        random_state=random_state,
    )
    affinities = affinity.PerplexityBasedNN(perplexity=perplexity, n_jobs=jobs,
                                            knn_index=neighbours)
    start = _tsne_start(data, n_components, random_state) if init is None else init
    use_fft = n_components == 2 and n >= _FFT_FROM
    embedding = TSNEEmbedding(
        np.array(start, dtype=np.float64), affinities, random_state=random_state, n_jobs=jobs,
        learning_rate=_tsne_learning_rate(n), dof=TSNE_DOF_3D if n_components == 3 else TSNE_DOF,
        negative_gradient_method="fft" if use_fft else "bh",
        min_num_intervals=FFT_MIN_INTERVALS, ints_in_interval=_FFT_INTERVAL_UNITS,
    )
    exaggerated, plain = _tsne_schedule(n)
    if init is None and exaggerated:
        embedding.optimize(exaggerated, exaggeration=12, momentum=0.5, inplace=True)
    embedding.optimize(plain, exaggeration=1, momentum=0.8, inplace=True)
    return np.asarray(embedding, dtype=np.float64)


def _tsne_schedule(n: int) -> tuple[int, int]:
    for below, steps in _SCHEDULE:
        if n < below:
            return steps
    return _LARGE_SCHEDULE


def _tsne_learning_rate(n: int) -> float:
    # n / 12 (Belkina et al. 2019) in both phases, as scikit-learn steps. Not scikit-learn's
    # floor of 200 (in openTSNE's units): it overshoots on a few dozen words. Nor openTSNE's
    # n after early exaggeration: it spreads GloVe maps wider at a lower trustworthiness.
    return n / 12


def _tsne_start(data, n_components, random_state) -> np.ndarray:
    # PCA scaled to a tiny spread, as scikit-learn and openTSNE both start.
    start = fit_pca(data, n_components, random_state).transform(data)
    spread = np.std(start[:, 0])
    return start / spread * 1e-4 if spread > 0 else start
