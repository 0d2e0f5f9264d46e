"""Comparing the session's runs: their final numbers in one table, and two runs' embeddings
side by side (each word's nearest words in run A beside its nearest words in run B).

A run to compare is a plain dict, as the Train page keeps them: `label`, `history`, `final`,
`epochs`, and, for the embedding comparison, `weights` (vocab_size × output_dim) and
`word_ids` (word → id).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.constraints import Integer
from explorer.errors import InputError
from explorer.text import PADDING_ID

TOPN = Integer(1, 50)
DEFAULT_TOPN = 5
ACCURACY_FORMAT = "%.2f%%"  # the printf format of the accuracy columns, as the Train page's tiles
MAX_WORDS_COMPARED = 2_000  # rows of the table; the most frequent words first
# Final numbers shown for each run: (history key, column name); accuracies in percent.
COLUMNS = (("loss", "final loss"), ("accuracy", "final accuracy"),
           ("val_loss", "validation loss"), ("val_accuracy", "validation accuracy"))


def run_label(settings, *, start_label: str, number: int) -> str:
    """A run's name in the comparison (runs table, chart, Run A/B): what tells it apart.

    >>> from explorer.model import ModelSettings
    >>> run_label(ModelSettings(head="average", mask_zero=True), start_label="Random", number=2)
    '#2: Random, average, dim 8, adam 0.001, seed 0, mask_zero'
    """
    label = (f"#{number}: {start_label}, {settings.head}, dim {settings.output_dim}, "
             f"{settings.optimizer} {settings.learning_rate:g}, seed {settings.seed}")
    # Settings left at their defaults are not named, else every label would be long; these
    # two are named when on, or two runs that differ only there would read the same.
    if settings.validation_split:
        label += f", validation {settings.validation_split:g}"
    if settings.mask_zero:
        label += ", mask_zero"
    return label


def runs_table(runs: list[dict]) -> pd.DataFrame:
    """One row per run: label, epochs run, final loss and accuracy (in percent: 87.5 for
    0.875, as the accuracy columns' `ACCURACY_FORMAT` shows them), and the
    validation loss and accuracy when some run held reviews out (empty cells for the others)."""
    with_split = any("val_loss" in r["final"] for r in runs)
    columns = [c for c in COLUMNS if with_split or not c[0].startswith("val_")]
    rows = []
    for r in runs:
        row = {"run": r["label"], "epochs": r["epochs"]}
        for key, name in columns:
            value = r["final"].get(key)
            row[name] = None if value is None else value * 100 if "accuracy" in key else value
        rows.append(row)
    return pd.DataFrame(rows, columns=["run", "epochs"] + [name for _, name in columns])


def neighbours_side_by_side(run_a: dict, run_b: dict, *, words: list[str] | None = None,
                            topn: int = DEFAULT_TOPN) -> pd.DataFrame:
    """Each word's `topn` nearest words (cosine) in run A and in run B, and how many they share.

    Words are those both runs encoded (or `words`, in that order); a word's neighbours are the
    other words of the same run, nearest row first; words sharing the word's own id (a hash
    collision) are left out, as are padding and unused rows.

    Returns:
        DataFrame with columns word, "run A", "run B" (neighbours joined by ", "), shared.
    """
    topn = TOPN.check("topn", topn)
    common = [w for w in run_a["word_ids"] if w in run_b["word_ids"]]
    if words is not None:
        missing = [w for w in words if w not in common]
        if missing:
            raise InputError(f"`words` must be words both runs encoded. Not in both: "
                             f"{', '.join(missing[:10])}."[:300])
        common = list(words)
    if not common:
        raise InputError("The two runs share no word: they were trained on different reviews.")
    common = common[:MAX_WORDS_COMPARED]
    near_a = _nearest(run_a, common, topn)
    near_b = _nearest(run_b, common, topn)
    return pd.DataFrame({
        "word": common,
        "run A": [", ".join(near_a[w]) for w in common],
        "run B": [", ".join(near_b[w]) for w in common],
        "shared": [len(set(near_a[w]) & set(near_b[w])) for w in common],
    })


def _nearest(run: dict, words: list[str], topn: int) -> dict[str, list[str]]:
    word_ids = run["word_ids"]
    weights = np.asarray(run["weights"], dtype=np.float64)
    # One candidate per word; ties in cosine keep the words' first-appearance order.
    candidates = [w for w, i in word_ids.items() if i != PADDING_ID]
    ids = np.array([word_ids[w] for w in candidates])
    norms = np.linalg.norm(weights, axis=1)
    unit = weights / np.where(norms == 0, 1, norms)[:, None]
    out = {}
    for word in words:
        own = word_ids[word]
        scores = unit[ids] @ unit[own]
        order = np.argsort(-scores, kind="stable")
        out[word] = [candidates[j] for j in order if ids[j] != own][:topn]
    return out
