"""The figure of a big word map (up to 100,000 points), small enough to travel.

Every point is drawn by WebGL (plotly's Scattergl), as float32 numbers rounded to what a screen
can show, the word as hover text; labels (SVG text over the points) go only to a readable subset: in frequency order, each
word whose label's box meets no box already placed (clusters.readable_words, the placer every
word map uses), so no two labels overlap. Zoomed in (`zoom`), only the points inside the range
travel and far more of them are labelled. 100,000 GloVe words make a figure of about 2 MB
(see tests/test_big_map.py).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.clusters import readable_words
from explorer.display import plotly_text
from explorer.explore_charts import MARGIN_WORDS, units_per_px, view_range

MAX_LABELS = 300
ZOOMED_LABELS = 1_000  # a zoomed view has room for more; 1,000 labels stay light to send
# The first zoom's grid, for a plot about 800 x 520 pixels: columns of 20 px, rows of 18 px
# (an 11 px label with room above and below). A label covers the columns its characters
# (about 6.5 px each) need.
_COLUMNS = 40
_ROWS = 28
_CHAR_COLUMNS = 6.5 / 20
_CANDIDATES = 20_000  # past the 20,000 most frequent words a free place is found rarely
_DIGITS = 4  # significant digits kept of each coordinate's range: 1/10,000 of the plot


def readable_labels(coords: np.ndarray, lengths=None, *, max_labels: int = MAX_LABELS) -> np.ndarray:
    """Rows to label so that no two labels overlap at the first zoom, most frequent first.

    Each label is a box one grid row high, centred on its point, as many columns wide as its
    characters need (`lengths`, default 8 characters); in row order (most frequent first) a
    label is kept when its box meets no kept one.

    >>> readable_labels(np.array([[0, 0], [0.001, 0], [1, 1], [0.5, 0.5]]), max_labels=10)
    array([0, 2, 3])
    """
    coords = np.asarray(coords, dtype=np.float64)[:_CANDIDATES, :2]
    n = len(coords)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    lengths = np.full(n, 8) if lengths is None else np.asarray(lengths)[:n]
    low, high = coords.min(axis=0), coords.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    column = (coords[:, 0] - low[0]) / span[0] * _COLUMNS
    row = np.floor((coords[:, 1] - low[1]) / span[1] * _ROWS).astype(np.int64)
    half = np.maximum(1, lengths) * _CHAR_COLUMNS / 2
    first = np.floor(column - half).astype(np.int64)
    last = np.floor(column + half).astype(np.int64)
    taken: set[tuple[int, int]] = set()
    kept = []
    for i in range(n):
        cells = [(int(row[i]), c) for c in range(first[i], last[i] + 1)]
        if taken.isdisjoint(cells):
            taken.update(cells)
            kept.append(i)
            if len(kept) == max_labels:
                break
    return np.array(kept, dtype=np.int64)


def rounded(values: np.ndarray) -> np.ndarray:
    """float32 values rounded to _DIGITS significant digits of their range (what a plot shows)."""
    values = np.asarray(values, dtype=np.float64)
    span = float(values.max() - values.min()) if len(values) else 0.0
    decimals = int(max(0, _DIGITS - np.floor(np.log10(span)))) if span > 0 else 3
    return np.round(values, decimals).astype(np.float32)


def big_map_figure(coords: np.ndarray, words, *, title: str = "",
                   max_labels: int = MAX_LABELS, highlight=None, zoom=None) -> go.Figure:
    """Scattergl of every point (hover: the word), a text trace with the readable labels, and
    the highlighted words (a word, or a list of rows), if on the map, as large red diamonds.

    Args:
        coords: (n, 2) coordinates, rows in frequency order.
        words: the word of each row.
        title: figure title.
        max_labels: at most this many labels at the whole map (ZOOMED_LABELS when zoomed).
        highlight: a word, or rows to mark (search matches).
        zoom: (x0, x1, y0, y1): only the points inside travel, the axes show that range and
            its words are labelled at that zoom.
    """
    words = list(words)
    coords = np.asarray(coords)
    view = view_range(coords, zoom, texts=words[:MARGIN_WORDS])
    rows = np.arange(len(words))
    if zoom is not None:
        x0, x1, y0, y1 = view
        rows = rows[(coords[:, 0] >= x0) & (coords[:, 0] <= x1) & (coords[:, 1] >= y0)
                    & (coords[:, 1] <= y1)]
        max_labels = ZOOMED_LABELS
    x, y = rounded(coords[rows, 0]), rounded(coords[rows, 1])
    part = [words[r] for r in rows] if zoom is not None else words
    # Hover labels and word labels are SVG, where plotly reads tags and entities (tokens hold
    # < and &): escaped. WebGL text (the highlight's) shows its characters as they are. Object
    # arrays, not lists: plotly checks a list item by item (2.4 s for 100,000 words, not 0.3 s).
    shown = np.array([plotly_text(w) for w in part], dtype=object)
    plain = np.array(part, dtype=object)
    fig = go.Figure(go.Scattergl(
        x=x, y=y, mode="markers", hovertext=shown, hoverinfo="text", name="words",
        marker={"size": 3, "color": "#7fa7d1", "opacity": 0.5, "line": {"width": 0}},
        showlegend=False))
    x_per_px, y_per_px = units_per_px(view)
    labelled = readable_words(coords[rows], part, x_per_px=x_per_px, y_per_px=y_per_px,
                              view=view, max_labels=max_labels, candidates=_CANDIDATES)
    # The few hundred labels in SVG, over the WebGL points: WebGL text made headless Chromium
    # take 0.4-0.6 s longer to paint the 100,000-word map (bench/bench_big_map_browser.py).
    # SVG reads tags and entities, so labels are escaped as the hover text is.
    fig.add_trace(go.Scatter(
        x=x[labelled], y=y[labelled], mode="text", text=shown[labelled],
        textfont={"size": 11, "color": "#1f3b57"}, hoverinfo="skip", name="labels",
        showlegend=False, cliponaxis=True))
    marked = _marked(words, highlight)
    at = np.flatnonzero(np.isin(rows, marked))
    if len(at):
        fig.add_trace(go.Scattergl(
            x=x[at], y=y[at], mode="markers+text" if len(at) == 1 else "markers",
            text=plain[at], textposition="top center", textfont={"size": 16, "color": "#c0392b"},
            marker={"size": 14 if len(at) == 1 else 8, "color": "#c0392b", "symbol": "diamond"},
            hoverinfo="text", hovertext=shown[at], name="highlight", showlegend=False))
    fig.update_layout(title=title, height=640, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      xaxis={"showticklabels": False, "range": list(view[:2])},
                      yaxis={"showticklabels": False, "range": list(view[2:])},
                      dragmode="pan", hovermode="closest")
    return fig


def _marked(words, highlight) -> np.ndarray:
    if highlight is None:
        return np.zeros(0, dtype=np.int64)
    if isinstance(highlight, str):
        return np.array([words.index(highlight)] if highlight in words else [], dtype=np.int64)
    return np.asarray(list(highlight), dtype=np.int64)
