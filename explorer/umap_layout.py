"""UMAP layouts (the optional package umap-learn), seeded, without loading TensorFlow.

Called through `explorer.projection.project(method="umap")`, which checks the input.
"""

from __future__ import annotations

import os
import sys
import warnings

import numpy as np

from explorer.errors import InputError

UMAP_NEIGHBOURS = 15
# pynndescent splits its work by thread, each thread with its own random stream: for one seed
# the same thread count gives the same neighbours in every process. Two (a quarter of the time
# of one on 100,000 words), or one where numba may run only one (its limit is NUMBA_NUM_THREADS,
# by default the cores), read without importing numba.
KNN_THREADS = max(1, min(2, int(os.environ.get("NUMBA_NUM_THREADS", os.cpu_count() or 1))))


def umap_layout(data, n_components, random_state, init) -> np.ndarray:
    """Lay out the rows of `data` (checked, float64); `init` a starting layout or None."""
    umap = import_umap()
    n = data.shape[0]
    if init is None:
        # The spectral start needs more points than output dimensions + 1.
        init = "spectral" if n > n_components + 1 else "random"
    reducer = umap.UMAP(
        n_components=n_components, n_neighbors=min(UMAP_NEIGHBOURS, n - 1),
        random_state=random_state, init=init, n_jobs=1,  # a seed makes UMAP single-threaded
    )
    return np.asarray(reducer.fit_transform(data), dtype=np.float64)


def nearest_neighbours(data, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's k nearest rows, itself first: (indices, euclidean distances), both (n, k).

    pynndescent's search with umap-learn's own settings for it, on KNN_THREADS threads where
    umap-learn seeded uses one; the result goes to UMAP as `precomputed_knn`.
    """
    import_umap()  # pynndescent comes with umap-learn: the same message if it is missing
    from pynndescent import NNDescent

    n = data.shape[0]
    search = NNDescent(
        data, n_neighbors=k, metric="euclidean", random_state=seed, n_jobs=KNN_THREADS,
        n_trees=min(64, 5 + int(round(n**0.5 / 20.0))), n_iters=max(5, int(round(np.log2(n)))),
        max_candidates=60, low_memory=True, compressed=False,
    )
    indices, distances = search.neighbor_graph
    return indices, distances


def import_umap():
    """The umap module, imported without TensorFlow; InputError saying how to install it."""
    # umap-learn's __init__ also imports ParametricUMAP, which loads TensorFlow: seconds spent
    # for nothing, and only explorer.model may load it. Blocking that submodule makes umap
    # take its own "TensorFlow not installed" branch.
    blocked = "umap.parametric_umap" not in sys.modules
    if blocked:
        sys.modules["umap.parametric_umap"] = None
    try:
        with warnings.catch_warnings():
            # ...which it announces with an ImportWarning that means nothing to our users.
            warnings.simplefilter("ignore", ImportWarning)
            import umap

        umap.UMAP  # noqa: B018  (a leftover empty umap/ folder imports as a namespace)
    except (ImportError, AttributeError):
        raise InputError(
            "method='umap' needs the optional package umap-learn, which is not installed. "
            "Install it with `pip install umap-learn`, or choose method='pca' or 'tsne'."
        ) from None
    finally:
        if blocked and sys.modules.get("umap.parametric_umap", 0) is None:
            del sys.modules["umap.parametric_umap"]
    return umap
