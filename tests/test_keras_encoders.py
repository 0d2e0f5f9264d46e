"""Our encoders against today's Keras layers: TextVectorization for the vocabulary, Hashing for
keras_hashing; the Encode page's Keras code gives our ids; Keras is imported only when needed."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explorer.keras_code import keras_encode_code
from explorer.text import EncodeSettings, encode, fit_encoder, keras_hash_ids, tokenize

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

REPO = Path(__file__).resolve().parent.parent
# Counts food 6, good 4, service 3, couldn't 2, then well and done once each: the vocabulary's
# order is decided by counts alone down to the last tie, which only a cut of the two shares.
TEXTS = ["food food food food good good good service service couldn't", "good food",
         "service couldn't well done food"]


def standardize(text):
    ns = {}
    exec(keras_encode_code(EncodeSettings()).split("# FarmHash")[0], ns)
    return ns["standardize"](text)


@pytest.mark.parametrize("vocab_size", [3, 4, 6])
def test_vocabulary_ids_equal_text_vectorization(vocab_size):
    texts = TEXTS
    ours = encode(texts, EncodeSettings(method="vocabulary", vocab_size=vocab_size,
                                        max_length=12))
    layer = keras.layers.TextVectorization(max_tokens=vocab_size, standardize=standardize,
                                           split="whitespace", output_sequence_length=12)
    layer.adapt(texts)
    assert np.asarray(layer(texts)).tolist() == ours.padded.tolist()
    vocabulary = layer.get_vocabulary()
    assert vocabulary[:2] == ["", "[UNK]"]
    assert {w: i for i, w in enumerate(vocabulary) if i >= 2} == ours.encoder.word_ids


def test_standardize_splits_as_tokenize():
    text = "Couldn't have done it better!!! Well-done, 5/5 (really)\tWOW\n"
    words = [w.decode() for w in tf.strings.split(standardize([text])).to_list()[0]]
    assert words == tokenize(text) == ["couldn't", "have", "done", "it", "better", "well",
                                       "done", "5", "5", "really", "wow"]


def test_equal_counts_are_ordered_differently_as_documented():
    texts = ["bad good"]  # both once: we keep first appearance, Keras sorts them in reverse
    ours = fit_encoder(texts, method="vocabulary", vocab_size=10).word_ids
    layer = keras.layers.TextVectorization(standardize=standardize, split="whitespace")
    layer.adapt(texts)
    assert ours == {"bad": 2, "good": 3}
    assert layer.get_vocabulary()[2:] == ["good", "bad"]
    # Handing Keras our vocabulary gives our ids whatever the counts.
    given = keras.layers.TextVectorization(standardize=standardize, split="whitespace",
                                           vocabulary=list(ours))
    assert np.asarray(given(texts)).tolist() == [[2, 3]]


def test_keras_hashing_ids_are_the_keras_layers_with_padding_kept_at_zero():
    words = ["good", "food", "couldn't", "😀", "über"]
    layer = keras.layers.Hashing(num_bins=7, mask_value="")
    assert keras_hash_ids(words, vocab_size=7) == np.asarray(layer(words)).tolist()
    assert np.asarray(layer([""])).tolist() == [0]
    assert all(1 <= i <= 6 for i in keras_hash_ids(words, vocab_size=7))
    # Without the mask the layer hashes into num_bins - 1 bins; ours is that plus 1.
    plain = keras.layers.Hashing(num_bins=6)
    assert keras_hash_ids(words, vocab_size=7) == (np.asarray(plain(words)) + 1).tolist()


_CHILD = """
import json, sys
from explorer.text import keras_hash_ids
print(json.dumps(keras_hash_ids(sys.argv[1:], vocab_size=50)))
"""


def test_keras_hashing_ids_are_the_same_in_another_process():
    words = ["good", "food", "horrible", "couldn't", "😀"]
    child = subprocess.run([sys.executable, "-c", _CHILD, *words], cwd=REPO, text=True,
                           capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": "7", "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert json.loads(child.stdout.strip().splitlines()[-1]) == keras_hash_ids(words,
                                                                               vocab_size=50)


def test_keras_hashing_collisions_view():
    encoder = fit_encoder(["good food nice place great staff"], method="keras_hashing",
                          vocab_size=4)
    # Six words on three ids: some ids must hold two or more words, and the view lists them.
    assert sum(len(w) for w in encoder.id_to_words.values()) == 6
    assert encoder.collisions == {i: w for i, w in encoder.id_to_words.items() if len(w) > 1}
    assert encoder.collisions
    # A new review's unseen words get the layer's ids too.
    assert encoder.ids(["good", "awful"]) == keras_hash_ids(["good", "awful"], vocab_size=4)


@pytest.mark.parametrize("method", ["vocabulary", "keras_hashing"])
@pytest.mark.parametrize("padding,truncating", [("post", "post"), ("pre", "pre"),
                                                ("pre", "post")])
def test_the_encode_pages_keras_code_gives_our_padded_rows(method, padding, truncating):
    settings = EncodeSettings(method=method, vocab_size=6, max_length=3, padding=padding,
                              truncating=truncating)
    namespace = {"texts": TEXTS}
    exec(keras_encode_code(settings), namespace)
    assert np.asarray(namespace["padded"]).tolist() == encode(TEXTS, settings).padded.tolist()


_LAZY = """
import sys
from explorer.text import EncodeSettings, encode
encode(["good food"], EncodeSettings(method=sys.argv[1]))
print("tensorflow" in sys.modules, "keras" in sys.modules)
"""


@pytest.mark.parametrize("method,imported", [("hashing", "False False"),
                                             ("vocabulary", "False False"),
                                             ("keras_hashing", "True True")])
def test_keras_is_imported_only_for_keras_hashing(method, imported):
    child = subprocess.run([sys.executable, "-c", _LAZY, method], cwd=REPO, text=True,
                           capture_output=True, check=True,
                           env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert child.stdout.strip().splitlines()[-1] == imported


def test_text_vectorization_ids_worked_out_without_keras_equal_the_layers():
    # The restaurant reviews are nearly all ties (most words once): the order is Keras' own.
    from explorer.keras_code import text_vectorization_ids

    texts = ["Never coming back!", "horrible service", "rude waitress", "cold food",
             "horrible food!", "awesome", "awesome services!", "rocks", "poor work",
             "couldn't have done better", "über Ünder zebra Zebra"]
    for vocab_size in (5, 9, 50):
        layer = keras.layers.TextVectorization(max_tokens=vocab_size, standardize=standardize,
                                               split="whitespace")
        layer.adapt(texts)
        keras_ids = {w: i for i, w in enumerate(layer.get_vocabulary()) if i >= 2}
        ours = text_vectorization_ids([tokenize(t) for t in texts], vocab_size=vocab_size)
        assert ours == keras_ids, vocab_size
