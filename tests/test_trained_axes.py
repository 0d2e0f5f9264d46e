"""The model's own words as Vectors, and its ids placed on axes written with those words
(explorer.weights.word_vectors, explorer.axes.axis_coordinates), exact on tiny hand-made rows."""

import doctest

import numpy as np
import pytest

from explorer import weights as weights_module
from explorer.axes import UnknownAxisWordError, axis_coordinates, parse_axis
from explorer.errors import InputError
from explorer.weights import word_vectors

# Ids 0 (padding) to 4; "bad" and "awful" share id 3, as a hashing collision would.
WEIGHTS = np.array([[0, 0], [9, 9], [3, 4], [-1, 0], [0, 2]], dtype=np.float32)
ID_TO_WORDS = {2: ["great"], 3: ["bad", "awful"], 4: ["meh"]}


def test_doctests():
    assert doctest.testmod(weights_module).failed == 0


def test_every_word_gets_its_ids_row_and_shared_ids_share_it():
    v = word_vectors(ID_TO_WORDS, WEIGHTS)
    assert v.words == ["great", "bad", "awful", "meh"]
    assert v.raw[v.row("awful")].tolist() == v.raw[v.row("bad")].tolist() == [-1, 0]
    assert v.raw[v.row("GREAT")].tolist() == [3, 4]  # case-insensitive, as GloVe's lookups
    with pytest.raises(KeyError, match="Closest spellings: great"):
        v.row("graet")


def test_an_id_beyond_the_table_is_refused():
    with pytest.raises(InputError, match="beyond the 5 rows"):
        word_vectors({7: ["far"]}, WEIGHTS)


def test_ids_on_an_axis_are_cosines_with_its_direction():
    v = word_vectors(ID_TO_WORDS, WEIGHTS)
    # great - awful: unit(3, 4) - unit(-1, 0) = (1.6, 0.8), direction (2, 1)/sqrt(5).
    spelled, coords = axis_coordinates(v, WEIGHTS[[2, 3, 4, 0]], [parse_axis("great - awful")])
    assert spelled[0].text == "great − awful"
    expected = np.array([10 / 5, -2, 1, 0]) / np.sqrt(5)  # cos of (3,4)/5, (-1,0), (0,1), zero row
    np.testing.assert_allclose(coords[:, 0], expected, atol=1e-6)
    # Two axes give two columns; a single word is similarity to it.
    _, both = axis_coordinates(v, WEIGHTS[[2, 4]], [parse_axis("great - awful"), parse_axis("meh")])
    np.testing.assert_allclose(both[:, 1], [0.8, 1.0], atol=1e-6)


def test_axis_problems_name_the_axis():
    v = word_vectors(ID_TO_WORDS, WEIGHTS)
    with pytest.raises(UnknownAxisWordError, match="y axis: 'graet' is not in the vocabulary"):
        axis_coordinates(v, WEIGHTS[[2]], [parse_axis("meh"), parse_axis("graet - bad")])
    with pytest.raises(InputError, match="`x axis` has no direction"):  # one id, two words
        axis_coordinates(v, WEIGHTS[[2]], [parse_axis("bad - awful")])
    with pytest.raises(InputError, match="one row of 2 numbers"):
        axis_coordinates(v, np.ones((2, 3)), [parse_axis("great")])
