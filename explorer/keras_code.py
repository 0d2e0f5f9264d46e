"""How today's Keras encodes reviews: the code the Encode page shows beside its own encoders.

Keras 3 has no `one_hot` or `Tokenizer`; its layers are `keras.layers.TextVectorization` (a
vocabulary) and `keras.layers.Hashing`. With the standardize function below they split words
as `explorer.text.tokenize` does, and give the same ids (tests/test_keras_encoders.py):

- vocabulary: the same ids as TextVectorization's `adapt`, except among words of equal count:
  we keep their first appearance, Keras sorts them by the words themselves, in reverse.
- keras_hashing: exactly `keras.layers.Hashing(num_bins=vocab_size, mask_value="")`.
- hashing (md5): Keras has no md5 layer; Hashing is its successor, with other ids.

Two documented differences of the split: Python's `str.split` also splits at Unicode spaces
(no-break space, em space), TensorFlow's at ASCII whitespace only; and lower-casing follows
TensorFlow's Unicode tables, which for a few letters (such as the Turkish dotted İ) differ.

>>> from explorer.text import EncodeSettings
>>> "TextVectorization" in keras_encode_code(EncodeSettings(method="vocabulary"))
True
"""

from __future__ import annotations

from collections import Counter

from explorer.text import FILTERS, EncodeSettings

# The filter characters as a regular-expression class for TensorFlow's RE2, written for a raw
# string: inside [...] only these five need a backslash, and tab and newline are spelt \t, \n.
_SPELT = {"\t": "\\t", "\n": "\\n"}
FILTER_CLASS = "[" + "".join(_SPELT.get(c) or ("\\" + c if c in "\\[]^-" else c)
                             for c in FILTERS) + "]"
assert "'" not in FILTER_CLASS  # it is written between r'...'

_STANDARDIZE = f'''import keras
import tensorflow as tf


def standardize(text):
    """Lower-case, and punctuation to spaces (the apostrophe stays: "couldn't")."""
    return tf.strings.regex_replace(tf.strings.lower(text, encoding="utf-8"),
                                    r'{FILTER_CLASS}', " ")

'''


def keras_encode_code(settings: EncodeSettings) -> str:
    """Keras 3 code that encodes a list `texts` into `padded` the way `settings` say.

    Runs as it is once `texts` is defined; the layers are built for `settings`' vocabulary
    size, and padding and truncating go through `keras.utils.pad_sequences`.
    """
    s = settings.checked()
    if s.method == "vocabulary":
        layer = f'''# Id 0 is padding, 1 "[UNK]" (every word outside the vocabulary), then the words
# from the most frequent; max_tokens counts both.
vectorize = keras.layers.TextVectorization(max_tokens={s.vocab_size}, standardize=standardize,
                                           split="whitespace", ragged=True)
vectorize.adapt(texts)
ids = vectorize(texts)
'''
    else:
        note = ("" if s.method == "keras_hashing" else
                "# (This page's hashing uses md5, which Keras has no layer for: this is its "
                "successor,\n# with other ids.)\n")
        layer = f'''{note}# FarmHash64 of each word mod {s.vocab_size - 1}, plus 1; mask_value="" keeps 0 for padding.
hashing = keras.layers.Hashing(num_bins={s.vocab_size}, mask_value="")
words = tf.strings.split(standardize(texts))  # one (ragged) row of words per review
ids = tf.ragged.map_flat_values(hashing, words)
'''
    pad = f'''# With padding and truncating both "post", the layer's output_sequence_length={s.max_length}
# does the same.
padded = keras.utils.pad_sequences(ids.to_list(), maxlen={s.max_length}, padding={s.padding!r},
                                   truncating={s.truncating!r}, value=0)
'''
    return _STANDARDIZE + layer + pad


def text_vectorization_ids(tokens: list[list[str]], *, vocab_size: int) -> dict[str, int]:
    """Word → id as `TextVectorization(max_tokens=vocab_size).adapt` numbers these reviews.

    Worked out here without Keras (the Encode page shows it before TensorFlow is loaded):
    Keras sorts the words by count, most frequent first, and equal counts by the words' UTF-8
    bytes in reverse (numpy.lexsort over counts and words, reversed); ids start at 2.

    >>> text_vectorization_ids([["bad", "good"]], vocab_size=10)
    {'good': 2, 'bad': 3}
    """
    counts = Counter(word for words in tokens for word in words)
    ranked = sorted(counts, key=lambda word: (counts[word], word.encode("utf-8")), reverse=True)
    return {word: index + 2 for index, word in enumerate(ranked[: vocab_size - 2])}
