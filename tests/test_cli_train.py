"""`python -m explorer train`: the tutorial numbers as JSON, the same in every process, and bad
input answered with one line on stderr and a non-zero exit.

The 100-epoch tutorial run is the only heavy part: it runs in exactly two subprocesses, shared by
the tests that read its report. Everything else runs in-process through `main(argv)` with a few
epochs.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.__main__ import main

REPO = Path(__file__).resolve().parent.parent
RESTAURANT = REPO / "sample_data" / "restaurant_reviews.csv"
TUTORIAL = ["train", "--csv", str(RESTAURANT), "--vocab-size", "50", "--max-length", "4",
            "--output-dim", "8", "--epochs", "100", "--seed", "0", "--json"]
QUIET_TF = {"TF_CPP_MIN_LOG_LEVEL": "3"}
# Column names of the Keras layers, in order, and their parameter counts for the tutorial model.
TUTORIAL_PARAMS = {"review": 0, "embedding": 400, "flatten": 0, "dense": 33,
                   "total": 433, "trainable": 433, "non_trainable": 0}


def run_cli(argv, *, env=None) -> subprocess.CompletedProcess:
    """`python -m explorer <argv>` in a new process, from the repository root."""
    return subprocess.run([sys.executable, "-m", "explorer", *argv], cwd=REPO, text=True,
                          capture_output=True, timeout=600,
                          env={**os.environ, **QUIET_TF, **(env or {})})


def quick(*extra, csv=RESTAURANT, epochs=3) -> list[str]:
    """Arguments for a short in-process run on the tutorial settings, plus `extra`."""
    return ["train", "--csv", str(csv), "--vocab-size", "50", "--max-length", "4",
            "--output-dim", "8", "--epochs", str(epochs), "--seed", "0", "--json", *extra]


def run_json(argv, capsys) -> dict:
    """Run `main(argv)` in-process; it must succeed and print exactly one JSON object."""
    code = main(argv)
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.count("\n") == 1 and out.endswith("\n"), out
    report = json.loads(out)
    assert isinstance(report, dict)
    return report


def run_failing(argv, capsys) -> str:
    """Run `main(argv)` in-process; it must exit non-zero with one line on stderr, no traceback."""
    code = main(argv)
    captured = capsys.readouterr()
    assert code != 0
    assert captured.out == ""
    message = captured.err
    assert message.startswith("error: ") and message.count("\n") == 1, message
    assert "Traceback" not in message
    return message


# --- the tutorial run, in two processes -------------------------------------------------------------

@pytest.fixture(scope="module")
def two_tutorial_runs():
    """The tutorial command in two processes at once, each with its own string-hash salt, so
    nothing can lean on Python's per-process `hash`."""
    env = {**os.environ, **QUIET_TF}
    processes = [
        subprocess.Popen([sys.executable, "-m", "explorer", *TUTORIAL], cwd=REPO, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env={**env, "PYTHONHASHSEED": salt})
        for salt in ("1", "2")
    ]
    outputs = [p.communicate(timeout=600) for p in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err[-2000:]
        assert out.count("\n") == 1, out
    return [json.loads(out) for out, _ in outputs]


def test_tutorial_json_has_params_history_accuracy_and_weights_shape(two_tutorial_runs):
    report = two_tutorial_runs[0]
    assert report["params"] == TUTORIAL_PARAMS
    assert set(report["history"]) == {"loss", "accuracy"}
    assert len(report["history"]["loss"]) == 100
    assert len(report["history"]["accuracy"]) == 100
    assert report["epochs_run"] == 100
    assert report["final_accuracy"] == 1.0
    assert report["final_accuracy"] == report["history"]["accuracy"][-1]
    assert report["final_loss"] == report["history"]["loss"][-1]
    assert report["history"]["loss"][-1] < report["history"]["loss"][0]
    assert report["weights_shape"] == [50, 8]
    assert report["class_names"] == ["negative", "positive"]
    assert report["stopped"] is None


def test_tutorial_numbers_are_identical_in_two_processes(two_tutorial_runs):
    first, second = ({k: v for k, v in r.items() if k != "seconds"} for r in two_tutorial_runs)
    assert first["history"] == second["history"]  # every epoch's loss and accuracy, exactly
    assert first == second


def test_hashing_collisions_are_reported_with_stable_ids(two_tutorial_runs):
    # md5-based ids: "rude", "services" and "have" share id 11 under vocab_size 50.
    collisions = two_tutorial_runs[0]["collisions"]
    assert ["rude", "services", "have"] in collisions.values()
    assert all(len(words) > 1 for words in collisions.values())


# --- the options, in-process with a few epochs ---------------------------------------------------------

def test_vocabulary_encoding_gives_every_word_its_own_id(capsys):
    report = run_json(quick("--encoding", "vocabulary"), capsys)
    assert report["collisions"] == {}
    assert report["params"]["total"] == 433
    assert len(report["history"]["loss"]) == 3


def test_average_head_has_no_flatten_and_a_smaller_dense(capsys):
    report = run_json(quick("--head", "average"), capsys)
    assert report["params"] == {"review": 0, "embedding": 400, "average": 0, "dense": 9,
                                "total": 409, "trainable": 409, "non_trainable": 0}
    assert len(report["history"]["accuracy"]) == 3


def test_lstm_head_trains(capsys):
    report = run_json(quick("--head", "lstm", epochs=2), capsys)
    # LSTM(16) on 8-dim inputs: 4 gates × (8 inputs + 16 recurrent + 1 bias) × 16 units.
    assert report["params"] == {"review": 0, "embedding": 400, "lstm": 1600, "dense": 17,
                                "total": 2017, "trainable": 2017, "non_trainable": 0}
    assert len(report["history"]["loss"]) == 2
    assert report["weights_shape"] == [50, 8]


def test_pre_padding_changes_what_the_model_sees(capsys):
    post = run_json(quick("--padding", "post"), capsys)
    pre = run_json(quick("--padding", "pre"), capsys)
    assert pre["params"] == post["params"] == TUTORIAL_PARAMS
    assert len(pre["history"]["loss"]) == 3
    # Flatten ties each weight to a position, so moving the words moves the numbers.
    assert pre["history"]["loss"] != post["history"]["loss"]


def test_same_seed_same_numbers_in_process_and_another_seed_differs(capsys):
    first = run_json(quick(), capsys)
    again = run_json(quick(), capsys)
    other = run_json(quick()[:-2] + ["1", "--json"], capsys)  # --seed 1
    assert first["history"] == again["history"]
    assert other["history"] != first["history"]


def test_without_json_prints_a_short_human_summary(capsys):
    code = main(quick(epochs=1)[:-1])  # drop --json
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == "params: 433 (433 trainable)"
    assert out.splitlines()[1].startswith("epochs: 1, final loss ")


# --- bad input ----------------------------------------------------------------------------------------

def write(tmp_path, content: bytes, name="reviews.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_missing_file(tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    message = run_failing(quick(csv=missing), capsys)
    assert "`--csv` must name a file" in message and "nope.csv" in message


def test_csv_without_text_and_label_columns(tmp_path, capsys):
    path = write(tmp_path, b"review,score\ngood,1\nbad,0\n")
    message = run_failing(quick(csv=path), capsys)
    assert "`text` column and a `label` column" in message
    assert "review" in message and "score" in message


def test_file_that_is_not_utf8(tmp_path, capsys):
    path = write(tmp_path, "text,label\ncafé au lait,1\nrude,0\n".encode("latin-1"))
    message = run_failing(quick(csv=path), capsys)
    assert "must be UTF-8" in message and "0xE9" in message


def test_every_label_the_same_class(tmp_path, capsys):
    path = write(tmp_path, b"text,label\ngood food,1\nnice staff,1\nlovely,1\n")
    message = run_failing(quick(csv=path), capsys)
    assert "`label` must include both classes" in message
    assert "'positive' (1)" in message and "'negative' (0)" in message


@pytest.mark.parametrize("text", ['""', '"!!!"'], ids=["empty", "punctuation"])
def test_a_review_without_words(tmp_path, capsys, text):
    path = write(tmp_path, f"text,label\ngood food,1\n{text},0\nrude,0\n".encode())
    message = run_failing(quick(csv=path), capsys)
    assert "`text` must contain at least one word" in message
    assert "row 2" in message


@pytest.mark.parametrize("option, name, value", [
    ("--vocab-size", "vocab_size", "1"),
    ("--vocab-size", "vocab_size", "100001"),
    ("--max-length", "max_length", "0"),
    ("--max-length", "max_length", "1001"),
    ("--output-dim", "output_dim", "0"),
    ("--output-dim", "output_dim", "1025"),
    ("--epochs", "epochs", "0"),
    ("--epochs", "epochs", "2001"),
])
def test_numbers_out_of_range(capsys, option, name, value):
    argv = quick()
    argv[argv.index(option) + 1] = value
    message = run_failing(argv, capsys)
    assert f"`{name}` must be between" in message
    assert f"Received: {name}={int(value):,}" in message


def test_bad_input_in_a_real_process_is_one_line_without_traceback(tmp_path):
    path = write(tmp_path, b"\xff\xfetext,label\n")
    finished = run_cli(quick(csv=path))
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.startswith("error: `file` must be UTF-8 text.")
    assert finished.stderr.count("\n") == 1
    assert "Traceback" not in finished.stderr
