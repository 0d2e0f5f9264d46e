"""explorer.charts: the projection figures' colour key, 3-D framing and the movie's layout."""


import pandas as pd
import pytest

from explorer.charts import (CAMERA_3D, before_after, colour_marker, projection_scatter,
                             training_movie)

WORDS = ["good", "bad", "meh", "fine"]


def frames(dims: int = 2) -> pd.DataFrame:
    rows = []
    for epoch in (0, 5):
        for i, word in enumerate(WORDS):
            rows.append({"id": i + 1, "word": word, "epoch": epoch, "x": i * (1 + epoch),
                         "y": (-1) ** i * (1 + epoch), "z": i % 2})
    table = pd.DataFrame(rows)
    return table if dims == 3 else table.drop(columns="z")


def test_lean_colours_are_centred_on_zero_and_name_each_end():
    key = colour_marker([0.02, 0.05, 0.01, 0.03], class_names=("negative", "positive"))
    # Every word leans positive: none may look blue, so 0 stays white and the scale is symmetric.
    assert (key["cmin"], key["cmax"]) == (-0.05, 0.05)
    assert key["colorbar"]["tickvals"] == [-0.05, 0.0, 0.05]
    assert key["colorbar"]["ticktext"] == ["−0.05 · negative", "0 · neither", "+0.05 · positive"]
    assert key["colorscale"] == "RdBu_r"  # low blue, high red: class 1 is red


def test_no_lean_at_all_is_white_not_an_error():
    key = colour_marker([0.0, 0.0], class_names=("a", "b"))
    assert key["cmin"] < 0 < key["cmax"] and key["cmin"] == -key["cmax"]


def test_share_colours_use_the_whole_zero_to_one_scale():
    key = colour_marker([1.0, 1.0], class_names=("neg", "pos"), scale="share")
    assert (key["cmin"], key["cmax"]) == (0.0, 1.0)
    assert key["colorbar"]["ticktext"] == ["0 · all neg", "0.5 · half each", "1 · all pos"]
    with pytest.raises(ValueError, match="`scale` must be one of"):
        colour_marker([0.1], scale="probability")


def test_before_after_names_the_start_it_was_given():
    fig = before_after(frames(), first=0, last=5, color=[0.1, -0.1, 0, 0.05],
                       class_names=("n", "p"), start="GloVe start", end="frozen: unchanged")
    assert [a.text for a in fig.layout.annotations] == ["epoch 0 (GloVe start)",
                                                        "epoch 5 (frozen: unchanged)"]
    assert [trace.cliponaxis for trace in fig.data] == [False, False]  # edge labels stay whole


def test_3d_scatter_fills_its_chart():
    fig = projection_scatter(frames(3)[lambda f: f.epoch == 5], title="epoch 5")
    margin = fig.layout.margin
    assert (margin.l, margin.r, margin.b) == (0, 0, 0)
    assert fig.layout.scene.camera.eye.to_plotly_json() == CAMERA_3D
    # Seen lower than plotly's default (z 1.25), the cube is wider than tall, like the chart.
    assert CAMERA_3D["z"] < CAMERA_3D["x"]


@pytest.mark.parametrize("dims", [2, 3])
def test_movie_controls_do_not_overlap_and_labels_get_room(dims):
    fig = training_movie(frames(dims), color=[0.1, -0.1, 0, 0.05], class_names=("n", "p"))
    buttons, slider = fig.layout.updatemenus[0], fig.layout.sliders[0]
    # Buttons above the plot, the slider below it across the whole width.
    assert buttons.y >= 1 and buttons.yanchor == "bottom"
    assert slider.y <= 0 and slider.yanchor == "top" and (slider.x, slider.len) == (0, 1)
    if dims == 2:
        assert fig.layout.xaxis.automargin and fig.layout.yaxis.automargin
    html = fig.to_html(include_plotlyjs=False, full_html=False)
    assert '"automargin":true' in html.replace(" ", "") or dims == 3
    assert [f.name for f in fig.frames] == ["0", "5"]
