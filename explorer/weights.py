"""The Embedding table as something to read: a labelled table, and files for other tools."""

from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.spreadsheet import safe_cell


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
    return [i for i, label in enumerate(row_labels) if not label.startswith("(")]


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
