"""The figure of a big word map (up to 100,000 points), small enough to travel.

Every point is drawn by WebGL (plotly's Scattergl), as float32 numbers rounded to what a screen
can show, the word as hover text; labels go only to a readable subset: in frequency order, the
first word of each cell of a grid as large as a label, so no two labels overlap at the first
zoom. 100,000 GloVe words make a figure of about 2 MB (see tests/test_big_map.py).
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

MAX_LABELS = 300
# A label's footprint at the first zoom, as a share of the plot's width and height.
_CELL_X = 1 / 14
_CELL_Y = 1 / 36
_DIGITS = 4  # significant digits kept of each coordinate's range: 1/10,000 of the plot


def readable_labels(coords: np.ndarray, *, max_labels: int = MAX_LABELS) -> np.ndarray:
    """Rows to label: in row order (most frequent first), the first row of each free cell.

    >>> readable_labels(np.array([[0, 0], [0.001, 0], [1, 1], [0.5, 0.5]]), max_labels=10)
    array([0, 2, 3])
    """
    coords = np.asarray(coords, dtype=np.float64)[:, :2]
    if len(coords) == 0:
        return np.zeros(0, dtype=np.int64)
    low, high = coords.min(axis=0), coords.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    cells = np.floor((coords - low) / span / (_CELL_X, _CELL_Y)).astype(np.int64)
    keys = cells[:, 0] * 1_000_003 + cells[:, 1]
    _, first = np.unique(keys, return_index=True)
    return np.sort(first)[:max_labels]


def rounded(values: np.ndarray) -> np.ndarray:
    """float32 values rounded to _DIGITS significant digits of their range (what a plot shows)."""
    values = np.asarray(values, dtype=np.float64)
    span = float(values.max() - values.min()) if len(values) else 0.0
    decimals = int(max(0, _DIGITS - np.floor(np.log10(span)))) if span > 0 else 3
    return np.round(values, decimals).astype(np.float32)


def big_map_figure(coords: np.ndarray, words, *, title: str = "",
                   max_labels: int = MAX_LABELS, highlight: str | None = None) -> go.Figure:
    """Scattergl of every point (hover: the word), a text trace with the readable labels, and
    the highlighted word, if given and on the map, as a large red diamond with its label."""
    words = list(words)
    x, y = rounded(coords[:, 0]), rounded(coords[:, 1])
    # plotly reads tags in text, and tokens hold < and &. An object array, not a list: plotly
    # checks a list item by item (2.4 s for 100,000 words against 0.3 s).
    shown = np.array([html.escape(w) for w in words], dtype=object)
    fig = go.Figure(go.Scattergl(
        x=x, y=y, mode="markers", hovertext=shown, hoverinfo="text", name="words",
        marker={"size": 3, "color": "#7fa7d1", "opacity": 0.5, "line": {"width": 0}},
        showlegend=False))
    labelled = readable_labels(coords, max_labels=max_labels)
    fig.add_trace(go.Scattergl(
        x=x[labelled], y=y[labelled], mode="text", text=shown[labelled],
        textfont={"size": 11, "color": "#1f3b57"}, hoverinfo="skip", name="labels",
        showlegend=False))
    if highlight is not None and highlight in words:
        at = words.index(highlight)
        fig.add_trace(go.Scattergl(
            x=x[at:at + 1], y=y[at:at + 1], mode="markers+text", text=[shown[at]],
            textposition="top center", textfont={"size": 16, "color": "#c0392b"},
            marker={"size": 14, "color": "#c0392b", "symbol": "diamond"}, hoverinfo="text",
            hovertext=[shown[at]], name="highlight", showlegend=False))
    fig.update_layout(title=title, height=640, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      xaxis={"showticklabels": False}, yaxis={"showticklabels": False},
                      dragmode="pan", hovermode="closest")
    return fig
