"""The workspace file and the URL state: exact round trips, and every refusal with its message."""

import base64
import copy
import doctest
import io
import json
import zlib
from dataclasses import asdict

import numpy as np
import pandas as pd
import pytest

import explorer.workspace as workspace_module
from explorer.workspace import file_format, schema, url_format
from explorer.workspace import saved as saved_module
from explorer.errors import InputError
from explorer.model import ModelSettings
from explorer.text import EncodeSettings
from explorer.workspace import (
    MAX_FILE_BYTES,
    MAX_QUERY_CHARS,
    MAX_REVIEWS,
    SavedModel,
    Workspace,
    settings_from_query,
    settings_to_query,
    workspace_from_json,
    workspace_to_json,
)

ENCODE = asdict(EncodeSettings())  # hashing, 50, 4, post, post
MODEL = asdict(ModelSettings())  # dim 8, flatten, adam, 0.001, 100 epochs, 32, 0.0, seed 0
NAMES = ["negative", "positive"]


def reviews(*rows):
    return pd.DataFrame({"text": [r[0] for r in rows], "label": [r[1] for r in rows]})


TINY = reviews(("horrible food!", 0), ("awesome", 1))


def save(**changes) -> str:
    arguments = dict(reviews=TINY, class_names=NAMES, encode_settings=ENCODE,
                     model_settings=MODEL)
    arguments.update(changes)
    return workspace_to_json(**arguments)


def document(**changes) -> dict:
    """A valid saved workspace as a dict, with top-level fields replaced."""
    doc = json.loads(save())
    doc.update(changes)
    return doc


def tiny_model(**changes) -> SavedModel:
    """A saved tutorial-shaped model (Embedding 50×8, Dense 32→1) made of numbers, no Keras."""
    rng = np.random.default_rng(0)
    arguments = dict(
        encode_settings=ENCODE, model_settings=MODEL,
        weights=[rng.uniform(-1, 1, (50, 8)).astype(np.float32),
                 rng.uniform(-1, 1, (32, 1)).astype(np.float32), np.array([0.25], np.float32)],
        embedding_before=rng.uniform(-0.05, 0.05, (50, 8)).astype(np.float32),
        history={"loss": [0.69, 0.5], "accuracy": [0.5, 1.0]}, label="#1: flatten, dim 8")
    arguments.update(changes)
    return SavedModel(**arguments)


def model_document(**changes) -> dict:
    """A valid saved workspace with a model, as a dict, with fields of `model` replaced."""
    doc = json.loads(save(model=tiny_model()))
    doc["model"].update(changes)
    return doc


def matrix_json(array) -> dict:
    array = np.asarray(array, dtype="<f4")
    return {"dtype": "float32-le", "shape": list(array.shape),
            "data": base64.b64encode(array.tobytes()).decode("ascii")}


def refused(content) -> str:
    with pytest.raises(InputError) as info:
        workspace_from_json(content)
    message = str(info.value)
    assert message.endswith("Nothing was changed."), message
    return message


def test_docstring_examples_run():
    attempted = 0
    for module in (workspace_module, file_format, url_format, saved_module, schema):
        results = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert results.failed == 0, module.__name__
        attempted += results.attempted
    assert attempted >= 5


# --- round trips ----------------------------------------------------------------------------

def test_round_trip_without_weights_gives_back_every_field():
    loaded = workspace_from_json(save())
    assert isinstance(loaded, Workspace)
    assert loaded.reviews.to_dict("records") == [
        {"text": "horrible food!", "label": 0}, {"text": "awesome", "label": 1}]
    assert loaded.class_names == ("negative", "positive")
    assert loaded.encode_settings == ENCODE
    assert loaded.model_settings == MODEL
    assert loaded.model is None and loaded.embedding_start == "random"
    assert EncodeSettings(**loaded.encode_settings) == EncodeSettings()
    assert ModelSettings(**loaded.model_settings) == ModelSettings()


def test_restored_reviews_equal_the_sample_csv_table():
    table = pd.read_csv("sample_data/restaurant_reviews.csv")
    loaded = workspace_from_json(save(reviews=table))
    pd.testing.assert_frame_equal(loaded.reviews, table)


def test_saved_file_is_documented_json_with_format_marker():
    doc = json.loads(save())
    assert doc["format"] == "embedding-explorer-workspace" and doc["version"] == 2
    assert list(doc) == ["format", "version", "reviews", "class_names", "encode_settings",
                         "model_settings", "embedding_start", "model"]
    assert doc["embedding_start"] == "random" and doc["model"] is None
    assert doc["reviews"] == [{"text": "horrible food!", "label": 0},
                              {"text": "awesome", "label": 1}]


def test_round_trip_of_a_model_is_bit_exact_and_keeps_every_field():
    saved = tiny_model(stopped="Stopped by request after epoch 2.", seconds=1.5)
    loaded = workspace_from_json(save(model=saved, embedding_start="glove_tuned"))
    assert loaded.embedding_start == "glove_tuned"
    model = loaded.model
    assert [w.dtype for w in model.weights] == [np.float32] * 3
    assert [w.tobytes() for w in model.weights] == [w.tobytes() for w in saved.weights]
    assert [w.shape for w in model.weights] == [(50, 8), (32, 1), (1,)]
    assert model.embedding_before.tobytes() == saved.embedding_before.tobytes()
    assert model.history == saved.history
    assert model.encode_settings == ENCODE and model.model_settings == MODEL
    assert model.reviews is None and model.label == "#1: flatten, dim 8"
    assert model.stopped == "Stopped by request after epoch 2." and model.seconds == 1.5


def test_a_model_trained_on_other_reviews_keeps_them():
    trained_on = reviews(("cold food", 0), ("awesome", 1), ("rude", 0))
    loaded = workspace_from_json(save(model=tiny_model(reviews=trained_on)))
    assert loaded.model.reviews.to_dict("records") == trained_on.to_dict("records")
    assert loaded.reviews.to_dict("records") == TINY.to_dict("records")


def test_weights_are_float32_little_endian_base64_with_shape():
    matrix = np.arange(400, dtype=np.float32).reshape(50, 8)
    saved = tiny_model()
    doc = json.loads(save(model=tiny_model(weights=[matrix] + saved.weights[1:])))
    stored = doc["model"]["weights"][0]
    assert stored["dtype"] == "float32-le" and stored["shape"] == [50, 8]
    raw = base64.b64decode(stored["data"])
    assert raw[:8] == b"\x00\x00\x00\x00\x00\x00\x80\x3f"  # 0.0 then 1.0, little-endian
    assert doc["model"]["weights"][2]["shape"] == [1]
    np.testing.assert_array_equal(workspace_from_json(json.dumps(doc)).model.weights[0], matrix)


def test_unicode_long_and_awkward_reviews_survive():
    odd = reviews(("Ünïcödé 😀 日本語のレビュー", 1), ("x" * 10_000, 0),
                  ('quotes " and \\ and\nnew line', 1), ("", 0))
    loaded = workspace_from_json(save(reviews=odd).encode("utf-8"))
    assert loaded.reviews["text"].tolist() == odd["text"].tolist()
    assert loaded.reviews["label"].tolist() == [1, 0, 1, 0]


def test_labels_given_as_class_names_or_numpy_ints_are_stored_as_0_and_1():
    table = reviews(("bad", "negative"), ("good", "positive"), ("ok", np.int64(1)), ("meh", 0.0))
    loaded = workspace_from_json(save(reviews=table))
    assert loaded.reviews["label"].tolist() == [0, 1, 1, 0]


def test_missing_text_of_a_new_table_row_is_saved_as_empty():
    table = pd.DataFrame({"text": ["good", None], "label": [1, 0]})
    assert workspace_from_json(save(reviews=table)).reviews["text"].tolist() == ["good", ""]


def test_numpy_numbers_in_settings_are_written_as_plain_numbers():
    encode = dict(ENCODE, vocab_size=np.int64(60))
    model = dict(MODEL, learning_rate=np.float64(0.01), epochs=np.int32(5))
    loaded = workspace_from_json(save(encode_settings=encode, model_settings=model))
    assert loaded.encode_settings["vocab_size"] == 60
    assert loaded.model_settings["learning_rate"] == 0.01 and loaded.model_settings["epochs"] == 5


def test_same_work_gives_the_same_text():
    assert save(model=tiny_model()) == save(model=tiny_model())


def test_empty_review_table_round_trips():
    empty = pd.DataFrame({"text": [], "label": []})
    loaded = workspace_from_json(save(reviews=empty))
    assert len(loaded.reviews) == 0 and list(loaded.reviews.columns) == ["text", "label"]


def test_reads_uploaded_file_objects_and_a_byte_order_mark():
    text = save()
    assert workspace_from_json(io.BytesIO(text.encode("utf-8"))).class_names == tuple(NAMES)
    assert workspace_from_json(b"\xef\xbb\xbf" + text.encode("utf-8")).class_names == tuple(NAMES)


# --- refusals when saving -------------------------------------------------------------------

@pytest.mark.parametrize("changes, fragment", [
    ({"reviews": reviews(("good", 2))}, "The label of review 1 must be 0, 1, 'negative' or 'positive'"),
    ({"reviews": reviews(("good", "great"))}, "Received: label='great'"),
    ({"reviews": reviews(("good", True))}, "Received: label=True"),
    ({"reviews": pd.DataFrame({"review": ["x"]})}, "`reviews` must be a table with columns text and label"),
    ({"reviews": [("x", 1)]}, "Received: list"),
    ({"model": tiny_model(weights=[np.full((50, 8), np.nan, dtype=np.float32)])},
     "`weights[0]` contains NaN or infinite values, so it cannot be saved."),
    ({"model": tiny_model(embedding_before=np.zeros(400, dtype=np.float32))},
     "`model.embedding_before.shape` must be (vocab_size, output_dim) = (50, 8)"),
    ({"model": tiny_model(embedding_before=np.zeros((49, 8), dtype=np.float32))},
     "must be (vocab_size, output_dim) = (50, 8), as the settings say. Received: shape=[49, 8]"),
    ({"model": tiny_model(weights=[])}, "`model.weights` must be a list of 1 to 64 arrays"),
    ({"model": tiny_model(history={"loss": [float("nan")]})},
     "`model.history.loss` must hold finite numbers only. Received: nan"),
    ({"model": tiny_model(reviews=reviews(("good", 7)))}, "Received: label=7"),
    ({"embedding_start": "pretrained"}, "`embedding_start` must be one of 'random', 'glove_frozen'"),
    ({"encode_settings": dict(ENCODE, vocab_size=1)}, "`vocab_size` must be between 2 and 100,000"),
    ({"class_names": ["same", "same"]}, "`class_names` must be two different"),
])
def test_saving_refuses_what_no_workspace_could_hold(changes, fragment):
    with pytest.raises(InputError) as info:
        save(**changes)
    assert fragment in str(info.value)


# --- refusals when reading ------------------------------------------------------------------

def test_refuses_bytes_that_are_not_utf8():
    message = refused(b'{"format": "embedding-explorer-workspace", "x": "\xff"}')
    assert "it is not UTF-8 text (byte 50 is b'\\xff')" in message


@pytest.mark.parametrize("content", ["", "not json at all", "{'format': 1}", '{"a": 1,}', "[1, 2"])
def test_refuses_text_that_is_not_json(content):
    assert "This is not an Embedding Explorer workspace file: it is not valid JSON" in refused(content)


def test_refusal_says_where_the_json_breaks():
    assert "at line 2, column 1" in refused('{"format":\n}')


@pytest.mark.parametrize("content, received", [
    ('{"name": "my-notebook", "cells": []}', "format=None"),
    ('{"format": "jupyter", "version": 1}', "format='jupyter'"),
    ("[1, 2, 3]", "format='list'"),
    ('"just a string"', "format='str'"),
    ("42", "format='int'"),
    ("null", "format='NoneType'"),
])
def test_refuses_json_of_another_program(content, received):
    message = refused(content)
    assert message.startswith("This is not an Embedding Explorer workspace file: its `format` must "
                              "be 'embedding-explorer-workspace'.")
    assert received in message


@pytest.mark.parametrize("version", [1, 3, 0, "2", 2.0 + 0.5, True, None])
def test_refuses_other_versions(version):
    # Version 1 held only the Embedding table, from which no usable model can be rebuilt.
    message = refused(json.dumps(document(version=version)))
    assert f"This workspace file has `version` {version!r}; this app reads version 2." in message


def test_refuses_a_missing_version():
    doc = document()
    del doc["version"]
    assert "`version` None" in refused(json.dumps(doc))


@pytest.mark.parametrize("field", ["reviews", "class_names", "encode_settings", "model_settings"])
def test_refuses_a_missing_required_field(field):
    doc = document()
    del doc[field]
    assert f"`workspace` lacks the field(s) '{field}'." in refused(json.dumps(doc))


def test_embedding_start_and_model_may_be_left_out():
    doc = document()
    del doc["embedding_start"], doc["model"]
    loaded = workspace_from_json(json.dumps(doc))
    assert loaded.model is None and loaded.embedding_start == "random"


def test_refuses_unknown_fields():
    message = refused(json.dumps(document(extra=1)))
    assert "`workspace` has unknown field(s) 'extra'" in message


def test_refuses_a_field_named_twice():
    text = save().replace('"version": 2,', '"version": 2, "version": 2,', 1)
    assert "names the field 'version' twice" in refused(text)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_refuses_nan_and_infinity_constants(constant):
    text = save().replace('"learning_rate": 0.001', f'"learning_rate": {constant}')
    assert f"contains {constant}, which is not a number JSON allows" in refused(text)


def test_refuses_numbers_too_large_for_a_float():
    text = save().replace('"learning_rate": 0.001', '"learning_rate": 1e999')
    assert "`learning_rate` must be a number above 0 and at most 10. Received: learning_rate=inf" in refused(text)


def test_refuses_integers_with_absurdly_many_digits():
    text = save().replace('"seed": 0', '"seed": ' + "9" * 5000)
    message = refused(text)
    assert "This is not an Embedding Explorer workspace file: it holds a number with thousands" in message
    assert "set_int_max_str_digits" not in message  # Python's advice is not the user's to follow


def test_refuses_json_nested_too_deeply():
    text = save()[:-1] + ', "deep": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert "nested too deeply" in refused(text)


def test_refuses_files_over_50_mb_before_parsing_them():
    huge = b" " * (MAX_FILE_BYTES + 1)
    assert "A workspace file must be at most 50 MB. Received: 50.0 MB." in refused(huge)
    assert "at most 50 MB" in refused(huge.decode("ascii"))


def test_refuses_content_that_is_neither_text_nor_bytes():
    assert "must be text or bytes. Received: int" in refused(12)


@pytest.mark.parametrize("rows, fragment", [
    ({"text": "a", "label": 0}, "`reviews` must be a list of {text, label} objects. Received: an object"),
    ([["a", 0]], "`reviews[0]` must be a JSON object. Received: a list"),
    ([{"text": "a"}], "`reviews[0]` lacks the field(s) 'label'."),
    ([{"text": "a", "label": 0, "id": 3}], "`reviews[0]` has unknown field(s) 'id'"),
    ([{"text": 5, "label": 0}], "`reviews[0].text` must be a string. Received: a number"),
    ([{"text": None, "label": 0}], "`reviews[0].text` must be a string. Received: null"),
    ([{"text": "a", "label": 0}, {"text": "b", "label": 2}], "`reviews[1].label` must be 0 or 1. Received: label=2"),
    ([{"text": "a", "label": "positive"}], "Received: label='positive'"),
    ([{"text": "a", "label": True}], "Received: label=True"),
    ([{"text": "a", "label": 1.0}], "Received: label=1.0"),
    ([{"text": "a", "label": None}], "Received: label=None"),
])
def test_refuses_malformed_reviews(rows, fragment):
    assert fragment in refused(json.dumps(document(reviews=rows)))


def test_refuses_more_reviews_than_the_limit():
    rows = [{"text": "", "label": 0}] * (MAX_REVIEWS + 1)
    assert "`reviews` must hold at most 100,000 reviews. Received: 100,001" in refused(
        json.dumps(document(reviews=rows)))


@pytest.mark.parametrize("names, fragment", [
    (["only one"], "`class_names` must be a list of two names."),
    (["a", "b", "c"], "`class_names` must be a list of two names."),
    ("negative,positive", "`class_names` must be a list of two names."),
    ([0, 1], "`class_names` must be a list of two names."),
    (["bad", "bad"], "two different, non-empty names"),
    (["Bad", "bad "], "two different, non-empty names"),
    (["bad", "  "], "two different, non-empty names"),
    (["bad", "g" * 41], "at most 40 characters"),
])
def test_refuses_bad_class_names(names, fragment):
    assert fragment in refused(json.dumps(document(class_names=names)))


@pytest.mark.parametrize("change, fragment", [
    ({"vocab_size": 1}, "`vocab_size` must be between 2 and 100,000. Received: vocab_size=1"),
    ({"vocab_size": 100_001}, "`vocab_size` must be between 2 and 100,000"),
    ({"vocab_size": "50"}, "`vocab_size` must be an integer. Received: vocab_size='50'"),
    ({"vocab_size": 50.0}, "`vocab_size` must be an integer. Received: vocab_size=50.0"),
    ({"vocab_size": True}, "`vocab_size` must be an integer. Received: vocab_size=True"),
    ({"max_length": 0}, "`max_length` must be between 1 and 1,000"),
    ({"max_length": 1001}, "`max_length` must be between 1 and 1,000"),
    ({"method": "bogus"}, "`method` must be one of 'hashing', 'vocabulary', 'keras_hashing'. Received: method='bogus'"),
    ({"padding": "middle"}, "`padding` must be one of 'pre', 'post'"),
    ({"truncating": None}, "`truncating` must be one of 'pre', 'post'. Received: truncating=None"),
    ({"lowercase": True}, "`encode_settings` has unknown field(s) 'lowercase'"),
])
def test_refuses_bad_encode_settings(change, fragment):
    settings = dict(ENCODE, **change)
    assert fragment in refused(json.dumps(document(encode_settings=settings)))


def test_refuses_encode_settings_with_a_field_missing_or_of_the_wrong_kind():
    settings = {k: v for k, v in ENCODE.items() if k != "padding"}
    assert "`encode_settings` lacks the field(s) 'padding'." in refused(
        json.dumps(document(encode_settings=settings)))
    assert "`encode_settings` must be a JSON object. Received: a list" in refused(
        json.dumps(document(encode_settings=[1, 2])))


@pytest.mark.parametrize("change, fragment", [
    ({"output_dim": 0}, "`output_dim` must be between 1 and 1,024. Received: output_dim=0"),
    ({"output_dim": 1025}, "`output_dim` must be between 1 and 1,024"),
    ({"epochs": 2001}, "`epochs` must be between 1 and 2,000"),
    ({"epochs": 0}, "`epochs` must be between 1 and 2,000"),
    ({"batch_size": 0}, "`batch_size` must be between 1 and 4,096"),
    ({"seed": -1}, "`seed` must be between 0 and 2,147,483,647"),
    ({"head": "cnn"}, "`head` must be one of 'flatten', 'average', 'lstm'. Received: head='cnn'"),
    ({"optimizer": "adagrad"}, "`optimizer` must be one of 'adam', 'sgd', 'rmsprop'"),
    ({"learning_rate": 0}, "`learning_rate` must be a number above 0 and at most 10"),
    ({"learning_rate": 11}, "Received: learning_rate=11"),
    ({"learning_rate": "0.01"}, "Received: learning_rate='0.01'"),
    ({"validation_split": 1}, "`validation_split` must be at least 0 and below 1"),
    ({"validation_split": -0.1}, "Received: validation_split=-0.1"),
    ({"trainable": "yes"}, "`trainable` must be true or false. Received: trainable='yes'"),
    ({"trainable": 1}, "`trainable` must be true or false. Received: trainable=1"),
    ({"dropout": 0.5}, "`model_settings` has unknown field(s) 'dropout'"),
])
def test_refuses_bad_model_settings(change, fragment):
    settings = dict(MODEL, **change)
    assert fragment in refused(json.dumps(document(model_settings=settings)))


def test_refuses_model_settings_with_a_field_missing():
    settings = {k: v for k, v in MODEL.items() if k != "seed"}
    assert "`model_settings` lacks the field(s) 'seed'." in refused(
        json.dumps(document(model_settings=settings)))


GOOD = np.zeros((50, 8), dtype=np.float32)


@pytest.mark.parametrize("before, fragment", [
    ([[0.0] * 8] * 50, "`model.embedding_before` must be a JSON object. Received: a list"),
    (dict(matrix_json(GOOD), dtype="float64"),
     "`model.embedding_before.dtype` must be one of 'float32-le'. "
     "Received: model.embedding_before.dtype='float64'"),
    (dict(matrix_json(GOOD), scale=1), "`model.embedding_before` has unknown field(s) 'scale'"),
    (matrix_json(np.zeros((8, 50))),
     "`model.embedding_before.shape` must be (vocab_size, output_dim) = (50, 8), as the settings "
     "say. Received: shape=[8, 50]"),
    (matrix_json(np.zeros((50, 9))), "Received: shape=[50, 9]"),
    (dict(matrix_json(GOOD), shape="50x8"), "Received: shape='50x8'"),
    (dict(matrix_json(GOOD), data="not base64!"), "`model.embedding_before.data` is not valid base64."),
    (dict(matrix_json(GOOD), data=[0] * 400), "`model.embedding_before.data` must be base64 text"),
    (dict(matrix_json(GOOD), data=base64.b64encode(b"\0" * 1596).decode()),
     "`model.embedding_before.data` must hold 1,600 bytes (float32 × 50 × 8). Received: 1,596 bytes"),
    (dict(matrix_json(GOOD), data="A" * 10_000),
     "`model.embedding_before.data` must hold 1,600 bytes (float32 × 50 × 8). Received: about 7,500"),
    (matrix_json(np.where(np.eye(50, 8), np.nan, 0)),
     "`model.embedding_before` contains NaN or infinite values (a diverged training run)."),
    (matrix_json(np.where(np.eye(50, 8), np.inf, 0)), "contains NaN or infinite values"),
])
def test_refuses_a_bad_embedding_before_training(before, fragment):
    assert fragment in refused(json.dumps(model_document(embedding_before=before)))


@pytest.mark.parametrize("weights, fragment", [
    ({"embedding": matrix_json(GOOD)}, "`model.weights` must be a list of 1 to 64 arrays. Received: an object"),
    ([], "`model.weights` must be a list of 1 to 64 arrays. Received: a list of 0"),
    ([matrix_json([1.0])] * 65, "Received: a list of 65"),
    (["AAAA"], "`model.weights[0]` must be a JSON object. Received: a string"),
    ([matrix_json(GOOD), dict(matrix_json([1.0]), shape=[])],
     "`model.weights[1].shape` must be a list of 1 to 4 positive integers. Received: shape=[]"),
    ([dict(matrix_json([1.0]), shape=[1, 1, 1, 1, 1])], "Received: shape=[1, 1, 1, 1, 1]"),
    ([dict(matrix_json([1.0]), shape=[0])], "Received: shape=[0]"),
    ([dict(matrix_json([1.0]), shape=[True])], "Received: shape=[True]"),
    ([dict(matrix_json([1.0]), shape=[1.0])], "Received: shape=[1.0]"),
    ([matrix_json([np.inf])], "`model.weights[0]` contains NaN or infinite values"),
])
def test_refuses_bad_model_weights(weights, fragment):
    assert fragment in refused(json.dumps(model_document(weights=weights)))


@pytest.mark.parametrize("field", ["encode_settings", "model_settings", "weights",
                                   "embedding_before", "history"])
def test_refuses_a_model_without_a_required_field(field):
    doc = model_document()
    del doc["model"][field]
    assert f"`model` lacks the field(s) '{field}'." in refused(json.dumps(doc))


@pytest.mark.parametrize("changes, fragment", [
    ({"optimizer": "adam"}, "`model` has unknown field(s) 'optimizer'"),
    ({"encode_settings": dict(ENCODE, vocab_size=1)},
     "In the trained model's settings: `vocab_size` must be between 2 and 100,000"),
    ({"model_settings": dict(MODEL, head="cnn")}, "In the trained model's settings: `head` must be one of"),
    ({"model_settings": {"output_dim": 8}},
     "In the trained model's settings: `model.model_settings` lacks the field(s) 'head'"),
    ({"reviews": [{"text": "a", "label": 3}]}, "`model.reviews[0].label` must be 0 or 1. Received: label=3"),
    ({"reviews": "a,0"}, "`model.reviews` must be a list of {text, label} objects"),
    ({"stopped": 3}, "`model.stopped` must be null or text of at most 2,000 characters. Received: a number"),
    ({"stopped": "x" * 2001}, "`model.stopped` must be null or text"),
    ({"label": 5}, "`model.label` must be null or text"),
    ({"seconds": -1}, "`model.seconds` must be a number of seconds, 0 or more. Received: seconds=-1"),
    ({"seconds": "1"}, "Received: seconds='1'"),
])
def test_refuses_bad_model_fields(changes, fragment):
    assert fragment in refused(json.dumps(model_document(**changes)))


def test_model_label_reviews_stopped_and_seconds_may_be_left_out():
    doc = model_document()
    for field in ("label", "reviews", "stopped", "seconds"):
        del doc["model"][field]
    model = workspace_from_json(json.dumps(doc)).model
    assert (model.label, model.reviews, model.stopped, model.seconds) == ("", None, None, 0.0)


def test_refuses_a_model_in_a_document_that_is_not_an_object():
    assert "`model` must be a JSON object. Received: a list" in refused(json.dumps(document(model=[1])))


def test_embedding_shape_follows_the_model_settings_not_the_pages_settings():
    # The pages may have moved on to other settings since the model was trained.
    doc = model_document(embedding_before=matrix_json(np.ones((60, 4))),
                         encode_settings=dict(ENCODE, vocab_size=60),
                         model_settings=dict(MODEL, output_dim=4))
    loaded = workspace_from_json(json.dumps(doc))
    assert loaded.model.embedding_before.shape == (60, 4)
    assert loaded.encode_settings["vocab_size"] == 50 and loaded.model_settings["output_dim"] == 8


@pytest.mark.parametrize("history, fragment", [
    ([0.5], "`model.history` must be an object of per-epoch lists. Received: a list"),
    ({"f1": [0.5]}, "`model.history` has unknown field(s) 'f1'"),
    ({"loss": 0.5}, "`model.history.loss` must be a list of at most 2,000 numbers."),
    ({"loss": [0.5] * 2001}, "`model.history.loss` must be a list of at most 2,000 numbers."),
    ({"loss": [0.5, "0.4"]}, "`model.history.loss` must hold finite numbers only. Received: '0.4'"),
    ({"loss": [0.5, None]}, "Received: None"),
    ({"loss": [True]}, "Received: True"),
    ({"loss": [0.5, 0.4], "accuracy": [0.5]},
     "The lists in `model.history` must all have one length (one value per epoch). "
     "Received lengths: [1, 2]"),
])
def test_refuses_bad_history(history, fragment):
    assert fragment in refused(json.dumps(model_document(history=history)))


def test_an_empty_history_is_a_model_that_diverged_in_its_first_epoch():
    assert workspace_from_json(json.dumps(model_document(history={}))).model.history == {}


def test_refuses_an_infinite_history_value():
    text = json.dumps(model_document(history={"loss": [0.5]})).replace("[0.5]", "[1e999]")
    assert "`model.history.loss` must hold finite numbers only. Received: inf" in refused(text)


def test_saving_refuses_a_model_too_big_for_a_workspace_file(monkeypatch):
    monkeypatch.setattr(file_format, "MAX_FILE_BYTES", 2_000)
    with pytest.raises(InputError) as info:
        save(model=tiny_model())
    assert str(info.value).startswith("The workspace file would be 0.0 MB; a workspace file may be "
                                      "at most 0 MB. Save it without the trained model")
    save()  # without the model it fits


def test_refusal_does_not_touch_the_callers_data():
    doc = document()
    kept = copy.deepcopy(doc)
    refused(json.dumps(dict(doc, version=3)))
    assert doc == kept


# --- URL state ------------------------------------------------------------------------------

def query(**changes):
    arguments = dict(reviews=TINY, class_names=NAMES, encode_settings=ENCODE,
                     model_settings=MODEL)
    arguments.update(changes)
    return settings_to_query(**arguments)


def test_query_round_trip_restores_reviews_names_and_settings():
    params = query()
    assert list(params) == ["w"] and isinstance(params["w"], str)
    state, message = settings_from_query(params)
    assert message is None
    assert state["reviews"].to_dict("records") == TINY.to_dict("records")
    assert state["class_names"] == NAMES
    assert state["encode_settings"] == ENCODE and state["model_settings"] == MODEL
    assert settings_to_query(**state) == params


def test_query_value_is_url_safe_and_compact():
    table = pd.read_csv("sample_data/restaurant_reviews.csv")
    value = query(reviews=table)["w"]
    assert set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len(value) < 700  # ten reviews plus every setting


def test_the_240_review_sample_still_fits_in_a_url():
    table = pd.read_csv("sample_data/reviews_240.csv")
    state, message = settings_from_query(query(reviews=table))
    assert message is None
    pd.testing.assert_frame_equal(state["reviews"], table)


def test_query_is_none_when_the_work_is_too_big_for_a_url():
    rng = np.random.default_rng(0)
    words = ["".join(rng.choice(list("abcdefghij"), size=8)) for _ in range(2000)]
    big = pd.DataFrame({"text": words, "label": [i % 2 for i in range(2000)]})
    assert query(reviews=big) is None
    assert query(max_chars=10) is None
    assert len(query(max_chars=MAX_QUERY_CHARS)["w"]) <= MAX_QUERY_CHARS


def test_query_refuses_work_no_workspace_could_hold():
    with pytest.raises(InputError, match="`reviews\\[0\\]` must|The label of review 1"):
        query(reviews=reviews(("good", 5)))


def test_query_without_saved_work_gives_nothing_and_no_message():
    assert settings_from_query({}) == (None, None)
    assert settings_from_query({"w": ""}) == (None, None)
    assert settings_from_query({"page": "train"}) == (None, None)


def pack(raw: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw)).decode("ascii")


class Unreadable(dict):
    def get(self, key, default=None):
        raise RuntimeError("broken mapping")


@pytest.mark.parametrize("value, fragment", [
    ("garbage", "it does not decode"),
    ("!!!***", "it is cut short"),
    ("eNo", "it is cut short"),
    (base64.urlsafe_b64encode(zlib.compress(b"{}") + b"tail").decode(), "or has extra data; copy the whole link"),
    (pack(b"\xff\xfe not utf-8"), "it is not UTF-8 text"),
    (pack(b"not json"), "it is not valid JSON"),
    (pack(b'{"format": "other"}'), "its `format` must be 'embedding-explorer-workspace'"),
    (pack(json.dumps(dict(json.loads(save()), version=9)).encode()), "`version` 9"),
    (pack(json.dumps(dict(json.loads(save()), class_names=["a"])).encode()),
     "`class_names` must be a list of two names"),
    (pack(b"\0" * (2 * 2**20)), "its `w` value unpacks to more than 1 MB"),
    (query()["w"][:-40], "it is cut short"),
    ("x" * (3 * MAX_QUERY_CHARS), "its `w` value is not one this app writes."),
    (["a", "list"], "its `w` value is not one this app writes."),
    (7, "its `w` value is not one this app writes."),
])
def test_query_garbage_gives_a_message_and_never_raises(value, fragment):
    state, message = settings_from_query({"w": value})
    assert state is None
    assert message.startswith("The link does not hold saved work that can be restored: ")
    assert fragment in message and message.endswith("Nothing was changed.")


def test_query_from_a_mapping_that_cannot_be_read_is_treated_as_empty():
    assert settings_from_query(Unreadable()) == (None, None)
    assert settings_from_query(None) == (None, None)


def test_query_round_trip_keeps_where_the_embedding_starts():
    state, message = settings_from_query(query(embedding_start="glove_frozen"))
    assert message is None and state["embedding_start"] == "glove_frozen"
    assert settings_from_query(query())[0]["embedding_start"] == "random"


def test_query_refuses_a_link_that_holds_a_trained_model():
    raw = save(model=tiny_model()).encode("utf-8")
    state, message = settings_from_query({"w": pack(raw).rstrip("=")})
    assert state is None and "it holds a trained model, which only a workspace file can." in message


def test_query_declares_long_text_too_big_without_compressing_it(monkeypatch):
    def no_compressing(*args, **kwargs):
        raise AssertionError("compressed text that can never fit")

    monkeypatch.setattr(url_format.zlib, "compress", no_compressing)
    long_text = reviews(("a" * (16 * MAX_QUERY_CHARS + 1), 1))
    assert query(reviews=long_text) is None


# --- rebuilding the trained model (Keras) ---------------------------------------------------

from explorer.model import embedding_weights, predict_texts, prepare, train  # noqa: E402
from explorer.reviews import load_sample, validate_reviews  # noqa: E402
from explorer.text import encode  # noqa: E402
from explorer.workspace import restore_run, saved_model  # noqa: E402

SAMPLE = load_sample("Restaurant reviews")


def untrained(table=SAMPLE, *, encode_settings=ENCODE, **model_changes):
    texts, labels = validate_reviews(table, class_names=tuple(NAMES))
    settings = ModelSettings(**dict(MODEL, **model_changes))
    return prepare(encode(texts, EncodeSettings(**encode_settings)), labels, settings=settings)


def reopen(run, table=SAMPLE, **changes):
    """Save `run` with `table` as the session's reviews, read the file back, rebuild the model."""
    text = save(reviews=table, model=saved_model(run, reviews=table, class_names=NAMES), **changes)
    workspace = workspace_from_json(text)
    return workspace, restore_run(workspace)


def test_a_restored_trained_model_predicts_exactly_as_the_saved_one():
    run = train(untrained(epochs=20))
    run.label, run.seconds = "#1: tutorial", 2.5
    workspace, restored = reopen(run)
    assert workspace.model.reviews is None  # trained on the session's reviews: stored once
    new = ["awesome food", "rude service", "never again", "unknown words only"]
    np.testing.assert_array_equal(predict_texts(restored, new), predict_texts(run, new))
    for got, want in zip(restored.model.get_weights(), run.model.get_weights()):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(restored.weights_after, run.weights_after)
    np.testing.assert_array_equal(restored.weights_before, run.weights_before)
    np.testing.assert_array_equal(restored.encoded.padded, run.encoded.padded)
    np.testing.assert_array_equal(restored.labels, run.labels)
    assert restored.history == run.history and restored.epochs_run == 20
    assert restored.totals == run.totals == {"total": 433, "trainable": 433, "non_trainable": 0}
    assert (restored.label, restored.seconds, restored.stopped) == ("#1: tutorial", 2.5, None)
    assert restored.snapshot_epochs == [0, 20] and len(restored.snapshots) == 2


def test_lstm_head_frozen_embedding_and_vocabulary_encoding_restore_every_weight():
    vocabulary = dict(ENCODE, method="vocabulary", vocab_size=30, max_length=6)
    run = untrained(encode_settings=vocabulary, head="lstm", output_dim=5, trainable=False, seed=3)
    workspace, restored = reopen(run)
    assert [w.shape for w in workspace.model.weights] == [
        (30, 5), (5, 64), (16, 64), (64,), (16, 1), (1,)]
    for got, want in zip(restored.model.get_weights(), run.model.get_weights()):
        np.testing.assert_array_equal(got, want)
    assert restored.totals == run.totals and restored.totals["non_trainable"] == 150
    assert restored.encoded.encoder.word_ids == run.encoded.encoder.word_ids


def test_reviews_changed_after_training_are_saved_with_the_model():
    vocabulary = dict(ENCODE, method="vocabulary", vocab_size=12)
    run = untrained(encode_settings=vocabulary)
    edited = pd.concat([SAMPLE.iloc[2:], reviews(("brand new words here", 1))], ignore_index=True)
    workspace, restored = reopen(run, table=edited)
    assert workspace.reviews["text"].iloc[-1] == "brand new words here"
    assert workspace.model.reviews["text"].tolist()[:2] == ["never coming back", "horrible service"]
    # The vocabulary is fitted on the training reviews, so ids mean what they meant in training.
    assert restored.encoded.encoder.word_ids == run.encoded.encoder.word_ids
    np.testing.assert_array_equal(restored.encoded.padded, run.encoded.padded)
    np.testing.assert_array_equal(embedding_weights(restored.model), run.weights_after)


def test_a_model_whose_weights_do_not_fit_its_settings_is_refused():
    doc = model_document(model_settings=dict(MODEL, head="average"))
    workspace = workspace_from_json(json.dumps(doc))
    with pytest.raises(InputError) as info:
        restore_run(workspace)
    assert str(info.value) == (
        "The trained model in this file cannot be rebuilt: `model.weights` must have the shapes "
        "of the model its settings build, [(50, 8), (8, 1), (1,)]. Received: [(50, 8), (32, 1), "
        "(1,)] Nothing was changed.")


def test_a_model_trained_on_reviews_that_no_longer_validate_is_refused():
    doc = model_document(reviews=[{"text": "!!!", "label": 0}, {"text": "good", "label": 1}])
    with pytest.raises(InputError, match="cannot be rebuilt: `text` must contain at least one word"
                                         ".* Nothing was changed.$"):
        restore_run(workspace_from_json(json.dumps(doc)))


def test_a_learning_rate_written_as_an_integer_still_builds():
    doc = model_document(model_settings=dict(MODEL, learning_rate=10, optimizer="sgd"))
    restored = restore_run(workspace_from_json(json.dumps(doc)))
    assert restored.settings.learning_rate == 10.0 and restored.totals["total"] == 433


@pytest.mark.parametrize("start", ["random", "glove_tuned", "glove_frozen"])
def test_a_restored_run_keeps_where_its_embedding_started(start):
    texts, labels = validate_reviews(SAMPLE, class_names=tuple(NAMES))
    encoded = encode(texts, EncodeSettings(**ENCODE))
    settings = ModelSettings(**dict(MODEL, trainable=start != "glove_frozen"))
    glove_like = None
    if start != "random":  # vectors far larger than a random start's ±0.05, as GloVe's are
        glove_like = np.random.default_rng(0).normal(0, 0.5, (ENCODE["vocab_size"], MODEL["output_dim"]))
    run = prepare(encoded, labels, settings=settings, initial_embedding=glove_like)
    assert run.start == start
    _, restored = reopen(run)
    assert restored.start == start


def test_an_older_file_without_a_start_is_read_from_its_weights():
    texts, labels = validate_reviews(SAMPLE, class_names=tuple(NAMES))
    run = prepare(encode(texts, EncodeSettings(**ENCODE)), labels, settings=ModelSettings(**MODEL),
                  initial_embedding=np.full((ENCODE["vocab_size"], MODEL["output_dim"]), 0.4))
    doc = json.loads(save(reviews=SAMPLE, model=saved_model(run, reviews=SAMPLE, class_names=NAMES)))
    del doc["model"]["start"]
    assert restore_run(workspace_from_json(json.dumps(doc))).start == "glove_tuned"
    random_run = untrained()
    doc = json.loads(save(reviews=SAMPLE, model=saved_model(random_run, reviews=SAMPLE,
                                                            class_names=NAMES)))
    del doc["model"]["start"]
    assert workspace_from_json(json.dumps(doc)).model.start == "random"
