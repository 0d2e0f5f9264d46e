"""Plotly figures built from plain data. No streamlit here: pages pass the figures to st.plotly_chart."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# A diverging scale centred on zero: negative weights blue, positive red, zero white.
DIVERGING = "RdBu_r"


def training_curves(history: dict[str, list[float]], *, epochs: int | None = None) -> go.Figure:
    """Loss and accuracy per epoch, side by side; validation dashed when there is a split."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("loss", "accuracy"))
    for col, metric in enumerate(("loss", "accuracy"), start=1):
        for key, dash in ((metric, "solid"), (f"val_{metric}", "dash")):
            values = history.get(key)
            if values:
                fig.add_trace(go.Scatter(
                    x=list(range(1, len(values) + 1)), y=values, mode="lines", name=key,
                    line={"dash": dash}), row=1, col=col)
    if epochs:
        fig.update_xaxes(range=[1, max(epochs, 2)])
    fig.update_yaxes(range=[0, 1.02], row=1, col=2)
    fig.update_layout(height=300, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "y": -0.2})
    return fig


def update_training_curves(fig: go.Figure, history: dict[str, list[float]]) -> go.Figure:
    """Give a figure from `training_curves` the longer history, in place.

    Rebuilding the subplots every epoch costs far more than the epoch itself on a small model;
    moving the traces' data costs almost nothing, so the live chart can follow every epoch.
    """
    with fig.batch_update():
        for trace in fig.data:
            values = np.asarray(history.get(trace.name, []), dtype=float)
            trace.x, trace.y = np.arange(1, len(values) + 1), values
    return fig


def compare_runs(runs: list[dict]) -> go.Figure:
    """Training accuracy (solid) and validation accuracy (dashed, in the same colour) of several
    runs on one chart, the legend under it so that long run labels leave the plot its width.

    Each run is a dict with `label` and `history`.
    """
    from plotly.colors import qualitative

    palette = qualitative.Plotly
    fig = go.Figure()
    for number, run in enumerate(runs):
        colour = palette[number % len(palette)]
        for key, dash, shown in (("accuracy", "solid", "accuracy"),
                                 ("val_accuracy", "dash", "validation accuracy")):
            values = run["history"].get(key)
            if values:
                fig.add_trace(go.Scatter(x=list(range(1, len(values) + 1)), y=values,
                                         mode="lines", line={"dash": dash, "color": colour},
                                         legendgroup=run["label"],
                                         name=f"{run['label']} · {shown}"))
    # Each legend row under the plot gets its own room, so the plot keeps its height (about
    # 240 px), and the legend starts some 55 px under the axis, clear of its title.
    fig.update_layout(height=300 + 22 * len(fig.data), xaxis_title="epoch",
                      yaxis_title="accuracy", yaxis_range=[0, 1.02],
                      margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h", "x": 0, "y": -0.23, "yanchor": "top"})
    return fig


def weight_heatmap(weights: np.ndarray, row_labels: list[str], *, title: str = "",
                   zmax: float | None = None) -> go.Figure:
    """The Embedding table as a heatmap: one row per id (labelled by its words), one column per dimension."""
    weights = np.asarray(weights)
    zmax = zmax or float(np.abs(weights).max()) or 1.0
    labels = [f"{i}: {label}" for i, label in enumerate(row_labels)]
    fig = go.Figure(go.Heatmap(
        z=weights, x=[f"d{j}" for j in range(weights.shape[1])], y=labels,
        colorscale=DIVERGING, zmin=-zmax, zmax=zmax,
        hovertemplate="%{y}<br>%{x} = %{z:.4f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(title=title, height=max(300, min(1200, 16 * len(labels) + 80)),
                      margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10})
    return fig


def vector_bars(vector: np.ndarray, *, title: str = "") -> go.Figure:
    """One word's vector as bars, one per dimension."""
    vector = np.asarray(vector).reshape(-1)
    fig = go.Figure(go.Bar(x=[f"d{j}" for j in range(len(vector))], y=vector,
                           marker_color=["#c0392b" if v >= 0 else "#2e86c1" for v in vector]))
    fig.update_layout(title=title, height=260, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def heat_style(frame: pd.DataFrame, columns: list[str], *, vmax: float | None = None):
    """A pandas Styler that shades `columns` blue (negative) to red (positive), without matplotlib."""
    values = frame[columns].to_numpy(dtype=float)
    if vmax is None:
        vmax = float(np.nanmax(np.abs(values))) if values.size else 1.0
    vmax = vmax or 1.0  # an all-zero table stays white

    def shade(value):
        t = max(-1.0, min(1.0, float(value) / vmax))
        # Blend from white to red (t > 0) or blue (t < 0).
        r, g, b = (192, 57, 43) if t >= 0 else (46, 134, 193)
        a = abs(t)
        return (f"background-color: rgb({round(255 + (r - 255) * a)}, {round(255 + (g - 255) * a)}, "
                f"{round(255 + (b - 255) * a)})")

    return frame.style.map(shade, subset=columns).format("{:.4f}", subset=columns)


# --- projections ---------------------------------------------------------------------------------

def _axis_ranges(frame: pd.DataFrame, axes: list[str]) -> dict[str, list[float]]:
    """Padded min/max per axis over every row, so frames and panels share one scale."""
    ranges = {}
    for axis in axes:
        low, high = float(frame[axis].min()), float(frame[axis].max())
        pad = (high - low) * 0.08 or 1.0
        ranges[axis] = [low - pad, high + pad]
    return ranges


COLOUR_SCALES = ("lean", "share")


def colour_marker(color, *, class_names=None, scale: str = "lean") -> dict:
    """Marker colours and a colour bar that say which class each colour means.

    >>> key = colour_marker([-0.2, 0.05], class_names=("neg", "pos"))
    >>> key["cmin"], key["cmax"], key["colorbar"]["ticktext"]
    (-0.2, 0.2, ['−0.2 · neg', '0 · neither', '+0.2 · pos'])

    Args:
        color: one value per point.
        class_names: (class 0, class 1); class 0 is blue, class 1 red.
        scale: "lean", a signed pull towards class 1 (see `explorer.lean`): the scale is
            centred on 0 (white) and reaches as far as the largest pull either way, so small
            leans still show and a word's colour is never on the wrong side; or "share", the
            share of a word's reviews that are of class 1, on a fixed 0 to 1 scale centred on
            one half.

    Returns:
        Keyword arguments for a plotly marker.
    """
    names = class_names or ("class 0", "class 1")
    values = np.asarray(color, dtype=float)
    if scale == "share":
        low, high = 0.0, 1.0
        ticks = [0.0, 0.5, 1.0]
        text = [f"0 · all {names[0]}", "0.5 · half each", f"1 · all {names[1]}"]
        title = f"share of its<br>reviews {names[1]}"
    elif scale == "lean":
        spread = float(np.max(np.abs(values))) if values.size else 0.0
        spread = spread or 0.01  # no word pulls either way: every point white
        low, high = -spread, spread
        ticks = [low, 0.0, high]
        text = [f"−{spread:.2g} · {names[0]}", "0 · neither", f"+{spread:.2g} · {names[1]}"]
        title = f"lean: change<br>in P({names[1]})"
    else:
        raise ValueError(f"`scale` must be one of {COLOUR_SCALES}. Received: scale={scale!r}")
    return {"color": values.tolist(), "colorscale": DIVERGING, "cmin": low, "cmax": high,
            "colorbar": {"title": {"text": title}, "tickvals": ticks, "ticktext": text}}


def _trace(frame: pd.DataFrame, *, color, class_names, hover, highlight, dims: int,
           scale: str = "lean"):
    """One scatter trace of labelled points, coloured by `color` on `scale` when it is given."""
    marker = {"size": 9 if dims == 2 else 5, "line": {"width": 0.5, "color": "#555"}}
    if color is not None:
        marker.update(colour_marker(color, class_names=class_names, scale=scale))
    if highlight:
        marker["size"] = [18 if w == highlight else marker["size"] for w in frame["word"]]
        marker["line"] = {"width": [3 if w == highlight else 0.5 for w in frame["word"]],
                          "color": "#111"}
    common = dict(mode="markers+text", text=frame["word"], textposition="top center",
                  marker=marker, hovertext=hover, hoverinfo="text" if hover is not None else None,
                  showlegend=False)
    if dims == 3:
        return go.Scatter3d(x=frame["x"], y=frame["y"], z=frame["z"], **common)
    return go.Scatter(x=frame["x"], y=frame["y"], **common)


# Seen lower and from further out than plotly's default (1.25, 1.25, 1.25): the cube then
# fills a wide chart instead of sitting small in its middle, and its corners are not cut off.
CAMERA_3D = {"x": 1.6, "y": 1.6, "z": 0.6}


def _fix_axes(fig: go.Figure, ranges: dict, dims: int, **where) -> None:
    if dims == 3:
        fig.update_scenes(xaxis_range=ranges["x"], yaxis_range=ranges["y"],
                          zaxis_range=ranges["z"], aspectmode="cube", camera_eye=CAMERA_3D,
                          **where)
    else:
        # automargin: the tick labels get the room they need in any page or exported file.
        fig.update_xaxes(range=ranges["x"], zeroline=False, automargin=True, **where)
        fig.update_yaxes(range=ranges["y"], zeroline=False, automargin=True, **where)


def _margins(dims: int, *, top: int) -> dict:
    # A 3-D scene draws its own axes inside its box: outer margins would only shrink it.
    return {"l": 0, "r": 0, "t": top, "b": 0} if dims == 3 else {"l": 10, "r": 10, "t": top, "b": 10}


def projection_scatter(frame: pd.DataFrame, *, color=None, class_names=None, hover=None,
                       highlight: str | None = None, ranges: dict | None = None,
                       title: str = "", scale: str = "lean") -> go.Figure:
    """Points of a projection (columns x, y[, z], word), labelled, optionally coloured and
    highlighted; `color` and `scale` as for `colour_marker`."""
    dims = 3 if "z" in frame else 2
    fig = go.Figure(_trace(frame, color=color, class_names=class_names, hover=hover,
                           highlight=highlight, dims=dims, scale=scale))
    _fix_axes(fig, ranges or _axis_ranges(frame, ["x", "y", "z"][:dims]), dims)
    fig.update_layout(title=title, height=560, margin=_margins(dims, top=40 if title else 10))
    return fig


def before_after(frames: pd.DataFrame, *, first: int, last: int, color=None, class_names=None,
                 hover=None, scale: str = "lean", start: str = "random start",
                 end: str = "trained") -> go.Figure:
    """Two panels on the same axes: the projection at epoch `first` and at epoch `last` (2-D).

    `start` and `end` name the two states in the panel titles, e.g. "epoch 0 (GloVe start)".
    """
    ranges = _axis_ranges(frames, ["x", "y"])
    fig = make_subplots(rows=1, cols=2, subplot_titles=(f"epoch {first} ({start})",
                                                        f"epoch {last} ({end})"))
    for col, epoch in ((1, first), (2, last)):
        part = frames[frames["epoch"] == epoch]
        trace = _trace(part, color=color, class_names=class_names, hover=hover, highlight=None,
                       dims=2, scale=scale)
        if col == 1:
            trace.marker.showscale = False
        # In a half-width panel a word at the edge would lose half its label to the clip.
        trace.cliponaxis = False
        fig.add_trace(trace, row=1, col=col)
    _fix_axes(fig, ranges, 2)
    fig.update_layout(height=460, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def training_movie(frames: pd.DataFrame, *, color=None, class_names=None, hover=None,
                   frame_ms: int = 120, scale: str = "lean") -> go.Figure:
    """The embedding space epoch by epoch: plotly frames, an epoch slider and a Play button.

    Axes are fixed over all epochs so the motion is the words moving, not the camera.
    """
    dims = 3 if "z" in frames else 2
    epochs = sorted(frames["epoch"].unique().tolist())
    by_epoch = {e: frames[frames["epoch"] == e] for e in epochs}

    def trace(epoch):
        return _trace(by_epoch[epoch], color=color, class_names=class_names, hover=hover,
                      highlight=None, dims=dims, scale=scale)

    def positions(epoch):
        # A frame carries only where the points are: plotly keeps the first trace's labels,
        # colours and hover text, so a movie of many words stays a few MB, not one copy a frame.
        part = by_epoch[epoch]
        if dims == 3:
            return go.Scatter3d(x=part["x"], y=part["y"], z=part["z"])
        return go.Scatter(x=part["x"], y=part["y"])

    fig = go.Figure(data=[trace(epochs[0])],
                    frames=[go.Frame(data=[positions(e)], name=str(e)) for e in epochs])
    _fix_axes(fig, _axis_ranges(frames, ["x", "y", "z"][:dims]), dims)
    play = {"frame": {"duration": frame_ms, "redraw": dims == 3},
            "transition": {"duration": 0}, "fromcurrent": True}
    fig.update_layout(
        # The buttons sit above the plot and the slider spans the whole width below it, so
        # neither covers the other however narrow the page or the exported file is.
        height=620, margin=_margins(dims, top=50),
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0, "y": 1.01,
                      "xanchor": "left", "yanchor": "bottom", "pad": {"b": 4},
                      "buttons": [
                          {"label": "▶ Play", "method": "animate", "args": [None, play]},
                          {"label": "❚❚ Pause", "method": "animate",
                           "args": [[None], {"mode": "immediate", "frame": {"duration": 0}}]}]}],
        sliders=[{"active": 0, "x": 0, "len": 1, "y": 0, "yanchor": "top", "pad": {"t": 40},
                  "currentvalue": {"prefix": "epoch "},
                  "steps": [{"label": str(e), "method": "animate",
                             "args": [[str(e)], {"mode": "immediate", "frame": {"duration": 0,
                                                                                "redraw": dims == 3}}]}
                            for e in epochs]}],
    )
    return fig


# --- analogy benchmark ---------------------------------------------------------------------------

def analogy_section_bars(sections: pd.DataFrame, *, total_label: str = "Total accuracy",
                         title: str = "") -> go.Figure:
    """Accuracy per section of an analogy benchmark as horizontal bars, the overall as a line.

    >>> frame = pd.DataFrame({"section": ["capitals", "Total accuracy"], "correct": [3, 3],
    ...                       "answered": [4, 4], "skipped": [1, 1], "accuracy": [0.75, 0.75]})
    >>> analogy_section_bars(frame).data[0].x.tolist()
    [75.0]

    Args:
        sections: one row per section (columns section, correct, answered, skipped, accuracy
            as a fraction), optionally ending with the overall row named `total_label`.
        total_label: the name of the overall row, drawn as a dashed line instead of a bar.
        title: the figure's title.

    Returns:
        A figure with sections top to bottom in file order; a section with nothing answered
        has no bar and says so.
    """
    total = sections[sections["section"] == total_label]
    rows = sections[sections["section"] != total_label]
    labels = [f"{c:,} / {a:,}" if a else "none answered"
              for c, a in zip(rows["correct"], rows["answered"])]
    fig = go.Figure(go.Bar(
        x=(rows["accuracy"] * 100).round(2), y=rows["section"], orientation="h",
        text=labels, textposition="auto", marker_color="#2e86c1",
        customdata=rows[["correct", "answered", "skipped"]].to_numpy(),
        hovertemplate=("%{y}<br>accuracy %{x:.2f}%<br>%{customdata[0]:,} correct of "
                       "%{customdata[1]:,} answered, %{customdata[2]:,} skipped<extra></extra>")))
    if len(total):
        overall = float(total["accuracy"].iloc[0]) * 100
        fig.add_vline(x=overall, line_dash="dash", line_color="#c0392b",
                      annotation_text=f"overall {overall:.2f}%", annotation_position="top")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(range=[0, 100], title="accuracy (%)")
    fig.update_layout(title=title, height=max(260, 28 * len(rows) + 110),
                      margin={"l": 10, "r": 10, "t": 50 if title else 30, "b": 10})
    return fig


# --- GloVe word maps and analogies -----------------------------------------------------------------

# Colour and legend name of each kind of point in the analogy picture.
ANALOGY_ROLES = {
    "negative": ("#2e86c1", "subtracted"),
    "positive": ("#1e8449", "added"),
    "answer": ("#c0392b", "answer"),
    "neighbour": ("#9a9a9a", "neighbours"),
}
ARROW_COLOUR = "#7d3c98"
# Past this many points a map labels only the first ones (the most frequent, for a frequency
# list): thousands of overlapping labels are unreadable and slow the browser down.
MAP_LABELS = 300
_WEBGL_FROM = 2_000  # SVG scatter gets sluggish to pan beyond a few thousand points


def analogy_parallelogram(frame: pd.DataFrame, *, arrows, highlight: str | None = None,
                          show_offset: bool = True, title: str = "") -> go.Figure:
    """The words of an analogy in 2-D with arrows a → b and c → answer, on equal axes.

    Example:
        >>> frame = pd.DataFrame({"word": ["man", "king", "woman", "queen"],
        ...                       "x": [0, 0, 1, 1], "y": [0, 1, 0, 1],
        ...                       "role": ["negative", "positive", "positive", "answer"]})
        >>> fig = analogy_parallelogram(frame, arrows=[("man", "king"), ("woman", "queen")])
        >>> len(fig.layout.annotations)
        3

    Args:
        frame: one row per word with columns word, x, y and optionally role (a key of
            ANALOGY_ROLES; without it every point is a neighbour).
        arrows: (from_word, to_word) pairs; pairs naming a word not in `frame` are skipped.
        highlight: a word drawn larger (usually the answer).
        show_offset: with two arrows or more, also draw the first arrow's offset again from
            the second arrow's start, dashed: where c + (b − a) lands. PCA is linear, so this
            is exactly the projection of that point, and the answer is the word nearest it.
        title: figure title.

    Returns:
        A plotly figure: one trace per role (so the legend names them), arrows as annotations.
    """
    roles = frame["role"] if "role" in frame else pd.Series("neighbour", index=frame.index)
    where = {w: (float(x), float(y)) for w, x, y in zip(frame["word"], frame["x"], frame["y"])}
    pairs = [(a, b) for a, b in arrows if a in where and b in where]
    label_at = _labels_clear_of(where, pairs)
    fig = go.Figure()
    for role, (colour, name) in ANALOGY_ROLES.items():
        part = frame[roles == role]
        if part.empty:
            continue
        base = 7 if role == "neighbour" else 12
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["y"], mode="markers+text", text=part["word"], name=name,
            textposition=[label_at.get(w, "top center") for w in part["word"]],
            textfont={"size": 11 if role == "neighbour" else 14,
                      "color": "#777" if role == "neighbour" else colour},
            marker={"color": colour, "line": {"width": 1, "color": "#333"},
                    "size": [18 if w == highlight else base for w in part["word"]]},
            hovertemplate="<b>%{text}</b> (" + name + ")<extra></extra>"))
    drawn = [(where[a], where[b]) for a, b in pairs]
    for start, end in drawn:
        fig.add_annotation(**_arrow(start, end, colour=ARROW_COLOUR, dash=False))
    if show_offset and len(drawn) >= 2:
        (a, b), (c, _) = drawn[0], drawn[1]
        target = (c[0] + b[0] - a[0], c[1] + b[1] - a[1])
        # Annotation arrows have no dash style: the shaft is a dashed line, the head an arrow.
        fig.add_trace(go.Scatter(x=[c[0], target[0]], y=[c[1], target[1]], mode="lines",
                                 line={"dash": "dash", "color": ARROW_COLOUR, "width": 2},
                                 name="c + (b − a)", hoverinfo="skip", text=["", ""]))
        fig.add_annotation(**_arrow(c, target, colour=ARROW_COLOUR, dash=True))
    ranges = _axis_ranges(frame, ["x", "y"])
    # Room for a label beside a point at the edge (labels move sideways to clear arrows).
    low, high = ranges["x"]
    ranges["x"] = [low - 0.12 * (high - low), high + 0.12 * (high - low)]
    fig.update_xaxes(range=ranges["x"], zeroline=False, title="PCA 1")
    # One unit the same length on both axes, or parallel arrows would not look parallel.
    fig.update_yaxes(range=ranges["y"], zeroline=False, title="PCA 2", scaleanchor="x",
                     scaleratio=1)
    fig.update_layout(title=title, height=560, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "y": -0.12})
    return fig


def _labels_clear_of(where: dict, pairs) -> dict[str, str]:
    """A text position for each arrow's end word, on the side away from its arrows.

    A label above its point would sit under an arrow coming from above; it goes below instead.
    """
    pull: dict[str, list[float]] = {}
    for a, b in pairs:
        (ax, ay), (bx, by) = where[a], where[b]
        for word, dx, dy in ((a, bx - ax, by - ay), (b, ax - bx, ay - by)):
            total = pull.setdefault(word, [0.0, 0.0])
            length = (dx * dx + dy * dy) ** 0.5 or 1.0
            total[0] += dx / length
            total[1] += dy / length
    positions = {}
    for word, (dx, dy) in pull.items():
        if abs(dy) >= abs(dx):
            positions[word] = "bottom center" if dy > 0 else "top center"
        else:
            positions[word] = "middle left" if dx > 0 else "middle right"
    return positions


def _arrow(start, end, *, colour: str, dash: bool) -> dict:
    """A plotly annotation drawing an arrow from `start` to `end` in data coordinates."""
    # A dashed arrow's shaft is a dashed line trace drawn by the caller: its own shaft is made
    # too thin to see, and the head keeps its size (the head scales with width × size).
    width, size = (0.1, 1.4 * 1.5 / 0.1) if dash else (2.5, 1.4)
    return dict(x=end[0], y=end[1], ax=start[0], ay=start[1], xref="x", yref="y", axref="x",
                ayref="y", text="", showarrow=True, arrowhead=2, arrowsize=size,
                arrowwidth=width, arrowcolor=colour, opacity=0.45 if dash else 0.9,
                standoff=6, startstandoff=6)


def word_map(frame: pd.DataFrame, *, highlight: str | None = None, hover=None,
             max_labels: int = MAP_LABELS, title: str = "") -> go.Figure:
    """A projection of many words: the first `max_labels` labelled, the highlighted word marked.

    Example:
        >>> frame = pd.DataFrame({"word": list("abcd"), "x": [0, 1, 2, 3], "y": [0, 1, 0, 1]})
        >>> fig = word_map(frame, highlight="b", max_labels=3)
        >>> [list(trace.text) for trace in fig.data]
        [['', '', '', ''], ['a', '', 'c'], ['b']]

    Args:
        frame: a projection (columns word, x, y[, z]), rows in the order labels are wanted.
        highlight: a word of `frame` to mark with a large red point and its label.
        hover: optional hover text per row.
        max_labels: rows after this many are drawn without a label.
        title: figure title.

    Returns:
        `projection_scatter`'s figure. With more rows than `max_labels` the unlabelled rest is
        drawn small and faint underneath, the labelled words above it; the highlighted word,
        when it is in `frame`, is a trace of its own on top.
    """
    dims = 3 if "z" in frame else 2
    words = frame["word"].tolist()
    hover = list(hover) if hover is not None else [f"<b>{w}</b>" for w in words]
    fig = projection_scatter(frame, hover=hover, title=title)
    labelled = frame.iloc[:max_labels]
    if len(words) > max_labels:
        crowd = fig.data[0]
        crowd.update(mode="markers", text=[""] * len(words), opacity=0.55,
                     marker={"size": 4 if dims == 2 else 2, "color": "#7fa7d1", "line": {"width": 0}})
        top = _trace(labelled, color=None, class_names=None, hover=hover[:max_labels],
                     highlight=None, dims=dims)
        top.marker.size = 6 if dims == 2 else 3
        fig.add_trace(top)
    # The highlighted word gets its own label on top; a second label under it would blur it.
    fig.data[-1].text = [w if w != highlight else "" for w in labelled["word"]]
    marked = frame[frame["word"] == highlight] if highlight else frame.iloc[:0]
    if not marked.empty:
        axes = {axis: marked[axis] for axis in ["x", "y", "z"][:dims]}
        style = dict(mode="markers+text", text=marked["word"].tolist(), textposition="top center",
                     textfont={"size": 16, "color": "#c0392b"}, showlegend=False,
                     marker={"size": 16 if dims == 2 else 8, "color": "#c0392b",
                             "symbol": "diamond", "line": {"width": 2, "color": "#111"}},
                     hoverinfo="text", hovertext=[hover[i] for i in np.flatnonzero(
                         frame["word"].to_numpy() == highlight)])
        fig.add_trace(go.Scatter3d(**axes, **style) if dims == 3 else go.Scatter(**axes, **style))
    if dims == 2 and len(words) >= _WEBGL_FROM:
        # WebGL draws thousands of points smoothly, but on a layer above every SVG trace:
        # all traces go to WebGL, so the labels and the highlight stay on top of the crowd.
        specs = [trace.to_plotly_json() for trace in fig.data]
        fig.data = ()
        for spec in specs:
            spec.pop("type", None)
            fig.add_trace(go.Scattergl(**spec))
    return fig
