"""The Embedding table as something to read: a labelled table, and files for other tools."""

from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.errors import InputError
from explorer.spreadsheet import safe_cell
from explorer.text import NO_WORD_LABELS
from explorer.vectors import Vectors


def weight_table(weights: np.ndarray, row_labels: list[str]) -> pd.DataFrame:
    """One row per id: id, its words, and one column per dimension (d0, d1, ...).

    >>> weight_table(np.eye(2, dtype="float32"), ["(padding)", "good"]).columns.tolist()
    ['id', 'words', 'd0', 'd1']
    """
    weights = np.asarray(weights)
    if weights.ndim != 2 or weights.shape[0] != len(row_labels):
        raise ValueError(
            f"`row_labels` must have one label per row of `weights`. Received: "
            f"{len(row_labels)} labels for weights of shape {weights.shape}"
        )
    table = pd.DataFrame(weights, columns=[f"d{i}" for i in range(weights.shape[1])])
    table.insert(0, "words", row_labels)
    table.insert(0, "id", np.arange(weights.shape[0]))
    return table


def used_ids(row_labels: list[str]) -> list[int]:
    """Ids that at least one word maps to (not padding, not unused)."""
    return [i for i, label in enumerate(row_labels) if label not in NO_WORD_LABELS]


def word_vectors(id_to_words: dict[int, list[str]], weights, *,
                 name: str = "the trained model") -> Vectors:
    """Every word of an encoder with its id's row of `weights`, as Vectors (rows in id order).

    Words that share an id (a hashing collision) share one vector, so an axis or a search can
    name any word the model knows while its map places ids.

    >>> v = word_vectors({2: ["good"], 3: ["bad", "awful"]}, np.eye(4, 2, dtype="float32"))
    >>> v.words, v.raw[v.row("awful")].tolist(), v.name
    (['good', 'bad', 'awful'], [0.0, 0.0], 'the trained model')
    """
    weights = np.asarray(weights)
    pairs = [(word, index) for index in sorted(id_to_words) for word in id_to_words[index]]
    if any(not 0 <= index < len(weights) for _, index in pairs):
        raise InputError(f"`id_to_words` names ids beyond the {len(weights)} rows of `weights`.")
    return Vectors.from_arrays([w for w, _ in pairs],
                               weights[[i for _, i in pairs]].reshape(len(pairs), weights.shape[1]),
                               name=name)


def projector_files(weights: np.ndarray, row_labels: list[str]) -> tuple[str, str]:
    """The TensorFlow Embedding Projector's pair of files: vectors.tsv and metadata.tsv.

    vectors.tsv has no header, one tab-separated vector per line; metadata.tsv has one label per
    line in the same order (a single column, so no header either, as the Projector expects).
    Padding and unused ids are left out.

    Returns:
        (vectors_tsv, metadata_tsv) as text.
    """
    rows = used_ids(row_labels)
    vectors = "".join("\t".join(f"{v:.6g}" for v in weights[i]) + "\n" for i in rows)
    # Tabs or newlines inside a label would break the one-label-per-line format.
    metadata = "".join(safe_cell(" ".join(row_labels[i].split())) + "\n" for i in rows)
    return vectors, metadata


def id_window(index: int, *, vocab_size: int, width: int = 11) -> range:
    """`width` consecutive ids around `index`, inside 0..vocab_size-1, to show a slice of a
    table of one row (or column) per id that is too large to send to a browser whole.

    Example:
        >>> id_window(30, vocab_size=50, width=5), id_window(1, vocab_size=50, width=5)
        (range(28, 33), range(0, 5))

    Args:
        index: the id that must be in the window.
        vocab_size: number of ids.
        width: largest number of ids in the window.

    Returns:
        A range of ids that contains `index`.
    """
    width = max(1, min(width, vocab_size))
    start = min(max(0, index - width // 2), vocab_size - width)
    return range(start, start + width)


def random_start_rows(ids, *, output_dim: int, seed: int = 0) -> np.ndarray:
    """Rows of a seeded uniform ±0.05 table (the Embedding layer's kind of start), one per id.

    Each row is drawn from its own seed, so a slice of a 100,000-row table costs only its rows
    and gives the same numbers as any other slice that holds them.

    Example:
        >>> a = random_start_rows([3, 4], output_dim=2)
        >>> bool((random_start_rows([4], output_dim=2) == a[1:]).all())
        True
    """
    rows = [np.random.default_rng([seed, int(i)]).uniform(-0.05, 0.05, output_dim) for i in ids]
    return np.array(rows, dtype=np.float32).reshape(len(rows), output_dim)
