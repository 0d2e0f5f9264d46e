"""explorer.text: exact answers on tiny inputs."""

import numpy as np
import pytest

from explorer.errors import InputError
from explorer.text import (NO_WORD_LABELS, PADDING_LABEL, UNUSED_LABEL, EncodeSettings, encode,
                           fit_encoder, one_hot, pad, stable_hash_id, tokenize)
from explorer.weights import used_ids

RESTAURANT = ["Never coming back!", "horrible service", "rude waitress", "cold food",
              "horrible food!", "awesome", "awesome services!", "rocks", "poor work",
              "couldn't have done better"]


def test_tokenize_like_keras():
    assert tokenize("Couldn't have done BETTER!!") == ["couldn't", "have", "done", "better"]
    assert tokenize("?!...") == []
    assert tokenize("café 😀 très bon") == ["café", "😀", "très", "bon"]
    assert tokenize("東京 ラーメン") == ["東京", "ラーメン"]


def test_long_review_tokenises():
    assert len(tokenize("word " * 2000)) == 2000


def test_stable_hash_is_md5_based_and_never_padding():
    assert stable_hash_id("awesome", vocab_size=50) == 30
    assert stable_hash_id("horrible", vocab_size=50) == 35
    ids = {stable_hash_id(w, vocab_size=2) for w in ("a", "b", "c")}
    assert ids == {1}


def test_hashing_tutorial_rows_and_collisions():
    encoded = encode(RESTAURANT, EncodeSettings(vocab_size=50, max_length=4))
    assert encoded.padded.tolist() == [
        [4, 7, 2, 0], [35, 18, 0, 0], [45, 8, 0, 0], [14, 28, 0, 0], [35, 28, 0, 0],
        [30, 0, 0, 0], [30, 45, 0, 0], [38, 0, 0, 0], [42, 40, 0, 0], [18, 45, 31, 20]]
    assert encoded.encoder.collisions == {18: ["service", "couldn't"],
                                          45: ["rude", "services", "have"]}
    assert encoded.padded.dtype == np.int32


def test_vocabulary_ranks_by_frequency_then_first_appearance():
    encoder = fit_encoder(["good food", "bad food", "good"], method="vocabulary", vocab_size=4)
    assert encoder.word_ids == {"good": 2, "food": 3}
    assert encoder.dropped_words == ("bad",)
    assert encoder.id_of("bad") == 1 and encoder.id_of("never seen") == 1
    assert encoder.id_to_words == {2: ["good"], 3: ["food"], 1: ["[UNK]"]}
    assert encoder.row_labels() == ["(padding)", "[UNK]", "good", "food"]


def test_words_lost_to_truncation_and_vocabulary_are_reported():
    settings = EncodeSettings(method="vocabulary", vocab_size=3, max_length=2, truncating="pre")
    encoded = encode(["a a b c", "a"], settings)
    assert encoded.truncated == [["a", "a"], []]
    assert encoded.unknown == [["b", "c"], []]
    assert encoded.padded.tolist() == [[1, 1], [2, 0]]


@pytest.mark.parametrize("padding,truncating,expected", [
    ("post", "post", [[1, 2, 0], [3, 4, 5]]),
    ("pre", "post", [[0, 1, 2], [3, 4, 5]]),
    ("post", "pre", [[1, 2, 0], [4, 5, 6]]),
    ("pre", "pre", [[0, 1, 2], [4, 5, 6]]),
])
def test_pad_sides(padding, truncating, expected):
    assert pad([[1, 2], [3, 4, 5, 6]], max_length=3, padding=padding,
               truncating=truncating).tolist() == expected


def test_pad_empty_sequence_is_all_padding():
    assert pad([[]], max_length=2).tolist() == [[0, 0]]


@pytest.mark.parametrize("settings,message", [
    (EncodeSettings(vocab_size=1), "`vocab_size` must be between 2 and 100,000. Received: vocab_size=1"),
    (EncodeSettings(vocab_size=100_001), "Received: vocab_size=100,001"),
    (EncodeSettings(max_length=0), "`max_length` must be between 1 and 1,000"),
    (EncodeSettings(max_length=1001), "Received: max_length=1,001"),
    (EncodeSettings(vocab_size=True), "`vocab_size` must be an integer"),
    (EncodeSettings(method="bpe"), "`method` must be one of 'hashing', 'vocabulary', 'keras_hashing'"),
    (EncodeSettings(padding="middle"), "`padding` must be one of"),
    (EncodeSettings(method="vocabulary", vocab_size=2), "at least 3 with the vocabulary"),
])
def test_bad_settings_are_refused_with_the_rule(settings, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        encode(["good"], settings)


def test_one_hot_times_matrix_selects_the_row():
    matrix = np.arange(12, dtype=np.float32).reshape(4, 3)
    assert (one_hot(2, vocab_size=4) @ matrix).tolist() == [6.0, 7.0, 8.0]


def test_encoding_is_the_same_in_another_process():
    import subprocess
    import sys
    code = ("from explorer.text import encode, EncodeSettings;"
            "print(encode(['awesome services!', 'emoji 😀'], EncodeSettings(vocab_size=1000)).padded.tolist())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here = encode(["awesome services!", "emoji 😀"], EncodeSettings(vocab_size=1000)).padded.tolist()
    assert out.stdout.strip() == str(here)


def test_the_ids_no_word_maps_to_are_labelled_by_the_named_markers():
    # The contract explorer.weights.used_ids reads: padding and unused ids carry NO_WORD_LABELS,
    # and no word can look like one (tokenize drops brackets).
    encoder = fit_encoder(["good food", "bad (food)"], method="vocabulary", vocab_size=8)
    assert encoder.row_labels() == [PADDING_LABEL, UNUSED_LABEL, "food", "good", "bad",
                                    UNUSED_LABEL, UNUSED_LABEL, UNUSED_LABEL]
    assert used_ids(encoder.row_labels()) == [2, 3, 4]
    assert NO_WORD_LABELS == ("(padding)", "(unused)")
