"""Plotly figures for the word-similarity benchmark and the odd one out (no streamlit here).

`pairs_scatter` puts each pair at (human score, cosine): a model that agrees with the people
draws a rising band. The pairs the model ranks most differently from the people are drawn in
another colour and named on the chart, so the eye goes to where the vectors disagree.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.display import plotly_text
from explorer.similarity import PairEvaluation

AGREE = "#4c78a8"
WORST = "#e45756"
MAX_LABELS = 10  # named worst pairs; more labels overlap on a 400-pixel chart
_POSITIONS = ("top center", "bottom center", "middle right", "middle left")


def pairs_scatter(result: PairEvaluation, *, worst: int = MAX_LABELS,
                  title: str = "") -> go.Figure:
    """Human score (x) against cosine (y) for each known pair; the `worst` pairs labelled.

    Hover shows the two words, both numbers and the file's line. Pairs with an unknown word
    are not drawn (they have no cosine), unless dummy4unknown scored them 0.
    """
    table = result.table
    drawn = table[table["cosine"].notna()]
    worst_rows = result.worst(min(worst, MAX_LABELS)) if worst else drawn.iloc[:0]
    rest = drawn.drop(index=worst_rows.index)
    fig = go.Figure()
    for part, colour, name, labelled in ((rest, AGREE, "pairs", False),
                                         (worst_rows, WORST, "ranked most differently", True)):
        fig.add_trace(go.Scatter(
            x=part["human"], y=part["cosine"], mode="markers+text" if labelled else "markers",
            name=f"{name} ({len(part):,})", marker={"color": colour, "size": 7 if labelled else 5,
                                                    "opacity": 0.9 if labelled else 0.6},
            text=[_label(a, b) for a, b in zip(part["word1"], part["word2"])] if labelled else None,
            # Neighbouring worst pairs often sit close together: their labels take turns
            # above, below and beside the point.
            textposition=[_POSITIONS[i % len(_POSITIONS)] for i in range(len(part))],
            textfont={"size": 11, "color": colour},
            customdata=np.column_stack([part["word1"].map(plotly_text),
                                        part["word2"].map(plotly_text), part["line"]]),
            hovertemplate="%{customdata[0]} – %{customdata[1]}<br>human %{x:.2f}"
                          "<br>cosine %{y:.3f}<br>line %{customdata[2]}<extra></extra>"))
    fig.update_layout(
        title=title or (f"Pearson {result.pearson:.3f} · Spearman {result.spearman:.3f} · "
                        f"{result.pairs:,} pairs"),
        xaxis_title="human score", yaxis_title="cosine", height=420,
        margin={"l": 10, "r": 10, "t": 40, "b": 10}, legend={"orientation": "h", "y": -0.18})
    return fig


def centrality_bars(ranked: list[tuple[str, float]]) -> go.Figure:
    """Each word's cosine with the group's mean direction, the odd one out last and in red."""
    words = [word for word, _ in ranked]
    scores = [score for _, score in ranked]
    colours = [AGREE] * (len(words) - 1) + [WORST]
    labels = [plotly_text(w) for w in words]
    # One bar per position, not per word: a word given twice ("cat dog cat mouse") would share
    # a category and plotly would stack its bars into one of length 2 on a cosine axis.
    rows = list(range(len(words)))
    fig = go.Figure(go.Bar(x=scores, y=rows, orientation="h", customdata=labels,
                           marker_color=colours, text=[f"{s:.3f}" for s in scores],
                           textposition="auto",
                           hovertemplate="%{customdata}: %{x:.4f}<extra></extra>"))
    fig.update_layout(xaxis_title="cosine with the mean of all the words",
                      yaxis={"autorange": "reversed", "tickmode": "array", "tickvals": rows,
                             "ticktext": labels},
                      height=max(160, 40 + 28 * len(words)),
                      margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def _label(first: str, second: str) -> str:
    # Plotly draws text as HTML: a word from a file is escaped, never markup.
    return plotly_text(f"{first}–{second}")
