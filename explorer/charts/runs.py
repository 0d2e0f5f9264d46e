"""Figures for comparing runs and for one step's change (the Train and Weights pages)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots


def runs_chart(runs: list[dict]) -> go.Figure:
    """Accuracy in percent (left) and loss (right) of several runs per epoch; a run's validation
    curves dashed in its colour. Each run is a dict with `label` and `history`."""
    from plotly.colors import qualitative

    palette = qualitative.Plotly
    fig = make_subplots(rows=1, cols=2, subplot_titles=("accuracy (%)", "loss"))
    for number, run in enumerate(runs):
        colour = palette[number % len(palette)]
        for col, metric, scale in ((1, "accuracy", 100.0), (2, "loss", 1.0)):
            for key, dash, shown in ((metric, "solid", metric),
                                     (f"val_{metric}", "dash", f"validation {metric}")):
                values = run["history"].get(key)
                if values:
                    fig.add_trace(go.Scatter(
                        x=list(range(1, len(values) + 1)), y=np.asarray(values) * scale,
                        mode="lines", line={"dash": dash, "color": colour},
                        legendgroup=run["label"], name=f"{run['label']} · {shown}"),
                        row=1, col=col)
    fig.update_yaxes(range=[0, 102], ticksuffix=" %", row=1, col=1)
    fig.update_xaxes(title_text="epoch")
    fig.update_layout(height=300 + 22 * len(fig.data),
                      margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "x": 0, "y": -0.23, "yanchor": "top"})
    return fig


def shared_neighbours_chart(table: pd.DataFrame, *, topn: int, label_a: str = "run A",
                            label_b: str = "run B", limit: int = 30) -> go.Figure:
    """Bars: for each word (the first `limit` rows of `neighbours_side_by_side`), how many of
    its `topn` nearest words the two runs share."""
    shown = table.head(limit)
    fig = go.Figure(go.Bar(
        x=shown["shared"], y=shown["word"], orientation="h",
        customdata=np.stack([shown["run A"], shown["run B"]], axis=-1) if len(shown) else None,
        hovertemplate=(f"%{{y}}: %{{x}} of {topn} shared<br>{label_a}: %{{customdata[0]}}"
                       f"<br>{label_b}: %{{customdata[1]}}<extra></extra>")))
    fig.update_layout(height=120 + 18 * len(shown), xaxis={"range": [0, topn], "dtick": 1,
                      "title": f"nearest words shared (of {topn})"},
                      yaxis={"autorange": "reversed"},
                      margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def step_change_heatmap(change: np.ndarray, row_labels: list[str], *, seen_ids,
                        title: str = "") -> go.Figure:
    """The change of every Embedding row over one step (after − before), one row per id; the
    ids that were in the step's batches get a ● before their label."""
    change = np.asarray(change)
    seen = set(int(i) for i in seen_ids)
    labels = [f"{'● ' if i in seen else ''}{i}: {label}" for i, label in enumerate(row_labels)]
    zmax = float(np.abs(change).max()) or 1.0
    fig = go.Figure(go.Heatmap(
        z=change, y=labels, x=[f"d{j}" for j in range(change.shape[1])], colorscale="RdBu_r",
        zmin=-zmax, zmax=zmax, hovertemplate="%{y}<br>%{x}: %{z:.3g}<extra></extra>"))
    fig.update_layout(title=title, height=max(260, 16 * len(labels) + 80),
                      yaxis={"autorange": "reversed", "type": "category"},
                      margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10})
    return fig
