"""The room board's figures, table, download and QR code, on tiny hand-made boards."""

from __future__ import annotations

import doctest
import io
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import explorer.room_charts as room_charts
from explorer.room_charts import (board_figures, board_html, loss_chart, maps_chart, qr_png,
                                  runs_table, sweep_chart)
from explorer.sweep import Sweep

HOSTILE = "<b>Eve</b> **bold** <script>alert(1)</script>"


def points_and_means():
    points = pd.DataFrame({"swept": [20, 20, 50, 100], "name": ["Ann", "Bo", "Cy", HOSTILE],
                           "accuracy": [0.6, 0.8, 0.9, 1.0],
                           "val_accuracy": [0.5, 0.7, 0.75, np.nan]})
    means = pd.DataFrame({"swept": [20, 50, 100], "accuracy": [0.7, 0.9, 1.0],
                          "val_accuracy": [0.6, 0.75, np.nan], "runs": [2, 1, 1]})
    return points, means


def test_doctests():
    assert doctest.testmod(room_charts).failed == 0


def test_sweep_chart_has_a_dot_per_run_and_the_mean_per_value_on_a_numeric_axis():
    points, means = points_and_means()
    fig = sweep_chart(points, means, "Vocabulary size")
    traces = {trace.name: trace for trace in fig.data}
    val, train = traces["Validation accuracy"], traces["Training accuracy"]
    assert list(val.x) == [20, 20, 50, 100] and list(train.y) == [0.6, 0.8, 0.9, 1.0]
    mean = traces["Validation accuracy (mean)"]
    assert list(mean.x) == [20, 50, 100] and list(mean.y)[:2] == [0.6, 0.75]
    assert list(traces["Training accuracy (mean)"].y) == [0.7, 0.9, 1.0]
    assert fig.layout.xaxis.title.text == "Vocabulary size"
    assert fig.layout.xaxis.type is None  # linear: 20 to 100 is not two orders of magnitude
    assert fig.layout.yaxis.tickformat == ".0%"


def test_sweep_chart_of_a_choice_keeps_the_sweeps_order_and_a_wide_range_is_logarithmic():
    points = pd.DataFrame({"swept": ["lstm", "flatten"], "name": ["Ann", "Bo"],
                           "accuracy": [0.5, 0.9], "val_accuracy": [0.5, 0.8]})
    means = pd.DataFrame({"swept": ["lstm", "flatten"], "accuracy": [0.5, 0.9],
                          "val_accuracy": [0.5, 0.8], "runs": [1, 1]})
    fig = sweep_chart(points, means, "Head")
    assert fig.layout.xaxis.type == "category"
    assert list(fig.layout.xaxis.categoryarray) == ["lstm", "flatten"]
    rates = pd.DataFrame({"swept": [0.0001, 0.1], "name": ["A", "B"], "accuracy": [0.5, 0.6],
                          "val_accuracy": [0.5, 0.6]})
    fig = sweep_chart(rates, rates.assign(runs=1).drop(columns="name"), "Learning rate")
    assert fig.layout.xaxis.type == "log"


def test_names_reach_plotly_escaped_so_they_show_as_typed():
    points, means = points_and_means()
    fig = sweep_chart(points, means, "Vocabulary size")
    hover = list(fig.data[0].hovertext)
    assert "&lt;b&gt;Eve&lt;/b&gt; **bold** &lt;script&gt;" in hover[3]
    assert "<b>" not in hover[3] and "<script>" not in hover[3]
    curves = [{"run_id": 1, "name": HOSTILE, "label": "x", "loss": [1.0], "val_loss": []}]
    assert "<script>" not in loss_chart(curves).data[0].name


def test_loss_chart_draws_each_attendees_losses_in_one_colour():
    curves = [{"run_id": 1, "name": "Ann", "label": "r1", "loss": [0.7, 0.5, 0.3],
               "val_loss": [0.8, 0.6, 0.5]},
              {"run_id": 2, "name": "Bo", "label": "r2", "loss": [0.69, 0.6], "val_loss": []}]
    fig = loss_chart(curves)
    assert [trace.name for trace in fig.data] == ["Ann", "Ann (validation)", "Bo"]
    assert list(fig.data[0].x) == [1, 2, 3] and list(fig.data[1].y) == [0.8, 0.6, 0.5]
    assert fig.data[0].line.color == fig.data[1].line.color != fig.data[2].line.color
    assert (fig.data[0].line.dash, fig.data[1].line.dash) == ("solid", "dot")


def a_map(name, swept, words=("good", "bad", "food")):
    frame = pd.DataFrame({"word": list(words), "x": np.arange(len(words), dtype=float),
                          "y": -np.arange(len(words), dtype=float)})
    return {"run_id": hash(name) % 1000, "name": name, "swept": swept, "frame": frame}


def test_maps_chart_is_one_panel_per_attendee_titled_with_their_value():
    maps = [a_map("Ann", 20), a_map("Bo", 50), a_map("Cy", 100), a_map(HOSTILE, 20)]
    fig = maps_chart(maps, "Vocabulary size")
    assert len(fig.data) == 4
    titles = [annotation.text for annotation in fig.layout.annotations]
    assert titles[:3] == ["Ann (Vocabulary size 20)", "Bo (Vocabulary size 50)",
                          "Cy (Vocabulary size 100)"]
    assert "<b>" not in titles[3] and "&lt;b&gt;" in titles[3]
    # Two rows of three; the fourth panel starts the second row.
    assert fig.data[3].xaxis == "x4" and fig.layout.height == 600
    assert list(fig.data[0].text) == ["good", "bad", "food"]


def test_maps_chart_labels_only_the_most_frequent_words():
    words = [f"w{i}" for i in range(20)]
    fig = maps_chart([a_map("Ann", None, words)], None)
    labelled = [text for text in fig.data[0].text if text]
    assert labelled == words[:room_charts.MAP_LABELS]
    assert list(fig.data[0].hovertext) == words
    assert fig.layout.annotations[0].text == "Ann"


def a_board(sweep=Sweep("vocab_size", (20, 50, 100))):
    points, means = points_and_means()
    runs = pd.DataFrame({
        "id": [1, 2, 3, 4], "name": ["Ann", "Bo", "Cy", HOSTILE], "label": ["r"] * 4,
        "swept": [20, 20, 50, 100], "epochs": [10, 10, 10, 10],
        "accuracy": points["accuracy"], "val_accuracy": points["val_accuracy"],
        "loss": [0.5, 0.4, 0.3, 0.2], "val_loss": [0.6] * 4, "seconds": [1.04, 2.0, 3.0, 4.0],
        "posted_at": [1.0, 2.0, 3.0, 4.0], "settings": ["hash 20×4"] * 4,
        "has_model": [True] * 4})
    room = SimpleNamespace(code="KPTWXZ", title="Restaurant <i>reviews</i>", sweep=sweep)
    curves = [{"run_id": 1, "name": "Ann", "label": "r", "loss": [0.7, 0.5], "val_loss": []}]
    return SimpleNamespace(room=room, runs=runs, points=points if sweep else points.iloc[:0],
                           means=means, curves=curves, maps=[a_map("Ann", 20)])


def test_the_runs_table_reads_in_percent_and_seconds_newest_first():
    table = runs_table(a_board().runs, "Vocabulary size")
    assert list(table.columns) == ["Name", "Vocabulary size", "Epochs", "Training accuracy (%)",
                                   "Validation accuracy (%)", "Time (s)", "Settings", "Run"]
    assert table["Name"].tolist() == [HOSTILE, "Cy", "Bo", "Ann"]
    assert table["Training accuracy (%)"].tolist() == [100.0, 90.0, 80.0, 60.0]
    assert table["Vocabulary size"].tolist() == ["100", "50", "20", "20"]
    assert table["Time (s)"].tolist()[-1] == 1.0
    assert "Vocabulary size" not in runs_table(a_board().runs)


def test_a_room_without_a_validation_split_shows_no_blank_validation_column_or_legend():
    runs = a_board().runs.assign(val_accuracy=np.nan)
    assert "Validation accuracy (%)" not in runs_table(runs, "Vocabulary size")
    points, means = points_and_means()
    fig = sweep_chart(points.assign(val_accuracy=np.nan), means.assign(val_accuracy=np.nan),
                      "Vocabulary size")
    assert [trace.name for trace in fig.data] == ["Training accuracy", "Training accuracy (mean)"]


def test_board_figures_leave_out_the_sweep_chart_in_a_room_without_a_sweep():
    assert list(board_figures(a_board())) == [
        "Vocabulary size against accuracy", "Loss curves",
        "The room's words, as each attendee's model placed them (PCA)"]
    assert "Vocabulary size against accuracy" not in board_figures(a_board(sweep=None))


def test_the_board_download_opens_offline_and_shows_names_as_text():
    board = a_board()
    page = board_html(board, runs_table(board.runs, "Vocabulary size"))
    assert page.startswith("<!DOCTYPE html>")
    assert "<h1>Room KPTWXZ: Restaurant &lt;i&gt;reviews&lt;/i&gt;</h1>" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    # plotly.js inside the file, once; no address to fetch it from.
    assert page.count("plotly.js v") == 1 and "<script src=" not in page
    assert page.count("<h2>") == 4  # three charts and the runs table


@pytest.mark.parametrize("link", ["http://192.168.1.20:8501/room?room=KPTWXZ",
                                  "http://room-laptop.local:8080/room?room=ABCDEF"])
def test_the_qr_code_is_the_link_itself(link):
    import segno
    from PIL import Image

    scale, border = 10, 4
    picture = Image.open(io.BytesIO(qr_png(link, scale=scale))).convert("L")
    expected = np.array(segno.make(link, error="m", micro=False).matrix, dtype=bool)
    size = expected.shape[0]
    assert picture.size == ((size + 2 * border) * scale,) * 2
    # Read each module at its centre: dark pixels where the code of the link has dark modules.
    pixels = np.asarray(picture)
    centres = (np.arange(size) + border) * scale + scale // 2
    read = pixels[np.ix_(centres, centres)] < 128
    assert (read == expected).all()
    assert not (pixels[:border * scale] < 128).any()  # the quiet zone is white


def test_a_long_name_above_a_small_map_is_shortened_and_labels_are_not_clipped():
    # A 40-character name and "(Vocabulary size 20)" ran off the board's left edge.
    name = "A" * 40
    fig = maps_chart([a_map(name, 20)], "Vocabulary size")
    title = fig.layout.annotations[0].text
    assert title == "A" * 19 + "… (Vocabulary size 20)"
    assert fig.layout.annotations[0].font.size == 13
    assert fig.data[0].cliponaxis is False
    assert maps_chart([a_map("Ann", 20)], "Vocabulary size").layout.annotations[0].text == \
        "Ann (Vocabulary size 20)"
