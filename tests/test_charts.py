"""explorer.charts: the training-curve figures, read as a person reads the chart."""

from explorer.charts import compare_runs

RUNS = [
    {"label": "#1: Random, flatten, dim 8", "history": {"accuracy": [0.5, 0.8, 1.0]}},
    {"label": "#2: Random, flatten, dim 8, validation 0.2",
     "history": {"accuracy": [0.5, 0.9, 1.0], "val_accuracy": [0.5, 0.5, 0.5]}},
]


def test_compare_runs_gives_each_run_one_colour_and_dashes_its_validation():
    fig = compare_runs(RUNS)
    lines = [(t.name, t.line.color, t.line.dash) for t in fig.data]
    assert [name for name, _, _ in lines] == [
        "#1: Random, flatten, dim 8 · accuracy",
        "#2: Random, flatten, dim 8, validation 0.2 · accuracy",
        "#2: Random, flatten, dim 8, validation 0.2 · validation accuracy"]
    first, second, second_val = lines
    assert second[1] == second_val[1] != first[1]  # a run's two lines share its colour
    assert (second[2], second_val[2]) == ("solid", "dash")


def test_compare_runs_puts_the_long_labels_under_the_plot_not_beside_it():
    layout = compare_runs(RUNS).layout
    assert layout.legend.orientation == "h" and layout.legend.y < 0
