"""Starting weights for a Keras Embedding layer, taken from word vectors (GloVe on Train)."""

from __future__ import annotations

import numpy as np

from explorer.errors import InputError, check_int
from explorer.text import MAX_VOCAB_SIZE
from explorer.vectors import Vectors


def embedding_matrix_for(vectors: Vectors, id_to_words: dict, *, vocab_size: int,
                         seed: int = 0) -> tuple[np.ndarray, list[str], list[str]]:
    """Initial weights for a Keras Embedding layer, taken from word vectors.

    >>> v = Vectors.from_arrays(["good", "bad"], [[1.0, 2.0], [3.0, 4.0]])
    >>> m, covered, missing = embedding_matrix_for(v, {1: ["good"], 2: ["meh"]}, vocab_size=3)
    >>> m[1].tolist(), covered, missing
    ([1.0, 2.0], ['good'], ['meh'])

    Row i is the raw (not unit-length) vector of the words with id i, averaged when a hash
    collision puts several known words on one id: GloVe's lengths carry frequency information
    and match the scale the rest of the model trains at, so they are kept. Ids without any
    known word get small random values, uniform in [-0.05, 0.05] like Keras' default
    Embedding initializer, drawn from `np.random.default_rng(seed)` so the same call gives the
    same matrix in every process. Row 0 (padding) is zeros.

    Args:
        vectors: the vectors to copy from.
        id_to_words: id → list of words mapped to it (an encoder's `id_to_words`).
        vocab_size: number of rows (the Embedding layer's input_dim).
        seed: seed for the random rows.

    Returns:
        (matrix float32 (vocab_size, dim), words found, words not found); word lists sorted
        by id, then as given.
    """
    vocab_size = check_int("vocab_size", vocab_size, low=1, high=MAX_VOCAB_SIZE)
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(-0.05, 0.05, size=(vocab_size, vectors.dim)).astype(np.float32)
    matrix[0] = 0.0
    covered, missing = [], []
    for index in sorted(id_to_words):
        if not 0 <= int(index) < vocab_size:
            raise InputError(f"`id_to_words` has id {index}, outside 0..{vocab_size - 1} "
                             f"(vocab_size={vocab_size}).")
        rows = []
        for word in id_to_words[index]:
            row = vectors.find(word)
            (covered if row is not None else missing).append(word)
            if row is not None:
                rows.append(row)
        if rows and index != 0:
            matrix[index] = np.asarray(vectors.raw[rows], dtype=np.float32).mean(axis=0)
    return matrix, covered, missing
