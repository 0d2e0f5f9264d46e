"""AppTest: the Train page offers the run as a Keras script and a notebook once trained; the
Encode page offers Keras' Hashing as a third encoding and shows the Keras code for its settings."""

import ast
import json

from explorer.keras_code import keras_encode_code
from explorer.text import EncodeSettings
from tests.apptest_helpers import fresh_app, session_run, texts, visit
from ui import take_home


def download_buttons(at):
    return {e.proto.label: e for e in at.get("download_button")}


def test_no_downloads_before_training_then_script_and_notebook_of_the_run():
    at = fresh_app()
    at.session_state["train_epochs"] = 4
    visit(at, "views/train.py")
    assert not download_buttons(at)
    at.button(key="train_start").click().run()
    assert not at.exception
    buttons = download_buttons(at)
    assert set(buttons) == {"Download as Keras script", "Download as notebook"}
    assert "standalone Keras 3 program" in texts(at.caption)

    # What the buttons would send, built from the session's run as the page builds it.
    run = session_run(at)
    reviews = at.session_state["reviews"]["text"].astype(str).tolist()
    names = at.session_state["class_names"]
    script = take_home.program_file(run, reviews, names, fmt="py")
    ast.parse(script)
    assert "EPOCHS = 4\n" in script and repr(reviews[0]) in script
    book = json.loads(take_home.program_file(run, reviews, names, fmt="ipynb"))
    code_cells = [c for c in book["cells"] if c["cell_type"] == "code"]
    assert len(code_cells) * 2 == len(book["cells"])
    assert all("".join(c["source"]) in script for c in code_cells)


def test_encode_offers_keras_hashing_with_collisions_and_the_keras_code():
    at = fresh_app()
    at.session_state["encode_vocab_size"] = 5
    visit(at, "views/encode.py")
    assert "keras_hashing" in at.radio(key="encode_method").options
    at.radio(key="encode_method").set_value("keras_hashing").run()
    assert not at.exception
    # Every word lands on one of 4 ids: the page names the shared ones.
    assert "id(s) hold more than one word" in texts(at.warning)
    code = [c.value.strip() for c in at.code]
    assert keras_encode_code(EncodeSettings(method="keras_hashing", vocab_size=5)).strip() in code
    assert "is this encoding: these are its ids" in texts(at.markdown)


def test_encode_vocabulary_names_the_text_vectorization_difference():
    at = fresh_app()
    at.session_state["encode_method"] = "vocabulary"
    visit(at, "views/encode.py")
    assert "TextVectorization" in texts(at.markdown)
    assert any("TextVectorization(max_tokens=50" in c.value for c in at.code)
    # The restaurant reviews are nearly all ties: Keras' own order, worked out, is shown.
    assert "numbers them differently" in texts(at.info)
    table = next(d.value for d in at.dataframe if "id in TextVectorization" in d.value.columns)
    # horrible, food, awesome (twice each) come first in both (in reverse they are in order
    # too); of the words seen once, "never" came first here and is third from last in Keras.
    rows = table.set_index("word")
    assert not {"horrible", "food", "awesome", "service", "rude"} & set(rows.index)
    assert (rows.loc["never", "id here"], rows.loc["never", "id in TextVectorization"]) == (5, 12)


def test_encode_vocabulary_without_ties_says_keras_gives_the_same_ids():
    import pandas as pd

    at = fresh_app()
    at.session_state["reviews"] = pd.DataFrame({
        "text": ["good good good food food nice", "bad", "bad bad"], "label": [1, 0, 0]})
    at.session_state["encode_method"] = "vocabulary"
    visit(at, "views/encode.py")
    assert "TextVectorization gives exactly the ids above" in texts(at.success)


def test_a_run_stopped_inside_an_epoch_says_the_program_trains_whole_epochs():
    at = fresh_app()
    at.session_state["train_batch_size"] = 4  # 10 reviews: three batches an epoch
    at.session_state["train_epochs"] = 5
    visit(at, "views/train.py")
    at.button(key="train_step_epoch").click().run()
    at.button(key="train_step_batch").click().run()
    assert not at.exception
    assert "1 batch(es) into epoch 2" in texts(at.info)
    assert "so it ends at epoch 1" in texts(at.info)
    at.button(key="train_step_epoch").click().run()  # finishes the started epoch
    assert "batch(es) into epoch" not in texts(at.info)
    run = session_run(at)
    script = take_home.program_file(run, None, at.session_state["class_names"], fmt="py")
    assert run.epochs_run == 2 and "EPOCHS = 2\n" in script
