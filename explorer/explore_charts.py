"""Plotly figures for word axes, the bias view and the explorable word map (no st.* calls).

Every point trace carries its row of the map (and, on the explorable map, its word) in
`customdata`, so a click or a box/lasso selection reported by the browser maps back to words
whatever trace the point is drawn in, and a selection made on an older map is recognised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from explorer.clusters import label_anchors, label_size, place_labels, place_words, regions
from explorer.display import plotly_text

WEBGL_FROM = 2_000  # SVG scatter gets sluggish to pan beyond a few thousand points
HEIGHT = 600
# The plot area a label layout assumes, in pixels: a chart drawn wider has more room, never less
# (in Chromium at 1280 px the page's wide layout gives the plot 880 x 530).
PLOT_PX = (700.0, 520.0)
# A word's label is drawn above its dot ("top center"): its middle about this many pixels up.
LABEL_LIFT_PX = 11.0
# Where a label may go, tried in this order, as clusters.place_words' spots (kx half widths
# plus dx px across, dy px up): above its dot, below, right, left. A word crowded above is
# often free below or beside: a typed list of 26 words got 20 labels above only, 26 so.
LABEL_SPOTS = {"top center": (0.0, 0.0, LABEL_LIFT_PX),
               "bottom center": (0.0, 0.0, -LABEL_LIFT_PX),
               "middle right": (1.0, 6.0, 0.0), "middle left": (-1.0, -6.0, 0.0)}
MARGIN = 0.06  # of the points' span, left on each side of the whole map (plotly's own padding)
MAX_MARGIN = 0.12
MARGIN_WORDS = 300  # the longest of the first this many words sets the margin across  # across, for the longest label to fit beside the outermost points
SELECTED = "#c0392b"
NEIGHBOUR = "#1e8449"
MATCH = "#e67e22"
CROWD = "#7fa7d1"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


def _scatter(n_points: int):
    return go.Scattergl if n_points >= WEBGL_FROM else go.Scatter


def axis_scatter(frame: pd.DataFrame, *, x_title: str, y_title: str, highlight=(),
                 max_labels: int | None = None, title: str = "") -> go.Figure:
    """Words placed by their cosine with two axes; hover shows the word and both coordinates.

    Labels go where they fit, as on every 2-D word map (`word_labels`): no two overlap, none is
    cut by the plot's edge, the highlighted words first; the axes keep the range they assumed.

    >>> frame = pd.DataFrame({"word": ["king", "queen"], "x": [0.5, -0.5], "y": [0.1, 0.2]})
    >>> fig = axis_scatter(frame, x_title="he − she", y_title="good − bad")
    >>> [list(c) for c in fig.data[0].customdata], list(fig.data[0].text)
    ([[0, 0.5, 0.1], [1, -0.5, 0.2]], ['king', 'queen'])

    Args:
        frame: columns word, x, y (from `axes.axis_map`).
        x_title, y_title: the axes as written (they title the axes and the hover).
        highlight: words drawn large and red, labelled.
        max_labels: at most this many word labels (default: as many as fit).
        title: figure title.
    """
    n = len(frame)
    words = frame["word"].tolist()
    rows = np.arange(n)
    custom = np.column_stack([rows, frame["x"].round(4), frame["y"].round(4)]).tolist()
    custom = [[int(r), x, y] for r, x, y in custom]
    hover = ("<b>%{text}</b><br>" + plotly_text(x_title) + ": %{customdata[1]:.4f}<br>"
             + plotly_text(y_title) + ": %{customdata[2]:.4f}<extra></extra>")
    coords = frame[["x", "y"]].to_numpy(dtype=np.float64)
    view = view_range(coords, texts=words[:MARGIN_WORDS])
    wanted = set(highlight)
    marked = [i for i, w in enumerate(words) if w in wanted]
    is_marked = set(marked)
    labelled = word_labels(coords, words, view=view, first=marked, max_labels=max_labels)
    # A highlighted word is labelled on its own trace, on top: two labels on one spot blur.
    shown = [i for i in sorted(labelled) if i not in is_marked]
    trace = _scatter(n)
    fig = go.Figure(trace(
        x=frame["x"], y=frame["y"], mode="markers", customdata=custom, showlegend=False,
        # Hover reads the word from `hovertext`: unlabelled points have no text.
        hovertext=[plotly_text(w) for w in words],
        hovertemplate=hover.replace("%{text}", "%{hovertext}"),
        marker={"size": 7 if n < WEBGL_FROM else 4, "color": CROWD,
                "line": {"width": 0.5, "color": "#555"}}))
    if n >= WEBGL_FROM:
        fig.add_trace(label_layer(frame, shown, words, labelled,
                                  textfont={"size": 11, "color": "#333"}))
    else:
        fig.data[0].update(
            mode="markers+text", textfont={"size": 11, "color": "#333"},
            text=[plotly_text(w) if i in labelled and i not in is_marked else ""
                  for i, w in enumerate(words)],
            textposition=[labelled.get(i, "top center") for i in range(n)])
    if marked:
        part = frame.iloc[marked]
        fig.add_trace(trace(
            x=part["x"], y=part["y"], mode="markers+text",
            text=[plotly_text(w) if i in labelled else "" for i, w in zip(marked, part["word"])],
            customdata=[custom[i] for i in marked],
            textposition=[labelled.get(i, "top center") for i in marked],
            # 12 px at most: the label model (clusters.label_size) measures a 12 px font.
            hovertemplate=hover, showlegend=False, textfont={"color": SELECTED, "size": 12},
            marker={"size": 13, "color": SELECTED, "symbol": "diamond",
                    "line": {"width": 1.5, "color": "#111"}}))
    # The origin lines: the side of zero is what a word's place on an axis says. Fixed ranges:
    # the label layout assumed exactly this view.
    fig.update_xaxes(title=x_title, zeroline=True, zerolinecolor="#999", automargin=True,
                     range=list(view[:2]))
    fig.update_yaxes(title=y_title, zeroline=True, zerolinecolor="#999", automargin=True,
                     range=list(view[2:]))
    # The axis titles take ~25 px of the height: the plot area keeps the PLOT_PX the labels
    # were laid out for (Chromium at 1280 px: 736 x 520).
    fig.update_layout(title=title, height=HEIGHT + 25,
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def label_count(fig: go.Figure) -> int:
    """How many word labels a figure draws (every non-empty text of its point traces)."""
    texts = [() if trace.text is None else trace.text for trace in fig.data]
    return sum(bool(t) for text in texts if not isinstance(text, str) for t in text)


def bias_bars(table: pd.DataFrame, *, axis_text: str, positive: str, negative: str,
              title: str = "") -> go.Figure:
    """A sorted bar per word: its cosine with the axis, right towards `positive`.

    >>> t = pd.DataFrame({"word": ["doctor", "nurse"], "score": [0.2, -0.3]})
    >>> fig = bias_bars(t, axis_text="he − she", positive="he", negative="she")
    >>> list(fig.data[0].y), list(fig.data[0].marker.color) == ["#2e86c1", "#c0392b"]
    (['nurse', 'doctor'], False)

    Args:
        table: columns word, score, sorted (from `axes.bias_table`).
        axis_text: the axis as written.
        positive, negative: the words at each end, for the axis title.
        title: figure title.
    """
    # Bars are drawn bottom-up: reversed, the most positive word is at the top.
    ordered = table.iloc[::-1]
    colours = ["#2e86c1" if s >= 0 else "#c0392b" for s in ordered["score"]]
    fig = go.Figure(go.Bar(
        x=ordered["score"], y=[plotly_text(w) for w in ordered["word"]], orientation="h",
        marker={"color": colours}, customdata=ordered["score"].round(4),
        hovertemplate="<b>%{y}</b><br>" + plotly_text(axis_text)
        + ": %{customdata:.4f}<extra></extra>"))
    fig.update_xaxes(title=f"← nearer {negative}    cosine with {axis_text}    nearer "
                     f"{positive} →", zeroline=True, zerolinecolor="#555", automargin=True)
    fig.update_yaxes(automargin=True, type="category")
    fig.update_layout(title=title, height=max(260, 22 * len(table) + 90), bargap=0.25,
                      margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10})
    return fig


def view_range(coords, zoom=None, texts=()) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) the axes show: `zoom`, or every point with MARGIN to spare each side,
    more across (up to MAX_MARGIN) so the longest of `texts` fits beside the points at the edge.

    >>> view_range(np.array([[0, 0], [10, 5.]]))
    (-0.6, 10.6, -0.3, 5.3)
    """
    if zoom is not None:
        x0, x1, y0, y1 = (float(v) for v in zoom)
        return min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    coords = np.asarray(coords, dtype=np.float64)
    low, high = coords.min(axis=0), coords.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    # A label of half width h px at the edge fits when pad >= h * (span + 2 pad) / width.
    half = max((len(t) for t in texts), default=0) * 3.5 + 4.0  # clusters.label_size / 2
    across = min(MAX_MARGIN, half / max(1.0, PLOT_PX[0] - 2 * half))
    pad = span * np.array([max(MARGIN, across), MARGIN])
    return (float(low[0] - pad[0]), float(high[0] + pad[0]), float(low[1] - pad[1]),
            float(high[1] + pad[1]))


def units_per_px(view) -> tuple[float, float]:
    """Map units per screen pixel on each axis when `view` fills the plot area PLOT_PX."""
    x0, x1, y0, y1 = view
    return (x1 - x0) / PLOT_PX[0], (y1 - y0) / PLOT_PX[1]


def label_layer(frame: pd.DataFrame, rows, words, labelled: dict, *, textfont: dict):
    """The labels of `rows` as a WebGL trace of their own, to draw after a crowd of WebGL dots.

    On the crowd's own trace later dots cover its labels, and SVG text lies under every WebGL
    layer. Plotly sets a label off by its marker's size: an unseen marker of the SVG maps' size
    keeps the offsets LABEL_SPOTS measured. Each point carries its row and word, as every point
    trace does, and takes no hover or click (those go to the dot under it).
    """
    rows = list(rows)
    return go.Scattergl(
        x=frame["x"].iloc[rows], y=frame["y"].iloc[rows], mode="markers+text",
        text=[plotly_text(words[r]) for r in rows], textposition=[labelled[r] for r in rows],
        textfont=textfont, marker={"size": 7, "opacity": 0}, hoverinfo="skip",
        customdata=[[r, words[r]] for r in rows], showlegend=False, name="labels")


def word_labels(coords, words, *, view, first=(), reserved=(),
                max_labels: int | None = None) -> dict[int, str]:
    """Where each labelled row's label goes (a key of LABEL_SPOTS) on a 2-D map showing `view`
    in PLOT_PX: `clusters.place_words` above, below or beside each dot, no two overlapping,
    none over a `reserved` box, cut by the edge or (where it can) over another dot.

    >>> word_labels([[0, 0], [0, 0.001], [5, 5]], ["ab", "cd", "ef"], view=(-10, 15, -10, 15))
    {0: 'top center', 1: 'bottom center', 2: 'top center'}
    """
    x_per_px, y_per_px = units_per_px(view)
    kept, spots = place_words(coords, words, x_per_px=x_per_px, y_per_px=y_per_px, view=view,
                              max_labels=max_labels, first=first, reserved=reserved,
                              spots=tuple(LABEL_SPOTS.values()))
    names = list(LABEL_SPOTS)
    return {int(r): names[int(i)] for r, i in zip(kept, spots)}


def explore_map(frame: pd.DataFrame, *, hover=None, selected: int | None = None,
                neighbours=(), matches=(), categories=None, clusters=None,
                max_labels: int | None = None, zoom=None, title: str = "") -> go.Figure:
    """A 2-D word map with the selection, its neighbours, search matches and cluster regions.

    Word labels go where they fit (`clusters.place_words` at this zoom, above, below or beside
    their dot): no two overlap and none overlaps a cluster's name; the selected word, its
    neighbours and matches are placed first. Zoomed in (`zoom`), the axes show only that range and its words are labelled, far
    more of them than the whole map has room for there.

    >>> frame = pd.DataFrame({"word": list("abcde"), "x": [0, 1, 2, 3, 4.], "y": [0, 1, 0, 1, 0.]})
    >>> fig = explore_map(frame, selected=0, neighbours=[1, 2], matches=[4])
    >>> [(t.name, [c[0] for c in t.customdata]) for t in fig.data]
    [('words', [0, 1, 2, 3, 4]), ('search matches', [4]), ('neighbours of a', [1, 2]), ('selected', [0])]

    Args:
        frame: columns word, x, y, one row per point.
        hover: hover text per row (default the word).
        selected: the row of the selected point, drawn as a red diamond.
        neighbours: rows of its nearest neighbours, drawn green and labelled.
        matches: rows that match a search, ringed in orange and labelled.
        categories: one category (text, or None) per row: a trace and colour per category.
        clusters: `clusters.Clusters` for these rows: points coloured by cluster, each
            cluster's core shaded in its colour under the points, its name placed where it
            overlaps no other name and covers no point (or the fewest).
        max_labels: at most this many word labels (default: as many as fit).
        zoom: (x0, x1, y0, y1) to show only that range, labelled at that zoom.
        title: figure title.
    """
    n = len(frame)
    words = frame["word"].tolist()
    hover = list(hover) if hover is not None else [f"<b>{plotly_text(w)}</b>" for w in words]
    coords = frame[["x", "y"]].to_numpy(dtype=np.float64)
    view = view_range(coords, zoom, texts=words[:MARGIN_WORDS])
    trace = _scatter(n)
    size = 7 if n < WEBGL_FROM else 4
    fig = go.Figure()
    names = []
    if clusters is not None:
        _regions(fig, coords, clusters)
        names = _cluster_names(coords, clusters, view)
    first = ([selected] if selected is not None else []) + list(neighbours) + list(matches)
    labelled = word_labels(coords, words, view=view, first=first, max_labels=max_labels,
                           reserved=[box for _, box, _ in names])
    groups = _groups(n, categories, clusters)
    # A word drawn again on top gets its label there only: two labels on one spot blur.
    on_top = set(matches) | set(neighbours) | ({selected} if selected is not None else set())
    base = {r: p for r, p in labelled.items() if r not in on_top}
    for name, rows, colour in groups:
        fig.add_trace(_points(trace, frame, rows, words, hover, name=name, colour=colour,
                              size=size, legend=len(groups) > 1,
                              labelled=base if n < WEBGL_FROM else {}))
    if n >= WEBGL_FROM:  # over every group's dots (see label_layer); darker to read there
        fig.add_trace(label_layer(frame, sorted(base), words, base,
                                  textfont={"size": 11, "color": "#333"}))
    layers = [("search matches", list(matches), MATCH, "circle-open", 14),
              (f"neighbours of {words[selected]}" if selected is not None else "neighbours",
               list(neighbours), NEIGHBOUR, "circle", 11),
              ("selected", [] if selected is None else [selected], SELECTED, "diamond", 16)]
    for name, rows, colour, symbol, big in layers:
        if rows:
            fig.add_trace(_points(trace, frame, rows, words, hover, name=name, colour=colour,
                                  size=big, labelled=labelled, legend=True, symbol=symbol,
                                  bold=True))
    for c, (x, y, _, _), text in names:
        fig.add_annotation(x=x, y=y, text=plotly_text(text), showarrow=False,
                           font={"size": 12, "color": "#111"}, bgcolor="rgba(255,255,255,0.85)",
                           bordercolor=PALETTE[c % len(PALETTE)], borderwidth=1.5, borderpad=2)
    # Fixed ranges: the label layout assumed exactly this view.
    fig.update_xaxes(zeroline=False, automargin=True, range=list(view[:2]))
    fig.update_yaxes(zeroline=False, automargin=True, range=list(view[2:]))
    fig.update_layout(title=title, height=HEIGHT, dragmode="pan", clickmode="event+select",
                      margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
                      legend={"orientation": "h", "y": -0.08})
    return fig


def _groups(n, categories, clusters):
    """(legend name, rows, colour) per base trace: one trace, or one per category or cluster."""
    if categories is not None:
        names = pd.Series(list(categories), dtype=object)
        groups = []
        for i, value in enumerate(dict.fromkeys(v for v in names if v is not None)):
            rows = np.flatnonzero((names == value).to_numpy()).tolist()
            groups.append((str(value), rows, PALETTE[i % len(PALETTE)]))
        missing = np.flatnonzero(names.isna().to_numpy()).tolist()
        if missing:
            groups.append(("no category", missing, "#cccccc"))
        return groups
    if clusters is not None:
        return [(f"{c + 1}: {name}", np.flatnonzero(clusters.labels == c).tolist(),
                 PALETTE[c % len(PALETTE)]) for c, name in enumerate(clusters.names)]
    return [("words", list(range(n)), CROWD)]


def _points(trace, frame, rows, words, hover, *, name, colour, size, labelled, legend,
            symbol="circle", bold=False):
    """One trace of points; `labelled` maps a row to where its label goes (LABEL_SPOTS)."""
    part = frame.iloc[rows]
    text = [plotly_text(words[r]) if r in labelled else "" for r in rows]
    return trace(
        x=part["x"], y=part["y"], mode="markers+text", text=text, name=name,
        customdata=[[r, words[r]] for r in rows], hovertext=[hover[r] for r in rows],
        hoverinfo="text",
        textposition=[labelled.get(r, "top center") for r in rows], showlegend=legend,
        # 12 px at most: the label model (clusters.label_size) measures a 12 px font.
        textfont={"color": colour, "size": 12} if bold else {"size": 10, "color": "#444"},
        marker={"size": size, "color": colour, "symbol": symbol,
                "line": {"width": 2 if bold else 0.5, "color": colour if symbol.endswith(
                    "open") else "#333"}})


def _regions(fig, coords, clusters) -> None:
    """Each cluster's core as a shaded region in its colour, drawn first: under the points."""
    for c, corners in enumerate(regions(coords, clusters.labels, len(clusters.names))):
        if corners is None:
            continue
        colour = PALETTE[c % len(PALETTE)]
        ring = np.vstack([corners, corners[:1]])
        fig.add_trace(go.Scatter(
            x=ring[:, 0], y=ring[:, 1], mode="lines", fill="toself", fillcolor=_tint(colour),
            line={"color": colour, "width": 1}, hoverinfo="skip", showlegend=False,
            name=f"region {c + 1}"))


def _tint(colour: str, alpha: float = 0.13) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _cluster_names(coords, clusters, view):
    """(cluster, box, text) per cluster name: near its centre (within clusters.REACH_PX), no
    two boxes overlapping, inside the view, and none covering a point (or the fewest points
    it can there, see `clusters.place_labels`)."""
    k = len(clusters.names)
    anchors = label_anchors(coords, clusters.labels, k)
    x_per_px, y_per_px = units_per_px(view)
    x0, x1, y0, y1 = view
    shown = ((coords[:, 0] >= x0) & (coords[:, 0] <= x1) & (coords[:, 1] >= y0)
             & (coords[:, 1] <= y1))
    texts = [f"{c + 1}: {name}" for c, name in enumerate(clusters.names)]
    at = place_labels(anchors, texts, x_per_px=x_per_px, y_per_px=y_per_px,
                      avoid=coords[shown], within=view)
    out = []
    for c, (x, y) in enumerate(at):
        w, h = label_size(texts[c], x_per_px=x_per_px, y_per_px=y_per_px)
        out.append((c, (float(x), float(y), w / 2, h / 2), texts[c]))
    return out
