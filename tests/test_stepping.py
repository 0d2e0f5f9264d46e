"""Stepping a run (explorer/stepping.py): steps continue one long fit exactly, and the report of
which Embedding rows moved says what the optimizer and the head really do."""

import dataclasses
import threading

import numpy as np
import pytest

from explorer.errors import InputError
from explorer.model import ModelSettings, prepare, summary_table, train
from explorer.reviews import load_sample, validate_reviews
from explorer.stepping import Stepper, explain, is_diverged
from explorer.text import EncodeSettings, encode

# Two hand-made reviews: with the vocabulary encoding good=2, food=3, bad=4, service=5, and
# max length 3 pads each with one 0. Ids 1 and 6-9 are in no review.
TEXTS = ["good food", "bad service"]
LABELS = [1, 0]
VOCAB = EncodeSettings(method="vocabulary", vocab_size=10, max_length=3)


def tiny(**settings):
    encoded = encode(TEXTS, VOCAB)
    assert encoded.padded.tolist() == [[2, 3, 0], [4, 5, 0]]
    base = {"output_dim": 4, "epochs": 20, "learning_rate": 0.1, "seed": 0}
    return prepare(encoded, LABELS, settings=ModelSettings(**{**base, **settings}))


def tutorial(**settings):
    texts, labels = validate_reviews(load_sample("Restaurant reviews"))
    return prepare(encode(texts, EncodeSettings()), labels,
                   settings=ModelSettings(**{"epochs": 6, **settings}))


@pytest.mark.parametrize("settings", [
    {"batch_size": 3},  # four batches an epoch, the last one short
    {"batch_size": 4, "validation_split": 0.2, "optimizer": "rmsprop", "head": "average"},
])
def test_one_epoch_steps_give_exactly_one_long_fit(settings):
    whole = train(tutorial(**settings))
    stepped = tutorial(**settings)
    stepper = Stepper(stepped)
    for _ in range(6):
        stepper.step(epochs=1)
    assert np.array_equal(stepped.weights_after, whole.weights_after)
    assert stepped.history == whole.history
    assert stepped.snapshot_epochs == whole.snapshot_epochs == [0, 1, 2, 3, 4, 5, 6]
    assert all(np.array_equal(a, b) for a, b in zip(stepped.snapshots, whole.snapshots))


def test_single_batches_then_epochs_continue_the_same_fit():
    whole = train(tutorial(batch_size=4))  # 10 reviews: batches of 4, 4 and 2
    stepped = tutorial(batch_size=4)
    stepper = Stepper(stepped)
    stepper.step(batches=1)
    stepper.step(batches=1)
    assert stepped.epochs_run == 0 and stepper.batch_in_epoch == 2
    report = stepper.step(epochs=2)  # finishes epoch 1, then epoch 2
    assert (report.batches, report.epochs, stepped.epochs_run) == (1 + 3, 2, 2)
    stepper.step()  # to the end
    assert stepped.epochs_run == 6
    assert np.array_equal(stepped.weights_after, whole.weights_after)
    assert stepped.history == whole.history


def test_a_run_stopped_by_train_continues_where_it_ended():
    whole = train(tutorial(batch_size=3))
    stopped = train(tutorial(batch_size=3), should_stop=lambda: True)
    assert stopped.epochs_run == 1 and stopped.stopped.startswith("Stopped by request")
    Stepper(stopped).step()
    assert stopped.stopped is None and stopped.epochs_run == 6
    assert np.array_equal(stopped.weights_after, whole.weights_after)
    assert stopped.history == whole.history


def test_sgd_one_batch_changes_exactly_the_rows_of_its_ids():
    run = tiny(optimizer="sgd", batch_size=2)  # one batch holds both reviews
    report = Stepper(run).step(batches=1)
    assert report.seen_ids.tolist() == [0, 2, 3, 4, 5]
    assert report.changed_ids.tolist() == [0, 2, 3, 4, 5]  # padding too: Flatten reads it
    untouched = [1, 6, 7, 8, 9]
    assert np.array_equal(report.after[untouched], report.before[untouched])  # bit-identical
    assert (report.row_change[untouched] == 0).all()
    assert (report.row_change[[0, 2, 3, 4, 5]] > 0).all()
    assert explain(run.settings, report) == (
        "With SGD only the rows of the 5 ids in this step's batches change; every other row is "
        "bit-identical, and the padding row 0 learns too, because Flatten reads every position "
        "and cannot mask the padding.")


@pytest.mark.parametrize("optimizer, keeps_moving", [("sgd", False), ("adam", True),
                                                     ("rmsprop", False)])
def test_a_row_seen_earlier_moves_when_absent_only_with_adam(optimizer, keeps_moving):
    run = tiny(optimizer=optimizer, batch_size=1)  # one review a batch
    stepper = Stepper(run)
    first = stepper.step(batches=1)
    second = stepper.step(batches=1)
    words_first = set(first.seen_ids) - {0}
    words_second = set(second.seen_ids) - {0}
    assert {frozenset(words_first), frozenset(words_second)} == {frozenset({2, 3}),
                                                                 frozenset({4, 5})}
    assert first.moved_unseen.tolist() == []  # nothing was seen before the first batch
    moved = set(second.moved_unseen.tolist())
    assert moved == (words_first if keeps_moving else set())
    assert set(second.changed_ids.tolist()) == set(second.seen_ids) | moved
    sentence = explain(run.settings, second)
    if keeps_moving:
        assert "keeps moving through Adam's moving averages" in sentence
        assert "(2 such rows here)" in sentence
    else:
        assert "every other row is bit-identical" in sentence


def test_adam_says_where_to_look_when_every_epoch_sees_every_review():
    run = tiny(optimizer="adam", batch_size=2)
    stepper = Stepper(run)
    stepper.step(epochs=1)
    report = stepper.step(epochs=1)
    assert report.moved_unseen.tolist() == []
    assert "step one batch at a time to catch one" in explain(run.settings, report)


@pytest.mark.parametrize("head", ["average", "lstm"])
def test_mask_zero_keeps_the_padding_row_still(head):
    for optimizer in ("sgd", "adam"):
        run = tiny(optimizer=optimizer, head=head, mask_zero=True, batch_size=2)
        report = Stepper(run).step(epochs=3)
        assert 0 in report.seen_ids
        assert report.changed_ids.tolist() == [2, 3, 4, 5]
        assert np.array_equal(report.after[0], report.before[0])
        assert explain(run.settings, report).endswith(
            "but the padding row 0 stays as it was: mask_zero hides padding from the head.")
        unmasked = tiny(optimizer=optimizer, head=head, batch_size=2)
        assert 0 in Stepper(unmasked).step(epochs=3).changed_ids


def test_mask_zero_with_flatten_is_refused_saying_why():
    with pytest.raises(InputError, match=r"^`mask_zero` cannot be used with the Flatten head: "
                                         r"Flatten keeps one slot per position"):
        ModelSettings(mask_zero=True).checked()


def test_the_summary_names_the_mask():
    table, _ = summary_table(tiny(head="average", mask_zero=True).model)
    assert table.set_index("layer").loc["embedding", "type"] == "Embedding (mask_zero)"
    table, _ = summary_table(tiny(head="average").model)
    assert table.set_index("layer").loc["embedding", "type"] == "Embedding"


def test_mask_zero_with_a_glove_like_start_works():
    start = np.arange(40, dtype=np.float32).reshape(10, 4) / 40
    start[0] = 0.0  # the app's GloVe start puts padding at zeros
    encoded = encode(TEXTS, VOCAB)
    run = prepare(encoded, LABELS, initial_embedding=start,
                  settings=ModelSettings(output_dim=4, head="average", mask_zero=True, epochs=2))
    assert run.start == "glove_tuned"
    report = Stepper(run).step()
    assert np.array_equal(report.after[0], np.zeros(4, dtype=np.float32))
    assert report.changed_ids.tolist() == [2, 3, 4, 5]


def test_frozen_embedding_changes_no_row():
    encoded = encode(TEXTS, VOCAB)
    run = prepare(encoded, LABELS, initial_embedding=np.ones((10, 4), np.float32),
                  settings=ModelSettings(output_dim=4, trainable=False, epochs=2))
    report = Stepper(run).step(epochs=1)
    assert report.changed_ids.tolist() == []
    assert explain(run.settings, report).startswith("The Embedding layer is frozen")


def test_the_end_of_the_run_is_a_clear_message():
    run = tiny(epochs=2)
    stepper = Stepper(run)
    assert stepper.step(epochs=10).epochs == 2  # never past Epochs
    with pytest.raises(InputError, match=r"^This run has trained all its 2 epochs \(Epochs = 2\)"):
        stepper.step(epochs=1)
    stepper.result.settings = dataclasses.replace(run.settings, epochs=3)  # Epochs raised
    assert stepper.epochs_left == 1 and stepper.step(epochs=10).epochs == 1


def test_a_diverged_run_stops_and_refuses_more_steps():
    encoded = encode(TEXTS, VOCAB)
    poisoned = np.full((10, 4), np.nan, dtype=np.float32)
    run = prepare(encoded, LABELS, initial_embedding=poisoned,
                  settings=ModelSettings(output_dim=4, epochs=3))
    stepper = Stepper(run)
    report = stepper.step(epochs=1)
    assert report.epochs == 0 and run.history == {}
    assert run.stopped.startswith("The loss became NaN or infinite in epoch 1")
    assert is_diverged(run)
    with pytest.raises(InputError, match=r"^This run diverged .* press Train for a fresh run"):
        stepper.step(epochs=1)
    with pytest.raises(InputError, match="diverged"):
        Stepper(run)


def test_a_second_step_while_one_runs_is_refused():
    stepper = Stepper(tiny())
    with stepper._busy:  # another thread holds the run
        with pytest.raises(InputError, match="already training a step"):
            stepper.step(epochs=1)


def test_bad_step_sizes_are_refused():
    stepper = Stepper(tiny())
    for bad in (0, -1, True, 1.5):
        with pytest.raises(InputError, match=r"`epochs` must be a positive integer"):
            stepper.step(epochs=bad)
    with pytest.raises(InputError, match="not both"):
        stepper.step(epochs=1, batches=1)


def test_an_interrupted_step_keeps_its_report_and_the_epochs_it_finished():
    run = tiny(epochs=10)
    stepper = Stepper(run)

    def interrupt(epoch, history):
        if epoch == 3:
            raise KeyboardInterrupt  # as a Streamlit rerun does from the page's hook

    with pytest.raises(KeyboardInterrupt):
        stepper.step(on_epoch=interrupt)
    assert run.epochs_run == 3 and stepper.last_report.epochs == 3
    assert np.array_equal(stepper.last_report.after, run.weights_after)
    assert threading.Lock().acquire(blocking=False) and stepper._busy.acquire(blocking=False)


def test_settings_saved_before_mask_zero_still_read():
    from dataclasses import asdict

    from explorer.workspace.schema import read_settings

    old = asdict(ModelSettings())
    old.pop("mask_zero")  # a workspace file written before the option
    assert read_settings(ModelSettings, old, "model_settings") == ModelSettings()
    with pytest.raises(InputError, match="`mask_zero` cannot be used with the Flatten head"):
        read_settings(ModelSettings, {**old, "mask_zero": True}, "model_settings")


def restored(run):
    """`run` written to a workspace file and read back, as the app restores saved work."""
    import pandas as pd

    from explorer.workspace import restore_run, saved_model, workspace_from_json, workspace_to_json

    reviews = pd.DataFrame({"text": [" ".join(t) for t in run.encoded.tokens],
                            "label": run.labels.astype(int)})
    text = workspace_to_json(reviews=reviews, class_names=("0", "1"),
                             encode_settings=run.encoded.settings, model_settings=run.settings,
                             model=saved_model(run, reviews=reviews, class_names=("0", "1")))
    return restore_run(workspace_from_json(text))


@pytest.mark.parametrize("optimizer", ["adam", "rmsprop"])
def test_a_restored_run_stepped_on_knows_its_optimizer_restarted_and_differs(optimizer):
    from explorer.stepping import optimizer_restart, restored_without_optimizer

    whole = train(tutorial(optimizer=optimizer, batch_size=4))  # 6 epochs of 3 batches
    first = tutorial(optimizer=optimizer, batch_size=4)
    Stepper(first).step(epochs=2)
    assert optimizer_restart(first) is None and not restored_without_optimizer(first)
    back = restored(first)
    assert back.epochs_run == 2 and restored_without_optimizer(back)
    assert optimizer_restart(back) is None  # not stepped since: nothing differs yet
    stepper = Stepper(back)
    assert stepper.note.startswith("The optimizer starts afresh at epoch 2")
    stepper.step(batches=1)
    assert optimizer_restart(back) == 2  # mid-epoch 3
    stepper.step()  # to the end
    assert back.epochs_run == 6 and optimizer_restart(back) == 2
    assert not restored_without_optimizer(back)
    assert back.history["loss"][:2] == whole.history["loss"][:2]
    assert back.history["loss"][2:] != whole.history["loss"][2:]  # the break shows


def test_plain_sgd_keeps_no_state_so_a_restore_changes_nothing():
    from explorer.stepping import optimizer_restart, restored_without_optimizer

    whole = train(tutorial(optimizer="sgd", learning_rate=0.1))
    first = tutorial(optimizer="sgd", learning_rate=0.1)
    Stepper(first).step(epochs=2)
    back = restored(first)
    assert not restored_without_optimizer(back)
    stepper = Stepper(back)
    assert stepper.note == ""
    stepper.step()
    assert optimizer_restart(back) is None
    np.testing.assert_allclose(back.history["loss"], whole.history["loss"], rtol=1e-6)
