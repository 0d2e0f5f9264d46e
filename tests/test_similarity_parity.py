"""Word-pair scores and the odd one out equal gensim 4.4's on the same vectors.

evaluate_word_pairs on WordSim353 and SimLex-999 (gensim's copies) over the shipped GloVe 6B 50d,
to 4 decimals, for several restrict_vocab values, with and without dummy4unknown; its case rules
on a vocabulary with two spellings of a word; doesnt_match on GloVe.
"""

import logging

import pytest

from explorer.similarity import PAIR_SETS, default_pairs_path, evaluate_pairs, odd_one_out
from explorer.vectors import Vectors
from tests.test_analogy import gensim_keyed_vectors

gensim = pytest.importorskip("gensim")

ODD_ONES = [
    "breakfast cereal dinner lunch", "king queen prince apple", "paris berlin london banana",
    "red green blue run", "cat dog horse car", "one two three house", "piano guitar violin tree",
]


@pytest.fixture(scope="module")
def keyed_vectors(glove):
    return gensim_keyed_vectors(glove)


@pytest.fixture(autouse=True)
def quiet_gensim(caplog):
    caplog.set_level(logging.WARNING, logger="gensim")


def same(ours, theirs_pearson, theirs_spearman, theirs_oov):
    assert round(ours.pearson, 4) == round(float(theirs_pearson[0]), 4)
    assert round(ours.spearman, 4) == round(float(theirs_spearman[0]), 4)
    assert round(ours.oov_ratio, 4) == round(float(theirs_oov), 4)


@pytest.mark.parametrize("name", list(PAIR_SETS))
@pytest.mark.parametrize("restrict_vocab", [300_000, 20_000, 1_000])
@pytest.mark.parametrize("dummy4unknown", [False, True])
def test_glove_pairs_score_what_gensim_scores(glove, keyed_vectors, name, restrict_vocab,
                                              dummy4unknown):
    path = default_pairs_path(name)
    ours = evaluate_pairs(glove, path, restrict_vocab=restrict_vocab, dummy4unknown=dummy4unknown)
    same(ours, *keyed_vectors.evaluate_word_pairs(str(path), restrict_vocab=restrict_vocab,
                                                  dummy4unknown=dummy4unknown))


def test_wordsim353_numbers(glove):
    result = evaluate_pairs(glove, default_pairs_path("WordSim353"))
    assert (round(result.pearson, 4), round(result.spearman, 4)) == (0.5066, 0.5033)
    assert (result.pairs, result.oov) == (353, 0)


def test_simlex999_numbers(glove):
    result = evaluate_pairs(glove, default_pairs_path("SimLex-999"))
    assert (round(result.pearson, 4), round(result.spearman, 4)) == (0.2923, 0.2631)
    assert (result.pairs, result.oov, round(result.oov_ratio, 4)) == (998, 1, 0.1001)


@pytest.mark.parametrize("case_insensitive", [True, False])
def test_case_rules_are_gensims(tmp_path, case_insensitive):
    words = ["Paris", "paris", "London", "london", "rome", "ROME", "tokyo", "Berlin"]
    rows = [[1, 0, 0], [0, 1, 0], [0.6, 0.8, 0], [0, 0.6, 0.8], [0.3, 0.1, 0.9],
            [0.9, 0.3, 0.1], [0.2, 0.7, 0.7], [0.5, 0.5, 0.7]]
    ours_vectors = Vectors.from_arrays(words, rows)
    path = tmp_path / "cities.tsv"
    path.write_text("# cities\nparis\tlondon\t9\nPARIS\trome\t4\nRome\ttokyo\t7\n"
                    "berlin\tParis\t2\nrome\tlondon\t5\nBERLIN\tTOKYO\t6\nparis\tatlantis\t1\n"
                    "not a pair line\n")
    ours = evaluate_pairs(ours_vectors, path, case_insensitive=case_insensitive, restrict_vocab=7)
    theirs = gensim_keyed_vectors(ours_vectors).evaluate_word_pairs(
        str(path), case_insensitive=case_insensitive, restrict_vocab=7)
    same(ours, *theirs)


@pytest.mark.parametrize("words", ODD_ONES)
def test_odd_one_out_is_gensims_doesnt_match(glove, keyed_vectors, words):
    assert odd_one_out(glove, words) == keyed_vectors.doesnt_match(words.split())


def test_breakfast_cereal_dinner_lunch(glove):
    assert odd_one_out(glove, "breakfast cereal dinner lunch") == "cereal"
