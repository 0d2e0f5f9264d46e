"""AppTest: the Vectors page (shipped GloVe, folder files, uploads, bad files) and the Analogy benchmark page."""

import os

import pandas as pd
import pytest

from explorer.benchmark import default_questions_path
from explorer.charts import analogy_section_bars
from explorer.errors import InputError
from tests.apptest_helpers import fresh_app, texts, visit
from ui.vectors_choice import FOLDER, Choice, load_folder_file

TINY = b"man 1 0 1\nwoman -1 0 1\nking 1 1 0\nqueen -1 1 0\napple 0 0 -1\n"
# Answers checked by hand and against gensim 4.4's evaluate_word_analogies: king - man + woman
# is exactly queen, and so on; "apple" is never the answer; prince/princess are unknown.
QUESTIONS = b""": royal
man woman king queen
king queen man woman
man king woman apple
man woman prince princess
: case
MAN WOMAN KING QUEEN
woman man queen king
"""
LONG_WORD = "x" * 30
SECRET = "SECRET-NUMBERS-1234567890"
# Line 2 wrong count, 3 not a number (the value must not be quoted), 4 blank, 5 duplicate.
MALFORMED = (f"king 1 1 0\n{LONG_WORD} 1 2\nqueen -1 1 {SECRET}\n\nking 3 3 3\n"
             f"man 1 0 1\n").encode()


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def captions(at) -> str:
    return texts(at.caption)


def vectors_page(source: str | None = None):
    at = visit(fresh_app(), "views/vectors.py")
    if source:
        at.radio(key="vectors_source").set_value(source).run()
        assert not at.exception
    return at


def load_from_folder(name: str, *, on_error: str = "skip"):
    at = vectors_page("folder")
    at.radio(key="vectors_on_error").set_value(on_error).run()
    at.selectbox(key="vectors_file").set_value(name).run()
    at.button(key="vectors_load").click().run()
    assert not at.exception
    return at


def test_shipped_glove_is_the_default(folder):
    at = vectors_page()
    assert "Vectors in use: **GloVe 6B 50d (shipped)**, 400,000 words × 50 dimensions" in captions(at)
    assert at.button(key="vectors_use_glove").disabled  # already in use


def test_empty_folder_says_where_and_how_to_add_files(folder):
    at = vectors_page("folder")
    shown = texts(at.markdown)
    assert str(folder.resolve()) in shown and "EXPLORER_VECTORS_DIR" in shown
    assert "GloVe text" in shown and "word2vec text" in shown
    assert "holds no vector files" in texts(at.info)


def test_folder_file_is_used_on_other_pages_and_shared(folder):
    (folder / "tiny.txt").write_bytes(TINY)
    (folder / "w2v.vec").write_bytes(b"2 3\ncat 1 2 3\ndog 1 2 2.5\n")
    at = load_from_folder("tiny.txt")
    assert metrics(at) == {"Words": "5", "Dimensions": "3", "Lines skipped": "0",
                           "Ready in": metrics(at)["Ready in"]}
    assert "read from the text file" in captions(at)
    assert "The GloVe pages now use tiny.txt." in texts(at.success)
    at = visit(at, "views/benchmark.py")
    assert "**tiny.txt (vectors folder)**, 5 words × 3 dimensions" in captions(at)

    # Another session gets the server's copy: no reading at all.
    again = load_from_folder("tiny.txt")
    assert "already in this server's memory" in captions(again)

    w2v = load_from_folder("w2v.vec")
    assert metrics(w2v)["Words"] == "2" and "word2vec text" in captions(w2v)


def test_an_edited_file_is_read_again(folder):
    path = folder / "grow.txt"
    path.write_bytes(TINY)
    assert metrics(load_from_folder("grow.txt"))["Words"] == "5"
    path.write_bytes(TINY + b"pear 0 0.1 -1\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    at = load_from_folder("grow.txt")
    assert metrics(at)["Words"] == "6"
    assert "read from the text file" in captions(at)


def test_malformed_file_skipped_lines_are_counted(folder):
    (folder / "bad.txt").write_bytes(MALFORMED)
    at = load_from_folder("bad.txt")
    assert metrics(at)["Words"] == "2" and metrics(at)["Lines skipped"] == "4"
    assert "4 malformed lines were skipped" in texts(at.warning)
    table = at.dataframe[0].value
    assert dict(zip(table["reason"], table["first line numbers"])) == {
        "wrong number of values": "2", "a value that is not a finite number": "3",
        "blank line": "4", "duplicate word": "5"}
    assert "**bad.txt (vectors folder)**, 2 words × 3 dimensions" in captions(at)


def test_malformed_file_refused_names_the_line_and_quotes_only_the_word(folder):
    (folder / "bad.txt").write_bytes(MALFORMED)
    at = load_from_folder("bad.txt", on_error="raise")
    message = texts(at.error)
    assert "`bad.txt` line 2" in message and repr(LONG_WORD) in message
    assert "1 2" not in message.replace("line 2", "")
    assert "unchanged" in message
    assert "GloVe 6B 50d (shipped)" in captions(at)  # the vectors in use stay as they were

    (folder / "bad.txt").write_bytes(b"king 1 1 0\nqueen -1 1 " + SECRET.encode() + b"\n")
    at = load_from_folder("bad.txt", on_error="raise")
    message = texts(at.error)
    assert "line 2" in message and "'queen'" in message and SECRET not in message


def test_a_binary_file_gets_a_message_not_a_traceback(folder):
    (folder / "model.bin").write_bytes(bytes(range(256)) * 8)
    at = load_from_folder("model.bin")
    assert "holds no usable vectors" in texts(at.error)


def test_upload_is_used_in_this_session(folder):
    at = vectors_page("upload")
    at.file_uploader(key="vectors_upload").set_value(("mine.txt", TINY, "text/plain")).run()
    assert not at.exception
    assert metrics(at)["Words"] == "5" and "parsed from the upload" in captions(at)
    assert "**mine.txt (uploaded)**, 5 words × 3 dimensions" in captions(at)
    at = visit(at, "views/benchmark.py")
    assert "mine.txt (uploaded)" in captions(at)
    # Back to GloVe, then the same upload again with one click.
    at = visit(at, "views/vectors.py")
    at.radio(key="vectors_source").set_value("glove").run()
    at.button(key="vectors_use_glove").click().run()
    assert "GloVe 6B 50d (shipped)" in captions(at)
    assert "vectors_uploaded" not in at.session_state


def test_an_upload_has_its_own_size_limit_said_in_the_label_and_checked(folder, monkeypatch):
    import explorer.vectors

    at = vectors_page("upload")
    uploader = at.file_uploader(key="vectors_upload")
    assert uploader.proto.max_upload_size_mb == explorer.vectors.UPLOAD_LIMIT_MB == 200
    assert "up to 200 MB" in uploader.label
    # The browser enforces the limit; a client that does not is refused after the upload.
    monkeypatch.setattr(explorer.vectors, "UPLOAD_LIMIT_MB", 1)
    big = TINY * (2 * 10**6 // len(TINY) + 1)  # just over 2 MB, in the decimal MB the box uses
    at = vectors_page("upload")
    at.file_uploader(key="vectors_upload").set_value(("big.txt", big, "text/plain")).run()
    assert not at.exception
    message = texts(at.error)
    assert message.startswith("`big.txt` is 2.0 MB; an upload may be at most 1 MB.")
    assert "vectors folder" in message and "unchanged" in message
    assert "GloVe 6B 50d (shipped)" in captions(at) and not at.metric


def test_an_upload_with_a_huge_line_is_refused_naming_it(folder):
    at = vectors_page("upload")
    at.file_uploader(key="vectors_upload").set_value(
        ("one.txt", TINY + b"1 " * 2**20, "text/plain")).run()
    assert not at.exception
    assert "`one.txt` line 6 is longer than 256 KB" in texts(at.error)
    assert "GloVe 6B 50d (shipped)" in captions(at)


def test_malformed_upload_refused_with_the_line(folder):
    at = vectors_page("upload")
    at.radio(key="vectors_on_error").set_value("raise").run()
    at.file_uploader(key="vectors_upload").set_value(("bad.txt", MALFORMED, "text/plain")).run()
    assert not at.exception
    assert "`bad.txt` line 2" in texts(at.error)
    assert "GloVe 6B 50d (shipped)" in captions(at)
    # Switching to skipping parses the same upload again, this time counting the bad lines.
    at.radio(key="vectors_on_error").set_value("skip").run()
    assert metrics(at)["Lines skipped"] == "4" and not at.error


def test_a_name_outside_the_folder_is_refused(folder, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(TINY)
    (folder / "link.txt").symlink_to(outside)
    for name in ["../outside.txt", str(outside), "link.txt", ".hidden"]:
        with pytest.raises(InputError, match="inside the vectors folder"):
            load_folder_file(name)
    at = vectors_page("folder")
    assert "holds no vector files" in texts(at.info)  # the link is not offered
    # A session whose choice points outside (say, an old or hand-made one) goes back to GloVe.
    at.session_state["vectors_choice"] = Choice(FOLDER, "../outside.txt")
    at = visit(at, "views/benchmark.py")
    assert "must be a file inside the vectors folder" in texts(at.warning)
    assert "Using GloVe 6B 50d instead" in texts(at.warning)
    assert "GloVe 6B 50d (shipped)" in captions(at)


def run_benchmark(at, questions: bytes | None = None, *, restrict_vocab: int | None = None):
    at = visit(at, "views/benchmark.py")
    if questions is not None:
        at.radio(key="benchmark_questions").set_value("upload").run()
        at.file_uploader(key="benchmark_upload").set_value(("q.txt", questions, "text/plain")).run()
    if restrict_vocab is not None:
        at.number_input(key="benchmark_restrict_vocab").set_value(restrict_vocab).run()
    assert not at.error, texts(at.error)
    at.button(key="benchmark_run").click().run()
    assert not at.exception
    return at


def test_benchmark_on_tiny_vectors_gives_exact_counts(folder):
    (folder / "tiny.txt").write_bytes(TINY)
    at = run_benchmark(load_from_folder("tiny.txt"), QUESTIONS)
    assert "q.txt: 6 questions in 2 sections." in captions(at)
    m = metrics(at)
    assert (m["Accuracy"], m["Correct"], m["Answered"], m["Skipped"]) == ("80.00%", "4", "5", "1")
    table = at.dataframe[0].value
    assert table[["section", "correct", "answered", "skipped"]].values.tolist() == [
        ["royal", 2, 3, 1], ["case", 2, 2, 0], ["Total accuracy", 4, 5, 1]]
    assert at.get("plotly_chart")

    # Only the 4 most frequent words: "apple" is out, so its question is skipped too.
    at = run_benchmark(at, restrict_vocab=4)
    m = metrics(at)
    assert (m["Accuracy"], m["Correct"], m["Answered"], m["Skipped"]) == ("100.00%", "4", "4", "2")
    assert "Searched the 4 most frequent words." in captions(at)

    # A bad questions file afterwards is refused; the last result stays on the page.
    at.file_uploader(key="benchmark_upload").set_value(("q2.txt", b"man woman\n", "text/plain")).run()
    assert "q2.txt: `questions` line 1" in texts(at.error)
    assert metrics(at)["Answered"] == "4" and at.button(key="benchmark_run").disabled


def test_questions_in_the_wrong_format_name_the_line(folder):
    at = visit(fresh_app(), "views/benchmark.py")
    at.radio(key="benchmark_questions").set_value("upload").run()
    bad = b": royal\nman woman king queen\nman woman king\n"
    at.file_uploader(key="benchmark_upload").set_value(("q.txt", bad, "text/plain")).run()
    assert not at.exception
    assert "line 3 has 3 words" in texts(at.error)
    assert at.button(key="benchmark_run").disabled


def test_without_gensim_the_page_says_where_to_get_questions(folder, monkeypatch):
    import explorer.benchmark

    monkeypatch.setattr(explorer.benchmark, "default_questions_path", lambda: None)
    at = visit(fresh_app(), "views/benchmark.py")
    shown = texts(at.info)
    assert "gensim is not installed" in shown and "questions-words.txt" in shown and "upload" in shown
    assert at.radio(key="benchmark_questions").options == ["Upload a questions file"]
    assert at.button(key="benchmark_run").disabled


def test_section_bars_one_bar_per_section_and_the_overall_line():
    frame = pd.DataFrame({"section": ["a", "b", "Total accuracy"], "correct": [2, 0, 2],
                          "answered": [4, 0, 4], "skipped": [0, 3, 3],
                          "accuracy": [0.5, 0.0, 0.5]})
    fig = analogy_section_bars(frame)
    bars = fig.data[0]
    assert list(bars.y) == ["a", "b"] and list(bars.x) == [50.0, 0.0]
    assert list(bars.text) == ["2 / 4", "none answered"]
    assert fig.layout.shapes[0].x0 == 50.0


@pytest.mark.skipif(default_questions_path() is None, reason="needs gensim's questions-words.txt")
def test_full_benchmark_on_glove_matches_gensim(folder):
    at = run_benchmark(fresh_app())
    m = metrics(at)
    assert (m["Accuracy"], m["Correct"], m["Answered"]) == ("46.37%", "9,036", "19,486")
    assert "Searched the 300,000 most frequent words." in captions(at)
    total = at.dataframe[0].value.iloc[-1]
    assert (total.section, total.correct, total.answered) == ("Total accuracy", 9036, 19486)
