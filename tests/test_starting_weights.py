"""explorer.starting_weights: a Keras Embedding's starting rows copied from word vectors."""

import numpy as np
import pytest

import explorer.starting_weights as starting_weights_module
from explorer.errors import InputError
from explorer.starting_weights import embedding_matrix_for
from explorer.vectors import Vectors


def test_embedding_matrix_copies_known_words_and_averages_collisions():
    v = Vectors.from_arrays(["good", "bad", "fine"], [[1.0, 2.0], [3.0, 4.0], [5.0, 10.0]])
    ids = {1: ["good"], 2: ["bad", "fine"], 3: ["meh", "Fine"], 4: ["nope"]}
    matrix, covered, missing = embedding_matrix_for(v, ids, vocab_size=6, seed=3)
    assert matrix.dtype == np.float32 and matrix.shape == (6, 2)
    assert matrix[0].tolist() == [0.0, 0.0]
    assert matrix[1].tolist() == [1.0, 2.0]
    assert matrix[2].tolist() == [4.0, 7.0]  # the mean of "bad" and "fine"
    assert matrix[3].tolist() == [5.0, 10.0]  # "meh" unknown, "Fine" found case-insensitively
    assert np.abs(matrix[4:]).max() <= 0.05 and np.abs(matrix[4:]).min() > 0
    assert covered == ["good", "bad", "fine", "Fine"] and missing == ["meh", "nope"]


def test_embedding_matrix_random_rows_follow_the_seed():
    v = Vectors.from_arrays(["a"], [[1.0, 1.0, 1.0]])
    first = embedding_matrix_for(v, {1: ["x"]}, vocab_size=4, seed=11)[0]
    again = embedding_matrix_for(v, {1: ["x"]}, vocab_size=4, seed=11)[0]
    other = embedding_matrix_for(v, {1: ["x"]}, vocab_size=4, seed=12)[0]
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    assert first[1:].round(6).tolist() == (
        np.random.default_rng(11).uniform(-0.05, 0.05, (4, 3)).astype(np.float32)[1:].round(6).tolist())


def test_embedding_matrix_rejects_ids_outside_the_vocabulary():
    v = Vectors.from_arrays(["a"], [[1.0]])
    with pytest.raises(InputError, match="`id_to_words` has id 5, outside 0..3"):
        embedding_matrix_for(v, {5: ["a"]}, vocab_size=4)


def test_docstring_examples_run():
    import doctest

    assert doctest.testmod(starting_weights_module).failed == 0
