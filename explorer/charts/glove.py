"""The GloVe pages' figures: the benchmark's section bars, the analogy picture, word maps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from explorer.charts.projection import axis_ranges, projection_scatter, scatter_trace
from explorer.clusters import spread_words
from explorer.explore_charts import HEIGHT, MARGIN_WORDS, view_range, word_labels


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


# Colour and legend name of each kind of point in the analogy picture.
ANALOGY_ROLES = {
    "negative": ("#2e86c1", "subtracted"),
    "positive": ("#1e8449", "added"),
    "answer": ("#c0392b", "answer"),
    "neighbour": ("#9a9a9a", "neighbours"),
}
ARROW_COLOUR = "#7d3c98"
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
    ranges = axis_ranges(frame, ["x", "y"])
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
             max_labels: int | None = None, title: str = "") -> go.Figure:
    """A projection of many words, labelled where labels stay readable, the highlighted word
    marked.

    In 2-D, labels go where they fit, as on every 2-D word map (`explore_charts.word_labels`:
    above, below or beside the dot, none overlapping or cut by the edge), on fixed axes. In
    3-D the camera turns, so no place on screen holds: only words far apart in space are
    labelled (`clusters.spread_words`), which rarely cover each other from any side.

    Example:
        >>> frame = pd.DataFrame({"word": list("abcd"), "x": [0, 1, 2, 3], "y": [0, 1, 0, 1]})
        >>> fig = word_map(frame, highlight="b")
        >>> [list(trace.text) for trace in fig.data]
        [['a', '', 'c', 'd'], ['b']]

    Args:
        frame: a projection (columns word, x, y[, z]), rows in the order labels are wanted
            (most frequent first).
        highlight: a word of `frame` to mark with a large red point and its label.
        hover: optional hover text per row.
        max_labels: at most this many labels (default: as many as stay readable).
        title: figure title.

    Returns:
        `projection_scatter`'s figure. When some rows go unlabelled, every point is drawn small
        and faint underneath and the labelled words above them; the highlighted word, when it
        is in `frame`, is a trace of its own on top.
    """
    dims = 3 if "z" in frame else 2
    words = frame["word"].tolist()
    hover = list(hover) if hover is not None else [f"<b>{w}</b>" for w in words]
    marked_rows = np.flatnonzero(frame["word"].to_numpy() == highlight) if highlight else []
    fig = projection_scatter(frame, hover=hover, title=title)
    if dims == 3:
        rows = spread_words(frame[["x", "y", "z"]].to_numpy(), first=marked_rows)
        places = {int(r): "top center" for r in rows[:max_labels]}
    else:
        coords = frame[["x", "y"]].to_numpy(dtype=np.float64)
        view = view_range(coords, texts=words[:MARGIN_WORDS])
        places = word_labels(coords, words, view=view, first=marked_rows, max_labels=max_labels)
        # Fixed ranges and the plot height the label layout assumed.
        fig.update_xaxes(range=list(view[:2]))
        fig.update_yaxes(range=list(view[2:]))
        fig.update_layout(height=HEIGHT)
    labelled = sorted(places)
    if len(labelled) < len(words):
        crowd = fig.data[0]
        crowd.update(mode="markers", text=[""] * len(words), opacity=0.55,
                     marker={"size": 4 if dims == 2 else 2, "color": "#7fa7d1",
                             "line": {"width": 0}})
        top = scatter_trace(frame.iloc[labelled], color=None, class_names=None,
                            hover=[hover[r] for r in labelled], highlight=None, dims=dims)
        top.marker.size = 6 if dims == 2 else 3
        fig.add_trace(top)
    # The highlighted word gets its own label on top; a second label under it would blur it.
    fig.data[-1].text = [words[r] if words[r] != highlight else "" for r in labelled]
    if dims == 2:
        fig.data[-1].textposition = [places[r] for r in labelled]
    marked = frame[frame["word"] == highlight] if highlight else frame.iloc[:0]
    if not marked.empty:
        axes = {axis: marked[axis] for axis in ["x", "y", "z"][:dims]}
        at = places.get(int(marked_rows[0]), "top center")
        style = dict(mode="markers+text", text=marked["word"].tolist(), textposition=at,
                     textfont={"size": 12 if dims == 2 else 16, "color": "#c0392b"},
                     showlegend=False,
                     marker={"size": 16 if dims == 2 else 8, "color": "#c0392b",
                             "symbol": "diamond", "line": {"width": 2, "color": "#111"}},
                     hoverinfo="text", hovertext=[hover[i] for i in marked_rows])
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
