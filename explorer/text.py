"""Turning reviews into the integer rows an Embedding layer reads.

Three encoders, as in the Keras tutorials and in today's Keras:

- "hashing": each word goes to `md5(word) mod (vocab_size - 1) + 1`. It is what Keras' old
  `one_hot`/`hashing_trick` did, but with a stable hash, so the same word gets the same id in every
  process (Python's `hash` is salted per process, so the tutorial's numbers never repeated).
  Different words can share an id: a collision.
- "vocabulary": the most frequent words get the low ids (ties keep first appearance); id 1 stands
  for every word outside the vocabulary. `keras.layers.TextVectorization` gives the same ids
  (tests/test_keras_encoders.py), except that it breaks equal counts by the words' reverse order.
- "keras_hashing": today's Keras layer, `keras.layers.Hashing(num_bins=vocab_size, mask_value="")`:
  FarmHash64 mod (vocab_size - 1) + 1, a fixed function, so stable across processes too. Keras
  (and TensorFlow) is imported only when this encoding is chosen.

Id 0 is always padding. Rows are padded or truncated to `max_length`, at the start ("pre") or
the end ("post") of the review.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from explorer.constraints import Integer, Options, check_fields, check_value
from explorer.errors import InputError

# Keras' `text_to_word_sequence` filters. The apostrophe is kept, so "couldn't" stays one word.
FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n"
_FILTER_TABLE = str.maketrans({c: " " for c in FILTERS})

METHODS = ("hashing", "vocabulary", "keras_hashing")
HASHING_METHODS = ("hashing", "keras_hashing")  # encoders whose words can collide
SIDES = ("pre", "post")
MAX_VOCAB_SIZE = 100_000
MAX_LENGTH = 1_000
PADDING_ID = 0
UNKNOWN_ID = 1  # vocabulary encoding only
UNKNOWN_TOKEN = "[UNK]"
# `Encoder.row_labels`' labels for ids no word maps to. Tokens never hold "(" or ")" (tokenize
# drops them), so a label is one of these or a word list; explorer.weights.used_ids relies on it.
PADDING_LABEL = "(padding)"
UNUSED_LABEL = "(unused)"
NO_WORD_LABELS = (PADDING_LABEL, UNUSED_LABEL)


@dataclass(frozen=True)
class EncodeSettings:
    """Everything that decides how reviews become rows.

    The defaults here are the app's and the command line's first values; `CONSTRAINTS` is the one
    table of what each field may be (see explorer/constraints.py), which `checked()`, the
    workspace and URL readers, the Encode page's widgets and `python -m explorer train` all read.
    """

    method: str = "hashing"
    vocab_size: int = 50
    max_length: int = 4
    padding: str = "post"
    truncating: str = "post"

    CONSTRAINTS: ClassVar[dict] = {
        "method": Options(METHODS),
        "vocab_size": Integer(2, MAX_VOCAB_SIZE),
        "max_length": Integer(1, MAX_LENGTH),
        "padding": Options(SIDES),
        "truncating": Options(SIDES),
    }

    def checked(self) -> "EncodeSettings":
        """Return self when every field keeps its rule, else raise InputError naming the field."""
        return check_fields(self)


def tokenize(text: str) -> list[str]:
    """Split a review into lower-case words, the way Keras' text_to_word_sequence did.

    >>> tokenize("Couldn't have done better!")
    ["couldn't", 'have', 'done', 'better']

    Emoji and non-Latin scripts survive as words; punctuation alone gives no words.
    """
    return str(text).lower().translate(_FILTER_TABLE).split()


def stable_hash_id(word: str, *, vocab_size: int) -> int:
    """Id of `word` under the hashing encoder: md5 mod (vocab_size - 1) + 1, never 0.

    >>> stable_hash_id("awesome", vocab_size=50)
    30
    """
    digest = hashlib.md5(word.encode("utf-8")).hexdigest()
    return int(digest, 16) % (vocab_size - 1) + 1


def keras_hash_ids(words: list[str], *, vocab_size: int) -> list[int]:
    """Ids of `words` under `keras.layers.Hashing(num_bins=vocab_size, mask_value="")`.

    FarmHash64 of each word, mod (vocab_size - 1), plus 1 (0 is the mask value's, padding).
    Imports Keras, and with it TensorFlow: call it only for the keras_hashing encoding.
    """
    if not words:
        return []
    return np.asarray(_hashing_layer(vocab_size)(list(words))).astype(int).tolist()


@functools.lru_cache(maxsize=8)
def _hashing_layer(vocab_size: int):
    import keras

    layer = keras.layers.Hashing(num_bins=vocab_size, mask_value="")
    layer([""])  # built here, before sessions' threads share it
    return layer


@dataclass(frozen=True)
class Encoder:
    """A fitted word → id mapping. Build one with `fit_encoder`.

    `word_ids` holds the ids of every word seen while fitting (for hashing, what the hash gives;
    for the vocabulary, the kept words). `id_to_words` is its inverse: an id lists the words that
    land on it, in order of first appearance, so a hash collision shows as two words.
    """

    method: str
    vocab_size: int
    word_ids: dict[str, int]
    dropped_words: tuple[str, ...] = ()  # vocabulary encoding: words cut by vocab_size

    @property
    def id_to_words(self) -> dict[int, list[str]]:
        mapping: dict[int, list[str]] = {}
        for word, index in self.word_ids.items():
            mapping.setdefault(index, []).append(word)
        if self.method == "vocabulary" and self.dropped_words:
            mapping[UNKNOWN_ID] = [UNKNOWN_TOKEN]
        return mapping

    @property
    def collisions(self) -> dict[int, list[str]]:
        """Ids shared by two or more different words (hashing only)."""
        if self.method not in HASHING_METHODS:
            return {}
        return {i: words for i, words in self.id_to_words.items() if len(words) > 1}

    def id_of(self, word: str) -> int:
        """Id of one word; unseen words hash (hashing) or become UNKNOWN_ID (vocabulary)."""
        if self.method == "hashing":
            return self.word_ids.get(word) or stable_hash_id(word, vocab_size=self.vocab_size)
        if self.method == "keras_hashing":
            return self.word_ids.get(word) or keras_hash_ids([word], vocab_size=self.vocab_size)[0]
        return self.word_ids.get(word, UNKNOWN_ID)

    def ids(self, tokens: list[str]) -> list[int]:
        if self.method == "keras_hashing":  # one call of the Keras layer for the unseen words
            unseen = [t for t in dict.fromkeys(tokens) if t not in self.word_ids]
            extra = dict(zip(unseen, keras_hash_ids(unseen, vocab_size=self.vocab_size)))
            return [self.word_ids.get(t) or extra[t] for t in tokens]
        return [self.id_of(t) for t in tokens]

    def row_labels(self) -> list[str]:
        """One label per id 0..vocab_size-1 for tables and plots: its words, or a marker."""
        mapping = self.id_to_words
        labels = []
        for index in range(self.vocab_size):
            if index == PADDING_ID:
                labels.append(PADDING_LABEL)
            elif index in mapping:
                labels.append(", ".join(mapping[index]))
            else:
                labels.append(UNUSED_LABEL)
        return labels


def fit_encoder(texts: list[str], *, method: str = EncodeSettings.method,
                vocab_size: int = EncodeSettings.vocab_size) -> Encoder:
    """Learn the word → id mapping of `texts`.

    >>> fit_encoder(["good food", "bad food"], method="vocabulary", vocab_size=10).word_ids
    {'food': 2, 'good': 3, 'bad': 4}

    Args:
        texts: the reviews.
        method: "hashing", "vocabulary" or "keras_hashing".
        vocab_size: number of ids including padding (and, for "vocabulary", the unknown id).

    Returns:
        An Encoder.
    """
    method = check_value(EncodeSettings, "method", method)
    vocab_size = check_value(EncodeSettings, "vocab_size", vocab_size)
    return _fit_tokens([tokenize(t) for t in texts], method=method, vocab_size=vocab_size)


def _fit_tokens(tokens: list[list[str]], *, method: str, vocab_size: int) -> Encoder:
    """`fit_encoder` on reviews already split into words (same word order, same ids).

    `method` and `vocab_size` have passed their EncodeSettings rules; the rule that ties the two
    together is the vocabulary encoder's own, so it is checked where that encoder is fitted.
    """
    if method == "vocabulary" and vocab_size < 3:
        raise InputError(
            "`vocab_size` must be at least 3 with the vocabulary encoding (padding, unknown, "
            f"and one word). Received: vocab_size={vocab_size}"
        )
    counts = Counter(word for words in tokens for word in words)
    if method == "hashing":
        word_ids = {w: stable_hash_id(w, vocab_size=vocab_size) for w in counts}
        return Encoder(method, vocab_size, word_ids)
    if method == "keras_hashing":
        return Encoder(method, vocab_size, dict(zip(counts, keras_hash_ids(list(counts),
                                                                           vocab_size=vocab_size))))
    # Counter.most_common keeps first-appearance order among equal counts.
    ranked = [w for w, _ in counts.most_common()]
    kept = ranked[: vocab_size - 2]
    word_ids = {w: i + 2 for i, w in enumerate(kept)}
    return Encoder(method, vocab_size, word_ids, dropped_words=tuple(ranked[vocab_size - 2 :]))


def pad(sequences, *, max_length: int, padding: str = EncodeSettings.padding,
        truncating: str = EncodeSettings.truncating, value: int = PADDING_ID) -> np.ndarray:
    """Pad or cut each id list to `max_length`, like Keras' pad_sequences.

    >>> pad([[1, 2], [3, 4, 5]], max_length=2, padding="pre", truncating="pre").tolist()
    [[1, 2], [4, 5]]

    Returns:
        An int32 array of shape (len(sequences), max_length).
    """
    max_length = check_value(EncodeSettings, "max_length", max_length)
    padding = check_value(EncodeSettings, "padding", padding)
    truncating = check_value(EncodeSettings, "truncating", truncating)
    return _pad(sequences, max_length=max_length, padding=padding, truncating=truncating, value=value)


def _pad(sequences, *, max_length: int, padding: str, truncating: str, value: int) -> np.ndarray:
    """`pad` with arguments that have passed their rules."""
    out = np.full((len(sequences), max_length), value, dtype=np.int32)
    for row, seq in enumerate(sequences):
        seq = seq[-max_length:] if truncating == "pre" else seq[:max_length]
        if seq:
            if padding == "post":
                out[row, : len(seq)] = seq
            else:
                out[row, -len(seq) :] = seq
    return out


@dataclass(frozen=True)
class Encoded:
    """Reviews after encoding: the padded matrix plus what was lost on the way."""

    settings: EncodeSettings
    encoder: Encoder
    tokens: list[list[str]]
    ids: list[list[int]]
    padded: np.ndarray
    truncated: list[list[str]] = field(default_factory=list)  # words cut by max_length, per review
    unknown: list[list[str]] = field(default_factory=list)  # words cut by vocab_size, per review

    def table(self) -> pd.DataFrame:
        """One row per review: its tokens, ids, padded row and the words it lost."""
        return pd.DataFrame({
            "tokens": [" ".join(t) for t in self.tokens],
            "ids": [" ".join(map(str, i)) for i in self.ids],
            "padded": [" ".join(map(str, row)) for row in self.padded.tolist()],
            "cut by max length": [" ".join(t) for t in self.truncated],
            "outside vocabulary": [" ".join(t) for t in self.unknown],
        })

    def padded_frame(self) -> pd.DataFrame:
        columns = [f"t{i}" for i in range(self.padded.shape[1])]
        return pd.DataFrame(self.padded, columns=columns)


def encode(texts: list[str], settings: EncodeSettings, *, encoder: Encoder | None = None) -> Encoded:
    """Encode reviews into a padded id matrix.

    >>> encode(["horrible food!"], EncodeSettings(vocab_size=50, max_length=4)).padded.tolist()
    [[35, 28, 0, 0]]

    Args:
        texts: the reviews.
        settings: encoding, vocab_size, max_length, padding, truncating.
        encoder: reuse a fitted encoder (to encode a new review the way training data was);
            by default one is fitted on `texts`.

    Returns:
        An `Encoded` with the tokens, ids, padded matrix and the words lost to truncation or
        to the vocabulary cut.
    """
    settings = settings.checked()
    tokens = [tokenize(t) for t in texts]
    if encoder is None:
        encoder = _fit_tokens(tokens, method=settings.method, vocab_size=settings.vocab_size)
    ids = [encoder.ids(t) for t in tokens]
    padded = _pad(ids, max_length=settings.max_length, padding=settings.padding,
                  truncating=settings.truncating, value=PADDING_ID)
    truncated = [_cut_words(t, settings) for t in tokens]
    unknown = [[w for w, i in zip(t, r) if i == UNKNOWN_ID and encoder.method == "vocabulary"]
               for t, r in zip(tokens, ids)]
    return Encoded(settings, encoder, tokens, ids, padded, truncated, unknown)


def _cut_words(tokens: list[str], settings: EncodeSettings) -> list[str]:
    extra = len(tokens) - settings.max_length
    if extra <= 0:
        return []
    return tokens[:extra] if settings.truncating == "pre" else tokens[settings.max_length :]


def one_hot(index: int, *, vocab_size: int) -> np.ndarray:
    """The one-hot row of an id: multiplying it by the embedding matrix selects that id's row."""
    row = np.zeros(vocab_size, dtype=np.float32)
    row[index] = 1.0
    return row
