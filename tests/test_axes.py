"""Axes you choose: parsing, directions and coordinates on tiny vectors whose answers are exact."""

import doctest
import math

import numpy as np
import pytest

from explorer import axes
from explorer.axes import (Axis, UnknownAxisWordError, axis_direction, axis_map, bias_table,
                           parse_axis, point_words)
from explorer.errors import InputError
from explorer.vectors import UnknownWordError, Vectors


@pytest.fixture
def royal():
    # he/she differ only in the first dimension, good/bad only in the second.
    return Vectors.from_arrays(
        ["he", "she", "good", "bad", "king", "queen", "nurse", "well-known", "zero"],
        [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [3, 0, 4], [-3, 0, 4], [-1, 1, 0],
         [0, 0, 1], [0, 0, 0]])


def test_doctests():
    assert doctest.testmod(axes).failed == 0


@pytest.mark.parametrize("text, positive, negative", [
    ("he - she", ("he",), ("she",)),
    ("he -she", ("he",), ("she",)),
    ("he- she", ("he",), ("she",)),
    ("  good  ", ("good",), ()),
    ("-bad", (), ("bad",)),
    ("king + woman - man", ("king", "woman"), ("man",)),
    ("well-known - bad", ("well-known",), ("bad",)),
])
def test_parse_axis(text, positive, negative):
    assert parse_axis(text) == Axis(positive, negative)


@pytest.mark.parametrize("text, two_poles, says", [
    ("", False, "`x axis` is empty"),
    ("   ", True, "`x axis` is empty. Type a direction such as 'he - she'"),
    ("he", True, "needs a word on each side of a minus sign"),
    ("he + him", True, "needs a word on each side of a minus sign"),
    ("he she", False, "needs + or - between words"),
    ("he - - she", False, "two signs in a row"),
    ("he -", False, "ends with a sign"),
    ("he - He", False, "has 'he' on both sides of the minus sign"),
])
def test_bad_axes_are_refused_with_the_rule(text, two_poles, says):
    with pytest.raises(InputError) as caught:
        parse_axis(text, field="x axis", two_poles=two_poles)
    assert says in str(caught.value)


def test_a_single_word_is_similarity_to_it(royal):
    frame = axis_map(royal, ["king", "nurse", "he"], parse_axis("he"))
    # cos(king, he) = 3/5; cos(nurse, he) = -1/sqrt(2).
    assert frame["x"].tolist() == pytest.approx([0.6, -1 / math.sqrt(2), 1.0], abs=1e-6)


def test_two_axes_are_cosines_with_each_direction(royal):
    frame = axis_map(royal, ["king", "queen", "nurse"], parse_axis("he - she"),
                     parse_axis("good - bad"))
    assert frame["word"].tolist() == ["king", "queen", "nurse"]
    assert frame["x"].tolist() == pytest.approx([0.6, -0.6, -1 / math.sqrt(2)], abs=1e-6)
    assert frame["y"].tolist() == pytest.approx([0.0, 0.0, 1 / math.sqrt(2)], abs=1e-6)


def test_direction_adds_unit_vectors_so_a_long_vector_does_not_dominate(royal):
    # king is 5 long, good 1 long: with unit vectors both weigh the same in king + good.
    _, direction = axis_direction(royal, parse_axis("king + good"))
    expected = np.array([0.6, 1, 0.8]) / np.linalg.norm([0.6, 1, 0.8])
    assert direction == pytest.approx(expected, abs=1e-6)


def test_unknown_axis_word_names_the_axis_and_suggests_spellings(royal):
    with pytest.raises(UnknownAxisWordError) as caught:
        axis_map(royal, ["king"], parse_axis("he - shee"), parse_axis("good"))
    error = caught.value
    assert isinstance(error, UnknownWordError) and isinstance(error, KeyError)
    assert error.field == "x axis" and error.word == "shee"
    assert "she" in error.suggestions
    assert str(error).startswith("x axis: 'shee' is not in the vocabulary")


def test_hyphenated_unknown_word_suggests_spaces(royal):
    with pytest.raises(UnknownAxisWordError, match="put spaces around the minus sign: 'he - she'"):
        axis_direction(royal, parse_axis("he-she"), field="y axis")


def test_axis_whose_words_cancel_has_no_direction():
    v = Vectors.from_arrays(["a", "b", "c"], [[1, 0], [2, 0], [0, 1]])
    with pytest.raises(InputError, match="has no direction"):
        axis_direction(v, parse_axis("a - b"))


def test_same_word_in_two_spellings_on_both_sides():
    v = Vectors.from_arrays(["Paris", "rome"], [[1, 0], [0, 1]])
    with pytest.raises(InputError, match="same word on both sides"):
        axis_direction(v, Axis(("Paris",), ("paris",)))


def test_bias_table_sorted_from_positive_end(royal):
    table = bias_table(royal, ["nurse", "king", "queen", "good"], parse_axis("he - she"))
    assert table["word"].tolist() == ["king", "good", "queen", "nurse"]
    assert table["score"].tolist() == pytest.approx([0.6, 0.0, -0.6, -1 / math.sqrt(2)],
                                                    abs=1e-6)


def test_zero_vector_point_sits_at_zero(royal):
    assert axis_map(royal, ["zero"], parse_axis("he - she"))["x"].tolist() == [0.0]


def test_points_typed_neighbourhood_and_frequent(royal):
    typed = point_words(royal, typed=["King", "kingg", "king", "nurse"])
    assert typed.words == ["king", "nurse"] and typed.unknown == ["kingg"]
    near = point_words(royal, centre="he", n=2)
    assert near.words[0] == "he" and len(near.words) == 3
    assert point_words(royal, top=3).words == ["he", "she", "good"]
    with pytest.raises(InputError, match="exactly one"):
        point_words(royal, typed=["he"], top=3)
    with pytest.raises(InputError, match="The map has no points"):
        axis_map(royal, [], parse_axis("he"))


def test_a_pasted_paragraph_is_quoted_short_in_the_message():
    text = "he - she + " * 500  # 5,500 characters ending with a sign
    with pytest.raises(InputError) as error:
        parse_axis(text, field="x axis")
    message = str(error.value)
    assert "ends with a sign" in message and "(5,500 characters)" in message
    assert len(message) < 250
