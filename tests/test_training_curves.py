"""The Train page's loss and accuracy curves: what a person sees after the first epochs."""

from explorer.charts import training_curves, update_training_curves


def test_one_epoch_is_drawn_as_a_dot_not_an_invisible_line():
    fig = training_curves({"loss": [0.69], "accuracy": [0.5]}, epochs=100)
    assert [t.mode for t in fig.data] == ["lines+markers", "lines+markers"]
    assert [list(t.y) for t in fig.data] == [[0.69], [0.5]]


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
