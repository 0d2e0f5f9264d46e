"""explorer.analogy on tiny hand-made vectors whose answers are exact, and against gensim.

The benchmark's tests are in test_benchmark.py, the starting weights' in test_starting_weights.py.
"""

import math
from pathlib import Path

import numpy as np
import pytest

import explorer.analogy as analogy_module
from explorer.analogy import analogy, neighbours
from explorer.errors import InputError
from explorer.vectors import Vectors, parse_vectors_bytes

DATA = Path(__file__).parent / "data"
SQRT_2_3 = math.sqrt(2 / 3)


@pytest.fixture(scope="module")
def royal():
    # man (1,0,1,0) woman (-1,0,1,0) king (1,1,0,0) queen (-1,1,0,0) prince (1,1,0,1)
    # princess (-1,1,0,1) apple = pear = (0,0,0,1): king - man + woman points exactly at queen.
    vectors, _ = parse_vectors_bytes((DATA / "royal_glove.txt").read_bytes(), name="royal")
    return vectors


def gensim_keyed_vectors(vectors):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vectors.dim, dtype=np.float32)
    kv.add_vectors(list(vectors.words), np.array(vectors.raw))
    return kv


def words_of(pairs):
    return [w for w, _ in pairs]


# --------------------------------------------------------------------------- 3CosAdd, 3CosMul


def test_cosadd_king_minus_man_plus_woman_is_queen(royal):
    answer = analogy(royal, positive=["king", "woman"], negative=["man"], topn=5)
    assert words_of(answer) == ["queen", "princess", "prince", "apple", "pear"]
    assert [s for _, s in answer] == pytest.approx([1.0, SQRT_2_3, 0.0, 0.0, 0.0], abs=1e-6)


def test_cosmul_scores_are_levy_and_goldbergs_products(royal):
    def shifted(x, y):
        return (1 + royal.vector(x) @ royal.vector(y)) / 2

    def expected(word):
        return shifted(word, "king") * shifted(word, "woman") / (shifted(word, "man") + 1e-6)

    answer = analogy(royal, positive=["king", "woman"], negative=["man"], topn=5, method="cosmul")
    assert words_of(answer) == ["queen", "princess", "apple", "pear", "prince"]
    assert answer[0][1] == pytest.approx(0.5 * 0.75 / (0.25 + 1e-6), abs=1e-6)
    assert [s for _, s in answer] == pytest.approx([expected(w) for w in words_of(answer)], abs=1e-6)


def test_query_words_are_left_out(royal):
    answer = neighbours(royal, "queen", topn=7)
    assert "queen" not in words_of(answer)
    assert words_of(answer) == ["princess", "woman", "king", "prince", "apple", "pear", "man"]
    assert answer[0][1] == pytest.approx(SQRT_2_3, abs=1e-6)
    assert answer[1][1] == pytest.approx(0.5, abs=1e-6)
    everything = analogy(royal, positive=["king", "woman"], negative=["man"], topn=100)
    assert len(everything) == 5 and not {"king", "woman", "man"} & set(words_of(everything))


def test_lookup_is_case_insensitive_and_a_single_word_is_accepted(royal):
    assert analogy(royal, positive=["KING", "Woman"], negative="MAN", topn=1)[0][0] == "queen"
    assert analogy(royal, positive="queen", topn=1)[0][0] == "princess"


def test_restrict_vocab_searches_only_the_first_words(royal):
    assert analogy(royal, positive=["king", "woman"], negative=["man"], topn=10,
                   restrict_vocab=4) == [("queen", pytest.approx(1.0, abs=1e-6))]
    assert len(analogy(royal, positive=["king"], restrict_vocab=10**9)) == 7  # capped, as gensim


@pytest.mark.parametrize("columns", [False, True])
def test_equal_scores_keep_the_more_frequent_word_first(columns):
    v = Vectors.from_arrays(["q", "b", "a", "c"], [[1, 0], [0, 1], [0, 1], [0, 2]])
    v = v.with_columns() if columns else v
    assert words_of(neighbours(v, "q", topn=3)) == ["b", "a", "c"]


@pytest.mark.parametrize("columns", [False, True])
def test_zero_vectors_never_answer(columns):
    v = Vectors.from_arrays(["a", "zero", "b"], [[1, 0], [0, 0], [-1, 0.1]])
    v = v.with_columns() if columns else v
    assert words_of(neighbours(v, "a", topn=5)) == ["b"]


@pytest.mark.parametrize("kwargs, message", [
    (dict(positive=[]), "`positive` must hold at least one word"),
    (dict(positive=["", "  "]), "`positive` must hold at least one word"),
    (dict(positive=[], negative=["man"]), "`positive` must hold at least one word"),
    (dict(positive=["king", "woman"], negative=["King"]), "'king' on both sides"),
    (dict(positive=["king"], topn=0), "`topn` must be between 1 and 100. Received: topn=0"),
    (dict(positive=["king"], topn=101), "`topn` must be between 1 and 100"),
    (dict(positive=["king"], topn=True), "`topn` must be an integer"),
    (dict(positive=["king"], topn=2.5), "`topn` must be an integer"),
    (dict(positive=["king"], method="cos"), "`method` must be one of 'cosadd', 'cosmul'"),
    (dict(positive=["king"], restrict_vocab=0), "`restrict_vocab` must be between 1"),
    (dict(positive=[1, 2]), "`positive` must hold only words"),
])
def test_bad_queries_are_input_errors(royal, kwargs, message):
    with pytest.raises(InputError) as caught:
        analogy(royal, **kwargs)
    assert message in str(caught.value)


def test_unknown_word_is_a_key_error_naming_it_with_spellings(royal):
    with pytest.raises(KeyError) as caught:
        analogy(royal, positive=["kinq", "woman"], negative=["man"])
    assert str(caught.value).startswith("'kinq' is not in the vocabulary (8 words). "
                                        "Closest spellings: king")
    with pytest.raises(InputError, match="`word` must be a word"):
        neighbours(royal, " ")


def test_top_matches_a_full_stable_sort():
    rng = np.random.default_rng(0)
    for n in (1, 5, 1023, 1024, 5000, 70_000):
        scores = rng.integers(0, 50, n).astype(np.float32)  # many ties
        for k in {1, 3, 13, min(n, 110), n}:
            expected = np.lexsort((np.arange(n), -scores))[:k]
            assert analogy_module._top(scores, k).tolist() == expected.tolist()


@pytest.mark.parametrize("columns", [False, True])
def test_answers_equal_gensims_on_random_vectors(columns):
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(3000)]
    v = Vectors.from_arrays(words, rng.standard_normal((3000, 12)))
    kv = gensim_keyed_vectors(v)
    if columns:  # the fast first pass, then gensim's exact scores near the top
        v = v.with_columns()
        assert v.columns.shape == (12, 3000)
    for _ in range(20):
        pos = list(rng.choice(words, size=rng.integers(1, 4), replace=False))
        neg = [w for w in rng.choice(words, size=rng.integers(0, 3), replace=False) if w not in pos]
        assert analogy(v, positive=pos, negative=neg, topn=25) == \
            kv.most_similar(positive=pos, negative=neg, topn=25)
        assert analogy(v, positive=pos, negative=neg, topn=25, method="cosmul") == \
            kv.most_similar_cosmul(positive=pos, negative=neg, topn=25)
        assert analogy(v, positive=pos, negative=neg, topn=7, restrict_vocab=500) == \
            kv.most_similar(positive=pos, negative=neg, topn=7, restrict_vocab=500)


def test_docstring_examples_run():
    import doctest

    assert doctest.testmod(analogy_module).failed == 0
