"""`python -m explorer analogy | neighbours | evaluate-analogies`, through main(argv)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explorer import cli_glove
from explorer.__main__ import main

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def royal_file(tmp_path):
    path = tmp_path / "royal.txt"
    shutil.copy(DATA / "royal_glove.txt", path)
    return str(path)


def test_analogy_json_on_the_shipped_glove(capsys):
    code, out, err = run(capsys, "analogy", "--positive", "king", "woman", "--negative", "man",
                         "--topn", "10", "--json")
    assert code == 0 and err == ""
    answer = json.loads(out)
    assert len(answer) == 10 and answer[0][0] == "queen" and round(answer[0][1], 4) == 0.8524
    assert all(isinstance(w, str) and isinstance(s, float) for w, s in answer)


def test_analogy_on_a_vectors_file_with_cosmul(capsys, royal_file):
    code, out, _ = run(capsys, "analogy", "--positive", "king", "woman", "--negative", "man",
                       "--topn", "2", "--method", "cosmul", "--vectors", royal_file, "--json")
    assert code == 0
    assert [w for w, _ in json.loads(out)] == ["queen", "princess"]


def test_analogy_plain_text_output(capsys, royal_file):
    code, out, _ = run(capsys, "analogy", "--positive", "king", "woman", "--negative", "man",
                       "--topn", "2", "--vectors", royal_file)
    assert code == 0 and out == "queen\t1.0000\nprincess\t0.8165\n"


def test_neighbours_json(capsys, royal_file):
    code, out, _ = run(capsys, "neighbours", "Queen", "--topn", "2", "--vectors", royal_file, "--json")
    assert code == 0
    assert [w for w, _ in json.loads(out)] == ["princess", "woman"]


def test_evaluate_analogies_json(capsys, royal_file):
    code, out, _ = run(capsys, "evaluate-analogies", "--questions", str(DATA / "royal_questions.txt"),
                       "--vectors", royal_file, "--json")
    assert code == 0
    result = json.loads(out)
    assert (result["correct"], result["answered"], result["skipped"]) == (4, 5, 1)
    assert result["accuracy"] == 0.8 and result["restrict_vocab"] == 8
    assert result["sections"][1] == {"section": "fruit", "correct": 0, "answered": 1,
                                     "skipped": 1, "accuracy": 0.0}
    assert isinstance(result["seconds"], float)


def test_evaluate_analogies_table(capsys, royal_file):
    code, out, _ = run(capsys, "evaluate-analogies", "--questions", str(DATA / "royal_questions.txt"),
                       "--vectors", royal_file, "--restrict-vocab", "6")
    assert code == 0
    assert "royalty" in out and "Total accuracy" in out and "(2 skipped)" in out


def test_skipped_lines_are_reported_on_stderr(capsys, tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("a 1 0\nb 0 1\nbroken 1\n")
    code, out, err = run(capsys, "neighbours", "a", "--vectors", str(path), "--json")
    assert code == 0 and json.loads(out)[0][0] == "b"
    assert "Skipped 1 lines: 1 × wrong number of values (line 3)" in err


@pytest.mark.parametrize("argv, message", [
    (["analogy", "--positive", "kign", "--json"], "error: 'kign' is not in the vocabulary"),
    (["analogy", "--positive", "king", "--topn", "0"], "error: `topn` must be between 1 and 100"),
    (["analogy", "--positive", "king", "--negative", "KING"], "on both sides"),
    (["neighbours", "frog", "--vectors", "missing.txt"], "error: `path` must be an existing"),
    (["evaluate-analogies", "--questions", "missing.txt"], "which does not exist"),
])
def test_bad_input_is_one_line_and_exit_status_1(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_malformed_files_are_one_line_errors(capsys, tmp_path):
    bad_vectors = tmp_path / "v.txt"
    bad_vectors.write_text("a 1 0\nb 0 x\n")
    code, _, err = run(capsys, "neighbours", "a", "--vectors", str(bad_vectors), "--on-error", "raise")
    assert code == 1 and "`v.txt` line 2 has a value for 'b' that is not a finite number" in err
    questions = tmp_path / "q.txt"
    questions.write_text("a b c d\n")
    code, _, err = run(capsys, "evaluate-analogies", "--questions", str(questions))
    assert code == 1 and "line 1: a question comes before the first section line" in err


def test_evaluate_without_gensim_asks_for_a_questions_file(capsys, monkeypatch):
    import explorer.benchmark

    monkeypatch.setattr(explorer.benchmark, "default_questions_path", lambda: None)
    code, _, err = run(capsys, "evaluate-analogies")
    assert code == 1 and "`--questions` is needed" in err


def test_register_adds_three_commands():
    import argparse

    parser = argparse.ArgumentParser()
    cli_glove.register(parser.add_subparsers(dest="command"))
    for argv in (["analogy", "--positive", "a"], ["neighbours", "a"], ["evaluate-analogies"]):
        assert callable(parser.parse_args(argv).handler)


def test_the_real_entry_point(royal_file):
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "analogy", "--positive", "king", "woman", "--negative",
         "man", "--topn", "1", "--vectors", royal_file, "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0][0] == "queen"


def test_command_defaults_and_choices_are_the_settings_tables():
    import doctest

    import explorer.glove_settings as glove_settings
    from explorer.__main__ import build_parser
    from explorer.glove_settings import BenchmarkSettings, QuerySettings

    parser = build_parser()
    analogy = parser.parse_args(["analogy", "--positive", "king"])
    assert (analogy.topn, analogy.method) == (QuerySettings().topn, QuerySettings().method)
    assert parser.parse_args(["neighbours", "frog"]).topn == QuerySettings().topn
    for command in ("evaluate-analogies", "evaluate-pairs"):
        assert parser.parse_args([command]).restrict_vocab == BenchmarkSettings().restrict_vocab
    with pytest.raises(SystemExit):  # argparse refuses a method outside the table's options
        parser.parse_args(["analogy", "--positive", "king", "--method", "cos"])
    assert doctest.testmod(glove_settings).failed == 0
