"""How big one visitor's model may be: a budget in parameters and in bytes, checked before Keras
allocates anything.

One server serves a whole room, so no single model may take a share of memory that would hurt
the others: 100,000 ids × 1,024 dimensions with the LSTM head is 102 million parameters, about
1.6 GB with Adam's moments and gradients, and a batch of 4,096 reviews of 1,000 ids × 1,024
dimensions would be a 16 GB Embedding output. The limits below keep a model, everything training
holds for it, under about 300 MB, and say which control to lower in the page's words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from explorer.errors import InputError, check_int

# Parameters of one model: 100,000 words × 50 (GloVe's width) is 5 million, with room for a head.
MAX_PARAMETERS = 6_000_000
# Numbers in one batch's Embedding output (batch × max length × output dimension), 128 MB.
MAX_BATCH_ACTIVATIONS = 2**25
# Bytes a training run holds per parameter: the weights, their gradients, and the optimizer's
# moving averages (Adam keeps two, RMSprop one, SGD none), float32 each.
_SLOTS = {"adam": 2, "rmsprop": 1, "sgd": 0}
LSTM_UNITS = 16


@dataclass(frozen=True)
class ModelSize:
    """What a model of these settings holds while it trains."""

    parameters: int
    batch_activations: int
    training_bytes: int


def model_size(*, vocab_size: int, max_length: int, output_dim: int, head: str, optimizer: str,
               batch_size: int, n_reviews: int | None = None) -> ModelSize:
    """Parameters, one batch's Embedding output, and bytes of a model before it is built.

    Example:
        >>> model_size(vocab_size=50, max_length=4, output_dim=8, head="flatten",
        ...            optimizer="adam", batch_size=32).parameters
        433
    """
    embedding = vocab_size * output_dim
    if head == "flatten":
        head_parameters = max_length * output_dim + 1
    elif head == "average":
        head_parameters = output_dim + 1
    else:  # LSTM: four gates of (input + recurrent + bias), then the Dense unit
        head_parameters = 4 * (output_dim * LSTM_UNITS + LSTM_UNITS**2 + LSTM_UNITS) + LSTM_UNITS + 1
    parameters = embedding + head_parameters
    batch = batch_size if n_reviews is None else max(1, min(batch_size, n_reviews))
    activations = batch * max_length * output_dim
    per_parameter = 4 * (2 + _SLOTS.get(optimizer, 2))
    return ModelSize(parameters, activations, parameters * per_parameter + activations * 4 * 2)


def check_model_size(**settings) -> ModelSize:
    """`model_size(**settings)`, or an InputError naming what to lower when over budget."""
    size = model_size(**settings)
    if size.parameters > MAX_PARAMETERS:
        raise InputError(
            f"This model would have {size.parameters:,} parameters; one model may have at most "
            f"{MAX_PARAMETERS:,} on this server, so that one visitor cannot fill the memory "
            "everyone shares. Lower the Vocabulary size (Encode page) or the Output dimension "
            "(Train page): the Embedding table alone is vocabulary size × output dimension = "
            f"{settings['vocab_size']:,} × {settings['output_dim']:,}."
        )
    if size.batch_activations > MAX_BATCH_ACTIVATIONS:
        raise InputError(
            f"One batch would hold {size.batch_activations:,} numbers (batch size × max length "
            f"× output dimension); at most {MAX_BATCH_ACTIVATIONS:,} fit in this server's share "
            "for one visitor. Lower the Batch size or the Output dimension (Train page), or the "
            "Max length (Encode page)."
        )
    return size


# Ids in one session's padded matrix (reviews × max length): 10 million int32 ids are 40 MB.
MAX_PADDED_IDS = 10_000_000


def check_padded_size(*, n_reviews: int, max_length: int) -> None:
    """Refuse an encoding whose padded matrix would take more than one visitor's share."""
    ids = n_reviews * max_length
    if ids > MAX_PADDED_IDS:
        raise InputError(
            f"{n_reviews:,} reviews × max length {max_length:,} would make {ids:,} ids; at most "
            f"{MAX_PADDED_IDS:,} fit in this server's share for one visitor. Lower the Max length "
            f"(Encode page) to at most {max(1, MAX_PADDED_IDS // max(1, n_reviews)):,}, or use "
            "fewer reviews."
        )


# --- the training movie's weight snapshots ------------------------------------------------
# A run keeps the Embedding table at some epochs for the Projection page's movie; these rules
# say which, so the snapshots of one session stay within their share of memory.


def snapshot_epochs(epochs: int, *, every: int) -> list[int]:
    """The epochs whose weights are kept: 0 (the random start), every `every`-th, and the last.

    Example:
        >>> snapshot_epochs(10, every=4)
        [0, 4, 8, 10]

    Args:
        epochs: number of training epochs.
        every: interval from `snapshot_budget`; 0 keeps no snapshots.

    Returns:
        Sorted list of epoch numbers (epoch e = weights after e epochs).
    """
    epochs = check_int("epochs", epochs, low=1, high=10**6)
    every = check_int("every", every, low=0, high=10**6)
    if every == 0:
        return []
    return sorted(set(range(0, epochs + 1, every)) | {epochs})


def snapshot_budget(n_rows, n_dims, *, epochs, budget_bytes=50 * 2**20, dtype_bytes=4) -> int:
    """The epoch interval k so that snapshots every k-th epoch fit in `budget_bytes`.

    The kept epochs are those of `snapshot_epochs(epochs, every=k)`: epoch 0, every k-th and
    the last, i.e. 1 + ceil(epochs / k) snapshots of n_rows x n_dims x dtype_bytes each. The
    smallest such k is returned, so short runs keep every epoch (k = 1).

    If even the two snapshots a movie needs (the random start and the last epoch) do not fit,
    it returns 0, meaning "keep no per-epoch snapshots": the trained weights still live in the
    model, so the page can show the trained embedding, but not the movie or the before/after
    view, and it should say the embedding is too large for them.

    Example:
        >>> snapshot_budget(1000, 16, epochs=30)  # 64 KB a snapshot: keep every epoch
        1
        >>> snapshot_budget(100_000, 64, epochs=30)  # 25.6 MB a snapshot: only start and end
        30

    Args:
        n_rows: rows of the embedding matrix (vocabulary size).
        n_dims: columns (output dimension).
        epochs: number of training epochs.
        budget_bytes: memory allowed for all snapshots of one session (default 50 MiB).
        dtype_bytes: bytes per number (4 for float32).

    Returns:
        The interval k (1 <= k <= epochs), or 0 when not even two snapshots fit.
    """
    limit = 10**12
    n_rows = check_int("n_rows", n_rows, low=1, high=limit)
    n_dims = check_int("n_dims", n_dims, low=1, high=limit)
    epochs = check_int("epochs", epochs, low=1, high=10**6)
    budget_bytes = check_int("budget_bytes", budget_bytes, low=1, high=limit)
    dtype_bytes = check_int("dtype_bytes", dtype_bytes, low=1, high=16)
    fits = budget_bytes // (n_rows * n_dims * dtype_bytes)
    if fits < 2:
        return 0
    return max(1, math.ceil(epochs / (fits - 1)))
