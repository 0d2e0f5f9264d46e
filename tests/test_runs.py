"""Comparing runs (explorer/runs.py) and the figures for runs and steps (explorer/charts/runs.py)."""

import math

import numpy as np
import pytest

from explorer.charts.runs import runs_chart, shared_neighbours_chart, step_change_heatmap
from explorer.errors import InputError
from explorer.model import ModelSettings
from explorer.runs import neighbours_side_by_side, run_label, runs_table

PLAIN = {"label": "#1", "epochs": 3, "final": {"loss": 0.25, "accuracy": 0.875},
         "history": {"loss": [0.7, 0.4, 0.25], "accuracy": [0.5, 0.75, 0.875]}}
SPLIT = {"label": "#2", "epochs": 2,
         "final": {"loss": 0.5, "accuracy": 1.0, "val_loss": 0.75, "val_accuracy": 0.375},
         "history": {"loss": [0.6, 0.5], "accuracy": [0.5, 1.0], "val_loss": [0.7, 0.75],
                     "val_accuracy": [0.5, 0.375]}}


def test_the_runs_table_is_in_percent_with_validation_columns_only_when_there_is_a_split():
    table = runs_table([PLAIN])
    assert table.columns.tolist() == ["run", "epochs", "final loss", "final accuracy"]
    assert table.iloc[0].tolist() == ["#1", 3, 0.25, 87.5]
    table = runs_table([PLAIN, SPLIT])
    assert table.columns.tolist()[-2:] == ["validation loss", "validation accuracy"]
    assert table.iloc[1, -2:].tolist() == [0.75, 37.5]
    assert all(math.isnan(v) for v in table.iloc[0, -2:].tolist())


def test_a_run_label_says_mask_zero_when_it_is_on_so_two_such_runs_read_apart():
    off = run_label(ModelSettings(head="average"), start_label="Random", number=1)
    on = run_label(ModelSettings(head="average", mask_zero=True), start_label="Random", number=2)
    assert off == "#1: Random, average, dim 8, adam 0.001, seed 0"
    assert on == "#2: Random, average, dim 8, adam 0.001, seed 0, mask_zero"
    split = run_label(ModelSettings(head="lstm", mask_zero=True, validation_split=0.25),
                      start_label="Random", number=3)
    assert split.endswith(", lstm, dim 8, adam 0.001, seed 0, validation 0.25, mask_zero")


def test_the_runs_chart_shows_percent_and_loss_with_validation_dashed():
    fig = runs_chart([PLAIN, SPLIT])
    traces = {t.name: t for t in fig.data}
    assert list(traces["#2 · validation accuracy"].y) == [50.0, 37.5]
    assert traces["#2 · validation accuracy"].line.dash == "dash"
    assert list(traces["#2 · validation loss"].y) == [0.7, 0.75]
    assert traces["#2 · loss"].line.color == traces["#2 · validation loss"].line.color
    assert traces["#1 · accuracy"].line.color != traces["#2 · accuracy"].line.color
    assert "#1 · validation accuracy" not in traces
    assert fig.layout.yaxis.ticksuffix == " %"


# Run A: good~great and bad~awful point the same way; run B swaps great to the bad side.
WORDS = {"good": 2, "great": 3, "bad": 4, "awful": 5}
RUN_A = {"word_ids": WORDS, "weights": np.array(
    [[0, 0], [9, 9], [1, 0], [0.9, 0.1], [-1, 0], [-0.9, -0.1]])}
RUN_B = {"word_ids": {**WORDS, "new": 6}, "weights": np.array(
    [[0, 0], [9, 9], [1, 0], [-1, 0.1], [-1, 0], [-0.9, -0.1], [0, 1]])}


def test_each_words_neighbours_in_run_a_beside_run_b():
    table = neighbours_side_by_side(RUN_A, RUN_B, topn=1)
    assert table["word"].tolist() == ["good", "great", "bad", "awful"]  # "new" is only in B
    assert table["run A"].tolist() == ["great", "good", "awful", "bad"]
    assert table["run B"].tolist() == ["new", "bad", "great", "bad"]
    assert table["shared"].tolist() == [0, 0, 0, 1]
    table = neighbours_side_by_side(RUN_A, RUN_B, topn=3, words=["bad"])
    assert table["run A"].tolist() == ["awful, great, good"]
    assert table["run B"].tolist() == ["great, awful, new"]
    assert table["shared"].tolist() == [2]


def test_collided_words_are_not_their_own_neighbours():
    run = {"word_ids": {"good": 2, "food": 2, "bad": 3}, "weights": np.array(
        [[0, 0], [0, 0], [1, 0], [-1, 0]])}
    table = neighbours_side_by_side(run, run, topn=2)
    assert table["run A"].tolist() == ["bad", "bad", "good, food"]
    assert table["shared"].tolist() == [1, 1, 2]


def test_bad_comparisons_get_messages():
    with pytest.raises(InputError, match=r"`words` must be words both runs encoded. Not in "
                                         r"both: new"):
        neighbours_side_by_side(RUN_A, RUN_B, words=["new"])
    with pytest.raises(InputError, match="share no word"):
        neighbours_side_by_side(RUN_A, {"word_ids": {"x": 2}, "weights": np.zeros((3, 2))})
    with pytest.raises(InputError, match=r"`topn` must be between 1 and 50"):
        neighbours_side_by_side(RUN_A, RUN_B, topn=0)


def test_the_shared_neighbours_bars_count_per_word():
    table = neighbours_side_by_side(RUN_A, RUN_B, topn=3)
    fig = shared_neighbours_chart(table, topn=3)
    assert list(fig.data[0].y) == ["good", "great", "bad", "awful"]
    assert list(fig.data[0].x) == table["shared"].tolist()


def test_the_step_heatmap_marks_the_ids_in_the_batch():
    change = np.array([[0.5, 0.0], [0.0, 0.0], [-0.25, 0.1]])
    fig = step_change_heatmap(change, ["(padding)", "(unused)", "good"], seen_ids=[0, 2])
    assert list(fig.data[0].y) == ["● 0: (padding)", "1: (unused)", "● 2: good"]
    assert (fig.data[0].zmin, fig.data[0].zmax) == (-0.5, 0.5)
