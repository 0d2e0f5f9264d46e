"""The shipped GloVe 6B 50d gives gensim 4.4's answers: same words, same order, same scores.

gensim is a test requirement only; it holds the same 400,000 vectors here.
"""

import pytest

from explorer.analogy import analogy, neighbours
from explorer.benchmark import default_questions_path, evaluate_analogies
from tests.test_analogy import gensim_keyed_vectors

gensim = pytest.importorskip("gensim")

QUERIES = [
    (["king", "woman"], ["man"]),
    (["paris", "germany"], ["france"]),
    (["walking", "swam"], ["walked"]),
    (["good", "better"], ["bad"]),
    (["tokyo"], []),
    (["a", "the"], ["an"]),
    (["science", "art", "music"], ["math", "sport"]),
]

# gensim 4.4's evaluate_word_analogies on these vectors (restrict_vocab=300000): correct, answered.
GENSIM_SECTIONS = [
    ("capital-common-countries", 401, 506), ("capital-world", 3099, 4524),
    ("currency", 73, 808), ("city-in-state", 378, 2467), ("family", 349, 506),
    ("gram1-adjective-to-adverb", 151, 992), ("gram2-opposite", 77, 812),
    ("gram3-comparative", 690, 1332), ("gram4-superlative", 321, 1122),
    ("gram5-present-participle", 439, 1056), ("gram6-nationality-adjective", 1376, 1599),
    ("gram7-past-tense", 585, 1560), ("gram8-plural", 798, 1332),
    ("gram9-plural-verbs", 299, 870), ("Total accuracy", 9036, 19486),
]


@pytest.fixture(scope="module")
def keyed_vectors(glove):
    return gensim_keyed_vectors(glove)


@pytest.mark.parametrize("positive, negative", QUERIES)
def test_cosadd_is_gensims_most_similar(glove, keyed_vectors, positive, negative):
    ours = analogy(glove, positive=positive, negative=negative, topn=100)
    theirs = keyed_vectors.most_similar(positive=positive, negative=negative, topn=100)
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    assert ours == theirs  # bit for bit, not only to 4 decimals


@pytest.mark.parametrize("positive, negative", QUERIES)
def test_cosmul_is_gensims_most_similar_cosmul(glove, keyed_vectors, positive, negative):
    ours = analogy(glove, positive=positive, negative=negative, topn=100, method="cosmul")
    assert ours == keyed_vectors.most_similar_cosmul(positive=positive, negative=negative, topn=100)


def test_king_minus_man_plus_woman_is_queen(glove, keyed_vectors):
    ours = analogy(glove, positive=["King", "WOMAN"], negative=["man"], topn=10)
    assert ours[0][0] == "queen" and round(ours[0][1], 4) == 0.8524
    assert ours == keyed_vectors.most_similar(positive=["king", "woman"], negative=["man"])


@pytest.mark.parametrize("restrict_vocab", [1000, 30_000, 300_000])
def test_restricted_search_is_gensims(glove, keyed_vectors, restrict_vocab):
    ours = analogy(glove, positive=["berlin", "italy"], negative=["germany"], topn=20,
                   restrict_vocab=restrict_vocab)
    assert ours == keyed_vectors.most_similar(positive=["berlin", "italy"], negative=["germany"],
                                              topn=20, restrict_vocab=restrict_vocab)


@pytest.mark.parametrize("word", ["frog", "computer", "beautiful", "1990", "zulu"])
def test_neighbours_are_gensims(glove, keyed_vectors, word):
    assert neighbours(glove, word, topn=50) == keyed_vectors.most_similar(word, topn=50)


def test_google_analogies_score_exactly_what_gensim_scores(glove):
    result = evaluate_analogies(glove, default_questions_path(), restrict_vocab=300_000)
    assert (result.correct, result.answered, result.skipped) == (9036, 19486, 58)
    assert round(100 * result.accuracy, 2) == 46.37
    table = [(r.section, r.correct, r.answered) for r in result.sections.itertuples()]
    assert table == GENSIM_SECTIONS
