"""The room board's pictures: plotly figures, the QR code of the join link, the download.

Everything here takes the plain tables of `explorer.board.Board` and returns figures, bytes or
text; nothing draws on a page. Names and labels come from attendees, so every one is escaped
before it reaches plotly, which would otherwise read `<b>`, `<a href>` or `<br>` in them.

>>> import pandas as pd
>>> points = pd.DataFrame({"swept": [10, 10, 50], "name": ["Ann", "Bo", "Cy"],
...                        "accuracy": [0.5, 0.7, 0.9], "val_accuracy": [0.4, 0.6, 1.0]})
>>> means = pd.DataFrame({"swept": [10, 50], "accuracy": [0.6, 0.9],
...                       "val_accuracy": [0.5, 1.0], "runs": [2, 1]})
>>> fig = sweep_chart(points, means, "Vocabulary size")
>>> [trace.name for trace in fig.data]
['Validation accuracy', 'Training accuracy', 'Validation accuracy (mean)', 'Training accuracy (mean)']
"""

from __future__ import annotations

import io
import math
import numbers

import pandas as pd
import plotly.graph_objects as go

from explorer.display import plotly_text

# One colour per metric on the sweep chart; one per attendee on the curves (plotly's default).
VAL_COLOUR = "#1f77b4"
TRAIN_COLOUR = "#ff7f0e"
_MAP_GAP_X = 0.04  # between the small maps, as a share of the figure's width
MAP_LABELS = 12  # words written beside their dot in each small map; the rest show on hover
PANEL_TITLE_CHARS = 20  # of a name above a small map a third of the board wide
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


def value_text(value) -> str:
    """A swept value as the board writes it: 0.001, 50, lstm.

    >>> [value_text(v) for v in (0.001, 50, 50.0, "lstm", None)]
    ['0.001', '50', '50', 'lstm', '']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return str(value)


def _numeric(values) -> bool:
    return len(values) > 0 and all(isinstance(v, numbers.Real) and not isinstance(v, bool)
                                   for v in values)


def sweep_chart(points: pd.DataFrame, means: pd.DataFrame, label: str) -> go.Figure:
    """The swept setting against validation and training accuracy: a dot per run, a line
    through the mean per value (in the sweep's order; a numeric setting on a numeric axis)."""
    fig = go.Figure()
    numeric = _numeric(list(means["swept"]) + list(points["swept"]))
    order = [value_text(v) for v in means["swept"]]

    def x_of(values):
        return list(values) if numeric else [value_text(v) for v in values]

    hover = [f"{plotly_text(name)}<br>{plotly_text(label)}: {plotly_text(value_text(v))}"
             for name, v in zip(points["name"], points["swept"])]
    # Without a validation split no run has a validation accuracy: no legend entry for it.
    kept = ("accuracy", "val_accuracy") if _has_values(points, "val_accuracy") else ("accuracy",)
    for column, title, colour, symbol in (("val_accuracy", "Validation accuracy", VAL_COLOUR,
                                           "circle"),
                                          ("accuracy", "Training accuracy", TRAIN_COLOUR,
                                           "diamond")):
        if column not in kept:
            continue
        fig.add_trace(go.Scatter(
            x=x_of(points["swept"]), y=list(points[column]), mode="markers", name=title,
            marker={"color": colour, "symbol": symbol, "size": 9, "opacity": 0.7},
            hovertext=hover,
            hovertemplate="%{hovertext}<br>" + title + ": %{y:.1%}<extra></extra>"))
    for column, title, colour in (("val_accuracy", "Validation accuracy (mean)", VAL_COLOUR),
                                  ("accuracy", "Training accuracy (mean)", TRAIN_COLOUR)):
        if column not in kept:
            continue
        fig.add_trace(go.Scatter(
            x=x_of(means["swept"]), y=list(means[column]), mode="lines+markers", name=title,
            line={"color": colour, "width": 3}, marker={"color": colour, "size": 6},
            customdata=list(means["runs"]),
            hovertemplate=("%{x}: " + title + " %{y:.1%} over %{customdata} run(s)"
                           "<extra></extra>")))
    axis = {"title": plotly_text(label)}
    if not numeric:
        axis.update(type="category", categoryorder="array", categoryarray=order)
    elif len(means) and (means["swept"].max() / max(means["swept"].min(), 1e-12) >= 100):
        axis["type"] = "log"  # e.g. learning rates 0.0001 .. 0.1
    fig.update_layout(xaxis=axis, yaxis={"title": "Accuracy", "tickformat": ".0%",
                                         "range": [-0.02, 1.02]},
                      legend={"orientation": "h", "y": -0.2}, margin={"t": 30},
                      height=420)
    return fig


def loss_chart(curves: list[dict]) -> go.Figure:
    """Every attendee's latest run: training loss solid, validation loss dotted, one colour each."""
    traces = []  # one Figure of them all: add_trace per curve was 3x slower for a room of thirty
    for index, curve in enumerate(curves):
        colour = PALETTE[index % len(PALETTE)]
        name = plotly_text(curve["name"])
        for key, dash, suffix in (("loss", "solid", ""), ("val_loss", "dot", " (validation)")):
            values = [v for v in curve.get(key) or []]
            if not values:
                continue
            traces.append(go.Scatter(
                x=list(range(1, len(values) + 1)), y=values, mode="lines", name=name + suffix,
                legendgroup=str(curve["run_id"]), line={"color": colour, "dash": dash},
                hovertemplate=name + suffix + "<br>epoch %{x}: loss %{y:.4f}<extra></extra>"))
    return go.Figure(data=traces, layout={
        "xaxis": {"title": "Epoch"}, "yaxis": {"title": "Loss"}, "margin": {"t": 30},
        "height": 420, "showlegend": len(curves) <= 12})


def maps_chart(maps: list[dict], label: str | None, *, columns: int = 3) -> go.Figure:
    """Small multiples: each chosen attendee's trained vectors of the room's words, in PCA.

    Each panel is titled with the attendee's name and, in a sweep, their value. The first
    MAP_LABELS words (the room's most frequent) are written beside their dots.
    """
    rows = max(1, math.ceil(len(maps) / columns))
    layout = {"height": 300 * rows, "margin": {"t": 40, "l": 10, "r": 10}, "annotations": []}
    traces = []
    # The grid make_subplots would lay out, written as one layout: built through its
    # update calls, this chart took most of a board redraw's GIL time whenever a run came in
    # (py-spy, a room of thirty training).
    width = (1 - _MAP_GAP_X * (columns - 1)) / columns
    gap_y = 0.12 if rows > 1 else 0.1
    height = (1 - gap_y * (rows - 1)) / rows
    for cell in range(rows * columns):
        row, col = divmod(cell, columns)
        name = "" if cell == 0 else str(cell + 1)
        x0, top = col * (width + _MAP_GAP_X), 1 - row * (height + gap_y)
        layout[f"xaxis{name}"] = {"anchor": f"y{name}", "domain": [x0, min(1.0, x0 + width)],
                                  "showticklabels": False, "zeroline": False}
        layout[f"yaxis{name}"] = {"anchor": f"x{name}", "domain": [max(0.0, top - height), top],
                                  "showticklabels": False, "zeroline": False}
        if cell >= len(maps):
            continue
        entry = maps[cell]
        swept = value_text(entry["swept"])
        layout["annotations"].append({
            # The panel's title: a name and the swept value.
            "text": plotly_text(_short(entry["name"])) + (
                f" ({plotly_text(label)} {plotly_text(swept)})" if label and swept else ""),
            "x": x0 + width / 2, "y": top, "xref": "paper", "yref": "paper",
            "xanchor": "center", "yanchor": "bottom", "showarrow": False, "font": {"size": 13}})
        frame = entry["frame"]
        words = [plotly_text(w) for w in frame["word"]]
        traces.append(go.Scatter(
            x=list(frame["x"]), y=list(frame["y"]), mode="markers+text",
            text=[w if i < MAP_LABELS else "" for i, w in enumerate(words)],
            textposition="top center", hovertext=words, hovertemplate="%{hovertext}<extra></extra>",
            # A label above a dot at the panel's top edge was cut in half ("cold").
            cliponaxis=False, xaxis=f"x{name}", yaxis=f"y{name}",
            marker={"size": 7, "color": PALETTE[cell % len(PALETTE)]}, showlegend=False))
    return go.Figure(data=traces, layout=layout)


def _short(name: str, limit: int = PANEL_TITLE_CHARS) -> str:
    # A panel is a third of the board wide: a 40-character name and the swept value ran off
    # the figure's left edge, cutting the start of the name (seen in Chromium).
    name = str(name)
    return name if len(name) <= limit else name[:limit - 1].rstrip() + "…"


def board_figures(board) -> dict[str, go.Figure]:
    """The board's charts by title (the sweep chart only in a room with a sweep)."""
    sweep = board.room.sweep
    figures = {}
    if sweep is not None and len(board.points):
        figures[f"{sweep.label} against accuracy"] = sweep_chart(board.points, board.means,
                                                                 sweep.label)
    if board.curves:
        figures["Loss curves"] = loss_chart(board.curves)
    if board.maps:
        figures["The room's words, as each attendee's model placed them (PCA)"] = maps_chart(
            board.maps, sweep.label if sweep else None)
    return figures


TRAINING_COLUMN, VALIDATION_COLUMN = "Training accuracy (%)", "Validation accuracy (%)"
TIME_COLUMN = "Time (s)"
# The runs table's numbers shown with one decimal each (5.0 s beside 4.9 s, not 5 beside 4.9).
ONE_DECIMAL = (TRAINING_COLUMN, VALIDATION_COLUMN, TIME_COLUMN)


def runs_table(runs: pd.DataFrame, swept_label: str | None = None) -> pd.DataFrame:
    """The board's runs as people read them: accuracies in %, seconds rounded, newest first.

    Names and labels stay plain text: the page shows them in a table, which never reads markup.
    """
    # The numbers first, so that they are on screen; the long texts last.
    table = pd.DataFrame({
        "Name": runs["name"],
        **({swept_label: [value_text(v) for v in runs["swept"]]} if swept_label else {}),
        "Epochs": runs["epochs"].astype(int),
        TRAINING_COLUMN: (100 * runs["accuracy"]).round(1),
        **({VALIDATION_COLUMN: (100 * runs["val_accuracy"]).round(1)}
           if _has_values(runs, "val_accuracy") else {}),  # a column of blanks says nothing
        TIME_COLUMN: runs["seconds"].astype(float).round(1),
        "Settings": runs["settings"], "Run": runs["label"]})
    return table.iloc[::-1].reset_index(drop=True)


def _has_values(frame: pd.DataFrame, column: str) -> bool:
    return column in frame and bool(pd.to_numeric(frame[column], errors="coerce").notna().any())


def board_html(board, runs_table: pd.DataFrame) -> str:
    """The board as one HTML file that opens offline: a heading, the charts, the runs table.

    plotly's JavaScript is written into the file once, so it needs no network to open.
    """
    import plotly.io as pio

    parts = [f"<h1>Room {plotly_text(board.room.code)}: {plotly_text(board.room.title)}</h1>"]
    include = True
    for title, figure in board_figures(board).items():
        parts.append(f"<h2>{plotly_text(title)}</h2>")
        parts.append(pio.to_html(figure, full_html=False, include_plotlyjs=include))
        include = False
    parts.append("<h2>Runs</h2>")
    parts.append(runs_table.to_html(index=False, escape=True, na_rep=""))
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>Room {plotly_text(board.room.code)}</title></head><body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


def qr_png(text: str, *, scale: int = 10) -> bytes:
    """A QR code of `text` (the join link) as PNG bytes, dark on white with the quiet zone.

    segno writes PNG itself (no imaging library). Error correction "M": the code still reads
    from a projector with a speck of dust or glare on it.
    """
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
