"""The settings' one table of rules, and what derives from it."""

import doctest
from dataclasses import asdict, fields

import pytest

from explorer import constraints
from explorer.constraints import Real, argument, options, widget_bounds
from explorer.errors import InputError
from explorer.model import MAX_EPOCHS, ModelSettings
from explorer.text import MAX_VOCAB_SIZE, EncodeSettings


@pytest.mark.parametrize("settings_class", [EncodeSettings, ModelSettings])
def test_every_field_has_exactly_one_rule(settings_class):
    assert list(settings_class.CONSTRAINTS) == [f.name for f in fields(settings_class)]


@pytest.mark.parametrize("settings", [EncodeSettings(), ModelSettings()])
def test_the_defaults_keep_their_own_rules(settings):
    assert settings.checked() is settings


def test_widgets_and_arguments_derive_from_the_table_and_the_defaults():
    assert widget_bounds(EncodeSettings, "vocab_size") == {"min_value": 2, "max_value": MAX_VOCAB_SIZE}
    assert widget_bounds(ModelSettings, "epochs") == {"min_value": 1, "max_value": MAX_EPOCHS}
    assert widget_bounds(ModelSettings, "validation_split") == {"min_value": 0.0, "max_value": 0.5}
    assert options(EncodeSettings, "padding") == ["post", "pre"]  # the default first
    assert options(ModelSettings, "head") == ["flatten", "average", "lstm"]
    assert argument(EncodeSettings, "vocab_size") == {"default": 50, "type": int}
    assert argument(ModelSettings, "learning_rate") == {"default": 0.001, "type": float}
    assert argument(ModelSettings, "optimizer") == {"default": "adam",
                                                    "choices": ["adam", "sgd", "rmsprop"]}


@pytest.mark.parametrize("value", [-1, 1, float("nan"), True, "0.5", None])
def test_a_half_open_interval_refuses_its_open_end_and_non_numbers(value):
    with pytest.raises(InputError, match=r"`x` must be at least 0 and below 1\. Received: x="):
        Real(0, 1, closed="left").check("x", value)


def test_a_half_open_interval_keeps_its_closed_end():
    assert Real(0, 1, closed="left").check("x", 0) == 0
    assert Real(0, 10, closed="right").check("x", 10.0) == 10.0


def test_docstring_examples_run():
    assert doctest.testmod(constraints).failed == 0


def test_the_command_lines_defaults_are_the_settings_defaults():
    from explorer.__main__ import build_parser

    args = vars(build_parser().parse_args(["train", "--csv", "reviews.csv"]))
    args["method"] = args.pop("encoding")
    encode, model = asdict(EncodeSettings()), asdict(ModelSettings())
    model.pop("trainable")  # the command line always trains the Embedding
    assert {name: args[name] for name in encode} == encode
    assert {name: args[name] for name in model} == model
