"""Plotly figures built from plain data, one module per page family. No streamlit here: pages
pass the figures to st.plotly_chart.

- `training`: the Train page's curves and run comparison, the Weights page's heatmaps and bars.
- `projection`: the Projection page's scatter, before/after panels and training movie.
- `glove`: the GloVe pages' benchmark bars, analogy picture and word maps.

Every public name is re-exported here, so `from explorer.charts import word_map` works.
"""

from explorer.charts.glove import (
    ANALOGY_ROLES,
    ARROW_COLOUR,
    analogy_parallelogram,
    analogy_section_bars,
    word_map,
)
from explorer.charts.projection import (
    CAMERA_3D,
    COLOUR_SCALES,
    before_after,
    colour_marker,
    projection_scatter,
    scatter_trace,
    training_movie,
)
from explorer.charts.training import (
    DIVERGING,
    colour_scale_end,
    compare_runs,
    heat_style,
    training_curves,
    update_training_curves,
    vector_bars,
    weight_heatmap,
)

MODULES = ("explorer.charts.training", "explorer.charts.projection", "explorer.charts.glove")

__all__ = [
    "ANALOGY_ROLES", "ARROW_COLOUR", "CAMERA_3D", "COLOUR_SCALES", "DIVERGING",
    "MODULES", "analogy_parallelogram", "analogy_section_bars", "before_after", "colour_marker",
    "colour_scale_end",
    "compare_runs", "heat_style", "projection_scatter", "scatter_trace", "training_curves",
    "training_movie", "update_training_curves", "vector_bars", "weight_heatmap", "word_map",
]
