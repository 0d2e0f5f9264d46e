"""WEAT: a case computed by hand, the permutation test, bad lists, and parity with WEFE."""

import doctest
import math
import os

import numpy as np
import pytest

from explorer import weat as weat_module
from explorer.errors import InputError
from explorer.vectors import Vectors
from explorer.weat import PUBLISHED_TESTS, list_names, read_list, weat


@pytest.fixture
def hand():
    # s(w) = cos(w, a) - cos(w, b) with a = (1, 0), b = (0, 1):
    # x1 = (1, 0) -> 1; x2 = (3, 4)/5 -> 0.6 - 0.8 = -0.2; y1 = (0, 1) -> -1; y2 -> 0.2.
    return Vectors.from_arrays(["x1", "x2", "y1", "y2", "a", "b"],
                               [[1, 0], [3, 4], [0, 1], [4, 3], [1, 0], [0, 1]])


def test_doctests():
    assert doctest.testmod(weat_module).failed == 0


def test_hand_computed_case(hand):
    r = weat(hand, ["x1", "x2"], ["y1", "y2"], ["a"], ["b"])
    assert r.associations == pytest.approx({"x1": 1.0, "x2": -0.2, "y1": -1.0, "y2": 0.2},
                                           abs=1e-6)
    # statistic = (1 - 0.2) - (-1 + 0.2) = 1.6; mean difference 0.4 - (-0.4) = 0.8;
    # population std of {1, -0.2, -1, 0.2} = sqrt(0.52).
    assert r.statistic == pytest.approx(1.6, abs=1e-6)
    assert r.effect_size == pytest.approx(0.8 / math.sqrt(0.52), abs=1e-6)
    # The six splits of four words into two and two have statistics 1.6 (the observed one),
    # 0, 2.4, -2.4, 0, -1.6: one of six is larger.
    assert r.exact and r.permutations == 6
    assert r.p_value == pytest.approx(1 / 6)


def test_swapping_targets_flips_the_sign(hand):
    forward = weat(hand, ["x1", "x2"], ["y1", "y2"], ["a"], ["b"])
    back = weat(hand, ["y1", "y2"], ["x1", "x2"], ["a"], ["b"])
    assert back.effect_size == pytest.approx(-forward.effect_size)
    assert back.p_value == pytest.approx(4 / 6)  # 0, 2.4, 0, 1.6 are larger than -1.6


def test_sampled_p_value_is_seeded_and_near_the_exact_one():
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(22)]
    v = Vectors.from_arrays(words, rng.normal(size=(22, 5)))
    x, y, a, b = words[:6], words[6:12], words[12:17], words[17:]
    exact = weat(v, x, y, a, b, permutations=1000)  # C(12, 6) = 924 splits: all counted
    assert exact.exact and exact.permutations == 924
    first = weat(v, x, y, a, b, permutations=500, random_state=3)
    again = weat(v, x, y, a, b, permutations=500, random_state=3)
    assert not first.exact and first.p_value == again.p_value
    seeds = [weat(v, x, y, a, b, permutations=500, random_state=s).p_value for s in range(5)]
    assert len(set(seeds)) > 1  # the seed does choose the splits
    assert all(abs(p - exact.p_value) < 0.08 for p in seeds)
    assert first.effect_size == exact.effect_size


def test_unknown_words_left_out_and_too_many_refused(hand):
    v = Vectors.from_arrays([f"w{i}" for i in range(12)],
                            np.random.default_rng(0).normal(size=(12, 4)))
    r = weat(v, ["w0", "w1", "w2", "w3", "w4", "nope"], ["w5", "w6"], ["w7"], ["w8"])
    assert r.left_out == {"X": ["nope"], "Y": [], "A": [], "B": []}
    with pytest.raises(InputError, match="`targets Y`: 2 of its 4 words are not in the vectors"):
        weat(v, ["w0", "w1"], ["w2", "w3", "nope", "nada"], ["w7"], ["w8"])
    with pytest.raises(InputError, match="`targets X` needs at least 2 words"):
        weat(hand, ["x1"], ["y1", "y2"], ["a"], ["b"])
    with pytest.raises(InputError, match="`attributes A` needs at least 1 word the vectors hold"):
        weat(hand, ["x1", "x2"], ["y1", "y2"], [], ["b"])
    with pytest.raises(InputError, match="both target lists"):
        weat(hand, ["x1", "x2"], ["x2", "y2"], ["a"], ["b"])
    with pytest.raises(InputError, match="`permutations` must be between"):
        weat(hand, ["x1", "x2"], ["y1", "y2"], ["a"], ["b"], permutations=0)


def test_published_lists_ship_with_their_source():
    names = list_names()
    assert len(names) == 31
    for lists in PUBLISHED_TESTS.values():
        assert all(name in names for name in lists)
    assert read_list("flowers")[:3] == ["aster", "clover", "hyacinth"]
    assert len(read_list("pleasant_5")) == 25
    text = (weat_module.LIST_DIR / "flowers.txt").read_text()
    assert "Caliskan" in text and "Greenwald" in text
    with pytest.raises(InputError, match="published WEAT lists"):
        read_list("../../README")


def _wefe():
    try:
        from wefe.metrics import WEAT
        from wefe.query import Query
        from wefe.word_embedding_model import WordEmbeddingModel
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("WEFE is not installed: pip install --no-deps -r requirements-test-nodeps.txt")
    return WEAT, Query, WordEmbeddingModel


@pytest.mark.parametrize("test_name", list(PUBLISHED_TESTS))
def test_effect_size_equals_wefe_on_glove(glove, test_name):
    WEAT, Query, WordEmbeddingModel = _wefe()
    from tests.test_analogy import gensim_keyed_vectors

    model = WordEmbeddingModel(_keyed(glove, gensim_keyed_vectors), "glove")
    lists = [read_list(name) for name in PUBLISHED_TESTS[test_name]]
    ours = weat(glove, *lists, permutations=100)
    # The same words for both: GloVe 6B is lower case, and ours leaves unknown words out.
    kept = [[w.lower() for w in words if w in glove] for words in lists]
    query = Query(target_sets=kept[:2], attribute_sets=kept[2:])
    theirs = WEAT().run_query(query, model, return_effect_size=True)
    assert round(ours.effect_size, 4) == round(theirs["effect_size"], 4)
    assert ours.effect_size == pytest.approx(theirs["effect_size"], abs=1e-5)
    assert ours.statistic == pytest.approx(theirs["weat"], abs=1e-5)


_KEYED = {}


def _keyed(glove, build):
    if "kv" not in _KEYED:
        _KEYED["kv"] = build(glove)
    return _KEYED["kv"]
