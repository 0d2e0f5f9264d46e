"""Diagnosing one prediction (explorer/diagnose.py) on hand-made reviews with known ids."""

import math

import numpy as np
import pytest

from explorer.diagnose import diagnose, trained_ids, with_and_without_mask
from explorer.errors import InputError
from explorer.model import ModelSettings, embedding_weights, prepare, train
from explorer.text import EncodeSettings, encode

# Vocabulary ids: good=2, food=3, bad=4, service=5; id 1 is the unknown word.
TEXTS = ["good food", "bad service"]
LABELS = [1, 0]
VOCAB = EncodeSettings(method="vocabulary", vocab_size=10, max_length=3)


def trained(texts=TEXTS, labels=LABELS, encoding=VOCAB, **settings):
    base = {"output_dim": 4, "epochs": 5, "learning_rate": 0.05, "seed": 0}
    return train(prepare(encode(texts, encoding), labels,
                         settings=ModelSettings(**{**base, **settings})))


def predict(run, rows):
    return np.asarray(run.model(np.array(rows, dtype=np.int32), training=False)).reshape(-1)


def test_tokens_ids_padded_row_and_each_words_influence():
    run = trained()
    found = diagnose(run, "Good pizza!")
    assert found.padded.tolist() == [2, 1, 0]
    words = found.words
    assert words["word"].tolist() == ["good", "pizza"]
    assert words["id"].tolist() == [2, 1]
    assert words["slot"].tolist() == [0, 1]
    assert words["unknown"].tolist() == [
        "", "outside the vocabulary: read as id 1, the unknown word"]
    p, without_good, without_pizza = predict(run, [[2, 1, 0], [0, 1, 0], [2, 0, 0]])
    assert found.probability == pytest.approx(p, abs=1e-7)
    assert words["influence"].tolist() == pytest.approx([p - without_good, p - without_pizza],
                                                        abs=1e-7)
    assert found.message == ""


def test_words_cut_by_max_length_are_marked_and_have_no_influence():
    run = trained()
    found = diagnose(run, "good food bad service")
    assert found.padded.tolist() == [2, 3, 4]  # truncating "post" keeps the first three
    assert found.words["slot"].tolist() == [0, 1, 2, -1]
    assert math.isnan(found.words["influence"].iloc[3])
    pre = trained(encoding=EncodeSettings(method="vocabulary", vocab_size=10, max_length=3,
                                          padding="pre", truncating="pre"))
    cut = diagnose(pre, "good food bad service")
    assert cut.padded.tolist() == [3, 4, 5]
    assert cut.words["slot"].tolist() == [-1, 0, 1, 2]
    short = diagnose(pre, "good")
    assert short.padded.tolist() == [0, 0, 2] and short.words["slot"].tolist() == [2]


def test_hash_collisions_and_words_in_no_review():
    hashing = EncodeSettings(method="hashing", vocab_size=3, max_length=3)  # ids 1 and 2 only
    encoded = encode(TEXTS, hashing)
    run = trained(encoding=hashing)
    found = diagnose(run, "good pizza")
    by_word = found.words.set_index("word")
    good_id = encoded.encoder.word_ids["good"]
    sharing = [w for w in ("food", "bad", "service") if encoded.encoder.word_ids[w] == good_id]
    assert by_word.loc["good", "shares_id_with"] == ", ".join(sharing)
    assert sharing  # four words on two ids: "good" shares with at least one
    assert by_word.loc["pizza", "unknown"].startswith("in no review: its hash lands on id ")


def test_words_only_in_held_out_reviews_never_trained():
    texts = ["good food", "great food", "bad service", "awful service"]
    run = trained(texts=texts, labels=[1, 1, 0, 0], validation_split=0.5)
    held_out_ids = set(np.unique(run.encoded.padded)) - set(trained_ids(run))
    assert held_out_ids  # one review of each class is held out, with its own word
    word = next(w for w, i in run.encoded.encoder.word_ids.items() if i in held_out_ids)
    found = diagnose(run, word)
    assert found.words["unknown"].tolist() == ["only in held-out reviews: its row never trained"]


def test_an_empty_review_gets_a_message():
    run = trained()
    for text in ("", "   ", "?!"):
        with pytest.raises(InputError, match=r"^This review has no words: it is empty or only "
                                             r"punctuation\. Type a few words"):
            diagnose(run, text)


def test_an_emoji_only_review_says_the_model_learnt_nothing_about_it():
    found = diagnose(trained(), "😀 🍕")
    assert found.words["id"].tolist() == [1, 1]
    assert found.message.startswith("None of the words of this review appeared in a training "
                                    "review, so the model learnt nothing about them")


@pytest.mark.parametrize("mask_zero", [False, True])
def test_the_mask_leaves_the_padding_out_of_the_average(mask_zero):
    run = trained(head="average", mask_zero=mask_zero)
    table = with_and_without_mask(run, ["good", "good food"])
    emb = embedding_weights(run.model).astype(np.float64)
    kernel, bias = (w.astype(np.float64) for w in run.model.get_layer("dense").get_weights())

    def sigmoid(vector):
        return 1 / (1 + np.exp(-(vector @ kernel[:, 0] + bias[0])))

    assert table["padded"].tolist() == ["2 0 0", "2 3 0"]
    assert table["with mask"].tolist() == pytest.approx(
        [sigmoid(emb[2]), sigmoid((emb[2] + emb[3]) / 2)], abs=1e-6)
    assert table["without mask"].tolist() == pytest.approx(
        [sigmoid((emb[2] + 2 * emb[0]) / 3), sigmoid((emb[2] + emb[3] + emb[0]) / 3)], abs=1e-6)
    # The run's own answer is the one its setting gives.
    own = predict(run, [[2, 0, 0]])[0]
    assert table["with mask" if mask_zero else "without mask"].iloc[0] == pytest.approx(own,
                                                                                       abs=1e-7)


def test_the_flatten_head_has_no_masked_answer():
    with pytest.raises(InputError, match="The Flatten head cannot mask padding"):
        with_and_without_mask(trained(), ["good"])
