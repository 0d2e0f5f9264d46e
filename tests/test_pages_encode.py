"""AppTest: the Encode page shows its point at every size and sends only windows of big tables."""

import numpy as np
import pandas as pd
import pytest

from explorer.text import MAX_LENGTH, MAX_VOCAB_SIZE
from explorer.weights import id_window, random_start_rows
from tests.apptest_helpers import fresh_app, texts, visit

MAX_CELLS_SENT = 250_000  # a few MB at most per table, whatever the settings


def encode_page(vocab_size=50, max_length=4, word=None, reviews=None):
    at = fresh_app()
    if reviews is not None:
        at.session_state["reviews"] = reviews
    at.session_state["encode_vocab_size"] = vocab_size
    at.session_state["encode_max_length"] = max_length
    if word is not None:
        at.session_state["encode_lookup_word"] = word
    return visit(at, "views/encode.py")


def one_hot_frame(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if list(d.value.index) == ["one-hot"])


@pytest.mark.parametrize("vocab_size", [2, 5, 50, 1_000, MAX_VOCAB_SIZE])
def test_the_one_hot_row_shows_its_single_1_at_the_words_id(vocab_size):
    at = encode_page(vocab_size=vocab_size, word="awesome")
    text = texts(at.markdown)
    index = int(text.split("has id **")[1].split("**")[0])
    frame = one_hot_frame(at)
    assert frame.shape[1] <= 11  # within the page width, whatever the vocabulary
    assert frame[str(index)].iloc[0] == 1
    assert int(frame.to_numpy().sum()) == 1
    assert "identical" in text


def test_the_tutorial_word_awesome_has_its_1_on_screen():
    at = encode_page(word="awesome")
    assert "has id **30**" in texts(at.markdown)
    assert one_hot_frame(at)["30"].iloc[0] == 1


def test_largest_settings_send_only_small_tables():
    at = encode_page(vocab_size=MAX_VOCAB_SIZE, max_length=MAX_LENGTH)
    at.session_state["train_output_dim"] = 1024
    at.run()
    assert not at.exception and "Something went wrong" not in texts(at.error)
    for frame in at.dataframe:
        assert frame.value.size <= MAX_CELLS_SENT, frame.value.shape


def test_a_large_review_set_is_shown_a_window_at_a_time():
    rng = np.random.default_rng(0)
    words = np.array(["good", "bad", "soup", "cold", "great", "awful", "tea", "fine"])
    texts_ = [" ".join(rng.choice(words, 3)) for _ in range(40_000)]
    reviews = pd.DataFrame({"text": texts_, "label": [i % 2 for i in range(40_000)]})
    at = encode_page(reviews=reviews)
    assert "Something went wrong" not in texts(at.error)
    for frame in at.dataframe:
        assert frame.value.size <= MAX_CELLS_SENT, frame.value.shape
    at.number_input(key="encode_first_review").set_value(39_901).run()
    padded = next(d.value for d in at.dataframe if "t0" in d.value.columns)
    assert list(padded.index)[0] == 39_901 and len(padded) == 100


def test_id_window_always_holds_the_id_and_stays_inside_the_table():
    for vocab_size in (1, 2, 5, 21, 22, 100_000):
        for index in {0, 1, vocab_size // 2, vocab_size - 1} & set(range(vocab_size)):
            window = id_window(index, vocab_size=vocab_size)
            assert index in window and window.start >= 0 and window.stop <= vocab_size
            assert len(window) == min(11, vocab_size)


def test_random_start_rows_are_the_same_in_any_slice_and_in_range():
    whole = random_start_rows(range(10), output_dim=4)
    assert np.array_equal(random_start_rows([7, 8], output_dim=4), whole[7:9])
    assert np.abs(whole).max() <= 0.05 and whole.std() > 0.01


def test_more_ids_than_one_visitor_may_hold_are_refused_naming_max_length():
    from explorer.budget import MAX_PADDED_IDS
    reviews = pd.DataFrame({"text": [f"good food {i}" for i in range(20_000)],
                            "label": [i % 2 for i in range(20_000)]})
    at = encode_page(reviews=reviews, max_length=MAX_LENGTH)
    message = texts(at.warning)
    assert f"at most {MAX_PADDED_IDS:,}" in message and "Max length" in message
    assert f"to at most {MAX_PADDED_IDS // 20_000:,}" in message


def test_the_reviews_are_encoded_once_while_they_and_the_settings_stay(monkeypatch):
    import ui.common
    calls = []
    real = ui.common.encode
    monkeypatch.setattr(ui.common, "encode", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = encode_page()
    visit(at, "views/train.py")
    visit(at, "views/encode.py")
    assert len(calls) == 1
    at.number_input(key="encode_max_length").set_value(5).run()
    assert len(calls) == 2
