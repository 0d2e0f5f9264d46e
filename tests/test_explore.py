"""The inspector panel: neighbours by cosine and euclidean, search, variance, sphereize, categories."""

import doctest

import numpy as np
import pytest

from explorer import explore
from explorer.errors import InputError
from explorer.explore import (nearest, read_categories, search, sphereize,
                              variance_explained)


def test_doctests():
    assert doctest.testmod(explore).failed == 0


def test_cosine_and_euclidean_neighbours_differ_as_they_should():
    # b points the same way as a but is far; c is close to a but at 90 degrees.
    m = np.array([[1.0, 0], [10.0, 0], [1.0, 1.0], [0, 1.0]])
    assert nearest(m, 0, k=3) == [(1, pytest.approx(0.0)),
                                  (2, pytest.approx(1 - 1 / np.sqrt(2))),
                                  (3, pytest.approx(1.0))]
    assert [i for i, _ in nearest(m, 0, k=3, metric="euclidean")] == [2, 3, 1]
    assert nearest(m, 0, k=3, metric="euclidean")[0][1] == pytest.approx(1.0)


def test_neighbours_leave_the_point_out_and_stop_at_the_others():
    m = np.array([[1.0, 0], [1.0, 0], [0, 1.0]])
    assert [i for i, _ in nearest(m, 1, k=10)] == [0, 2]  # tie-free; never 1 itself


def test_neighbour_ties_go_to_the_lower_row_and_zero_rows_are_far():
    m = np.array([[1.0, 0], [0, 1.0], [0, -1.0], [0, 0]])
    assert [i for i, _ in nearest(m, 0, k=3)] == [1, 2, 3]  # all at cosine 0


def test_bad_neighbour_requests():
    with pytest.raises(InputError, match="`metric` must be one of 'cosine', 'euclidean'"):
        nearest(np.eye(3), 0, metric="manhattan")
    with pytest.raises(InputError, match="`index` must be between 0 and 2"):
        nearest(np.eye(3), 3)
    with pytest.raises(InputError, match="not finite"):
        nearest(np.array([[np.nan, 1.0], [1.0, 1.0]]), 0)


WORDS = ["king", "kingdom", "Queen", "queens", "walking", "k.ng"]


def test_substring_search_ignores_case_unless_asked():
    assert search(WORDS, "KING") == [0, 1, 4]
    assert search(WORDS, "Queen", case=True) == [2]
    assert search(WORDS, "queen") == [2, 3]


def test_regex_search_finds_anywhere_in_the_word():
    assert search(WORDS, "^k.ng$", mode="regex") == [0, 5]
    assert search(WORDS, r"^k\.ng$", mode="regex") == [5]
    assert search(WORDS, "s$", mode="regex") == [3]
    assert search(WORDS, "x", mode="regex") == []
    assert search(WORDS, ".", mode="regex") == list(range(len(WORDS)))


def test_bad_patterns_get_messages():
    with pytest.raises(InputError, match=r"not a valid regular expression .*pattern='\('"):
        search(WORDS, "(", mode="regex")
    assert search(WORDS, "(") == []  # as text, a bracket is only a character
    with pytest.raises(InputError, match="`pattern` is empty"):
        search(WORDS, "")
    with pytest.raises(InputError, match="at most 200 characters"):
        search(WORDS, "a" * 201)


def test_variance_explained_matches_scikit_learn():
    from sklearn.decomposition import PCA

    data = np.random.default_rng(0).normal(size=(50, 6)) * [5, 3, 2, 1, 1, 0.5]
    ours = variance_explained(data, 3)
    assert ours == pytest.approx(PCA(3).fit(data).explained_variance_ratio_, abs=1e-12)
    assert variance_explained(data, 6).sum() == pytest.approx(1.0)
    assert variance_explained(np.ones((4, 3)), 2).tolist() == [0.0, 0.0]


def test_sphereize_centres_then_unit_norms():
    data = np.random.default_rng(0).normal(size=(20, 4)) + 7
    out = sphereize(data)
    centred = data - data.mean(axis=0)
    assert np.linalg.norm(out, axis=1) == pytest.approx(np.ones(20))
    # each row keeps its centred direction
    assert (out * centred).sum(axis=1) == pytest.approx(np.linalg.norm(centred, axis=1))


def test_categories_csv():
    data = "word,category\nKing,royal\nqueen,royal\nfrog,animal\nking,other\nzzz,x\n".encode()
    c = read_categories(data, ["king", "queen", "frog", "toad"])
    assert c.per_row == ["royal", "royal", "animal", None]
    assert c.unknown == ["zzz"] and c.n_categories == 2 and c.lumped == 0


def test_ten_thousand_categories_keep_the_commonest_colours():
    words = [f"w{i}" for i in range(10_000)]
    lines = [f"{w},c{i}" for i, w in enumerate(words)]
    lines[1] = "w1,c0"  # c0 now names two words: the most common category
    c = read_categories("\n".join(lines).encode(), words, max_categories=10)
    assert c.n_categories == 9_999 and c.lumped == 9_989
    assert c.per_row[0] == c.per_row[1] == "c0"
    assert len(set(c.per_row)) == 11  # ten categories and "other"
    assert c.per_row.count("other") == 9_989


@pytest.mark.parametrize("data, says", [
    (b"just one column\nanother\n", "two columns, word,category"),
    (b"\xff\xfe\x00k", "not UTF-8"),
    (b"", "two columns"),
])
def test_bad_category_files(data, says):
    with pytest.raises(InputError, match=says):
        read_categories(data, ["king"])


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|ab)*c", "(?:x*)*y", "((ab)?c)+"])
def test_patterns_that_could_run_for_minutes_are_refused(pattern):
    with pytest.raises(InputError, match="repeats a group that itself repeats"):
        search(["a" * 68 + "!"], pattern, mode="regex")


@pytest.mark.parametrize("pattern", ["(ab)+", "(a{2})+", "(cat|dog)s?", "^[a-z]+ing$", "(a|b)*"])
def test_ordinary_patterns_with_groups_are_fine(pattern):
    assert isinstance(search(["cats", "abab", "walking"], pattern, mode="regex"), list)
