"""The Projection page's figures: a labelled scatter, before/after panels, the training movie."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.charts.training import DIVERGING
from explorer.clusters import spread_words


def axis_ranges(frame: pd.DataFrame, axes: list[str]) -> dict[str, list[float]]:
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


def scatter_trace(frame: pd.DataFrame, *, color, class_names, hover, highlight, dims: int,
           scale: str = "lean"):
    """One scatter trace of labelled points, coloured by `color` on `scale` when it is given."""
    marker = {"size": 9 if dims == 2 else 5, "line": {"width": 0.5, "color": "#555"}}
    if color is not None:
        marker.update(colour_marker(color, class_names=class_names, scale=scale))
    if highlight:
        marker["size"] = [18 if w == highlight else marker["size"] for w in frame["word"]]
        # A 3-D marker's outline takes one width for all points (a list raises): size alone
        # marks the word there.
        marker["line"] = {"width": [3 if w == highlight else 0.5 for w in frame["word"]]
                          if dims == 2 else 0.5, "color": "#111"}
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
    highlighted; `color` and `scale` as for `colour_marker`. In 3-D only words far apart in
    space are labelled (`clusters.spread_words`, the highlighted word first): a turning camera
    brings labels near each other together on screen."""
    dims = 3 if "z" in frame else 2
    fig = go.Figure(scatter_trace(frame, color=color, class_names=class_names, hover=hover,
                           highlight=highlight, dims=dims, scale=scale))
    if dims == 3:
        words = frame["word"].tolist()
        first = [i for i, w in enumerate(words) if w == highlight] if highlight else []
        kept = set(spread_words(frame[["x", "y", "z"]].to_numpy(), first=first).tolist())
        fig.data[0].text = [w if i in kept else "" for i, w in enumerate(words)]
    _fix_axes(fig, ranges or axis_ranges(frame, ["x", "y", "z"][:dims]), dims)
    fig.update_layout(title=title, height=560, margin=_margins(dims, top=40 if title else 10))
    return fig


def before_after(frames: pd.DataFrame, *, first: int, last: int, color=None, class_names=None,
                 hover=None, scale: str = "lean", start: str = "random start",
                 end: str = "trained") -> go.Figure:
    """Two panels on the same axes: the projection at epoch `first` and at epoch `last` (2-D).

    `start` and `end` name the two states in the panel titles, e.g. "epoch 0 (GloVe start)".
    """
    ranges = axis_ranges(frames, ["x", "y"])
    fig = make_subplots(rows=1, cols=2, subplot_titles=(f"epoch {first} ({start})",
                                                        f"epoch {last} ({end})"))
    for col, epoch in ((1, first), (2, last)):
        part = frames[frames["epoch"] == epoch]
        trace = scatter_trace(part, color=color, class_names=class_names, hover=hover, highlight=None,
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
        return scatter_trace(by_epoch[epoch], color=color, class_names=class_names, hover=hover,
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
    _fix_axes(fig, axis_ranges(frames, ["x", "y", "z"][:dims]), dims)
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
