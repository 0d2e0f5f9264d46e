"""Clusters on a word map, each named by its most central words, with labels that never overlap.

KMeans (scikit-learn, seeded) runs on the map's coordinates or on the word vectors; a cluster's
name is its words nearest to its centre. `place_labels` puts each name near its cluster's centre
on the map, moving it along a spiral of candidate spots until its box overlaps no name already
placed and covers no point (greedy, biggest cluster first: the big regions keep their labels
nearest their centres). `place_words` picks which words of a 2-D map (or of a zoomed part of
it) get a label and on which side of their dot (the side hiding fewest other dots), and
`readable_words` is its one-side case: every 2-D word map of any size uses them, so no two word
labels overlap. All measure a label with `label_size`, one model of a label's box in pixels.
`spread_words` picks the words of a 3-D map to label: far apart in space, since a turning camera
leaves no place on screen that holds.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np

from explorer.errors import InputError, check_int

MAX_CLUSTERS = 50
MIN_PER_CLUSTER = 3  # fewer points than this per cluster: groups of one or two say nothing
NAME_WORDS = 3
# A label box in pixels: ~7 px a character at the chart's 12 px font, plus padding.
CHAR_PX = 7.0
LINE_PX = 16.0
_PAD_PX = 4.0
_EPS = 1e-6  # pixels: a label exactly as wide as the margin beside its point fits


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


REACH_PX = 160  # a name moves at most this far from its cluster's centre to find free room
STEP_PX = 8  # spots tried around a centre, this far apart


def place_labels(anchors, texts, *, x_per_px: float, y_per_px: float,
                 avoid=None, within=None) -> np.ndarray:
    """Centres for label boxes, each as near its anchor as it can be without overlapping.

    >>> place_labels([[0, 0], [0, 0]], ["ab", "cd"], x_per_px=1, y_per_px=1).round(6).tolist()
    [[0.0, 0.0], [0.0, 24.0]]
    >>> place_labels([[0, 0]], ["ab"], x_per_px=1, y_per_px=1, avoid=[[0, 0]]).round(6).tolist()
    [[0.0, 16.0]]

    Args:
        anchors: (n, 2) preferred centres, in the order labels are placed (first wins).
        texts: the label texts (their length sets the box width, see `label_size`).
        x_per_px, y_per_px: map units per screen pixel on each axis.
        avoid: (m, 2) points no box should cover (the map's dots): a box takes the nearest spot
            within REACH_PX of its anchor that covers none, or, where every spot there covers
            some, the one covering fewest (nearest first among equals).
        within: (x0, x1, y0, y1) the view; a box near its anchor stays inside it.

    Returns:
        (n, 2) centres; no two boxes of `label_size` around them overlap (a box finds no free
        spot near its anchor: it goes as far out as it must).
    """
    anchors = np.asarray(anchors, dtype=np.float64).reshape(-1, 2)
    dots = np.zeros((0, 2)) if avoid is None else np.asarray(avoid, dtype=np.float64)[:, :2]
    placed: list[tuple[float, float, float, float]] = []  # x, y, half width, half height
    out = np.empty_like(anchors)
    spots = _nearby(x_per_px, y_per_px)
    for i, ((ax, ay), text) in enumerate(zip(anchors, texts)):
        w, h = label_size(text, x_per_px=x_per_px, y_per_px=y_per_px)
        reach = (REACH_PX * x_per_px + w, REACH_PX * y_per_px + h)
        near = dots[(np.abs(dots[:, 0] - ax) <= reach[0]) & (np.abs(dots[:, 1] - ay) <= reach[1])]
        best = _fewest_covered(spots, ax, ay, w / 2, h / 2, near=near, placed=placed,
                               within=within)
        if best is None:  # crowded by other names: out along the spiral until free
            best = next((ax + dx, ay + dy) for dx, dy in _spiral(w, h)
                        if all(_apart(ax + dx, ay + dy, w / 2, h / 2, *box) for box in placed))
        placed.append((*best, w / 2, h / 2))
        out[i] = best
    return out


def _fewest_covered(spots: "_Spots", ax, ay, hw, hh, *, near, placed, within):
    """The first spot around (ax, ay) covering fewest of `near`, of those whose box stays in
    `within` and overlaps no `placed` box; None when there is none.

    Every spot's count at once, exactly: a point lies strictly inside the boxes of a run of
    grid columns and a run of grid rows, so it adds one to a rectangle of the grid (a
    difference array summed up). A name on a crowded map tries all ~1,250 spots.
    """
    xs, ys = ax + spots.dx, ay + spots.dy
    free = np.ones(len(xs), dtype=bool)
    if within is not None:
        x0, x1, y0, y1 = within
        free &= (xs - hw >= x0) & (xs + hw <= x1) & (ys - hh >= y0) & (ys + hh <= y1)
    for px, py, pw, ph in placed:
        free &= (np.abs(xs - px) >= hw + pw) | (np.abs(ys - py) >= hh + ph)
    at = np.flatnonzero(free)
    if not len(at):
        return None
    cols, rows = ax + spots.column_dx, ay + spots.row_dy  # the grid's centres, ascending
    counts = np.zeros((len(cols) + 1, len(rows) + 1), dtype=np.int64)
    if len(near):
        c0 = np.searchsorted(cols, near[:, 0] - hw, side="right")
        c1 = np.searchsorted(cols, near[:, 0] + hw, side="left")
        r0 = np.searchsorted(rows, near[:, 1] - hh, side="right")
        r1 = np.searchsorted(rows, near[:, 1] + hh, side="left")
        some = (c0 < c1) & (r0 < r1)
        c0, c1, r0, r1 = c0[some], c1[some], r0[some], r1[some]
        for c, r, sign in ((c0, r0, 1), (c1, r0, -1), (c0, r1, -1), (c1, r1, 1)):
            np.add.at(counts, (c, r), sign)
        counts = counts.cumsum(axis=0).cumsum(axis=1)
    covered = counts[spots.column[at], spots.row[at]]
    k = at[int(np.argmin(covered))]  # argmin: the first of the fewest, nearest first
    return float(xs[k]), float(ys[k])


@dataclasses.dataclass(frozen=True)
class _Spots:
    """Offsets of the spots a name may take (nearest first), and where each sits on the grid:
    column `column` of the grid's x offsets `column_dx`, row `row` of its y offsets `row_dy`."""

    dx: np.ndarray
    dy: np.ndarray
    column: np.ndarray
    row: np.ndarray
    column_dx: np.ndarray
    row_dy: np.ndarray


def _nearby(x_per_px: float, y_per_px: float) -> _Spots:
    """Offsets in map units on a STEP_PX grid within REACH_PX, nearest first (above before
    below, left before right among equals)."""
    half = REACH_PX // STEP_PX
    steps = np.arange(-half, half + 1) * STEP_PX
    grid = [(float(dx), float(dy)) for dx in steps for dy in steps
            if dx * dx + dy * dy <= REACH_PX * REACH_PX]
    grid.sort(key=lambda d: (d[0] ** 2 + d[1] ** 2, -d[1], d[0]))
    px = np.array(grid)
    return _Spots(dx=px[:, 0] * x_per_px, dy=px[:, 1] * y_per_px,
                  column=(px[:, 0] // STEP_PX).astype(np.int64) + half,
                  row=(px[:, 1] // STEP_PX).astype(np.int64) + half,
                  column_dx=steps * x_per_px, row_dy=steps * y_per_px)


def covers(points, box) -> int:
    """How many of `points` lie strictly inside `box` (x, y, half width, half height)."""
    x, y, hw, hh = box
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    return int(((np.abs(points[:, 0] - x) < hw) & (np.abs(points[:, 1] - y) < hh)).sum())


def readable_words(coords, texts, *, x_per_px: float, y_per_px: float, view=None,
                   max_labels: int | None = None, candidates: int = 20_000, first=(),
                   reserved=(), lift_px: float = 0.0) -> np.ndarray:
    """Rows to label so that no two labels overlap on screen, in row order (most frequent first).

    Each label is the box `label_size` gives its text, centred on its point (a label drawn a
    fixed distance above its point is the same boxes moved together). A row is kept when its
    box overlaps no kept box (touching is allowed). Only points inside `view` whose box fits in
    it too are candidates, so a zoomed view labels its own words, many more than the whole map
    has room for there, and no label is cut by the plot's edge. `place_words` is the same with
    a choice of spots around each point.

    >>> readable_words([[0, 0], [1, 0], [30, 0], [0, 30]], ["ab", "cd", "ef", "gh"],
    ...                x_per_px=1, y_per_px=1).tolist()
    [0, 2, 3]
    >>> readable_words([[-1, 0], [1, 0], [30, 0]], ["ab", "cd", "ef"], x_per_px=1, y_per_px=1,
    ...                view=(-11, 60, -15, 15)).tolist()
    [1, 2]

    Args:
        coords: (n, 2) map coordinates.
        texts: the label of each row.
        x_per_px, y_per_px: map units per screen pixel at the zoom shown.
        view: (x0, x1, y0, y1) the visible range; None for every point.
        max_labels: stop after this many labels.
        candidates: only the first this many rows inside the view are tried (past the 20,000
            most frequent words a free place is found rarely, and the loop is Python's).
        first: rows tried before all others (the selected word, its neighbours, matches).
        reserved: boxes (x, y, half width, half height) in map units no label may overlap
            (the cluster names).
        lift_px: how far above its point a label is drawn (plotly's "top center").

    Returns:
        The kept rows, `first`'s kept ones first, then ascending.
    """
    return place_words(coords, texts, x_per_px=x_per_px, y_per_px=y_per_px, view=view,
                       max_labels=max_labels, candidates=candidates, first=first,
                       reserved=reserved, spots=((0.0, 0.0, lift_px),))[0]


def place_words(coords, texts, *, x_per_px: float, y_per_px: float, view=None,
                max_labels: int | None = None, candidates: int = 20_000, first=(),
                reserved=(), spots=((0.0, 0.0, 0.0),)) -> tuple[np.ndarray, np.ndarray]:
    """Rows to label and where: each label at the first of `spots` where its box overlaps no
    kept box nor a `reserved` one, fits in `view` and covers no other point of the view; where
    every free spot covers some point, the first free spot (see `readable_words` for the rest).

    A spot (kx, dx, dy) puts the box's middle kx half widths plus dx pixels right of its point
    and dy pixels above it: (0, 0, 11) above, (1, 5, 0) to the right.

    >>> rows, where = place_words([[0, 0], [10, 0]], ["ab", "cd"], x_per_px=1, y_per_px=1,
    ...                           spots=((0, 0, 0), (1, 5, 0)))
    >>> rows.tolist(), where.tolist()
    ([0, 1], [0, 1])

    Returns:
        (kept rows, the index in `spots` of each one's place).
    """
    coords = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
    rows = np.arange(len(coords))
    inside = np.ones(len(coords), dtype=bool)
    if view is not None:
        x0, x1, y0, y1 = min(view[:2]), max(view[:2]), min(view[2:]), max(view[2:])
        inside = ((coords[:, 0] >= x0) & (coords[:, 0] <= x1) & (coords[:, 1] >= y0)
                  & (coords[:, 1] <= y1))
        rows = rows[inside]
    shown = rows  # every point drawn: a label should not hide one
    ahead = [int(r) for r in dict.fromkeys(first) if 0 <= r < len(coords) and inside[r]]
    rows = np.concatenate([np.array(ahead, dtype=np.int64),
                           np.setdiff1d(rows, ahead, assume_unique=True)[:candidates]])
    if not len(rows):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    scale = np.array([x_per_px, y_per_px])
    px = (coords[rows] / scale).tolist()  # screen pixels, as Python floats: the loop is Python's
    # A label cut by the plot's edge reads as another word: its whole box must fit in view.
    if view is None:
        left, right, bottom, top = -math.inf, math.inf, -math.inf, math.inf
    else:
        left, right = sorted(float(v) / x_per_px for v in view[:2])
        bottom, top = sorted(float(v) / y_per_px for v in view[2:])
    left, right, bottom, top = left - _EPS, right + _EPS, bottom - _EPS, top + _EPS
    widths = [label_size(texts[r], x_per_px=1, y_per_px=1)[0] for r in rows]
    hh = label_size("", x_per_px=1, y_per_px=1)[1] / 2
    cell = (max(widths), 2 * hh)  # a label overlaps only boxes a cell away at most
    dots = _DotGrid(coords[shown] / scale, shown, cell) if len(spots) > 1 else None
    grid = _reserved_grid(np.asarray(reserved, dtype=np.float64).reshape(-1, 4)
                          / np.tile(scale, 2), cell)
    kept: list[int] = []
    where: list[int] = []
    for (px_x, px_y), hw, r in zip(px, (w / 2 for w in widths), rows.tolist()):
        best = None
        for s, (kx, dx, dy) in enumerate(spots):
            x, y = px_x + kx * hw + dx, px_y + dy
            if x - hw < left or x + hw > right or y - hh < bottom or y + hh > top:
                continue
            cx, cy = math.floor(x / cell[0]), math.floor(y / cell[1])
            if not all(abs(x - ox) >= hw + ow or abs(y - oy) >= hh + oh
                       for gx in (cx - 1, cx, cx + 1) for gy in (cy - 1, cy, cy + 1)
                       for ox, oy, ow, oh in grid.get((gx, gy), ())):
                continue
            # Free of labels: of such spots the one hiding fewest other dots (first if tied).
            hidden = dots.count_in(x, y, hw, hh, own=r) if dots is not None else 0
            if best is None or hidden < best[0]:
                best = (hidden, s, x, y, cx, cy)
            if hidden == 0:
                break
        if best is not None:
            _, s, x, y, cx, cy = best
            grid.setdefault((cx, cy), []).append((x, y, hw, hh))
            kept.append(r)
            where.append(s)
            if max_labels is not None and len(kept) >= max_labels:
                break
    return np.array(kept, dtype=np.int64), np.array(where, dtype=np.int64)


def _reserved_grid(boxes: np.ndarray, cell: tuple[float, float]) -> dict:
    """Boxes (x, y, half width, half height) no label may overlap, filed under every cell they
    reach: a label looks only at the cells around its own, and a cluster's name can be wider
    than a cell."""
    grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
    for x, y, hw, hh in boxes.tolist():
        for gx in range(math.floor((x - hw) / cell[0]), math.floor((x + hw) / cell[0]) + 1):
            for gy in range(math.floor((y - hh) / cell[1]), math.floor((y + hh) / cell[1]) + 1):
                grid.setdefault((gx, gy), []).append((x, y, hw, hh))
    return grid


class _DotGrid:
    """The map's points in screen pixels, bucketed by cell, to ask whether a box hides one."""

    def __init__(self, px: np.ndarray, rows: np.ndarray, cell: tuple[float, float]):
        self.cell = cell
        keys = np.floor(px / np.array(cell)).astype(np.int64)
        order = np.lexsort((keys[:, 1], keys[:, 0]))
        keys, self.px, self.rows = keys[order], px[order], np.asarray(rows)[order]
        cut = np.flatnonzero(np.any(np.diff(keys, axis=0) != 0, axis=1)) + 1
        starts = np.concatenate([[0], cut]).astype(np.int64)
        ends = np.concatenate([cut, [len(keys)]]).astype(np.int64)
        self.slices = {(int(keys[a, 0]), int(keys[a, 1])): (int(a), int(b))
                       for a, b in zip(starts, ends)} if len(keys) else {}

    def count_in(self, x: float, y: float, hw: float, hh: float, *, own: int) -> int:
        """How many points other than row `own` lie strictly inside the box."""
        cw, ch = self.cell
        found = 0
        for gx in range(int(np.floor((x - hw) / cw)), int(np.floor((x + hw) / cw)) + 1):
            for gy in range(int(np.floor((y - hh) / ch)), int(np.floor((y + hh) / ch)) + 1):
                span = self.slices.get((gx, gy))
                if span is None:
                    continue
                a, b = span
                p = self.px[a:b]
                hit = (np.abs(p[:, 0] - x) < hw) & (np.abs(p[:, 1] - y) < hh)
                found += int(np.count_nonzero(self.rows[a:b][hit] != own))
        return found


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


# On a 3-D map a label is kept only this far (a share of the cube plotly draws the map in)
# from every other label: a turning camera has no 2-D place that holds, but labels far apart
# in space seldom meet on screen, from any side. Seen from 200 random sides (a 300 px cube,
# labels 6.5 px a character and 14 px high), of the labels of a PCA map of the 1,000 most
# frequent GloVe words 29 % meet another in the median view at 0.25 (24 labels), 50 % at 0.2
# (42), 98 % for the first 300; of 60 words, 10 % (20 labels), 15 % (27), 62 % (all 60).
SPREAD_3D = 0.25
# Up to this many points every one is labelled in 3-D: the tutorial's 15 words would otherwise
# lose a third of their labels, and a few labels that meet as the map turns still read.
LABEL_ALL_3D = 20


def spread_words(coords, *, min_distance: float = SPREAD_3D, first=(),
                 candidates: int = 20_000, label_all: int = LABEL_ALL_3D) -> np.ndarray:
    """Rows to label on a 3-D map: in row order (most frequent first), a row is kept when no
    kept row lies within `min_distance` of it, each axis scaled to the cube the map is drawn in
    (its range becomes 0 to 1, as plotly's aspectmode "cube" draws it). A map of at most
    `label_all` points labels every one.

    >>> spread_words([[0, 0, 0], [0.05, 0, 0], [1, 1, 1], [0.5, 0.5, 0.5]], label_all=0).tolist()
    [0, 2, 3]
    >>> spread_words([[0, 0, 0], [0.05, 0, 0], [1, 1, 1]], first=[1], label_all=0).tolist()
    [1, 2]
    >>> spread_words([[0, 0, 0], [0.05, 0, 0], [1, 1, 1]], first=[1]).tolist()
    [1, 0, 2]

    Args:
        coords: (n, 3) map coordinates (more columns: the first three count).
        min_distance: the least distance between two labelled points, in cube sides.
        first: rows tried before all others (the highlighted word).
        candidates: only the first this many rows are tried (the loop is Python's).

    Returns:
        The kept rows, `first`'s first, then ascending.
    """
    points = np.asarray(coords, dtype=np.float64).reshape(len(coords), -1)[:, :3]
    if not len(points):
        return np.zeros(0, dtype=np.int64)
    low, high = points.min(axis=0), points.max(axis=0)
    cube = (points - low) / np.where(high > low, high - low, 1.0)
    ahead = [int(r) for r in dict.fromkeys(first) if 0 <= r < len(points)]
    order = np.concatenate([np.array(ahead, dtype=np.int64), np.setdiff1d(
        np.arange(len(points)), ahead, assume_unique=True)[:candidates]])
    if len(points) <= label_all:
        return order
    cells: dict[tuple[int, ...], list[int]] = {}  # cells one min_distance wide
    keys = np.floor(cube / min_distance).astype(np.int64)
    around = np.array(list(itertools.product((-1, 0, 1), repeat=cube.shape[1])))
    kept = []
    for r in order:
        key = tuple(keys[r].tolist())
        near = [k for cell in map(tuple, (keys[r] + around).tolist())
                for k in cells.get(cell, ())]
        if near and np.min(np.sum((cube[near] - cube[r]) ** 2, axis=1)) < min_distance ** 2:
            continue
        cells.setdefault(key, []).append(int(r))
        kept.append(int(r))
    return np.array(kept, dtype=np.int64)


CORE = 0.8  # a region is drawn around the share of a cluster's points nearest its middle


def regions(coords, labels, n_clusters: int, *, core: float = CORE) -> list:
    """Each cluster's region on the map: the convex hull of its core points, or None.

    The core is the `core` share of the cluster's points nearest their median point, so a few
    strays do not stretch the region over its neighbours. A cluster whose core has fewer than
    3 points, or whose points lie on one line, has no region (its points still show it).

    >>> square = [[0, 0], [2, 0], [0, 2], [2, 2], [1, 1], [9, 9]]
    >>> [r.tolist() for r in regions(square, np.array([0, 0, 0, 0, 0, 0]), 1, core=0.9)]
    [[[2.0, 2.0], [0.0, 2.0], [0.0, 0.0], [2.0, 0.0]]]

    Returns:
        One (m, 2) array of hull corners (counter-clockwise) or None per cluster.
    """
    from scipy.spatial import ConvexHull
    from scipy.spatial import QhullError

    coords = np.asarray(coords, dtype=np.float64)[:, :2]
    out = []
    for c in range(n_clusters):
        points = coords[np.asarray(labels) == c]
        if len(points) >= 3:
            distance = np.linalg.norm(points - np.median(points, axis=0), axis=1)
            keep = max(3, int(core * len(points)))
            points = points[np.argsort(distance, kind="stable")[:keep]]
        try:
            hull = ConvexHull(points) if len(points) >= 3 else None
        except QhullError:  # all on one line: no area to shade
            hull = None
        out.append(None if hull is None else points[hull.vertices])
    return out
