"""explorer.analogy on tiny hand-made vectors whose answers are exact, and against gensim."""

import math
import threading
from pathlib import Path

import numpy as np
import pytest

import explorer.analogy as analogy_module
from explorer.analogy import (
    TOTAL_SECTION,
    analogy,
    default_questions_path,
    embedding_matrix_for,
    evaluate_analogies,
    neighbours,
    read_questions,
)
from explorer.errors import InputError
from explorer.vectors import Vectors, parse_vectors_bytes

DATA = Path(__file__).parent / "data"
SQRT_2_3 = math.sqrt(2 / 3)


@pytest.fixture(scope="module")
def royal():
    # man (1,0,1,0) woman (-1,0,1,0) king (1,1,0,0) queen (-1,1,0,0) prince (1,1,0,1)
    # princess (-1,1,0,1) apple = pear = (0,0,0,1): king - man + woman points exactly at queen.
    vectors, _ = parse_vectors_bytes((DATA / "royal_glove.txt").read_bytes(), name="royal")
    return vectors


def gensim_keyed_vectors(vectors):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vectors.dim, dtype=np.float32)
    kv.add_vectors(list(vectors.words), np.array(vectors.raw))
    return kv


def words_of(pairs):
    return [w for w, _ in pairs]


# --------------------------------------------------------------------------- 3CosAdd, 3CosMul


def test_cosadd_king_minus_man_plus_woman_is_queen(royal):
    answer = analogy(royal, positive=["king", "woman"], negative=["man"], topn=5)
    assert words_of(answer) == ["queen", "princess", "prince", "apple", "pear"]
    assert [s for _, s in answer] == pytest.approx([1.0, SQRT_2_3, 0.0, 0.0, 0.0], abs=1e-6)


def test_cosmul_scores_are_levy_and_goldbergs_products(royal):
    def shifted(x, y):
        return (1 + royal.vector(x) @ royal.vector(y)) / 2

    def expected(word):
        return shifted(word, "king") * shifted(word, "woman") / (shifted(word, "man") + 1e-6)

    answer = analogy(royal, positive=["king", "woman"], negative=["man"], topn=5, method="cosmul")
    assert words_of(answer) == ["queen", "princess", "apple", "pear", "prince"]
    assert answer[0][1] == pytest.approx(0.5 * 0.75 / (0.25 + 1e-6), abs=1e-6)
    assert [s for _, s in answer] == pytest.approx([expected(w) for w in words_of(answer)], abs=1e-6)


def test_query_words_are_left_out(royal):
    answer = neighbours(royal, "queen", topn=7)
    assert "queen" not in words_of(answer)
    assert words_of(answer) == ["princess", "woman", "king", "prince", "apple", "pear", "man"]
    assert answer[0][1] == pytest.approx(SQRT_2_3, abs=1e-6)
    assert answer[1][1] == pytest.approx(0.5, abs=1e-6)
    everything = analogy(royal, positive=["king", "woman"], negative=["man"], topn=100)
    assert len(everything) == 5 and not {"king", "woman", "man"} & set(words_of(everything))


def test_lookup_is_case_insensitive_and_a_single_word_is_accepted(royal):
    assert analogy(royal, positive=["KING", "Woman"], negative="MAN", topn=1)[0][0] == "queen"
    assert analogy(royal, positive="queen", topn=1)[0][0] == "princess"


def test_restrict_vocab_searches_only_the_first_words(royal):
    assert analogy(royal, positive=["king", "woman"], negative=["man"], topn=10,
                   restrict_vocab=4) == [("queen", pytest.approx(1.0, abs=1e-6))]
    assert len(analogy(royal, positive=["king"], restrict_vocab=10**9)) == 7  # capped, as gensim


@pytest.mark.parametrize("columns", [False, True])
def test_equal_scores_keep_the_more_frequent_word_first(columns):
    v = Vectors.from_arrays(["q", "b", "a", "c"], [[1, 0], [0, 1], [0, 1], [0, 2]])
    v = v.with_columns() if columns else v
    assert words_of(neighbours(v, "q", topn=3)) == ["b", "a", "c"]


@pytest.mark.parametrize("columns", [False, True])
def test_zero_vectors_never_answer(columns):
    v = Vectors.from_arrays(["a", "zero", "b"], [[1, 0], [0, 0], [-1, 0.1]])
    v = v.with_columns() if columns else v
    assert words_of(neighbours(v, "a", topn=5)) == ["b"]


@pytest.mark.parametrize("kwargs, message", [
    (dict(positive=[]), "`positive` must hold at least one word"),
    (dict(positive=["", "  "]), "`positive` must hold at least one word"),
    (dict(positive=[], negative=["man"]), "`positive` must hold at least one word"),
    (dict(positive=["king", "woman"], negative=["King"]), "'king' on both sides"),
    (dict(positive=["king"], topn=0), "`topn` must be between 1 and 100. Received: topn=0"),
    (dict(positive=["king"], topn=101), "`topn` must be between 1 and 100"),
    (dict(positive=["king"], topn=True), "`topn` must be an integer"),
    (dict(positive=["king"], topn=2.5), "`topn` must be an integer"),
    (dict(positive=["king"], method="cos"), "`method` must be one of 'cosadd', 'cosmul'"),
    (dict(positive=["king"], restrict_vocab=0), "`restrict_vocab` must be between 1"),
    (dict(positive=[1, 2]), "`positive` must hold only words"),
])
def test_bad_queries_are_input_errors(royal, kwargs, message):
    with pytest.raises(InputError) as caught:
        analogy(royal, **kwargs)
    assert message in str(caught.value)


def test_unknown_word_is_a_key_error_naming_it_with_spellings(royal):
    with pytest.raises(KeyError) as caught:
        analogy(royal, positive=["kinq", "woman"], negative=["man"])
    assert str(caught.value).startswith("'kinq' is not in the vocabulary (8 words). "
                                        "Closest spellings: king")
    with pytest.raises(InputError, match="`word` must be a word"):
        neighbours(royal, " ")


def test_top_matches_a_full_stable_sort():
    rng = np.random.default_rng(0)
    for n in (1, 5, 1023, 1024, 5000, 70_000):
        scores = rng.integers(0, 50, n).astype(np.float32)  # many ties
        for k in {1, 3, 13, min(n, 110), n}:
            expected = np.lexsort((np.arange(n), -scores))[:k]
            assert analogy_module._top(scores, k).tolist() == expected.tolist()


@pytest.mark.parametrize("columns", [False, True])
def test_answers_equal_gensims_on_random_vectors(columns):
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(3000)]
    v = Vectors.from_arrays(words, rng.standard_normal((3000, 12)))
    kv = gensim_keyed_vectors(v)
    if columns:  # the fast first pass, then gensim's exact scores near the top
        v = v.with_columns()
        assert v.columns.shape == (12, 3000)
    for _ in range(20):
        pos = list(rng.choice(words, size=rng.integers(1, 4), replace=False))
        neg = [w for w in rng.choice(words, size=rng.integers(0, 3), replace=False) if w not in pos]
        assert analogy(v, positive=pos, negative=neg, topn=25) == \
            kv.most_similar(positive=pos, negative=neg, topn=25)
        assert analogy(v, positive=pos, negative=neg, topn=25, method="cosmul") == \
            kv.most_similar_cosmul(positive=pos, negative=neg, topn=25)
        assert analogy(v, positive=pos, negative=neg, topn=7, restrict_vocab=500) == \
            kv.most_similar(positive=pos, negative=neg, topn=7, restrict_vocab=500)


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
    monkeypatch.setattr(analogy_module, "_BLOCK", 37)
    vectors, text = random_case(np.random.default_rng(5), n_words=400, dim=6, n_pairs=5)
    started, stopped = [], threading.Event()
    real = analogy_module._Plan.block_maxima

    def block_maxima(*args):
        started.append(1)
        if len(started) > 1:  # hold the other blocks until the page has stopped
            stopped.wait(10)
        return real(*args)

    def stop(fraction):
        stopped.set()
        raise KeyboardInterrupt("the page was rerun")

    monkeypatch.setattr(analogy_module._Plan, "block_maxima", block_maxima)
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
    monkeypatch.setattr(analogy_module, "_BLOCK", block)
    monkeypatch.setattr(analogy_module, "_CHUNK", chunk)
    rechecked = []
    exact = analogy_module._gensim_answer
    monkeypatch.setattr(analogy_module, "_gensim_answer",
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
    monkeypatch.setattr(analogy_module, "_BLOCK", 37)
    monkeypatch.setattr(analogy_module, "_CHUNK", 5)
    vectors, text = random_case(np.random.default_rng(3), n_words=400, dim=6, n_pairs=12)
    parsed = read_questions(text)
    known = analogy_module._upper_vocabulary(vectors, len(vectors))
    asked = [n for n, quad in enumerate(parsed.words) if all(w.upper() in known for w in quad)]
    rows = np.array([[known[w.upper()] for w in parsed.words[n]] for n in asked])
    plan = analogy_module._Plan(vectors, rows, np.array(parsed.section_of)[asked])
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


# --------------------------------------------------------------------------- GloVe in a model


def test_embedding_matrix_copies_known_words_and_averages_collisions():
    v = Vectors.from_arrays(["good", "bad", "fine"], [[1.0, 2.0], [3.0, 4.0], [5.0, 10.0]])
    ids = {1: ["good"], 2: ["bad", "fine"], 3: ["meh", "Fine"], 4: ["nope"]}
    matrix, covered, missing = embedding_matrix_for(v, ids, vocab_size=6, seed=3)
    assert matrix.dtype == np.float32 and matrix.shape == (6, 2)
    assert matrix[0].tolist() == [0.0, 0.0]
    assert matrix[1].tolist() == [1.0, 2.0]
    assert matrix[2].tolist() == [4.0, 7.0]  # the mean of "bad" and "fine"
    assert matrix[3].tolist() == [5.0, 10.0]  # "meh" unknown, "Fine" found case-insensitively
    assert np.abs(matrix[4:]).max() <= 0.05 and np.abs(matrix[4:]).min() > 0
    assert covered == ["good", "bad", "fine", "Fine"] and missing == ["meh", "nope"]


def test_embedding_matrix_random_rows_follow_the_seed():
    v = Vectors.from_arrays(["a"], [[1.0, 1.0, 1.0]])
    first = embedding_matrix_for(v, {1: ["x"]}, vocab_size=4, seed=11)[0]
    again = embedding_matrix_for(v, {1: ["x"]}, vocab_size=4, seed=11)[0]
    other = embedding_matrix_for(v, {1: ["x"]}, vocab_size=4, seed=12)[0]
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    assert first[1:].round(6).tolist() == (
        np.random.default_rng(11).uniform(-0.05, 0.05, (4, 3)).astype(np.float32)[1:].round(6).tolist())


def test_embedding_matrix_rejects_ids_outside_the_vocabulary():
    v = Vectors.from_arrays(["a"], [[1.0]])
    with pytest.raises(InputError, match="`id_to_words` has id 5, outside 0..3"):
        embedding_matrix_for(v, {5: ["a"]}, vocab_size=4)


def test_docstring_examples_run():
    import doctest

    assert doctest.testmod(analogy_module).failed == 0
