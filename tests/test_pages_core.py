"""AppTest: the core workflow driven through keyed widgets, from the sample to the weight table."""

import re

from tests.apptest_helpers import fresh_app, session_run, texts, training_line_full, visit


def test_reviews_page_starts_with_the_restaurant_sample():
    at = fresh_app()
    assert not at.exception
    reviews = at.session_state["reviews"]
    assert len(reviews) == 10
    assert reviews["text"].iloc[0] == "Never coming back!"
    assert "10 reviews: 5 negative, 5 positive" in texts(at.success)


def test_loading_student_sample_and_renaming_classes():
    at = fresh_app()
    at.button(key="reviews_load_student").click().run()
    assert at.session_state["reviews"]["text"].iloc[0] == "Well done!"
    at.text_input(key="reviews_class_0").set_value("weak").run()
    assert at.session_state["class_names"] == ("weak", "positive")
    assert not at.exception


def test_same_class_names_are_refused_and_old_names_kept():
    at = fresh_app()
    at.text_input(key="reviews_class_1").set_value("Negative").run()
    assert "two different, non-empty names" in texts(at.warning)
    assert at.session_state["class_names"] == ("negative", "positive")


def test_add_review_through_the_form():
    at = fresh_app()
    at.text_input(key="reviews_new_text").set_value("lovely soup")
    at.selectbox(key="reviews_new_class").set_value("positive")
    at.button(key="reviews_add").click().run()
    reviews = at.session_state["reviews"]
    assert reviews["text"].iloc[-1] == "lovely soup" and reviews["label"].iloc[-1] == 1


def test_encode_page_shows_padded_matrix_and_collisions():
    at = visit(fresh_app(), "views/encode.py")
    frames = [df.value for df in at.dataframe]
    padded = next(f for f in frames if list(f.columns) == ["t0", "t1", "t2", "t3"])
    assert padded.shape == (10, 4)
    assert padded.iloc[4].tolist() == [35, 28, 0, 0]  # "horrible food!"
    assert "hold more than one word" in texts(at.warning)


def test_encode_vocabulary_marks_words_cut_by_vocab_size():
    at = visit(fresh_app(), "views/encode.py")
    at.radio(key="encode_method").set_value("vocabulary")
    at.number_input(key="encode_vocab_size").set_value(5).run()
    assert "outside the vocabulary" in texts(at.info)


def test_train_tutorial_model_reaches_433_params_and_full_accuracy():
    at = visit(fresh_app(), "views/train.py")
    assert [m.value for m in at.metric][:3] == ["433", "433", "0"]
    summary = at.dataframe[0].value
    assert summary.set_index("layer")["params"].to_dict() == {
        "review": 0, "embedding": 400, "flatten": 0, "dense": 33}
    at.button(key="train_start").click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Epochs run"] == "100 / 100"
    assert metrics["Final accuracy"] == "100.00%"

    visit(at, "views/weights.py")
    table = at.dataframe[0].value
    assert table.shape == (50, 2 + 8)
    assert table["words"].iloc[0] == "(padding)"
    assert "rude, services, have" in table["words"].tolist()


def test_weights_page_before_training_points_to_train():
    at = visit(fresh_app(), "views/weights.py")
    assert "No model yet" in texts(at.info)


def test_settings_survive_moving_between_pages():
    at = visit(fresh_app(), "views/encode.py")
    at.number_input(key="encode_vocab_size").set_value(77).run()
    visit(at, "views/reviews.py")
    visit(at, "views/encode.py")
    assert at.number_input(key="encode_vocab_size").value == 77


def test_glove_start_frozen_and_runs_compared_side_by_side():
    at = visit(fresh_app(), "views/train.py")
    at.number_input(key="train_epochs").set_value(5).run()
    at.button(key="train_start").click().run()
    at.radio(key="train_start_from").set_value("glove_frozen").run()
    assert not at.exception
    assert "GloVe knows 17 of your 18 vocabulary words" in texts(at.info)
    assert "couldn't" in texts(at.info)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total params"] == "2,701"  # 50 × 50 frozen + 4 × 50 + 1
    assert metrics["Non-trainable params"] == "2,500"
    at.button(key="train_start").click().run()
    assert not at.exception
    runs = at.session_state["runs"]
    assert len(runs) == 2 and "GloVe 6B 50d, frozen" in runs[1]["label"]
    assert "Runs side by side" in [h.value for h in at.subheader]


def test_training_waits_its_turn_when_the_server_is_busy():
    import threading
    import time

    from ui.common import training_queue

    at = visit(fresh_app(), "views/train.py")
    at.number_input(key="train_epochs").set_value(5).run()
    with training_line_full(30) as release:
        threading.Timer(1.0, release.set).start()  # other sessions' trainings end a second later
        started = time.monotonic()
        at.button(key="train_start").click().run()
    assert time.monotonic() - started >= 1.0  # it waited for the turn...
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Epochs run"] == "5 / 5"  # ...then trained in full
    assert training_queue().running == 0 and training_queue().waiting == 0


def test_train_page_prints_a_huge_last_loss_readably():
    at = visit(fresh_app(), "views/train.py")
    at.number_input(key="train_epochs").set_value(3).run()
    at.button(key="train_start").click().run()
    # The last finite loss before a diverged step, as the issue saw it.
    session_run(at).history["loss"][-1] = 40321326305096220830864044030164992.0
    at.run()
    bar = at.get("progress")[0].proto.text  # the training bar (the second is a prediction's)
    assert re.fullmatch(r"epoch 3 / 3 · loss 4\.032e\+34 · accuracy \d+\.\d\d%", bar), bar
    assert {m.label: m.value for m in at.metric}["Final loss"] == "4.032e+34"


def shown_cells(table) -> dict[str, list[str]]:
    """An st.dataframe's cells as the grid prints them: each number through its column's
    printf format (as in st.column_config.NumberColumn), a missing value as its placeholder."""
    import json
    import math

    config = json.loads(table.proto.columns or "{}")
    missing = table.proto.placeholder or "None"
    cells = {}
    for name, values in table.value.items():
        fmt = config.get(name, {}).get("type_config", {}).get("format")
        cells[name] = [missing if v is None or (isinstance(v, float) and math.isnan(v))
                       else fmt % v if fmt else str(v) for v in values]
    return cells


def test_runs_side_by_side_in_percent_with_validation_columns():
    at = visit(fresh_app(), "views/train.py")
    at.number_input(key="train_epochs").set_value(3).run()
    at.button(key="train_start").click().run()
    at.slider(key="train_validation_split").set_value(0.2).run()
    at.button(key="train_start").click().run()
    tiles = {m.label: m.value for m in at.metric}
    cells = shown_cells(next(t for t in at.dataframe if "run" in t.value.columns))
    assert list(cells) == ["run", "epochs", "final loss", "final accuracy", "validation loss",
                           "validation accuracy"]
    # The last run's row says what the tiles above say, in the same words.
    assert cells["final accuracy"][-1] == tiles["Final accuracy"]
    assert cells["validation accuracy"][-1] == tiles["Validation accuracy"]
    assert cells["final loss"][-1] == tiles["Final loss"]
    assert all(cell.endswith("%") for cell in cells["final accuracy"])
    # The first run held nothing out: no validation numbers for it.
    assert cells["validation loss"][0] == cells["validation accuracy"][0] == "—"
    assert cells["validation loss"][1] != "—"
    # The labels say which run held reviews out.
    assert cells["run"][1].endswith(", validation 0.2") and cells["run"][0] != cells["run"][1]


def test_glove_start_shows_the_vectors_length_and_keeps_the_users_dimension():
    at = visit(fresh_app(), "views/train.py")
    at.number_input(key="train_output_dim").set_value(16).run()
    at.radio(key="train_start_from").set_value("glove_tuned").run()
    assert not at.exception
    boxes = [(box.label, box.value, box.disabled) for box in at.number_input
             if box.label == "Output dimension"]
    assert boxes == [("Output dimension", 50, True)]
    assert "× 50 = " in texts(at.caption)  # the Embedding table the model really has
    at.radio(key="train_start_from").set_value("random").run()
    boxes = [(box.label, box.value, box.disabled) for box in at.number_input
             if box.label == "Output dimension"]
    assert boxes == [("Output dimension", 16, False)]
    assert "× 16 = " in texts(at.caption)
