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
from explorer.errors import InputError
from explorer.model import ModelSettings
from explorer.text import EncodeSettings
from explorer.workspace import (
    FORMAT,
    MAX_FILE_BYTES,
    MAX_QUERY_CHARS,
    MAX_REVIEWS,
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
    results = doctest.testmod(workspace_module, optionflags=doctest.ELLIPSIS)
    assert results.attempted >= 5 and results.failed == 0


# --- round trips ----------------------------------------------------------------------------

def test_round_trip_without_weights_gives_back_every_field():
    loaded = workspace_from_json(save())
    assert isinstance(loaded, Workspace)
    assert loaded.reviews.to_dict("records") == [
        {"text": "horrible food!", "label": 0}, {"text": "awesome", "label": 1}]
    assert loaded.class_names == ("negative", "positive")
    assert loaded.encode_settings == ENCODE
    assert loaded.model_settings == MODEL
    assert loaded.weights is None and loaded.history is None
    assert EncodeSettings(**loaded.encode_settings) == EncodeSettings()
    assert ModelSettings(**loaded.model_settings) == ModelSettings()


def test_restored_reviews_equal_the_sample_csv_table():
    table = pd.read_csv("sample_data/restaurant_reviews.csv")
    loaded = workspace_from_json(save(reviews=table))
    pd.testing.assert_frame_equal(loaded.reviews, table)


def test_saved_file_is_documented_json_with_format_marker():
    doc = json.loads(save())
    assert doc["format"] == "embedding-explorer-workspace" and doc["version"] == 1
    assert list(doc) == ["format", "version", "reviews", "class_names", "encode_settings",
                         "model_settings", "weights", "history"]
    assert doc["reviews"] == [{"text": "horrible food!", "label": 0},
                              {"text": "awesome", "label": 1}]


def test_round_trip_of_weights_is_bit_exact_and_history_is_kept():
    rng = np.random.default_rng(0)
    before = rng.uniform(-0.05, 0.05, size=(50, 8)).astype(np.float32)
    after = (before * 37.5).astype(np.float32)
    history = {"loss": [0.69, 0.5], "accuracy": [0.5, 1.0]}
    loaded = workspace_from_json(save(weights={"before": before, "after": after},
                                      history=history))
    assert loaded.weights["before"].dtype == np.float32
    assert loaded.weights["before"].tobytes() == before.tobytes()
    assert loaded.weights["after"].tobytes() == after.tobytes()
    assert loaded.history == history


def test_weights_are_float32_little_endian_base64_with_shape():
    matrix = np.arange(400, dtype=np.float32).reshape(50, 8)
    doc = json.loads(save(weights={"after": matrix}))
    stored = doc["weights"]["after"]
    assert stored["dtype"] == "float32-le" and stored["shape"] == [50, 8]
    raw = base64.b64decode(stored["data"])
    assert raw[:8] == b"\x00\x00\x00\x00\x00\x00\x80\x3f"  # 0.0 then 1.0, little-endian
    np.testing.assert_array_equal(workspace_from_json(json.dumps(doc)).weights["after"], matrix)


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
    weights = {"after": np.ones((50, 8), dtype=np.float32)}
    assert save(weights=weights) == save(weights=weights)


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
    ({"weights": {"after": np.full((50, 8), np.nan, dtype=np.float32)}}, "contains NaN or infinite"),
    ({"weights": {"after": np.zeros(400, dtype=np.float32)}}, "must be a 2-D matrix"),
    ({"weights": {"after": np.zeros((49, 8), dtype=np.float32)}}, "must be (vocab_size, output_dim) = (50, 8)"),
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


@pytest.mark.parametrize("version", [2, 0, "1", 1.5, True, None])
def test_refuses_other_versions(version):
    message = refused(json.dumps(document(version=version)))
    assert f"This workspace file has `version` {version!r}; this app reads version 1." in message


def test_refuses_a_missing_version():
    doc = document()
    del doc["version"]
    assert "`version` None" in refused(json.dumps(doc))


@pytest.mark.parametrize("field", ["reviews", "class_names", "encode_settings", "model_settings"])
def test_refuses_a_missing_required_field(field):
    doc = document()
    del doc[field]
    assert f"`workspace` lacks the field(s) '{field}'." in refused(json.dumps(doc))


def test_weights_and_history_may_be_left_out():
    doc = document()
    del doc["weights"], doc["history"]
    assert workspace_from_json(json.dumps(doc)).weights is None


def test_refuses_unknown_fields():
    message = refused(json.dumps(document(extra=1)))
    assert "`workspace` has unknown field(s) 'extra'" in message


def test_refuses_a_field_named_twice():
    text = save().replace('"version": 1,', '"version": 1, "version": 1,', 1)
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
    assert "This is not an Embedding Explorer workspace file: Exceeds the limit" in refused(text)


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
    (["bad", "  "], "two different, non-empty names"),
    (["bad", "g" * 101], "at most 100 characters"),
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
    ({"method": "bogus"}, "`method` must be one of 'hashing', 'vocabulary'. Received: method='bogus'"),
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


@pytest.mark.parametrize("weights, fragment", [
    ([], "`weights` must be an object with 'before' and/or 'after'. Received: a list"),
    ({}, "`weights` must be an object with 'before' and/or 'after'. Received: an object"),
    ({"final": matrix_json(GOOD)}, "`weights` has unknown field(s) 'final'"),
    ({"after": [[0.0] * 8] * 50}, "`weights.after` must be a JSON object. Received: a list"),
    ({"after": dict(matrix_json(GOOD), dtype="float64")},
     "`weights.after.dtype` must be one of 'float32-le'. Received: weights.after.dtype='float64'"),
    ({"after": matrix_json(np.zeros((8, 50)))},
     "`weights.after.shape` must be (vocab_size, output_dim) = (50, 8), as the settings say. "
     "Received: shape=[8, 50]"),
    ({"after": matrix_json(np.zeros((50, 9)))}, "Received: shape=[50, 9]"),
    ({"after": dict(matrix_json(GOOD), shape="50x8")}, "Received: shape='50x8'"),
    ({"after": dict(matrix_json(GOOD), data="not base64!")}, "`weights.after.data` is not valid base64."),
    ({"after": dict(matrix_json(GOOD), data=[0] * 400)}, "`weights.after.data` must be base64 text"),
    ({"after": dict(matrix_json(GOOD), data=base64.b64encode(b"\0" * 1596).decode())},
     "`weights.after.data` must hold 1,600 bytes (float32 × 50 × 8). Received: 1,596 bytes"),
    ({"before": matrix_json(np.where(np.eye(50, 8), np.nan, 0))},
     "`weights.before` contains NaN or infinite values (a diverged training run)."),
    ({"before": matrix_json(np.where(np.eye(50, 8), np.inf, 0))}, "contains NaN or infinite values"),
])
def test_refuses_bad_weights(weights, fragment):
    assert fragment in refused(json.dumps(document(weights=weights)))


def test_weight_shape_follows_the_settings_in_the_same_file():
    doc = document(weights={"after": matrix_json(np.ones((60, 4)))})
    doc["encode_settings"] = dict(ENCODE, vocab_size=60)
    doc["model_settings"] = dict(MODEL, output_dim=4)
    assert workspace_from_json(json.dumps(doc)).weights["after"].shape == (60, 4)


@pytest.mark.parametrize("history, fragment", [
    ([0.5], "`history` must be an object of per-epoch lists. Received: a list"),
    ({}, "`history` must be an object of per-epoch lists. Received: an object"),
    ({"f1": [0.5]}, "`history` has unknown field(s) 'f1'"),
    ({"loss": 0.5}, "`history.loss` must be a list of at most 2,000 numbers."),
    ({"loss": [0.5] * 2001}, "`history.loss` must be a list of at most 2,000 numbers."),
    ({"loss": [0.5, "0.4"]}, "`history.loss` must hold finite numbers only. Received: '0.4'"),
    ({"loss": [0.5, None]}, "Received: None"),
    ({"loss": [True]}, "Received: True"),
    ({"loss": [0.5, 0.4], "accuracy": [0.5]},
     "The lists in `history` must all have one length (one value per epoch). Received lengths: [1, 2]"),
])
def test_refuses_bad_history(history, fragment):
    assert fragment in refused(json.dumps(document(history=history)))


def test_refuses_an_infinite_history_value():
    text = json.dumps(document(history={"loss": [0.5]})).replace("[0.5]", "[1e999]")
    assert "`history.loss` must hold finite numbers only. Received: inf" in refused(text)


def test_refusal_does_not_touch_the_callers_data():
    doc = document()
    kept = copy.deepcopy(doc)
    refused(json.dumps(dict(doc, version=2)))
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
