"""One model's budget: the counted parameters are Keras' own, and a model over it is refused
before TensorFlow allocates it, with a message naming the controls to lower."""

import doctest

import pytest

from explorer.budget import (MAX_PARAMETERS, check_model_size, model_size, snapshot_budget,
                             snapshot_epochs)
from explorer.errors import InputError
from explorer.model import ModelSettings, build_model, prepare
from explorer.text import EncodeSettings, encode


def test_docstring_examples_run():
    import explorer.budget

    results = doctest.testmod(explorer.budget)
    assert results.attempted >= 3 and results.failed == 0


@pytest.mark.parametrize("head", ["flatten", "average", "lstm"])
@pytest.mark.parametrize("vocab_size,max_length,output_dim", [(50, 4, 8), (7, 1, 1), (300, 12, 33)])
def test_counted_parameters_equal_keras(head, vocab_size, max_length, output_dim):
    settings = ModelSettings(output_dim=output_dim, head=head)
    model = build_model(vocab_size=vocab_size, max_length=max_length, settings=settings)
    counted = model_size(vocab_size=vocab_size, max_length=max_length, output_dim=output_dim,
                         head=head, optimizer="adam", batch_size=32).parameters
    assert counted == model.count_params()


def test_the_largest_widget_settings_are_refused_with_the_controls_to_lower():
    with pytest.raises(InputError) as error:
        check_model_size(vocab_size=100_000, max_length=1_000, output_dim=1_024, head="lstm",
                         optimizer="adam", batch_size=32)
    message = str(error.value)
    assert "102,466,641 parameters" in message and f"{MAX_PARAMETERS:,}" in message
    assert "Vocabulary size" in message and "Output dimension" in message


def test_a_huge_batch_is_refused_but_only_as_big_as_the_reviews_it_has():
    with pytest.raises(InputError, match="Batch size"):
        check_model_size(vocab_size=1_000, max_length=1_000, output_dim=1_024, head="average",
                         optimizer="sgd", batch_size=4_096)
    # Ten reviews never make a batch of more than ten, whatever the Batch size says.
    check_model_size(vocab_size=1_000, max_length=1_000, output_dim=1_024, head="average",
                     optimizer="sgd", batch_size=4_096, n_reviews=10)


def test_glove_width_on_the_largest_vocabulary_fits():
    size = check_model_size(vocab_size=100_000, max_length=100, output_dim=50, head="average",
                            optimizer="adam", batch_size=32)
    assert size.training_bytes < 300 * 2**20


def test_prepare_refuses_before_building(monkeypatch):
    import explorer.model as model_module

    def must_not_build(**_):
        raise AssertionError("build_model was called for a model over the budget")

    monkeypatch.setattr(model_module, "build_model", must_not_build)
    encoded = encode(["good food", "bad food"], EncodeSettings(vocab_size=100_000, max_length=4))
    with pytest.raises(InputError, match="parameters"):
        prepare(encoded, [1, 0], settings=ModelSettings(output_dim=1_024))


# --- snapshot memory budget ---------------------------------------------------------------


def test_snapshot_epochs_keep_start_every_kth_and_last():
    assert snapshot_epochs(10, every=1) == list(range(11))
    assert snapshot_epochs(10, every=3) == [0, 3, 6, 9, 10]
    assert snapshot_epochs(10, every=5) == [0, 5, 10]
    assert snapshot_epochs(10, every=10) == [0, 10]
    assert snapshot_epochs(10, every=0) == []


def test_snapshot_budget_exact_numbers():
    mib = 2**20
    # 1,000 x 16 float32 = 64,000 bytes: 819 fit in 50 MiB, so 31 snapshots of 30 epochs do.
    assert snapshot_budget(1000, 16, epochs=30) == 1
    # 10,000 x 64 x 4 = 2,560,000 bytes: 20 fit, so 19 epochs after the start -> every 16th.
    assert snapshot_budget(10_000, 64, epochs=300) == 16
    assert snapshot_epochs(300, every=16)[-3:] == [272, 288, 300]
    # exactly two fit: only the start and the end
    assert snapshot_budget(1, 1, epochs=50, budget_bytes=8) == 50
    # one snapshot alone is over the budget, or only one fits: keep none
    assert snapshot_budget(1000, 16, epochs=30, budget_bytes=64_000) == 0
    assert snapshot_budget(100_000, 300, epochs=5, budget_bytes=50 * mib) == 0


@pytest.mark.parametrize("n_rows", [1, 37, 1000, 20_000, 100_000])
@pytest.mark.parametrize("n_dims", [1, 8, 64, 300])
@pytest.mark.parametrize("epochs", [1, 2, 7, 30, 500])
def test_snapshot_budget_is_the_smallest_interval_that_fits(n_rows, n_dims, epochs):
    budget, size = 50 * 2**20, n_rows * n_dims * 4
    every = snapshot_budget(n_rows, n_dims, epochs=epochs)
    if every == 0:
        assert 2 * size > budget
        return
    assert 1 <= every <= epochs
    assert len(snapshot_epochs(epochs, every=every)) * size <= budget
    if every > 1:
        assert len(snapshot_epochs(epochs, every=every - 1)) * size > budget


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"n_rows": 0}, "n_rows"), ({"n_dims": True}, "n_dims"), ({"epochs": 0}, "epochs"),
     ({"budget_bytes": 1.5}, "budget_bytes")],
)
def test_snapshot_budget_checks_its_arguments(kwargs, name):
    arguments = {"n_rows": 10, "n_dims": 4, "epochs": 5, **kwargs}
    with pytest.raises(InputError, match=f"`{name}`"):
        snapshot_budget(arguments.pop("n_rows"), arguments.pop("n_dims"), **arguments)
