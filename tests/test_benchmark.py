"""explorer.benchmark: question files, and the batched evaluation against gensim's counts."""

import threading
from pathlib import Path

import numpy as np
import pytest

import explorer.benchmark as benchmark_module
from explorer.benchmark import (TOTAL_SECTION, default_questions_path, evaluate_analogies,
                                read_questions)
from explorer.errors import InputError
from explorer.vectors import Vectors
from tests.test_analogy import gensim_keyed_vectors, royal  # noqa: F401  (royal is a fixture)

DATA = Path(__file__).parent / "data"


# --------------------------------------------------------------------------- question files


def test_read_questions_from_a_path_bytes_or_text():
    path = DATA / "royal_questions.txt"
    for source in (path, str(path), path.read_bytes(), path.read_text()):
        parsed = read_questions(source)
        assert parsed.sections == ["royalty", "fruit"]
        assert parsed.section_of == [0, 0, 0, 0, 1, 1]
        assert parsed.words[3] == ("Man", "Woman", "KING", "Queen")


def test_read_questions_tolerates_blank_lines_bom_and_crlf():
    parsed = read_questions(b"\xef\xbb\xbf: s one\r\n\r\na b c d\r\n")
    assert parsed.sections == ["s one"] and parsed.words == [("a", "b", "c", "d")]


@pytest.mark.parametrize("source, message", [
    ("a b c d\n: s\n", "`questions` line 1: a question comes before the first section line"),
    (": s\na b c d\na b c\n", "`questions` line 3 has 3 words; each question needs 4"),
    (": s\na b c d e\n", "`questions` line 2 has 5 words"),
    (b": s\na b c d\n\xff b c d\n", "`questions` line 3 is not UTF-8 text"),
    (": s\n\n", "`questions` holds no questions"),
    ("no-such-file.txt", "which does not exist"),
    (42, "`questions` must be a path, bytes or text"),
])
def test_malformed_question_files_are_input_errors(source, message):
    with pytest.raises(InputError) as caught:
        read_questions(source)
    assert message in str(caught.value)


# --------------------------------------------------------------------------- evaluation


def test_evaluation_on_hand_made_questions(royal):
    seen = []
    result = evaluate_analogies(royal, DATA / "royal_questions.txt", progress=seen.append)
    # royalty: all four right (one asked in other cases). fruit: apple:pear :: man:? gives
    # king, not woman, and "plum" is unknown, so skipped.
    assert (result.correct, result.answered, result.skipped) == (4, 5, 1)
    assert result.accuracy == pytest.approx(0.8)
    assert result.sections.to_dict(orient="records") == [
        {"section": "royalty", "correct": 4, "answered": 4, "skipped": 0, "accuracy": 1.0},
        {"section": "fruit", "correct": 0, "answered": 1, "skipped": 1, "accuracy": 0.0},
        {"section": TOTAL_SECTION, "correct": 4, "answered": 5, "skipped": 1, "accuracy": 0.8},
    ]
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert result.to_dict()["sections"][0]["section"] == "royalty"


def test_an_exception_from_progress_stops_the_evaluation(monkeypatch):
    monkeypatch.setattr(benchmark_module, "_BLOCK", 37)
    vectors, text = random_case(np.random.default_rng(5), n_words=400, dim=6, n_pairs=5)
    started, stopped = [], threading.Event()
    real = benchmark_module._Plan.block_maxima

    def block_maxima(*args):
        started.append(1)
        if len(started) > 1:  # hold the other blocks until the page has stopped
            stopped.wait(10)
        return real(*args)

    def stop(fraction):
        stopped.set()
        raise KeyboardInterrupt("the page was rerun")

    monkeypatch.setattr(benchmark_module._Plan, "block_maxima", block_maxima)
    with pytest.raises(KeyboardInterrupt):
        evaluate_analogies(vectors, text, progress=stop)
    assert len(started) <= 3  # of 11 blocks: those not started were dropped


def test_evaluation_restricts_the_vocabulary(royal):
    result = evaluate_analogies(royal, DATA / "royal_questions.txt", restrict_vocab=6)
    assert (result.correct, result.answered, result.skipped) == (4, 4, 2)
    assert result.restrict_vocab == 6
    with pytest.raises(InputError, match="`restrict_vocab` must be between 1"):
        evaluate_analogies(royal, DATA / "royal_questions.txt", restrict_vocab=0)


def test_evaluation_with_nothing_answered(royal):
    result = evaluate_analogies(royal, ": none\nx y z w\n")
    assert (result.correct, result.answered, result.skipped, result.accuracy) == (0, 0, 1, 0.0)


def gensim_counts(kv, questions_path, restrict_vocab):
    _, sections = kv.evaluate_word_analogies(str(questions_path), restrict_vocab=restrict_vocab)
    return [(s["section"], len(s["correct"]), len(s["correct"]) + len(s["incorrect"]))
            for s in sections]


def random_case(rng, n_words, dim, n_pairs):
    """Random vectors with exact duplicates (ties) and case variants, and grouped questions."""
    words = [f"w{i}" for i in range(n_words)]
    for i in range(0, n_words, 17):
        words[i] = words[i - 1].upper() if i else "W0"  # "W16" after "w16": a case variant
    matrix = rng.standard_normal((n_words, dim))
    matrix[5::23] = matrix[4::23][: len(matrix[5::23])]  # identical rows: exact ties
    vectors = Vectors.from_arrays(words, matrix)
    lines, lower = [], sorted({w.lower() for w in words} | {"oov1", "oov2"})
    for s in range(4):
        lines.append(f": section {s}")
        pairs = [rng.choice(lower, 2, replace=False) for _ in range(n_pairs)]
        for a, b in pairs:
            for c, d in pairs:
                if (a, b) != (c, d):
                    lines.append(f"{a} {b} {c} {d}".upper() if rng.random() < 0.2 else f"{a} {b} {c} {d}")
        for _ in range(30):  # and ungrouped questions
            lines.append(" ".join(rng.choice(lower, 4)))
        # One pair asked about the first and the last c word: rows far apart, so gathered.
        a, b = rng.choice(lower, 2, replace=False)
        lines.append(f"{a} {b} {pairs[0][0]} {pairs[0][1]}")
        lines.append(f"{a} {b} {lines[-2].split()[2]} {lines[-2].split()[3]}")
    return vectors, "\n".join(lines) + "\n"


@pytest.mark.parametrize("block, chunk", [(4096, 64), (37, 5)])
def test_evaluation_equals_gensims_on_random_vectors(tmp_path, monkeypatch, block, chunk):
    # A small block and chunk run the many-block, slice and gather paths on small data.
    monkeypatch.setattr(benchmark_module, "_BLOCK", block)
    monkeypatch.setattr(benchmark_module, "_CHUNK", chunk)
    rechecked = []
    exact = benchmark_module._gensim_answer
    monkeypatch.setattr(benchmark_module, "_gensim_answer",
                        lambda *args: rechecked.append(1) or exact(*args))
    rng = np.random.default_rng(7)
    vectors, text = random_case(rng, n_words=400, dim=6, n_pairs=12)
    path = tmp_path / "questions.txt"
    path.write_text(text)
    kv = gensim_keyed_vectors(vectors)
    for restrict_vocab in (300_000, 250):
        result = evaluate_analogies(vectors, path, restrict_vocab=restrict_vocab)
        ours = [(r.section, r.correct, r.answered) for r in result.sections.itertuples()]
        assert ours == gensim_counts(kv, path, restrict_vocab)
    assert rechecked, "the exact recheck of close calls was never used"


def test_block_maxima_equal_a_direct_computation(monkeypatch):
    monkeypatch.setattr(benchmark_module, "_BLOCK", 37)
    monkeypatch.setattr(benchmark_module, "_CHUNK", 5)
    vectors, text = random_case(np.random.default_rng(3), n_words=400, dim=6, n_pairs=12)
    parsed = read_questions(text)
    known = benchmark_module._upper_vocabulary(vectors, len(vectors))
    asked = [n for n, quad in enumerate(parsed.words) if all(w.upper() in known for w in quad)]
    rows = np.array([[known[w.upper()] for w in parsed.words[n]] for n in asked])
    plan = benchmark_module._Plan(vectors, rows, np.array(parsed.section_of)[asked])
    assert any(task[3] is not None for task in plan.tasks)  # some groups are gathered
    units = vectors.matrix
    directions = units[rows[:, 1]] + units[rows[:, 2]] - units[rows[:, 0]]
    scores = directions @ units.T
    scores[np.arange(len(rows))[:, None], rows[:, :3]] = -np.inf
    for start in range(0, len(vectors), 37):
        expected = scores[:, start:start + 37].max(axis=1)
        assert plan.block_maxima(vectors, start, min(start + 37, len(vectors))) == \
            pytest.approx(expected, abs=1e-5)


def test_default_questions_path_is_gensims_copy():
    path = default_questions_path()
    assert path is not None and path.name == "questions-words.txt" and "gensim" in path.parts


def test_docstring_examples_run():
    import doctest

    assert doctest.testmod(benchmark_module).failed == 0
