"""Every bad input from the issues, tried in a real browser as a user would try it.

Each case asserts the message the user reads and that the page still works afterwards: a file
that is refused leaves the user's table exactly as it was and the next good file loads; a table
that cannot be trained yet says what to fix on every page that needs it; out-of-range numbers are
refused by the widget and the page goes on with the last good value; unusual text is tokenised,
never a crash. Messages name arguments in backticks, which the page shows as code: the visible
text has no backticks, so expectations are compared with them removed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from explorer.vectors import VECTORS_DIR_VARIABLE
from tests.browser import AppPage, add_review, key_class
from tests.browser.conftest import app_location, start_server
from tests.test_text import RESTAURANT

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data" / "browser"
GOOD_CSV = DATA / "good_reviews.csv"        # 6 reviews, 3 of each class
WORLD_CSV = DATA / "world_reviews.csv"      # emoji and seven scripts, 4 of each class
MY_REVIEW = "my own words stay here"        # what the user typed before the bad input
UNCHANGED = "Your table below is unchanged."
EDITOR = '[class*="st-key-reviews_editor_"]'
FIFTY_ONE_MB = 51 * 1024 * 1024
QUEEN = "man : king :: woman : queen"


def shown(message: str) -> str:
    """A message as the page shows it: `code` spans lose their backticks."""
    return message.replace("`", "")


def upload(app: AppPage, name: str, data: bytes | Path) -> None:
    field = app.widget("reviews_upload").locator('input[type="file"]')
    with app.rerun_after():
        if isinstance(data, Path):
            field.set_input_files(str(data))
        else:
            field.set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": data}])


def reviews_table(app: AppPage) -> pd.DataFrame:
    return app.read_table(app.page.locator(EDITOR))


def start_with_my_table(app: AppPage) -> pd.DataFrame:
    """A new session whose table holds the ten sample reviews and one the user typed."""
    app.open("")
    add_review(app, MY_REVIEW)
    app.wait_for_text("11 reviews: 6 negative, 5 positive.")
    return pd.DataFrame({
        "index": [str(row) for row in range(1, 12)], "text": RESTAURANT + [MY_REVIEW],
        "class": ["negative"] * 5 + ["positive"] * 5 + ["negative"]})


def load_good_file(app: AppPage) -> None:
    """The next valid action: a good CSV loads, and nothing of the earlier trouble is left."""
    upload(app, GOOD_CSV.name, GOOD_CSV.read_bytes())
    app.wait_for_text(f"Loaded 6 reviews from {GOOD_CSV.name}.")
    app.wait_for_text("6 reviews: 3 negative, 3 positive.")
    assert not app.errors(), app.errors()
    assert "Not ready to encode yet" not in app.text()
    app.assert_no_exception()


def oversized_csv(tmp_path: Path) -> Path:
    """A well-formed CSV of exactly 51 MB: only its size is wrong."""
    path = tmp_path / "huge_reviews.csv"
    row = b"the food was fine and the staff were friendly enough,1\n"
    header = b"text,label\n"
    body = row * ((FIFTY_ONE_MB - len(header)) // len(row))
    padding = FIFTY_ONE_MB - len(header) - len(body)
    path.write_bytes(header + body + b"x" * (padding - 3) + b",0\n")
    assert path.stat().st_size == FIFTY_ONE_MB
    return path


# --- files the app refuses: message, table unchanged, next good file loads ------------------------

REFUSED_FILES = [
    pytest.param("scores.csv", b"review,score\nyum,1\n",
                 "`file` must have a `text` column and a `label` column; it has no `text` and "
                 "`label` columns. Received: columns 'review', 'score'. Make the first line of "
                 "the file the header text,label and upload it again.", id="wrong-columns"),
    pytest.param("only_text.csv", b"text\nyum\n",
                 "`file` must have a `text` column and a `label` column; it has no `label` "
                 "column. Received: columns 'text'.", id="no-label-column"),
    pytest.param("latin1.csv", "text,label\ncafé,1\n".encode("latin-1"),
                 "`file` must be UTF-8 text. Received: byte 0xE9 at offset 14 (line 2), which is "
                 "not valid UTF-8. Save the file as CSV UTF-8", id="not-utf8-latin1"),
    pytest.param("utf16.csv", "text,label\nyum,1\n".encode("utf-16"),
                 "`file` must be UTF-8 text. Received: byte 0xFF at offset 0 (line 1), which is "
                 "not valid UTF-8; the file looks like UTF-16.", id="not-utf8-utf16"),
    pytest.param("workbook.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\xff\xfe",
                 "the file looks like an Excel workbook or a zip archive, not CSV.",
                 id="excel-named-csv"),
    pytest.param("labels.csv", b"text,label\nyum,1\nyuck,2\n",
                 "`label` in row 2 must be 0 or 1, or one of two class names. Received: "
                 "label='2'. Write 0 for the negative class and 1 for the positive class.",
                 id="wrong-label-number"),
    pytest.param("three.csv", b"text,label\nyum,good\nyuck,bad\nmeh,so-so\n",
                 "`label` must hold two classes. Received: 3 different labels: 'good', 'bad', "
                 "'so-so'. Keep two classes, or write the labels as 0 and 1.",
                 id="wrong-labels-three-classes"),
    pytest.param("mixed.csv", b"text,label\nyum,1\nyuck,0\nok,pos\n",
                 "`label` in row 3 must be 0 or 1, or one of two class names. Received: "
                 "label='pos'. Use 0/1 in every row, or two class names in every row.",
                 id="wrong-labels-mixed"),
    pytest.param("empty.csv", b"",
                 "`file` is empty. Received: no header and no rows. Upload a CSV whose first "
                 "line is the header text,label.", id="empty-file"),
    pytest.param("comma.csv", b"text,label\nyum,1\nGreat food, wow,1\n",
                 "`file` could not be read as CSV. Received: Expected 2 fields in line 3, saw 3. "
                 "A review containing a comma or a quote must be in double quotes",
                 id="unquoted-comma"),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSED_FILES)
def test_a_refused_file_says_why_and_leaves_the_table_alone(app: AppPage, tmp_path, name, data,
                                                            message):
    before = start_with_my_table(app)
    upload(app, name, data(tmp_path) if callable(data) else data)
    app.wait_for_text(shown(message)[:60])
    errors = app.errors()
    assert any(error.startswith(f"{name}: ") and shown(message) in error and UNCHANGED in error
               for error in errors), errors
    app.assert_no_exception()
    app.screenshot(f"bad-input-file-{name.removesuffix('.csv')}")
    pd.testing.assert_frame_equal(reviews_table(app), before)
    assert "11 reviews: 6 negative, 5 positive." in app.text()
    load_good_file(app)


def test_a_file_over_the_limit_is_refused_by_the_upload_box_and_never_sent(app: AppPage, tmp_path):
    # The box and the app name the same limit (50 MB); the box refuses a larger file in the
    # browser, so the server never holds it (the app checks the size again for other clients).
    before = start_with_my_table(app)
    box = app.widget("reviews_upload")
    assert "up to 50 MB" in box.inner_text() and "50MB per file" in box.inner_text()
    box.locator('input[type="file"]').set_input_files(str(oversized_csv(tmp_path)))
    box.get_by_text("File must be 50.0MB or smaller").wait_for(timeout=30_000)
    app.wait()
    app.assert_no_exception()
    pd.testing.assert_frame_equal(reviews_table(app), before)
    load_good_file(app)


def test_a_file_of_the_wrong_type_is_refused_by_the_uploader(app: AppPage):
    before = start_with_my_table(app)
    field = app.widget("reviews_upload").locator('input[type="file"]')
    field.set_input_files(files=[{"name": "reviews.xlsx", "buffer": b"PK\x03\x04",
                                  "mimeType": "application/vnd.ms-excel"}])
    app.widget("reviews_upload").get_by_text("files are not allowed").wait_for(timeout=10_000)
    app.wait()
    app.assert_no_exception()
    pd.testing.assert_frame_equal(reviews_table(app), before)
    load_good_file(app)


# --- tables that load but cannot be trained yet: the message on each page, then the fix ------------

NOT_READY = "Not ready to encode yet: "
NOT_READY_FILES = [
    pytest.param("blank.csv", b"text,label\nyum,1\n,0\nyuck,0\n",
                 "`text` must contain at least one word in every review. Received: row 2 is "
                 "empty. Type a review in each of these rows or delete them.",
                 id="empty-review"),
    pytest.param("punctuation.csv", b"text,label\nyum,1\n?!...,0\nyuck,0\n",
                 "`text` must contain at least one word in every review. Received: row 2 has "
                 "only punctuation. Type a review in each of these rows or delete them.",
                 id="punctuation-only-review"),
    pytest.param("positive.csv", b"text,label\nyum,1\nrocks,1\n",
                 "`label` must include both classes. Received: every review is labelled "
                 "'positive' (1). Add at least one 'negative' (0) review so the model has two "
                 "classes to tell apart.", id="one-class-only"),
]


@pytest.mark.parametrize(("name", "data", "message"), NOT_READY_FILES)
def test_a_table_that_cannot_train_says_what_to_fix_on_every_page(app: AppPage, name, data,
                                                                  message):
    app.open("")
    upload(app, name, data)
    app.wait_for_text(f"from {name}.")
    app.wait_for_text(NOT_READY + shown(message)[:50])
    assert NOT_READY + shown(message) in app.text()
    app.assert_no_exception()
    app.screenshot(f"bad-input-table-{name.removesuffix('.csv')}")
    for path in ("encode", "train", "weights"):
        app.navigate(path)
        app.assert_no_exception()
        if path != "weights":  # Weights has nothing to show before a model is trained
            assert shown(message) in app.text(), (path, app.text()[:500])
            assert "Fix the reviews on the Reviews page" in app.text()
    app.navigate("")
    load_good_file(app)
    app.navigate("encode")
    assert "6 reviews × 4 ids; 0 is padding." in app.text()


def test_an_empty_row_added_to_the_table_is_named(app: AppPage):
    app.open("")
    editor = app.page.locator(EDITOR)
    editor.hover()
    with app.rerun_after():
        editor.get_by_role("button", name="Add row").click()
        app.page.wait_for_timeout(300)
        app.page.keyboard.press("Escape")  # leave the new row's cell editor without typing
    message = ("`text` must contain at least one word in every review. Received: row 11 is "
               "empty. Type a review in each of these rows or delete them.")
    app.wait_for_text(NOT_READY + shown(message)[:40])
    assert NOT_READY + shown(message) in app.text()
    app.assert_no_exception()
    assert len(reviews_table(app)) == 11
    load_good_file(app)


def test_the_add_form_refuses_an_empty_review_and_keeps_the_table(app: AppPage):
    app.open("")
    add_review(app, "   ", click=True)
    app.wait_for_text("Type a review before pressing Add.")
    assert "10 reviews: 5 negative, 5 positive." in app.text()
    assert len(reviews_table(app)) == 10
    add_review(app, "lovely terrace", click=True)
    app.wait_for_text("11 reviews: 6 negative, 5 positive.")
    app.assert_no_exception()


def test_a_punctuation_only_review_typed_in_the_form_is_named(app: AppPage):
    app.open("")
    add_review(app, "?!... :-)")
    message = ("`text` must contain at least one word in every review. Received: row 11 has "
               "only punctuation. Type a review in each of these rows or delete them.")
    app.wait_for_text(NOT_READY + shown(message)[:40])
    assert NOT_READY + shown(message) in app.text()
    assert reviews_table(app)["text"].tolist()[-1] == "?!... :-)"
    app.assert_no_exception()
    load_good_file(app)


def test_two_classes_with_one_name_are_refused_and_the_old_names_stay(app: AppPage):
    app.open("")
    field = app.widget("reviews_class_1").locator("input")
    field.fill("Negative")
    with app.rerun_after():
        field.press("Enter")
    app.wait_for_text("The two classes need two different, non-empty names")
    assert "the previous names ('negative' and 'positive') stay until then." in app.text()
    assert "10 reviews: 5 negative, 5 positive." in app.text()
    app.assert_no_exception()
    field.fill("good")
    with app.rerun_after():
        field.press("Enter")
    app.wait_for_text("10 reviews: 5 negative, 5 good.")


# --- unusual text: tokenised, trained on, never a crash ------------------------------------------

UNUSUAL_REVIEWS = [
    pytest.param("😀 great food 🍕", "😀 great food 🍕", id="emoji"),
    pytest.param("очень вкусно", "очень вкусно", id="cyrillic"),
    pytest.param("非常好吃", "非常好吃", id="chinese"),
    pytest.param("طعام سيء جدا", "طعام سيء جدا", id="arabic"),
    pytest.param("word " * 2000, " ".join(["word"] * 2000), id="10000-characters"),
]


@pytest.mark.parametrize(("text", "tokens"), UNUSUAL_REVIEWS)
def test_unusual_text_typed_in_the_form_is_tokenised(app: AppPage, text, tokens):
    app.open("")
    add_review(app, text)
    app.wait_for_text("11 reviews: 6 negative, 5 positive.")
    app.assert_no_exception()
    assert reviews_table(app)["text"].tolist()[-1] == text.strip()
    app.navigate("encode")
    app.assert_no_exception()
    words = app.read_table(app.page.locator('[data-testid="stDataFrame"]').first)
    assert words["tokens"].tolist()[-1] == tokens
    if len(text) > 1000:
        assert "1 review(s) longer than max length 4 were cut (post)" in app.text()
    app.screenshot(f"bad-input-text-{tokens.split()[0][:12]}")


def test_a_pasted_review_longer_than_10000_characters_is_kept_whole(app: AppPage):
    # The Add box has no length limit: a field with max_chars dropped a longer paste as a whole,
    # losing what the user typed.
    app.open("")
    add_review(app, "x" * 10_500)
    app.wait_for_text("11 reviews: 6 negative, 5 positive.")
    assert len(reviews_table(app)["text"].tolist()[-1]) == 10_500
    app.assert_no_exception()


def test_a_20000_character_review_in_a_file_is_encoded_and_cut(app: AppPage):
    long_review = " ".join(f"w{i}" for i in range(5000))  # 23,890 characters
    data = f"text,label\n{long_review},1\ncold soup,0\n".encode()
    app.open("")
    upload(app, "long.csv", data)
    app.wait_for_text("Loaded 2 reviews from long.csv.")
    app.wait_for_text("2 reviews: 1 negative, 1 positive.")
    app.navigate("encode")
    app.assert_no_exception()
    assert "1 review(s) longer than max length 4 were cut (post)" in app.text()
    assert "2 reviews × 4 ids; 0 is padding." in app.text()


def test_reviews_in_many_scripts_load_encode_and_train(app: AppPage):
    app.open("")
    upload(app, WORLD_CSV.name, WORLD_CSV)
    app.wait_for_text(f"Loaded 8 reviews from {WORLD_CSV.name}.")
    app.wait_for_text("8 reviews: 4 negative, 4 positive.")
    app.navigate("encode")
    app.assert_no_exception()
    assert "8 reviews × 4 ids; 0 is padding." in app.text()
    app.navigate("train")
    epochs = app.widget("train_epochs").locator("input")
    epochs.fill("5")
    with app.rerun_after():
        epochs.press("Enter")
    with app.rerun_after(timeout=300):
        app.widget("train_start").locator("button").click()
    app.wait_for_text("Final accuracy", timeout=300)
    assert app.metrics()["Epochs run"] == "5 / 5"
    app.navigate("weights", screenshot="bad-input-world-weights")
    app.assert_no_exception()
    weights = app.read_table(app.page.locator('[data-testid="stDataFrame"]').first)
    words = " ".join(weights["words"])
    for word in ("😀", "🍕", "очень", "非常好吃", "طعام", "ひどい", "φαγητό", "café"):
        assert word in words, f"{word!r} is missing from the weight table: {words[:300]}"


# --- numbers out of range: the widget refuses them, the page goes on with the last good value ------

NUMBER_CASES = [
    # page, key, typed values, allowed range, what shows the value in use, a good value, and
    # what shows it once it is used
    ("encode", "encode_vocab_size", ("1", "100001"), (2, 100000), "(50 × 8;", "60", "(60 × 8;"),
    ("encode", "encode_max_length", ("0", "1001"), (1, 1000), "10 reviews × 4 ids", "6",
     "10 reviews × 6 ids"),
    ("train", "train_output_dim", ("0", "1025"), (1, 1024), "50 × 8 = 400 weights", "16",
     "50 × 16 = 800 weights"),
    ("train", "train_epochs", ("0", "2001"), (1, 2000), None, "3", "Epochs run"),
    ("analogy", "analogy_topn", ("0", "101"), (1, 100), QUEEN, "3", QUEEN),
]


def type_number(app: AppPage, key: str, value: str, *, refused: bool = False) -> None:
    field = app.widget(key).locator("input")
    field.fill(value)
    if refused:  # nothing reaches the server, so no rerun to wait for
        field.press("Enter")
        app.page.locator(f".{key_class(key)} input[aria-invalid='true']").wait_for(timeout=10_000)
        return
    with app.rerun_after():
        field.press("Enter")


@pytest.mark.parametrize(("path", "key", "typed", "limits", "in_use", "good", "good_shows"),
                         NUMBER_CASES, ids=[f"{case[1]}={'|'.join(case[2])}" for case in NUMBER_CASES])
def test_an_out_of_range_number_is_refused_by_its_widget(app: AppPage, path, key, typed, limits,
                                                         in_use, good, good_shows):
    app.open(path)
    widget = app.widget(key)
    field = widget.locator("input")
    for value in typed:
        type_number(app, key, value, refused=True)
        assert field.get_attribute("aria-invalid") == "true", f"{key}={value} was not refused"
        assert (f"Number is outside the allowed range. Please enter a value between {limits[0]} "
                f"and {limits[1]}.") in widget.inner_text()
        if in_use:
            assert in_use in app.text(), f"The page stopped using the last good {key}."
        app.assert_no_exception()
        app.screenshot(f"bad-input-number-{key}-{value}")
    type_number(app, key, good)
    assert field.get_attribute("aria-invalid") != "true"
    if key == "train_epochs":
        with app.rerun_after(timeout=300):
            app.widget("train_start").locator("button").click()
        app.wait_for_text("Final accuracy", timeout=300)
        assert app.metrics()["Epochs run"] == f"{good} / {good}"
    if key == "analogy_topn":
        answers = app.read_table(app.page.locator('[data-testid="stDataFrame"]').first)
        assert answers["word"].tolist() == ["queen", "throne", "prince"]
    app.wait_for_text(good_shows)
    app.assert_no_exception()


# --- GloVe words: unknown, empty, on both sides -------------------------------------------------

def type_word(app: AppPage, key: str, word: str) -> None:
    field = app.widget(key).locator("input")
    field.fill(word)
    with app.rerun_after():
        field.press("Enter")


ANALOGY_CASES = [
    # box, typed, the message, how the user puts it right
    pytest.param("analogy_b", "kingg",
                 "'kingg' is not in the vocabulary (400,000 words). Closest spellings: king, "
                 "kings, ing, kin, kling.", "suggestion", id="unknown-word-with-suggestions"),
    pytest.param("analogy_c", "😀",
                 "'😀' is not in the vocabulary (400,000 words). Check the spelling.", "woman",
                 id="unknown-emoji"),
    pytest.param("analogy_c", "королева",
                 "'королева' is not in the vocabulary (400,000 words). Check the spelling.",
                 "woman", id="unknown-cyrillic"),
    pytest.param("analogy_b", "man",
                 "A word cannot be both positive and negative. Received: 'man' on both sides; "
                 "remove it from one of them. In a : b :: c : ?, a is subtracted and b and c "
                 "are added.", "king", id="same-word-both-sides"),
    pytest.param("analogy_b", "",
                 "Type a word in each of a, b and c (for example man, king, woman); b is empty.",
                 "king", id="empty-word"),
]


@pytest.mark.parametrize(("box", "typed", "message", "fix"), ANALOGY_CASES)
def test_a_bad_analogy_question_says_why_and_the_page_answers_the_next(app: AppPage, box, typed,
                                                                       message, fix):
    app.open("analogy")
    app.wait_for_text(QUEEN)
    type_word(app, box, typed)
    app.wait_for_text(message[:40])
    assert message in app.text()
    assert QUEEN not in app.text()
    app.assert_no_exception()
    app.screenshot(f"bad-input-analogy-{typed or 'empty'}")
    if fix == "suggestion":
        with app.rerun_after():
            app.button("king").click()
        assert app.widget(box).locator("input").input_value() == "king"
    else:
        type_word(app, box, fix)
    app.wait_for_text(QUEEN)
    answers = app.read_table(app.page.locator('[data-testid="stDataFrame"]').first)
    assert answers["word"].tolist()[0] == "queen"


def test_an_unknown_word_on_the_neighbours_page_offers_spellings(app: AppPage):
    app.open("word-map")
    type_word(app, "word_map_word", "frgo")
    message = ("'frgo' is not in the vocabulary (400,000 words). Closest spellings: fargo, frog, "
               "forgo, figo, argo.")
    app.wait_for_text(message[:30])
    assert message in app.text()
    app.assert_no_exception()
    type_word(app, "word_map_word", "frog")
    app.wait_for_text("Cosine similarity to frog over all 400,000 words")
    near = app.read_table(app.page.locator('[data-testid="stDataFrame"]').first)
    assert near["word"].tolist()[:3] == ["snake", "ape", "toad"]
    app.assert_no_exception()


# --- vector files: uploaded, or in the vectors folder --------------------------------------------

TINY_VECTORS = (b"king 0.9 0.8 0.1\nqueen 0.8 0.9 0.9\nman 0.5 0.1 0.0\n"
                b"woman 0.4 0.2 0.8\nfrog 0.0 0.0 0.5\n")
REFUSE, SKIP = "Refuse the file", "Skip them and count them"
MALFORMED_UPLOADS = [
    # file, content, setting, what the page says
    pytest.param("count.txt", b"king 0.5 0.1 0.2\nqueen 0.4 0.2\nman 0.3 -0.1 0.0\n", REFUSE,
                 "count.txt line 2 gives 'queen' the wrong number of values (every vector here "
                 "has 3).", id="wrong-count-refused"),
    pytest.param("count.txt", b"king 0.5 0.1 0.2\nqueen 0.4 0.2\nman 0.3 -0.1 0.0\n", SKIP,
                 "1 malformed line was skipped; the other 2 words were loaded.",
                 id="wrong-count-skipped"),
    pytest.param("number.txt", b"king 0.5 0.1 0.2\nqueen 0.4 abc 0.2\n", REFUSE,
                 "number.txt line 2 has a value for 'queen' that is not a finite number.",
                 id="not-a-number-refused"),
    pytest.param("dup.txt", b"king 0.5 0.1 0.2\nking 0.4 0.2 0.2\nman 0.3 -0.1 0.0\n", REFUSE,
                 "dup.txt line 2 repeats the word 'king' (first on line 1).",
                 id="duplicate-refused"),
    pytest.param("blank.txt", b"king 0.5 0.1 0.2\n\nman 0.3 -0.1 0.0\n", REFUSE,
                 "blank.txt line 2 is blank.", id="blank-line-refused"),
    pytest.param("latin1.txt", b"king 0.5 0.1 0.2\ncaf\xe9 0.3 -0.1 0.0\nman 0.3 -0.1 0.0\n",
                 REFUSE, "latin1.txt line 2 is not UTF-8 text.", id="not-utf8-refused"),
    pytest.param("header.txt", b"5 3\nking 0.5 0.1 0.2\nman 0.3 -0.1 0.0\n", REFUSE,
                 "header.txt line 1: the header announces 5 vectors but the file has 2 vector "
                 "lines.", id="word2vec-header-wrong"),
    pytest.param("empty.txt", b"", SKIP, "empty.txt is empty. Expected GloVe or word2vec text.",
                 id="empty-file"),
    pytest.param("model.bin", bytes(range(256)) * 4, SKIP,
                 "model.bin holds no usable vectors", id="binary-file"),
    pytest.param("bom.txt", b"\xef\xbb\xbf" + TINY_VECTORS.replace(b"\n", b"\r\n"), REFUSE,
                 "A byte-order mark at the start was ignored.", id="bom-and-crlf-accepted"),
]


def choose(app: AppPage, key: str, option: str) -> None:
    """Pick a radio option by its label (nothing happens if it is already picked)."""
    label = app.widget(key).locator("label").filter(has_text=option)
    if label.locator("input:checked").count():
        return
    with app.rerun_after():
        label.click()


def upload_vectors(app: AppPage, name: str, data: bytes) -> None:
    field = app.widget("vectors_upload").locator('input[type="file"]')
    with app.rerun_after(timeout=120):
        field.set_input_files(files=[{"name": name, "mimeType": "text/plain", "buffer": data}])


@pytest.mark.parametrize(("name", "data", "setting", "message"), MALFORMED_UPLOADS)
def test_a_malformed_vectors_file_is_refused_or_its_bad_lines_counted(app: AppPage, name, data,
                                                                      setting, message):
    app.open("vectors")
    choose(app, "vectors_source", "Upload a file")
    choose(app, "vectors_on_error", setting)
    upload_vectors(app, name, data)
    app.wait_for_text(message[:40], timeout=120)
    assert message in app.text(), app.text()[-1500:]
    app.assert_no_exception()
    app.screenshot(f"bad-input-vectors-{name.split('.')[0]}-{setting.split()[0].lower()}")
    refused = any(message in error for error in app.errors())
    if refused:
        assert any("The vectors in use are unchanged." in e for e in app.errors())
        assert "Vectors in use: GloVe 6B 50d (shipped)" in app.text()
    elif "skipped" in message:
        assert app.metrics()["Lines skipped"] == "1"
        skipped = app.read_table(app.page.locator('[data-testid="stDataFrame"]').first)
        assert skipped.to_dict("records") == [
            {"reason": "wrong number of values", "lines": "1", "first line numbers": "2"}]
    # The page goes on: a good file loads (test_an_uploaded_file_answers_analogies uses one).
    upload_vectors(app, "tiny.txt", TINY_VECTORS)
    app.wait_for_text("The GloVe pages now use tiny.txt.")
    assert app.metrics()["Words"] == "5"
    app.assert_no_exception()


def test_an_uploaded_vectors_file_answers_analogies(app: AppPage):
    app.open("vectors")
    choose(app, "vectors_source", "Upload a file")
    upload_vectors(app, "tiny.txt", TINY_VECTORS)
    app.wait_for_text("The GloVe pages now use tiny.txt.")
    app.navigate("analogy")
    app.wait_for_text(QUEEN)
    assert "Vectors in use: tiny.txt (uploaded), 5 words × 3 dimensions" in app.text()
    app.assert_no_exception()


@pytest.fixture(scope="module")
def vectors_folder(tmp_path_factory):
    """A vectors folder with a good file, a malformed one, a hidden one, a link to a file
    outside it, and a file that will be swapped for such a link."""
    root = tmp_path_factory.mktemp("vectors-room")
    folder = root / "vectors"
    folder.mkdir()
    outside = root / "outside.txt"
    outside.write_bytes(TINY_VECTORS.replace(b"frog", b"secret"))
    (folder / "tiny.txt").write_bytes(TINY_VECTORS)
    (folder / "swap.txt").write_bytes(TINY_VECTORS)
    (folder / "broken.txt").write_bytes(b"king 0.5 0.1 0.2\nqueen 0.4 0.2 0.2\nman 0.3 -0.1\n")
    (folder / ".hidden.txt").write_bytes(TINY_VECTORS)
    (folder / "outside.txt").symlink_to(outside)
    (folder / "sub").mkdir()
    return folder


@pytest.fixture(scope="module")
def folder_server(browser, vectors_folder):
    """A server of its own whose EXPLORER_VECTORS_DIR is the folder above."""
    with start_server(name="server-vectors-folder", env={VECTORS_DIR_VARIABLE: str(vectors_folder)},
                      **app_location()) as running:
        yield running


@pytest.fixture
def folder_app(new_app, folder_server) -> AppPage:
    """A new session on the folder server (its browser context is closed after the test)."""
    return new_app(base_url=folder_server.base_url)


def folder_files(app: AppPage) -> list[str]:
    box = app.widget("vectors_file")
    box.locator("input").click()
    options = app.page.get_by_role("option").all_inner_texts()
    app.page.keyboard.press("Escape")
    return [option.strip() for option in options]


def test_the_folder_lists_only_its_own_files(folder_app: AppPage):
    app = folder_app
    app.open("vectors")
    choose(app, "vectors_source", "A file from the vectors folder")
    assert sorted(folder_files(app)) == ["broken.txt", "swap.txt", "tiny.txt"]
    app.assert_no_exception()
    app.screenshot("bad-input-vectors-folder")


def test_a_malformed_file_in_the_folder_is_refused_with_its_line(folder_app: AppPage):
    app = folder_app
    app.open("vectors")
    choose(app, "vectors_source", "A file from the vectors folder")
    choose(app, "vectors_on_error", REFUSE)
    app.widget("vectors_file").locator("input").click()
    with app.rerun_after():
        app.page.get_by_role("option", name="broken.txt").click()
    with app.rerun_after(timeout=120):
        app.widget("vectors_load").locator("button").click()
    message = "line 3 gives 'man' the wrong number of values (every vector here has 3)."
    app.wait_for_text(message[:30])
    assert any(message in e and "The vectors in use are unchanged." in e for e in app.errors())
    assert "Vectors in use: GloVe 6B 50d (shipped)" in app.text()
    app.assert_no_exception()


def test_a_chosen_file_that_becomes_a_link_outside_the_folder_is_not_read(folder_app: AppPage,
                                                                          vectors_folder):
    app = folder_app
    app.open("vectors")
    choose(app, "vectors_source", "A file from the vectors folder")
    app.widget("vectors_file").locator("input").click()
    with app.rerun_after():
        app.page.get_by_role("option", name="swap.txt").click()
    with app.rerun_after(timeout=120):
        app.widget("vectors_load").locator("button").click()
    app.wait_for_text("The GloVe pages now use swap.txt.")
    # Behind the app's back, the chosen file becomes a link to a file outside the folder.
    swapped = vectors_folder / "swap.txt"
    swapped.unlink()
    swapped.symlink_to(vectors_folder.parent / "outside.txt")
    app.navigate("word-map")
    message = ("this one is a link to a place outside it. Received: name='swap.txt' "
               "Using GloVe 6B 50d instead.")
    app.wait_for_text("this one is a link to a place outside it")
    assert message in app.text(), app.text()[:1500]
    assert "Vectors in use: GloVe 6B 50d (shipped), 400,000 words" in app.text()
    type_word(app, "word_map_word", "secret")
    app.wait_for_text("Cosine similarity to secret over all 400,000 words")  # GloVe's "secret"
    app.assert_no_exception()
