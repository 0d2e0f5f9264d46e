"""UMAP movie frames share one frame of reference (QA finding P1).

UMAP rescales every starting layout into its own box and drifts from there, so before the
fix each epoch's frame landed somewhere else (x about -12 at epoch 0, -4 at epoch 10) and the
movie's fixed axes, spanning all of them, showed each frame as a tiny blob of piled-up labels.
"""

import numpy as np
import pytest

from explorer.projection import _align_to, project_snapshots


def _barely_changing(n, frames=3, seed=0):
    """Embedding snapshots that move by about 1% of their spread per epoch, as late training."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n, 8))
    return [base + 0.01 * k * rng.normal(size=base.shape) for k in range(frames)]


def _layouts(n, **kwargs):
    snapshots = _barely_changing(n)
    result = project_snapshots(snapshots, epochs=range(len(snapshots)), method="umap",
                               random_state=0, **kwargs)
    return [group[["x", "y"]].to_numpy() for _, group in result.groupby("epoch")]


def test_alignment_undoes_a_turn_a_mirror_and_a_shift_but_keeps_the_size():
    square = np.array([[0.0, 0], [1, 0], [1, 1], [0, 1]])
    turn = np.array([[0.0, -1], [1, 0]])  # 90 degrees
    mirror = np.array([[-1.0, 0], [0, 1]])
    moved = square @ turn @ mirror + [30.0, -12.0]
    np.testing.assert_allclose(_align_to(square, moved), square, atol=1e-12)
    # A frame twice the size stays twice the size (spread is real), centred on the last one.
    doubled = _align_to(square, 2 * square @ turn + [5.0, 5.0])
    np.testing.assert_allclose(doubled.mean(axis=0), square.mean(axis=0), atol=1e-12)
    np.testing.assert_allclose(np.ptp(doubled, axis=0), [2.0, 2.0], atol=1e-12)


@pytest.mark.parametrize("n", [8, 15, 40])
def test_consecutive_umap_frames_overlap_on_the_shared_axes(n):
    layouts = _layouts(n)
    shared = np.ptp(np.vstack(layouts), axis=0)  # what the movie's fixed axes must span
    for before, after in zip(layouts, layouts[1:]):
        spread = np.ptp(before, axis=0).max()
        gap = np.linalg.norm(after.mean(axis=0) - before.mean(axis=0))
        assert gap < 0.05 * spread, (n, gap, spread)
        # Each frame fills most of the shared axes, not a blob in a corner of them.
        assert (np.ptp(after, axis=0) >= 0.6 * shared).all(), (n, np.ptp(after, axis=0), shared)
        # Words stay about where they were: a typical word moves well under half the spread.
        moved = np.median(np.linalg.norm(after - before, axis=1))
        assert moved < 0.4 * spread, (n, moved, spread)


def test_umap_frames_are_deterministic_for_a_seed():
    first, second = _layouts(15), _layouts(15)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
