"""The Train page's curves and run comparison, and the Weights page's heatmaps and bars."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

# A diverging scale centred on zero: negative weights blue, positive red, zero white.
DIVERGING = "RdBu_r"


# The two panels' layout, as plotly.subplots.make_subplots(rows=1, cols=2, subplot_titles=...)
# lays it out (tests/test_training_curves.py checks that they stay equal). Built by hand because
# make_subplots takes ~25 ms of Python (~70 ms on a busy server), the whole rest of the figure
# ~3 ms, and the Train page builds the figure at every training's start and end: in a room of
# thirty, that was most of each attendee's chart cost.
_PANELS = (("loss", "x", "y", (0.0, 0.45)), ("accuracy (%)", "x2", "y2", (0.55, 1.0)))


def _two_panels() -> go.Figure:
    layout = {"annotations": []}
    for title, x, y, domain in _PANELS:
        layout[x.replace("x", "xaxis")] = {"anchor": y, "domain": list(domain)}
        layout[y.replace("y", "yaxis")] = {"anchor": x, "domain": [0.0, 1.0]}
        layout["annotations"].append({
            "font": {"size": 16}, "showarrow": False, "text": title,
            "x": sum(domain) / 2, "xanchor": "center", "xref": "paper",
            "y": 1.0, "yanchor": "bottom", "yref": "paper"})
    return go.Figure(layout=layout)


def training_curves(history: dict[str, list[float]], *, epochs: int | None = None) -> go.Figure:
    """Loss and accuracy per epoch, side by side; validation dashed when there is a split.

    Accuracy is drawn in percent (0-100 %), as the page's numbers beside the chart give it.
    """
    fig = _two_panels()
    for (_, x, y, _), metric in zip(_PANELS, ("loss", "accuracy")):
        for key, dash in ((metric, "solid"), (f"val_{metric}", "dash")):
            values = history.get(key)
            if values:
                fig.add_trace(go.Scatter(
                    x=list(range(1, len(values) + 1)), y=_shown(key, values),
                    mode=_mode(len(values)), name=key, line={"dash": dash}, xaxis=x, yaxis=y))
    x_range = [1, max(epochs, 2)] if epochs else None
    fig.update_layout(xaxis_range=x_range, xaxis2_range=x_range, yaxis2_range=[0, 102],
                      yaxis2_ticksuffix=" %", height=300,
                      margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "y": -0.2})
    return fig


def update_training_curves(fig: go.Figure, history: dict[str, list[float]]) -> go.Figure:
    """Give a figure from `training_curves` the longer history, in place.

    Rebuilding the subplots every epoch costs far more than the epoch itself on a small model;
    moving the traces' data costs almost nothing, so the live chart can follow every epoch.
    """
    with fig.batch_update():
        for trace in fig.data:
            values = history.get(trace.name, [])
            trace.x, trace.y = np.arange(1, len(values) + 1), _shown(trace.name, values)
            trace.mode = _mode(len(values))
    return fig


def _shown(key: str, values) -> np.ndarray:
    # Accuracies (accuracy, val_accuracy) in percent; losses as they are.
    values = np.asarray(values, dtype=float)
    return values * 100.0 if key.endswith("accuracy") else values


def _mode(points: int) -> str:
    # A line through one point draws nothing: after the first epoch (the "1 epoch" step
    # button) the charts were empty beside "Epochs run 1 / 100". One epoch gets a dot.
    return "lines+markers" if points == 1 else "lines"


def compare_runs(runs: list[dict]) -> go.Figure:
    """Training accuracy (solid) and validation accuracy (dashed, in the same colour) of several
    runs on one chart, in percent, the legend under it so that long run labels leave the plot
    its width.

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
                fig.add_trace(go.Scatter(x=list(range(1, len(values) + 1)),
                                         y=_shown(key, values), mode="lines",
                                         line={"dash": dash, "color": colour},
                                         legendgroup=run["label"],
                                         name=f"{run['label']} · {shown}"))
    # Each legend row under the plot gets its own room, so the plot keeps its height (about
    # 240 px), and the legend starts some 55 px under the axis, clear of its title.
    fig.update_layout(height=300 + 22 * len(fig.data), xaxis_title="epoch",
                      yaxis_title="accuracy (%)", yaxis_range=[0, 102],
                      yaxis_ticksuffix=" %",
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


def colour_scale_end(*tables: np.ndarray) -> float:
    """The end of one colour scale for several tables: their largest |value|, rounded up to a
    round number (0.137 → 0.15, 0.05 → 0.05, 1.3 → 1.5), 1 when all are 0.

    A round end stays put over most training steps, so a heatmap of the unchanged start is the
    same figure from step to step, and the browser keeps it instead of drawing it anew.

    >>> colour_scale_end(np.array([0.05, -0.137])), colour_scale_end(np.zeros(2))
    (0.15, 1.0)
    """
    largest = max((float(np.abs(t).max()) for t in tables if np.size(t)), default=0.0)
    if not largest > 0 or not math.isfinite(largest):
        return 1.0
    half_decade = 10 ** math.floor(math.log10(largest)) / 2
    return round(math.ceil(largest / half_decade - 1e-9) * half_decade, 12)


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
