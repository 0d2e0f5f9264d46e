"""AppTest: nothing lost. The page address keeps reviews and settings, a workspace file keeps all of
it (trained model included), bad links and bad files change nothing, and a diverging training run
keeps the reviews and the last good model."""

import base64
import json
import math
import zlib

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.reviews import load_sample
from explorer.workspace import (QUERY_PARAM, saved_model, settings_from_query, settings_to_query,
                                workspace_to_json)
from tests.apptest_helpers import APP, TIMEOUT, fresh_app, session_run, texts, visit
from ui import persistence

SAMPLE = load_sample("Restaurant reviews")
WORKSPACE_PAGE = "views/workspace.py"


def app_at(w: str | None) -> AppTest:
    """A new session (a refresh, or the link opened in another browser) whose URL holds `w`."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if w is not None:
        at.query_params[QUERY_PARAM] = w
    at.run()
    assert not at.exception, at.exception
    return at


def url_work(at: AppTest) -> dict:
    """What the session's URL holds, unpacked."""
    state, message = settings_from_query(at.query_params)
    assert message is None and state is not None, (message, at.query_params)
    return state


def work_file(at: AppTest, *, with_model: bool = True) -> bytes:
    """The workspace file of a session's work, as the Save & restore page writes it."""
    s = at.session_state
    run = session_run(at) if with_model else None
    model = None if run is None else saved_model(run, reviews=s["reviews"], class_names=s["class_names"])
    text = workspace_to_json(
        reviews=s["reviews"], class_names=s["class_names"], model=model,
        encode_settings={name: s[key] for name, key in persistence.ENCODE_KEYS.items()},
        model_settings={name: s[key] for name, key in persistence.TRAIN_KEYS.items()}
        | {"trainable": s["train_start_from"] != "glove_frozen"},
        embedding_start=s["train_start_from"])
    return text.encode("utf-8")


def upload(at: AppTest, content: bytes, name: str = "work.json", *, go: bool = True) -> AppTest:
    if go:
        visit(at, WORKSPACE_PAGE)
    at.file_uploader(key="workspace_upload").set_value((name, content, "application/json"))
    at.run()
    assert not at.exception, at.exception
    return at


def user_state(at: AppTest) -> dict:
    """Everything the session holds except the Save & restore page's own bookkeeping."""
    return {key: at.session_state[key] for key in at.session_state.keys()
            if not key.startswith(persistence.PREFIX)}


def assert_same_state(before: dict, after: dict) -> None:
    assert before.keys() == after.keys()
    for key, value in before.items():
        if isinstance(value, pd.DataFrame):
            assert value.equals(after[key]), key
        elif hasattr(value, "model"):  # a TrainResult: the very same object must stay
            assert after[key] is value, key
        else:
            assert after[key] == value, key


def prediction(at: AppTest) -> str:
    return next(m.value for m in at.markdown if str(m.value).startswith("P("))


# --- the page address -----------------------------------------------------------------------

def test_a_fresh_session_keeps_the_address_plain():
    at = fresh_app()
    assert QUERY_PARAM not in at.query_params
    visit(at, WORKSPACE_PAGE)
    assert "the address stays plain" in texts(at.info)


def test_renaming_a_class_is_in_the_address_after_that_very_run():
    # The name is taken from its text box while the page runs: only the save after the page has it.
    at = fresh_app()
    at.text_input(key="reviews_class_0").set_value("bad").run()
    assert url_work(at)["class_names"] == ["bad", "positive"]


def test_a_setting_changed_on_a_page_that_stops_early_is_in_the_address():
    # The Train page calls st.stop() until a model is trained; the save before the page has it.
    at = visit(fresh_app(), "views/train.py")
    at.number_input(key="train_epochs").set_value(7).run()
    assert url_work(at)["model_settings"]["epochs"] == 7


def test_reviews_names_and_settings_come_back_from_the_address():
    at = fresh_app()
    at.text_input(key="reviews_new_text").set_value("lovely soup")
    at.selectbox(key="reviews_new_class").set_value("positive")
    at.button(key="reviews_add").click().run()
    at.text_input(key="reviews_class_0").set_value("grumpy").run()
    visit(at, "views/encode.py")
    at.radio(key="encode_method").set_value("vocabulary")
    at.number_input(key="encode_vocab_size").set_value(77)
    at.radio(key="encode_padding").set_value("pre").run()
    visit(at, "views/train.py")
    at.number_input(key="train_epochs").set_value(12)
    at.number_input(key="train_learning_rate").set_value(0.05)
    at.selectbox(key="train_optimizer").set_value("rmsprop")
    at.selectbox(key="train_head").set_value("average")
    at.slider(key="train_validation_split").set_value(0.2)
    at.number_input(key="train_seed").set_value(5).run()
    assert not at.exception
    kept = [*persistence.ENCODE_KEYS.values(), *persistence.TRAIN_KEYS.values(), "train_start_from"]
    expected = {key: at.session_state[key] for key in kept}
    assert expected["encode_vocab_size"] == 77 and expected["train_seed"] == 5

    again = app_at(at.query_params[QUERY_PARAM])  # a refresh: a new session from the same URL
    reviews = again.session_state["reviews"]
    assert len(reviews) == 11 and reviews["text"].iloc[-1] == "lovely soup"
    assert reviews["label"].tolist() == SAMPLE["label"].tolist() + [1]
    assert again.session_state["class_names"] == ("grumpy", "positive")
    assert again.text_input(key="reviews_class_0").value == "grumpy"
    for key, value in expected.items():
        assert again.session_state[key] == value, key
    visit(again, "views/train.py")
    assert again.number_input(key="train_epochs").value == 12
    assert again.slider(key="train_validation_split").value == 0.2
    assert again.selectbox(key="train_head").value == "average"
    visit(again, "views/encode.py")
    assert again.number_input(key="encode_vocab_size").value == 77
    assert again.query_params[QUERY_PARAM] == at.query_params[QUERY_PARAM]


@pytest.mark.parametrize("w", [
    "garbage",
    "%%%***",
    base64.urlsafe_b64encode(zlib.compress(b'{"format": "other"}')).decode(),  # not a workspace
    settings_to_query(reviews=SAMPLE.iloc[:2], class_names=["a", "b"],
                      encode_settings={"method": "hashing", "vocab_size": 50, "max_length": 4,
                                       "padding": "post", "truncating": "post"},
                      model_settings={"output_dim": 8, "head": "flatten", "optimizer": "adam",
                                      "learning_rate": 0.001, "epochs": 100, "batch_size": 32,
                                      "validation_split": 0.0, "seed": 0, "trainable": True},
                      )[QUERY_PARAM][:-30],  # a link cut short by a chat program
])
def test_garbage_in_the_address_shows_a_message_and_the_sample_loads(w):
    at = app_at(w)
    assert "The link does not hold saved work that can be restored" in texts(at.warning)
    assert "The sample reviews are loaded instead." in texts(at.warning)
    assert at.session_state["reviews"].equals(SAMPLE)
    assert QUERY_PARAM not in at.query_params  # the bad link is gone, so a refresh is quiet
    at.text_input(key="reviews_class_0").set_value("bad").run()  # and the page still works
    assert url_work(at)["class_names"] == ["bad", "positive"]


def test_work_too_big_for_the_address_leaves_no_reviews_there_and_points_to_the_file():
    at = fresh_app()
    at.text_input(key="reviews_class_0").set_value("bad").run()
    assert QUERY_PARAM in at.query_params
    rng = np.random.default_rng(0)
    rows = ["text,label"] + [" ".join("".join(rng.choice(list("abcdefghij"), 7)) for _ in range(3))
                             + f",{i % 2}" for i in range(1500)]
    at.file_uploader(key="reviews_upload").set_value(("big.csv", "\n".join(rows).encode(), "text/csv"))
    at.run()
    assert not at.exception and len(at.session_state["reviews"]) == 1500
    assert QUERY_PARAM not in at.query_params  # not the old, smaller reviews either
    assert "too big for the page address" in texts(at.sidebar.warning)
    visit(at, WORKSPACE_PAGE)
    assert "too big for the page address" in texts(at.warning)
    assert not at.download_button(key="workspace_download").disabled


def test_a_link_with_settings_outside_the_train_widgets_is_brought_into_range():
    w = settings_to_query(reviews=SAMPLE, class_names=["negative", "positive"],
                          encode_settings={"method": "hashing", "vocab_size": 50, "max_length": 4,
                                           "padding": "post", "truncating": "post"},
                          model_settings={"output_dim": 8, "head": "flatten", "optimizer": "adam",
                                          "learning_rate": 1e-7, "epochs": 100, "batch_size": 32,
                                          "validation_split": 0.7, "seed": 0, "trainable": True},
                          )[QUERY_PARAM]
    at = app_at(w)
    assert "validation split from 0 to 0.5, so 0.7 became 0.5" in texts(at.warning)
    assert "learning rate from 1e-05 to 10, so 1e-07 became 1e-05" in texts(at.warning)
    visit(at, "views/train.py")
    assert at.slider(key="train_validation_split").value == 0.5


# --- the workspace file -----------------------------------------------------------------------

def trained_session() -> AppTest:
    """A session with renamed classes, changed settings and a model trained for 20 epochs."""
    at = fresh_app()
    at.text_input(key="reviews_class_1").set_value("great").run()
    visit(at, "views/train.py")
    at.number_input(key="train_epochs").set_value(20)
    at.number_input(key="train_learning_rate").set_value(0.05).run()
    at.button(key="train_start").click().run()
    at.text_input(key="train_try_text").set_value("awesome food, rude waitress").run()
    assert not at.exception and session_run(at) is not None
    return at


@pytest.fixture(scope="module")
def trained():
    at = trained_session()
    return at, work_file(at), prediction(at)


def test_opening_a_workspace_file_restores_everything_and_a_usable_model(trained):
    source, content, predicted = trained
    at = upload(fresh_app(), content, "mine.json")
    assert "Opened mine.json: 10 reviews, their class names and settings, and a trained model" in texts(at.success)
    s = at.session_state
    assert s["class_names"] == ("negative", "great")
    assert s["train_epochs"] == 20 and s["train_learning_rate"] == 0.05
    assert s["reviews"].equals(source.session_state["reviews"])
    run, original = session_run(at), session_run(source)
    assert run is not original and run.epochs_run == 20 and run.history == original.history
    np.testing.assert_array_equal(run.weights_after, original.weights_after)
    assert len(s["runs"]) == 1

    visit(at, "views/train.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Epochs run"] == "20 / 20"
    at.text_input(key="train_try_text").set_value("awesome food, rude waitress").run()
    assert prediction(at) == predicted  # the restored model answers exactly as the saved one
    visit(at, "views/weights.py")
    assert at.dataframe[0].value.shape == (50, 2 + 8)
    # The URL took the opened reviews and settings too.
    assert url_work(at)["class_names"] == ["negative", "great"]


def test_a_file_without_the_model_restores_work_and_drops_the_old_model(trained):
    source, _, _ = trained
    at = visit(trained_session(), "views/reviews.py")
    at.text_input(key="reviews_class_0").set_value("meh").run()
    upload(at, work_file(source, with_model=False))
    assert "and no trained model." in texts(at.success)
    assert session_run(at) is None and at.session_state["runs"] == []
    assert at.session_state["class_names"] == ("negative", "great")
    visit(at, "views/weights.py")
    assert "No model yet" in texts(at.info)


def bad_files(good: bytes) -> list[tuple[str, bytes, str]]:
    document = json.loads(good)
    version_1 = dict(document, version=1)
    wrong_shapes = json.loads(good)
    wrong_shapes["model"]["model_settings"]["head"] = "average"  # parses, but cannot be rebuilt
    nan_weights = good.replace(b'"seconds": ', b'"seconds": NaN, "x": ', 1)
    return [
        ("empty.json", b"", "it is not valid JSON"),
        ("notes.json", b"these are my notes", "it is not valid JSON"),
        ("latin1.json", "{\"r\": \"caf\xe9\"}".encode("latin-1"), "it is not UTF-8 text"),
        ("package.json", b'{"name": "app", "version": "1.0.0"}', "its `format` must be"),
        ("old.json", json.dumps(version_1).encode(), "this app reads version 2"),
        ("cut.json", good[: len(good) // 2], "it is not valid JSON"),
        ("nan.json", nan_weights, "contains NaN, which is not a number JSON allows"),
        ("shapes.json", json.dumps(wrong_shapes).encode(),
         "The trained model in this file cannot be rebuilt: `model.weights` must have the shapes"),
    ]


def test_malformed_or_foreign_files_are_refused_and_change_nothing(trained):
    at, good, _ = trained  # shared with other tests, which is safe only if nothing changes
    visit(at, WORKSPACE_PAGE)
    before = user_state(at)
    for name, content, fragment in bad_files(good):
        upload(at, content, name, go=False)
        message = texts(at.error)
        assert message.startswith(f"{name}: ") and fragment in message, message
        assert message.endswith("Nothing was changed."), message
        assert "Opened" not in texts(at.success)
        assert_same_state(before, user_state(at))
    visit(at, "views/train.py")  # and the app still works with the work it had
    assert {m.label: m.value for m in at.metric}["Epochs run"] == "20 / 20"


def test_a_good_file_after_a_bad_one_opens():
    at = upload(fresh_app(), b"{}", "bad.json")
    assert "its `format` must be" in texts(at.error)
    other = fresh_app()
    other.text_input(key="reviews_class_0").set_value("sad").run()
    at.file_uploader(key="workspace_upload").set_value(("good.json", work_file(other), "application/json"))
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["class_names"] == ("sad", "positive")


# --- training that fails midway -------------------------------------------------------------

def test_training_that_diverges_stops_with_the_cause_and_keeps_reviews_and_last_good_model():
    at = visit(fresh_app(), "views/train.py")
    # The tutorial settings never diverge with sgd at rate 10 (the loss saturates); a wide
    # Embedding fed one review at a time does, at epoch 4.
    at.selectbox(key="train_optimizer").set_value("sgd")
    at.number_input(key="train_learning_rate").set_value(10.0)
    at.number_input(key="train_output_dim").set_value(1024)
    at.number_input(key="train_batch_size").set_value(1)
    at.number_input(key="train_epochs").set_value(30).run()
    at.button(key="train_start").click().run()
    assert not at.exception
    assert ("The loss became NaN or infinite at epoch 4, so training stopped and the weights "
            "after epoch 3 were kept. Lower the learning rate (now 10)") in texts(at.error)
    assert {m.label: m.value for m in at.metric}["Epochs run"] == "3 / 30"
    run = session_run(at)
    assert run.epochs_run == 3 and all(math.isfinite(v) for v in run.history["loss"])
    assert np.isfinite(run.weights_after).all()
    assert np.isfinite([w for w in run.model.get_weights()][1]).all()
    assert at.session_state["reviews"].equals(SAMPLE)
    probability = float(prediction(at).split("**")[1])
    assert 0.0 <= probability <= 1.0
    visit(at, "views/weights.py")
    assert at.dataframe[0].value.shape == (50, 2 + 1024)
    # The last good model saves and opens like any other.
    restored = session_run(upload(fresh_app(), work_file(at)))
    assert restored.epochs_run == 3 and restored.stopped == run.stopped


def test_the_page_says_the_server_keeps_a_trained_model_under_work(trained):
    # Runs survive a refresh (ui/saved_work.py); the page said "only the workspace file keeps it".
    at, _, _ = trained
    visit(at, WORKSPACE_PAGE)
    captions = " ".join(c.value for c in at.caption)
    assert "the server keeps it under the address's `work=` id" in captions
    assert "only the workspace file" not in captions
