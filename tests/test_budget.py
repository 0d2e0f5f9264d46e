"""One model's budget: the counted parameters are Keras' own, and a model over it is refused
before TensorFlow allocates it, with a message naming the controls to lower."""

import pytest

from explorer.budget import MAX_PARAMETERS, check_model_size, model_size
from explorer.errors import InputError
from explorer.model import ModelSettings, build_model, prepare
from explorer.text import EncodeSettings, encode


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
