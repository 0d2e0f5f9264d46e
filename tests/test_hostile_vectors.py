"""explorer.vectors against hostile or unlucky input: odd headers, odd names, huge lines,
crashes while the cache is written, and the memory a parse may take."""

import pytest

from explorer.errors import InputError
from explorer.vectors import parse_vectors_bytes, resolve_vector_file


def parse(data: bytes, on_error="skip", name="t.txt"):
    return parse_vectors_bytes(data, name=name, on_error=on_error)


# --------------------------------------------------------------------------- headers


def test_a_one_dimensional_glove_file_starting_with_two_integers_keeps_its_first_word():
    v, report = parse(b"0 1\na 2\nb 3\n")
    assert (report.format, v.words, v.raw.ravel().tolist()) == ("glove", ["0", "a", "b"],
                                                                 [1.0, 2.0, 3.0])


def test_a_one_dimensional_word2vec_file_whose_header_agrees_is_word2vec():
    v, report = parse(b"2 1\na 2\nb 3\n")
    assert (report.format, v.words, v.raw.ravel().tolist()) == ("word2vec", ["a", "b"], [2.0, 3.0])
    assert report.notes == ()


def test_a_huge_number_in_the_header_is_an_input_error_in_plain_words():
    for data in (b"9" * 5000 + b" 50\na 1\n", b"2 " + b"9" * 5000 + b"\na 1\n"):
        for on_error in ("skip", "raise"):
            with pytest.raises(InputError) as caught:
                parse(data, on_error)
            message = str(caught.value)
            assert message.startswith("`t.txt` line 1: the header") and "not valid" in message
            assert "set_int_max_str_digits" not in message and "9" * 50 not in message


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("name", ["a\x00b.txt", "\x00", "mine.txt\x00.npy"])
def test_a_name_with_a_nul_byte_is_an_input_error(folder, name):
    (folder / "mine.txt").write_text("x 1\n")
    with pytest.raises(InputError, match="must be the name of a vectors file"):
        resolve_vector_file(name)


# --------------------------------------------------------------------------- the cache and crashes

A = b"alpha 1 2 3\nbeta 4 5 6\n"
B = b"alpha 7 8 9\nbeta 1 1 1\n"  # the same shape as A, every row different
PARTS = ["v.txt.json", "v.txt.norms.npy", "v.txt.npy", "v.txt.order.npy", "v.txt.words"]


class Crash(BaseException):
    """The process dies here: nothing after this runs, no `except Exception` catches it."""


def cache_steps(monkeypatch, crash_at: int, *, after: bool):
    """Make the cache writer die at its `crash_at`-th rename (before or after the rename)."""
    import os

    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == crash_at and not after:
            raise Crash(f"before renaming to {dst}")
        real(src, dst)
        if len(calls) == crash_at and after:
            raise Crash(f"after renaming to {dst}")

    monkeypatch.setattr(os, "replace", replace)
    return calls


def expect(path, data, loaded):
    from explorer.vectors import parse_vectors_bytes

    vectors, _ = loaded
    truth, _ = parse_vectors_bytes(data, name=path.name)
    assert vectors.words == truth.words and vectors.raw.tolist() == truth.raw.tolist()
    assert vectors.norms.tolist() == truth.norms.tolist()
    assert [vectors.row(w) for w in truth.words] == list(range(len(truth.words)))


def count_renames(folder, monkeypatch) -> int:
    from explorer.vectors import load_vectors_file

    path = folder / "probe.txt"
    path.write_bytes(A)
    calls = cache_steps(monkeypatch, 0, after=False)
    load_vectors_file(path)
    monkeypatch.undo()
    return len(calls)


@pytest.mark.parametrize("after", [False, True], ids=["before-rename", "after-rename"])
def test_a_crash_at_any_step_of_writing_the_cache_never_serves_wrong_vectors(folder, monkeypatch,
                                                                            after):
    import os

    from explorer.vectors import CACHE_FOLDER, load_vectors_file

    steps = count_renames(folder, monkeypatch)
    assert steps == 5  # four parts and the stamp
    path = folder / "v.txt"
    for crash_at in range(1, steps + 1):
        for restore in (A, B):
            for leftover in (folder / CACHE_FOLDER).glob("v.txt*"):
                leftover.unlink()
            path.write_bytes(A)
            os.utime(path, ns=(10**18, 10**18))
            load_vectors_file(path)  # the cache of A
            old = path.stat()
            path.write_bytes(B)
            os.utime(path, ns=(2 * 10**18, 2 * 10**18))
            cache_steps(monkeypatch, crash_at, after=after)
            with pytest.raises(Crash):
                load_vectors_file(path)
            monkeypatch.undo()
            if restore is A:  # like `cp -p`: A again, with its old modification time
                path.write_bytes(A)
                os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
            expect(path, restore, load_vectors_file(path))
            again = load_vectors_file(path)
            expect(path, restore, again)
            assert again[1].from_cache, (crash_at, restore)
            assert sorted(p.name for p in (folder / CACHE_FOLDER).glob("v.txt*")) == PARTS


def test_a_part_replaced_behind_the_stamp_is_not_trusted(folder):
    import os
    import shutil

    from explorer.vectors import CACHE_FOLDER, load_vectors_file

    cache = folder / CACHE_FOLDER
    (folder / "v.txt").write_bytes(A)
    (folder / "w.txt").write_bytes(B)
    load_vectors_file(folder / "v.txt")
    load_vectors_file(folder / "w.txt")
    # Another generation's matrix, with the same shape, size and even modification time.
    shutil.copy2(cache / "w.txt.npy", cache / "v.txt.npy.new")
    info = (cache / "v.txt.npy").stat()
    os.replace(cache / "v.txt.npy.new", cache / "v.txt.npy")
    os.utime(cache / "v.txt.npy", ns=(info.st_atime_ns, info.st_mtime_ns))
    vectors, report = load_vectors_file(folder / "v.txt")
    assert not report.from_cache
    expect(folder / "v.txt", A, (vectors, report))


def test_temporary_files_left_by_a_killed_writer_are_removed(folder):
    from explorer.vectors import CACHE_FOLDER, load_vectors_file

    cache = folder / CACHE_FOLDER
    cache.mkdir()
    left = [cache / "v.txt.npy.tmp999999", cache / "v.txt.json.tmp4242", cache / "v.txt.words.tmp7"]
    for leftover in left:
        leftover.write_bytes(b"half written")
    (cache / "other.txt.npy.tmp1").write_bytes(b"not ours to judge")  # kept: another file's
    (folder / "v.txt").write_bytes(A)
    load_vectors_file(folder / "v.txt")
    assert sorted(p.name for p in cache.iterdir()) == ["other.txt.npy.tmp1"] + PARTS



# --------------------------------------------------------------------------- memory

MB = 1 << 20
# Python, numpy and explorer.vectors are imported before the first measure; what a parse may
# add besides its own arrays: one chunk of text, its numbers and the word list's objects.
FIXED_MB = 64

CHILD = r"""
import json, resource, sys
import explorer.vectors as module
from explorer.errors import InputError
mode, path, max_words = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(path, "rb").read() if mode == "bytes" else None  # an upload is held whole
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
before = peak()
try:
    if mode == "bytes":
        vectors, report = module.parse_vectors_bytes(data, name="up.txt", max_words=max_words)
    else:
        vectors, report = module.load_vectors_file(path)
    outcome = [len(vectors), vectors.dim]
except InputError as error:
    outcome = str(error)
print(json.dumps({"growth": peak() - before, "outcome": outcome}))
"""


def peak_growth(path, mode="bytes", max_words=10**9):
    """Run a parse in a child process; its peak RSS growth in bytes, and what it gave."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(max_words)],
                          capture_output=True, text=True, cwd=root, timeout=120, check=True)
    result = json.loads(done.stdout)
    return result["growth"], result["outcome"]


def write_one_line(path, size):
    path.write_bytes(b"1 " * (size // 2))  # one word "1" and millions of values, no newline


def write_glove_like(path, rows, dim):
    import numpy as np

    values = np.random.default_rng(0).standard_normal((64, dim)).astype(np.float32)
    tails = [" ".join(f"{x:.6f}" for x in row) + "\n" for row in values]
    with open(path, "w") as out:
        out.writelines(f"w{i} {tails[i % 64]}" for i in range(rows))


def write_dense(path, rows, dim):
    line = " 1" * dim + "\n"  # the most numbers per byte: a float32 matrix twice the text
    with open(path, "w") as out:
        out.writelines(f"w{i}{line}" for i in range(rows))


@pytest.mark.parametrize("mode", ["bytes", "file"])
def test_a_single_huge_line_is_refused_in_bounded_memory(tmp_path, mode):
    path = tmp_path / "one.txt"
    write_one_line(path, 24 * MB)
    growth, outcome = peak_growth(path, mode)
    assert "line 1 is longer than" in outcome and "values" not in outcome.split("longer")[0]
    assert growth < FIXED_MB * MB, growth / MB


@pytest.mark.parametrize("write, shape", [(write_glove_like, (50_000, 50)),
                                          (write_dense, (3_000, 4096))], ids=["glove", "dense"])
@pytest.mark.parametrize("mode", ["bytes", "file"])
def test_a_large_file_takes_memory_in_proportion_to_its_size(tmp_path, write, shape, mode):
    path = tmp_path / "many.txt"
    write(path, *shape)
    size = path.stat().st_size
    assert 20 * MB < size < 30 * MB
    growth, outcome = peak_growth(path, mode)
    assert outcome == list(shape)
    assert growth < 3 * size + FIXED_MB * MB, (growth / MB, size / MB)


def test_an_upload_of_many_tiny_lines_stops_at_the_word_limit(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_bytes(b"".join(b"w%d 1\n" % i for i in range(1_000_000)))
    growth, outcome = peak_growth(path, max_words=100_000)
    assert outcome.startswith("`up.txt` line 100,001: more than 100,000 words")
    assert growth < 100_000 * 400 + FIXED_MB * MB, growth / MB


def test_vectors_of_more_than_4096_dimensions_are_refused_naming_the_line():
    ok = b"a" + b" 1" * 4096 + b"\n"
    v, _ = parse(ok + b"b" + b" 2" * 4096 + b"\n")
    assert v.dim == 4096
    for on_error in ("skip", "raise"):
        with pytest.raises(InputError, match=r"^`t.txt` line 2 has 4,097 values after its word; "
                                             r"vectors may have at most 4,096 dimensions"):
            parse(b"\n" + (b"a" + b" 1" * 4097 + b"\n") * 2, on_error)
    with pytest.raises(InputError, match="line 1: the header gives 4,097 dimensions; it must be "
                                         "between 1 and 4,096"):
        parse(b"1 4097\n" + ok)


def test_a_line_longer_than_the_limit_is_refused_naming_it_and_a_line_at_the_limit_is_read():
    from explorer.vectors import MAX_LINE_BYTES

    word = b"w" * (MAX_LINE_BYTES - 2)
    v, _ = parse(b"a 1\n" + word + b" 2\n")  # exactly the limit (the line end aside)
    assert v.words == ["a", word.decode()]
    for on_error in ("skip", "raise"):
        with pytest.raises(InputError, match=r"^`t.txt` line 2 is longer than 256 KB"):
            parse(b"a 1\n" + word + b"w 2\nb 3\n", on_error)
