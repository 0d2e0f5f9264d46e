"""The Train page's loss and accuracy curves: what a person sees after the first epochs."""

from explorer.charts import compare_runs, training_curves, update_training_curves


def test_one_epoch_is_drawn_as_a_dot_not_an_invisible_line():
    fig = training_curves({"loss": [0.69], "accuracy": [0.5]}, epochs=100)
    assert [t.mode for t in fig.data] == ["lines+markers", "lines+markers"]
    assert [list(t.y) for t in fig.data] == [[0.69], [50.0]]  # accuracy in percent


def test_the_dot_becomes_a_line_once_a_second_epoch_arrives():
    live = training_curves({"loss": [0.69], "accuracy": [0.5]}, epochs=100)
    update_training_curves(live, {"loss": [0.69, 0.6], "accuracy": [0.5, 0.8]})
    assert [t.mode for t in live.data] == ["lines", "lines"]
    assert [list(t.x) for t in live.data] == [[1, 2], [1, 2]]


def test_validation_curves_are_dashed_and_follow_the_same_rule():
    fig = training_curves({"loss": [0.7], "accuracy": [0.5], "val_loss": [0.71],
                           "val_accuracy": [0.4]}, epochs=3)
    dashes = {t.name: t.line.dash for t in fig.data}
    assert dashes == {"loss": "solid", "val_loss": "dash", "accuracy": "solid",
                      "val_accuracy": "dash"}
    assert {t.mode for t in fig.data} == {"lines+markers"}


HISTORY = {"loss": [0.7, 0.4, 0.2], "accuracy": [0.5, 0.875, 1.0],
           "val_loss": [0.71, 0.6, 0.65], "val_accuracy": [0.25, 0.5, 0.625]}


def test_accuracy_is_drawn_in_percent_on_a_0_to_100_axis_loss_as_it_is():
    fig = training_curves(HISTORY, epochs=3)
    y = {t.name: list(t.y) for t in fig.data}
    assert y["accuracy"] == [50.0, 87.5, 100.0]  # history × 100, as the tiles' 87.50 %
    assert y["val_accuracy"] == [25.0, 50.0, 62.5]
    assert y["loss"] == [0.7, 0.4, 0.2] and y["val_loss"] == [0.71, 0.6, 0.65]
    accuracy_axis = fig.layout.yaxis2  # the second subplot's
    low, high = accuracy_axis.range
    assert low == 0 and 100 <= high < 110 and accuracy_axis.ticksuffix == " %"
    assert fig.layout.yaxis.ticksuffix is None  # the loss axis is not in percent
    assert [a.text for a in fig.layout.annotations] == ["loss", "accuracy (%)"]


def test_the_live_chart_stays_in_percent_as_it_grows():
    live = training_curves({k: v[:1] for k, v in HISTORY.items()}, epochs=3)
    update_training_curves(live, HISTORY)
    fresh = training_curves(HISTORY, epochs=3)
    assert [list(t.y) for t in live.data] == [list(t.y) for t in fresh.data]
    assert {t.name: list(t.y) for t in live.data}["accuracy"] == [50.0, 87.5, 100.0]


def _made_with_make_subplots(history, epochs):
    # The figure as training_curves built it with plotly.subplots before its layout was
    # written out by hand: the same figure, to the last attribute, is what a person sees.
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from explorer.charts.training import _mode, _shown

    fig = make_subplots(rows=1, cols=2, subplot_titles=("loss", "accuracy (%)"))
    for col, metric in enumerate(("loss", "accuracy"), start=1):
        for key, dash in ((metric, "solid"), (f"val_{metric}", "dash")):
            values = history.get(key)
            if values:
                fig.add_trace(go.Scatter(
                    x=list(range(1, len(values) + 1)), y=_shown(key, values),
                    mode=_mode(len(values)), name=key, line={"dash": dash}), row=1, col=col)
    if epochs:
        fig.update_xaxes(range=[1, max(epochs, 2)])
    fig.update_yaxes(range=[0, 102], ticksuffix=" %", row=1, col=2)
    fig.update_layout(height=300, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "y": -0.2})
    return fig


def test_the_curves_are_the_two_panels_plotly_subplots_lays_out():
    import pytest

    cases = [({}, 100), ({"loss": [0.69]}, 1), ({"loss": [0.69], "accuracy": [0.5]}, None),
             (HISTORY, 3), ({k: v * 20 for k, v in HISTORY.items()}, 60),
             ({"loss": [0.7, float("nan")], "accuracy": [0.5, 0.5]}, 5)]
    for history, epochs in cases:
        ours = training_curves(history, epochs=epochs).to_plotly_json()
        theirs = _made_with_make_subplots(history, epochs).to_plotly_json()
        assert ours["layout"] == theirs["layout"], (history, epochs)
        assert len(ours["data"]) == len(theirs["data"])
        for mine, reference in zip(ours["data"], theirs["data"]):
            assert mine.keys() == reference.keys(), (history, epochs)
            for key in mine:
                if key in ("x", "y"):
                    assert list(mine[key]) == pytest.approx(list(reference[key]), nan_ok=True)
                else:
                    assert mine[key] == reference[key], (key, history, epochs)


def test_the_runs_accuracy_comparison_is_in_percent_too():
    fig = compare_runs([{"label": "#1", "history": HISTORY}])
    assert [list(t.y) for t in fig.data] == [[50.0, 87.5, 100.0], [25.0, 50.0, 62.5]]
    low, high = fig.layout.yaxis.range
    assert low == 0 and 100 <= high < 110 and fig.layout.yaxis.ticksuffix == " %"


def test_the_shared_colour_scale_ends_at_a_round_number_that_steps_rarely_move():
    import numpy as np

    from explorer.charts import colour_scale_end

    start = np.array([[0.049, -0.03]])
    assert colour_scale_end(start, np.array([[0.137]])) == 0.15
    assert colour_scale_end(start, np.array([[0.141]])) == 0.15  # the next step: same scale
    assert colour_scale_end(start, np.array([[-0.151]])) == 0.2
    assert colour_scale_end(np.array([[0.05]])) == 0.05 and colour_scale_end(np.zeros((2, 2))) == 1
    assert colour_scale_end(np.array([[1.3]])) == 1.5
