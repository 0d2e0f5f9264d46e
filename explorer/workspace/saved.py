"""What a workspace holds, as Python values, and the bridge to a trained Keras run and back.

The settings travel as settings objects: `SavedModel` and `Workspace` take an `EncodeSettings`
and a `ModelSettings` (or their fields, as a page or a file gives them), check them once against
the classes' own tables, and keep both the objects (`encoding`, `training`) and their plain
fields (`encode_settings`, `model_settings`, what a file and a page address write).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from explorer.errors import InputError
from explorer.model import STARTS, ModelSettings
from explorer.reviews import validate_reviews
from explorer.text import EncodeSettings, encode, tokenize
from explorer.workspace.schema import read_settings

EMBEDDING_STARTS = tuple(STARTS)  # the Train page's "Embedding starts from" choices
NOTHING_CHANGED = "Nothing was changed."


def _settings_pair(holder, where: str) -> None:
    # One conversion for both types: settings objects checked, plain fields kept beside them.
    encoding = read_settings(EncodeSettings, holder.encode_settings, f"{where}encode_settings")
    training = read_settings(ModelSettings, holder.model_settings, f"{where}model_settings")
    for name, value in (("encoding", encoding), ("training", training),
                        ("encode_settings", asdict(encoding)),
                        ("model_settings", asdict(training))):
        object.__setattr__(holder, name, value)


@dataclass(frozen=True)
class SavedModel:
    """A trained model as a workspace file holds it: its settings and float32 arrays.

    `encode_settings`/`model_settings` may be given as settings objects or their fields; they
    are kept as plain fields, with the checked objects in `encoding`/`training`. `reviews` is
    None when the model was trained on the workspace's own reviews.
    """

    encode_settings: dict
    model_settings: dict
    weights: list[np.ndarray]
    embedding_before: np.ndarray
    history: dict[str, list[float]]
    reviews: pd.DataFrame | None = None
    stopped: str | None = None
    label: str = ""
    seconds: float = 0.0
    start: str = "random"  # where its Embedding began: one of EMBEDDING_STARTS
    encoding: EncodeSettings = field(init=False, repr=False, compare=False)
    training: ModelSettings = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        _settings_pair(self, "model.")


@dataclass(frozen=True)
class Workspace:
    """A user's work as read back from a workspace file, every field already checked.

    `reviews` has columns text (str) and label (int 0 or 1); the settings are kept as for
    `SavedModel`; `model` is None when no model was saved. Rebuild the Keras model with
    `restore_run`.
    """

    reviews: pd.DataFrame
    class_names: tuple[str, str]
    encode_settings: dict
    model_settings: dict
    embedding_start: str = "random"
    model: SavedModel | None = None
    encoding: EncodeSettings = field(init=False, repr=False, compare=False)
    training: ModelSettings = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        _settings_pair(self, "")


def saved_model(run, *, reviews: pd.DataFrame, class_names) -> SavedModel:
    """Take what a workspace file needs from a trained `explorer.model.TrainResult`.

    Args:
        run: the TrainResult (its Keras model gives every weight).
        reviews: the session's reviews now; when they still encode to what the model was trained
            on, the file stores them once.
        class_names: the two class names, class 0 first.

    Returns:
        A `SavedModel`.
    """
    weights = [np.asarray(w, dtype=np.float32) for w in run.model.get_weights()]
    same = _trained_on(reviews, class_names=class_names, run=run)
    trained_on = None if same else pd.DataFrame({
        # The run keeps each review's words, not its raw text; they encode exactly as it did.
        "text": [" ".join(words) for words in run.encoded.tokens],
        "label": np.asarray(run.labels).astype(np.int64),
    })
    return SavedModel(
        encode_settings=run.encoded.settings, model_settings=run.settings,
        weights=weights, embedding_before=np.asarray(run.weights_before, dtype=np.float32),
        history={k: list(v) for k, v in run.history.items()}, reviews=trained_on,
        stopped=run.stopped, label=str(run.label), seconds=float(run.seconds),
        start=getattr(run, "start", "random"))


def restore_run(workspace: Workspace):
    """Rebuild the saved trained model as a `TrainResult` the Train and Weights pages can use.

    TensorFlow is loaded here (through `explorer.model.prepare`), and only when there is a
    model to rebuild. The weight snapshots are the start and the end of training.

    >>> restore_run(Workspace(reviews=pd.DataFrame({"text": ["awesome"], "label": [1]}),
    ...     class_names=("n", "p"), encode_settings=EncodeSettings(),
    ...     model_settings=ModelSettings())) is None
    True

    Args:
        workspace: from `explorer.workspace.workspace_from_json`.

    Returns:
        A `TrainResult` whose model predicts exactly as the saved one did, or None when the
        workspace holds no model.

    Raises:
        InputError: the saved weights do not fit the model their settings build, or the reviews
            it was trained on cannot be encoded; the message ends with "Nothing was changed."
    """
    saved = workspace.model
    if saved is None:
        return None
    from explorer.model import embedding_weights, prepare

    trained_on = workspace.reviews if saved.reviews is None else saved.reviews
    try:
        texts, labels = validate_reviews(trained_on, class_names=workspace.class_names)
        result = prepare(encode(texts, saved.encoding), labels, settings=saved.training)
        _check_weight_shapes(saved.weights, result.model)
    except InputError as error:
        raise InputError(f"The trained model in this file cannot be rebuilt: {error} "
                         f"{NOTHING_CHANGED}") from None
    result.model.set_weights(saved.weights)
    result.history = {key: list(values) for key, values in saved.history.items()}
    result.weights_before = saved.embedding_before.copy()
    result.weights_after = embedding_weights(result.model)
    result.snapshots = [result.weights_before.copy(), result.weights_after.copy()]
    result.snapshot_epochs = [0, result.epochs_run]
    result.stopped, result.label, result.seconds = saved.stopped, saved.label, saved.seconds
    result.start = saved.start
    return result


def start_of(embedding_before: np.ndarray, *, trainable: bool) -> str:
    """Where an Embedding began, read from its weights (for files from before runs said so)."""
    # A random start is uniform in ±0.05; GloVe vectors reach far beyond that. Frozen models
    # only ever started from GloVe (the Train page freezes nothing else).
    if not trainable:
        return "glove_frozen"
    return "glove_tuned" if embedding_before.size and np.abs(embedding_before).max() > 0.05 else "random"


def _trained_on(reviews, *, class_names, run) -> bool:
    """True when `reviews` still encode to the words and labels `run` was trained on."""
    try:
        texts, labels = validate_reviews(reviews, class_names=tuple(class_names))
    except InputError:
        return False
    return (np.array_equal(labels, np.asarray(run.labels).astype(np.int64))
            and [tokenize(t) for t in texts] == run.encoded.tokens)


def _check_weight_shapes(weights: list[np.ndarray], model) -> None:
    expected = [tuple(w.shape) for w in model.get_weights()]
    received = [tuple(w.shape) for w in weights]
    if expected != received:
        raise InputError(
            "`model.weights` must have the shapes of the model its settings build, "
            f"{expected}. Received: {received}"[:600]
        )
