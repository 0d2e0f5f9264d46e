"""The Train and Weights pages' lesson controls (issue 13): step buttons, what changed, mask_zero,
diagnosing a review, held-out reviews and k-fold, and comparing two runs' embeddings."""

import numpy as np
import pytest

from tests.apptest_helpers import fresh_app, session_run, texts, visit
from ui import pages


@pytest.fixture
def train_page():
    at = visit(fresh_app(), pages.TRAIN)
    at.number_input(key="train_epochs").set_value(5).run()
    return at


def frame_with(at, column):
    """The first table on the page with `column` (AppTest's tables carry no key)."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a {column!r} column")


def click(at, key):
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def test_steps_continue_one_run_and_say_what_changed(train_page):
    at = click(train_page, "train_step_epoch")
    run = session_run(at)
    assert run.epochs_run == 1 and len(at.session_state["runs"]) == 1
    assert "With Adam the rows of the" in texts(at.info)
    assert "What changed in this step" in [h.value for h in at.subheader]
    labels = [m.label for m in at.metric]
    assert "Loss after epoch 1" in labels and "Final loss" not in labels  # 1 of 5: not final
    at = click(at, "train_step_batch")  # epoch 2 has one batch of 10 reviews: it completes
    assert session_run(at).epochs_run == 2
    at = click(at, "train_step_end")
    run = session_run(at)
    assert run.epochs_run == 5 and len(run.history["loss"]) == 5
    assert "Final loss" in [m.label for m in at.metric]
    runs = at.session_state["runs"]
    assert len(runs) == 1 and runs[0]["epochs"] == 5  # one run, moved on, not five
    at = click(at, "train_step_epoch")
    assert "This run has trained all its 5 epochs (Epochs = 5). Raise Epochs" in texts(at.error)
    at.number_input(key="train_epochs").set_value(6).run()
    at = click(at, "train_step_epoch")  # Epochs raised: the same run goes on
    assert session_run(at).epochs_run == 6 and len(at.session_state["runs"]) == 1


def test_a_changed_setting_steps_a_new_run(train_page):
    at = click(train_page, "train_step_epoch")
    at.number_input(key="train_seed").set_value(1).run()
    at = click(at, "train_step_end")
    runs = at.session_state["runs"]
    assert [r["epochs"] for r in runs] == [1, 5]
    # Two runs: compared on their numbers and on their embeddings.
    assert "Runs side by side" in [h.value for h in at.subheader]
    table = frame_with(at, "run A")
    assert table.columns.tolist() == ["word", "run A", "run B", "shared"]
    assert "awesome" in table["word"].tolist()
    assert frame_with(at, "final accuracy")["final accuracy"].max() <= 100


def test_sgd_step_changes_only_rows_in_the_batch(train_page):
    at = train_page
    at.selectbox(key="train_optimizer").set_value("sgd").run()
    at = click(at, "train_step_epoch")
    assert "With SGD only the rows of the" in texts(at.info)
    assert "the padding row 0 learns too, because Flatten" in texts(at.info)


def test_mask_zero_is_off_for_flatten_and_changes_the_average_head(train_page):
    at = train_page
    assert at.checkbox(key="train_mask_zero").disabled
    assert "mask_zero is off with the Flatten head" in texts(at.caption)
    at.selectbox(key="train_head").set_value("average").run()
    at.checkbox(key="train_mask_zero").check().run()
    summary = at.dataframe[0].value
    assert "Embedding (mask_zero)" in summary["type"].tolist()
    at = click(at, "train_step_epoch")
    assert session_run(at).settings.mask_zero
    assert "mask_zero hides padding from the head" in texts(at.info)
    assert "The same weights with mask_zero on" in texts(at.caption)


def test_diagnose_a_review(train_page):
    at = click(train_page, "train_step_end")
    at.text_input(key="train_try_text").set_value("awesome pizza pizza pizza pizza").run()
    words = frame_with(at, "influence")
    assert words["word"].tolist() == ["awesome", "pizza", "pizza", "pizza", "pizza"]
    assert words["place"].tolist()[-1] == "cut by Max length"  # Max length 4
    assert words["unknown"].iloc[1].startswith("in no review")
    assert np.isnan(words["influence"].iloc[-1]) and not np.isnan(words["influence"].iloc[0])
    at.text_input(key="train_try_text").set_value("😀 😀").run()
    assert "None of the words of this review appeared in a training review" in texts(at.warning)
    at.text_input(key="train_try_text").set_value("?!").run()
    assert "This review has no words" in texts(at.warning)
    assert at.text_input(key="train_try_text").value == "?!"  # what was typed stays


def test_held_out_reviews_confusion_and_k_fold(train_page):
    at = train_page
    at.slider(key="train_validation_split").set_value(0.2).run()
    at = click(at, "train_step_end")
    held = frame_with(at, "right")
    assert len(held) == 2 and set(held["right"]) <= {"✓", "✗"}
    matrix = next(f.value for f in at.dataframe
                  if any(str(c).startswith("predicted ") for c in f.value.columns))
    assert int(np.asarray(matrix).sum()) == 2
    at.number_input(key="train_cv_k").set_value(6).run()
    at = click(at, "train_cv_start")
    assert "`k` must be at most 5, the number of reviews of the smaller class" in texts(at.warning)
    at.number_input(key="train_cv_k").set_value(2).run()
    at = click(at, "train_cv_start")
    metric = [m for m in at.metric if m.label.startswith("Validation accuracy over 2 folds")]
    assert metric and "±" in metric[0].value


def test_a_click_that_stopped_a_training_does_not_step_as_well(train_page):
    at = click(train_page, "train_step_epoch")
    at.session_state["training"] = session_run(at)  # as if it were training now
    at = click(at, "train_step_epoch")
    assert "Training stopped after epoch 1: that click came while it was running" in texts(at.info)
    assert session_run(at).epochs_run == 1


def test_stepping_a_diverged_run_says_why_not(train_page):
    at = click(train_page, "train_step_epoch")
    session_run(at).stopped = "The loss became NaN or infinite at epoch 2."
    at = click(at, "train_step_epoch")
    assert "This run diverged" in texts(at.error)


def test_the_weights_page_steps_and_redraws(train_page):
    at = click(train_page, "train_step_epoch")
    before = session_run(at).weights_after
    at = visit(at, pages.WEIGHTS)
    assert "After epoch 1 of 5" in texts(at.caption)
    at = click(at, "weights_step_epoch")
    assert "After epoch 2 of 5" in texts(at.caption)
    assert not np.array_equal(session_run(at).weights_after, before)
    assert "What changed in this step" in [h.value for h in at.subheader]


def test_largest_change_of_one_row_names_the_row_and_its_unit(train_page):
    from explorer.display import readable_number

    at = click(train_page, "train_step_epoch")
    report = at.session_state["train_step_stepper"].last_report
    moved = np.linalg.norm(report.after.astype(np.float64) - report.before.astype(np.float64),
                           axis=1)
    row = int(np.argmax(moved))
    word = session_run(at).encoded.encoder.row_labels()[row]
    assert (f"Largest change of one row: id {row} ({word}), {readable_number(moved.max())}, "
            "the length (L2 norm) of its change (after − before) over its 8 numbers."
            in texts(at.caption))


def test_a_mask_zero_run_says_so_in_its_label(train_page):
    at = train_page
    at.selectbox(key="train_head").set_value("average").run()
    at = click(at, "train_step_end")
    at.checkbox(key="train_mask_zero").check().run()
    at = click(at, "train_step_end")
    labels = [r["label"] for r in at.session_state["runs"]]
    assert len(labels) == 2 and "mask_zero" not in labels[0] and labels[1].endswith(", mask_zero")
    assert frame_with(at, "final accuracy")["run"].tolist() == labels  # the runs table
    assert at.selectbox(key="train_compare_b").value == labels[1]  # the compare selector


def test_a_run_restored_then_stepped_says_its_optimizer_restarted(own_database, train_page):
    # own_database: a refresh brings the run back from this test's own database
    from tests.test_saved_work import refresh
    from ui import take_home

    at = click(train_page, "train_step_epoch")
    at = click(at, "train_step_epoch")  # 2 of 5 epochs, with Adam
    again = refresh(at)
    assert session_run(again).epochs_run == 2
    assert ("This run came back from saved work with its weights but not Adam's moving "
            "averages: a step goes on from epoch 2" in texts(again.caption))
    again = click(again, "train_step_end")
    run = session_run(again)
    assert run.epochs_run == 5
    shown = texts(again.caption) + texts(again.warning)
    assert "Adam) started afresh after epoch 2" in shown
    assert "trains the same model, but not to the same numbers as here" in shown
    assert "ends with the same loss and accuracy as here" not in shown
    script = take_home.program_file(run, [], ("negative", "positive"), fmt="py")
    assert "# This run differs: in the app it came back from saved work after epoch 2" in script


def test_a_run_never_restored_promises_the_same_numbers(train_page):
    from ui import take_home

    at = click(train_page, "train_step_end")
    shown = texts(at.caption)
    assert "ends with the same loss and accuracy as here" in shown
    assert "came back from saved work" not in shown + texts(at.warning)
    script = take_home.program_file(session_run(at), [], ("n", "p"), fmt="py")
    assert "This run differs" not in script
