"""Why the model answers what it answers for one new review, and what mask_zero changes.

`diagnose` follows the review the way the model reads it: tokens → ids → the padded row, marks
the words the model cannot know (outside the vocabulary, never in a training review, only in
held-out reviews), the words that share their id with others (hash collisions) and the words
cut by Max length, and measures each kept word's influence: the probability with the review as
it is minus the probability with that word's id replaced by padding (0).

`with_and_without_mask` predicts the same padded reviews with the run's weights twice, once with
`mask_zero` on and once off, so the page can show what the padding does to the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from explorer.errors import InputError
from explorer.model import TrainResult, build_model, split_indices
from explorer.text import HASHING_METHODS, PADDING_ID, UNKNOWN_ID, encode


@dataclass(frozen=True)
class Diagnosis:
    """One review as the model read it.

    `words` has one row per token: position, word, id, slot (its place in the padded row, or
    -1 when Max length cut it), unknown (why the model knows nothing of it, or ""), shares_id_with
    (other words on the same id), influence (probability change when its id becomes padding; NaN
    for a cut word). `message` is set when no word of the review was ever trained.
    """

    text: str
    padded: np.ndarray
    probability: float
    words: pd.DataFrame
    message: str = ""


def diagnose(result: TrainResult, text: str) -> Diagnosis:
    """Follow `text` through the run's encoder and model (see the module docstring).

    Raises:
        InputError: the review has no words (empty, or punctuation only).
    """
    encoded = encode([text], result.encoded.settings, encoder=result.encoded.encoder)
    tokens, ids, row = encoded.tokens[0], encoded.ids[0], encoded.padded[0]
    if not tokens:
        raise InputError("This review has no words: it is empty or only punctuation. Type a "
                         "few words, for example: awesome food.")
    slots = _slots(len(tokens), encoded.settings)
    trained = trained_ids(result)
    encoder = result.encoded.encoder
    by_id = encoder.id_to_words
    # One model call for the review and each kept word replaced by padding.
    variants = [row]
    for slot in slots:
        if slot >= 0:
            changed = row.copy()
            changed[slot] = PADDING_ID
            variants.append(changed)
    probabilities = _predict(result.model, np.stack(variants))
    kept = iter(probabilities[1:])
    records = []
    for position, (word, index, slot) in enumerate(zip(tokens, ids, slots)):
        others = [w for w in by_id.get(index, []) if w != word]
        records.append({
            "position": position, "word": word, "id": int(index), "slot": int(slot),
            "unknown": _why_unknown(word, index, encoder, trained),
            "shares_id_with": ", ".join(others),
            "influence": float(probabilities[0] - next(kept)) if slot >= 0 else float("nan"),
        })
    words = pd.DataFrame(records)
    message = ""
    if (words["unknown"] != "").all():
        message = ("None of the words of this review appeared in a training review, so the model "
                   "learnt nothing about them: its answer comes from rows that never trained "
                   "(or that belong to other words) and from the padding. Try words from your "
                   "reviews.")
    return Diagnosis(text=text, padded=row, probability=float(probabilities[0]), words=words,
                     message=message)


def trained_ids(result: TrainResult) -> np.ndarray:
    """Sorted ids that occur in the training reviews (not the held-out ones)."""
    train_idx, _ = split_indices(result.labels, validation_split=result.settings.validation_split,
                                 seed=result.settings.seed)
    return np.unique(result.encoded.padded[train_idx])


def _why_unknown(word: str, index: int, encoder, trained: np.ndarray) -> str:
    if encoder.method == "vocabulary" and index == UNKNOWN_ID and word not in encoder.word_ids:
        return f"outside the vocabulary: read as id {UNKNOWN_ID}, the unknown word"
    if encoder.method in HASHING_METHODS and word not in encoder.word_ids:
        return f"in no review: its hash lands on id {index}"
    if index not in trained:
        return "only in held-out reviews: its row never trained"
    return ""


def _slots(n_tokens: int, settings) -> list[int]:
    """Where each token lands in the padded row, or -1 when Max length cuts it."""
    length = settings.max_length
    kept = range(n_tokens - length, n_tokens) if settings.truncating == "pre" else range(length)
    kept = [i for i in kept if 0 <= i < n_tokens]
    offset = length - len(kept) if settings.padding == "pre" else 0
    where = {token: offset + k for k, token in enumerate(kept)}
    return [where.get(i, -1) for i in range(n_tokens)]


def with_and_without_mask(result: TrainResult, texts: list[str]) -> pd.DataFrame:
    """P(class 1) for each text from the run's weights with mask_zero on and off.

    Returns a table: review, padded row, "with mask", "without mask", difference.

    Raises:
        InputError: the Flatten head, which cannot mask.
    """
    settings = result.settings
    if settings.head == "flatten":
        raise InputError("The Flatten head cannot mask padding, so there is no masked answer to "
                         "compare. Choose the average-pooling or LSTM head.")
    rows = encode(list(texts), result.encoded.settings, encoder=result.encoded.encoder).padded
    twin = build_model(vocab_size=result.encoded.encoder.vocab_size,
                       max_length=result.encoded.settings.max_length,
                       settings=replace(settings, mask_zero=not settings.mask_zero))
    twin.set_weights(result.model.get_weights())
    own, other = _predict(result.model, rows), _predict(twin, rows)
    masked, unmasked = (own, other) if settings.mask_zero else (other, own)
    return pd.DataFrame({
        "review": list(texts), "padded": [" ".join(map(str, r)) for r in rows.tolist()],
        "with mask": masked, "without mask": unmasked, "difference": masked - unmasked,
    })


def _predict(model, rows: np.ndarray) -> np.ndarray:
    return np.asarray(model(np.asarray(rows, dtype=np.int32), training=False),
                      dtype=np.float64).reshape(-1)
