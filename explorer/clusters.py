"""Clusters on a word map, each named by its most central words, with labels that never overlap.

KMeans (scikit-learn, seeded) runs on the map's coordinates or on the word vectors; a cluster's
name is its words nearest to its centre. `place_labels` puts each name near its cluster's centre
on the map, moving it along a spiral of candidate spots until its box overlaps no name already
placed (greedy, biggest cluster first: the big regions keep their labels on their centres).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from explorer.errors import InputError, check_int

MAX_CLUSTERS = 50
MIN_PER_CLUSTER = 3  # fewer points than this per cluster: groups of one or two say nothing
NAME_WORDS = 3
# A label box in pixels: ~7 px a character at the chart's 12 px font, plus padding.
CHAR_PX = 7.0
LINE_PX = 16.0
_PAD_PX = 4.0


@dataclasses.dataclass(frozen=True)
class Clusters:
    """labels: cluster of each point (0 = biggest); names: each cluster's central words;
    sizes: points per cluster; centres: each cluster's mean in the clustered space."""

    labels: np.ndarray
    names: list[str]
    sizes: list[int]
    centres: np.ndarray


def cluster(points, words, *, n_clusters: int = 8, random_state: int = 0,
            name_words: int = NAME_WORDS) -> Clusters:
    """KMeans clusters of `points`, numbered from the biggest, each named by central words.

    >>> pts = np.array([[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10], [11, 11.]])
    >>> c = cluster(pts, list("abcdefg"), n_clusters=2, name_words=2)
    >>> c.labels.tolist(), c.names, c.sizes
    ([1, 1, 1, 0, 0, 0, 0], ['d, e', 'a, b'], [4, 3])

    Args:
        points: one row per word: map coordinates or the vectors.
        words: the words, one per row.
        n_clusters: how many clusters, 2 to 50; the map needs 3 points per cluster.
        random_state: KMeans' seed.
        name_words: how many central words name a cluster.

    Returns:
        Clusters; ties in size and in distance go to the lower index.
    """
    data = np.asarray(points, dtype=np.float64)
    if data.ndim != 2 or data.shape[0] != len(words):
        raise InputError(f"`points` must have one row per word. Received: {len(words)} words "
                         f"and points of shape {data.shape}")
    n_clusters = check_int("n_clusters", n_clusters, low=2, high=MAX_CLUSTERS)
    name_words = check_int("name_words", name_words, low=1, high=10)
    need = MIN_PER_CLUSTER * n_clusters
    if data.shape[0] < need:
        raise InputError(
            f"{n_clusters} clusters need at least {need} points ({MIN_PER_CLUSTER} each); the "
            f"map has {data.shape[0]}. Ask for fewer clusters or map more words.")
    distinct = len(np.unique(data, axis=0))
    if distinct < n_clusters:
        raise InputError(f"The map has only {distinct} distinct points: too few for "
                         f"{n_clusters} clusters. Ask for at most {distinct}.")
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    # One thread: on a busy server OpenMP's threads wait on each other (10,000 points took
    # 1.6 s with two threads under load, 0.07 s with one), and sessions share the cores anyway.
    with threadpool_limits(limits=1):
        model = KMeans(n_clusters=n_clusters, random_state=random_state, n_init=1).fit(data)
    raw = model.labels_
    sizes = np.bincount(raw, minlength=n_clusters)
    order = np.lexsort((np.arange(n_clusters), -sizes))  # biggest first, then KMeans' number
    relabel = np.empty(n_clusters, dtype=np.int64)
    relabel[order] = np.arange(n_clusters)
    labels = relabel[raw]
    centres = model.cluster_centers_[order]
    names = []
    for c in range(n_clusters):
        members = np.flatnonzero(labels == c)
        distance = ((data[members] - centres[c]) ** 2).sum(axis=1)
        central = members[np.lexsort((members, distance))[:name_words]]
        names.append(", ".join(words[i] for i in central))
    return Clusters(labels, names, sizes[order].tolist(), centres)


def label_anchors(coords, labels, n_clusters: int) -> np.ndarray:
    """Where on the map each cluster's name belongs: the mean of its points' coordinates."""
    coords = np.asarray(coords, dtype=np.float64)
    return np.vstack([coords[labels == c].mean(axis=0) for c in range(n_clusters)])


def label_size(text: str, *, x_per_px: float, y_per_px: float) -> tuple[float, float]:
    """Width and height of a label box in map units, given the chart's units per pixel."""
    return ((len(text) * CHAR_PX + 2 * _PAD_PX) * x_per_px, (LINE_PX + _PAD_PX) * y_per_px)


def place_labels(anchors, texts, *, x_per_px: float, y_per_px: float) -> np.ndarray:
    """Centres for label boxes, each as near its anchor as it can be without overlapping.

    >>> place_labels([[0, 0], [0, 0]], ["ab", "cd"], x_per_px=1, y_per_px=1).round(6).tolist()
    [[0.0, 0.0], [0.0, 20.0]]

    Args:
        anchors: (n, 2) preferred centres, in the order labels are placed (first wins).
        texts: the label texts (their length sets the box width, see `label_size`).
        x_per_px, y_per_px: map units per screen pixel on each axis.

    Returns:
        (n, 2) centres; no two boxes of `label_size` around them overlap.
    """
    anchors = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    placed: list[tuple[float, float, float, float]] = []  # x, y, half width, half height
    out = np.empty_like(anchors)
    for i, ((ax, ay), text) in enumerate(zip(anchors, texts)):
        w, h = label_size(text, x_per_px=x_per_px, y_per_px=y_per_px)
        for dx, dy in _spiral(w, h):
            x, y = ax + dx, ay + dy
            if all(_apart(x, y, w / 2, h / 2, *box) for box in placed):
                break
        placed.append((x, y, w / 2, h / 2))
        out[i] = (x, y)
    return out


def _apart(x, y, hw, hh, px, py, pw, ph) -> bool:
    # Boxes that only touch do not overlap: a label may sit flush against another.
    return abs(x - px) >= hw + pw or abs(y - py) >= hh + ph


def _spiral(width: float, height: float):
    """Offsets from the anchor: the anchor, then rings of 8, 16, ... spots, each ring half a box
    width and one box height further out (above first, then around).

    Rings grow without end, so every label finds a free spot: a ring clears every box placed
    before once it is wider than their extent.
    """
    yield 0.0, 0.0
    ring = 1
    while True:
        for k in range(8 * ring):
            angle = 2 * np.pi * k / (8 * ring) + np.pi / 2
            yield ring * width / 2 * np.cos(angle), ring * height * np.sin(angle)
        ring += 1
