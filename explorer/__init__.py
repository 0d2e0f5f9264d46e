"""Embedding Explorer's core: text encoding, Keras models, projections, GloVe vectors.

Nothing in this package imports streamlit; TensorFlow is imported only by `explorer.model`
when a model is built, so importing the rest stays fast.
"""

from explorer.errors import InputError

__all__ = ["InputError"]
