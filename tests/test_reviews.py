"""Tests for explorer.reviews: the shipped samples, CSV upload and download, validation."""

import codecs
import doctest

import numpy as np
import pandas as pd
import pytest

from explorer import reviews
from explorer.errors import InputError
from explorer.reviews import (
    load_sample,
    read_reviews_csv,
    reviews_to_csv,
    sample_files,
    validate_reviews,
)
from explorer.text import tokenize
from tests.test_text import RESTAURANT

STUDENT = ["Well done!", "Good work", "Great effort", "nice work", "Excellent!", "Weak",
           "Poor effort!", "not good", "poor work", "Could have done better."]


def table(texts, labels):
    return pd.DataFrame({"text": texts, "label": labels})


def message(error_info) -> str:
    return str(error_info.value)


# --- samples -----------------------------------------------------------------------------------

def test_sample_files_names_and_paths():
    files = sample_files()
    assert list(files) == ["Restaurant reviews", "Student feedback", "240 mixed reviews"]
    assert [path.name for path in files.values()] == [
        "restaurant_reviews.csv", "student_feedback.csv", "reviews_240.csv"]
    assert all(path.is_file() for path in files.values())


def test_restaurant_sample_is_the_tutorial_data_in_order():
    sample = load_sample("Restaurant reviews")
    assert list(sample.columns) == ["text", "label"]
    assert sample["text"].tolist() == RESTAURANT
    assert sample["label"].tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    assert sample["label"].dtype == np.int64


def test_student_sample_is_the_tutorial_data_in_order():
    sample = load_sample("Student feedback")
    assert sample["text"].tolist() == STUDENT
    assert sample["label"].tolist() == [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]


def test_sample_files_are_plain_utf8_with_the_header_text_label():
    for path in sample_files().values():
        raw = path.read_bytes()
        assert not raw.startswith(codecs.BOM_UTF8)
        assert raw.decode("utf-8").startswith("text,label\n")


def test_large_sample_is_balanced_varied_and_unique():
    sample = load_sample("240 mixed reviews")
    assert len(sample) == 240
    assert sample["label"].value_counts().to_dict() == {0: 120, 1: 120}
    lowered = sample["text"].str.lower()
    assert lowered.is_unique
    words = sample["text"].map(lambda text: len(text.split()))
    assert words.between(2, 15).all()
    # Shuffled: neither class comes as one block, and the first ten hold both.
    assert set(sample["label"][:10]) == {0, 1}
    assert (sample["label"].diff().abs() == 1).sum() > 60
    # Not separable by a single word: common words occur in both classes.
    for shared in ("service", "food", "staff", "not", "good", "never"):
        in_class = {label for text, label in zip(sample["text"], sample["label"])
                    if shared in tokenize(text)}
        assert in_class == {0, 1}, shared
    validate_reviews(sample)


def test_large_sample_is_learnable_on_held_out_reviews():
    # A validation split must mean something: sentiment words recur across reviews, so a
    # bag-of-words model trained on the first 80% beats chance on the last 20%.
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    sample = load_sample("240 mixed reviews")
    train, held_out = sample[:192], sample[192:]
    vectorizer = CountVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None)
    model = LogisticRegression(max_iter=1000).fit(
        vectorizer.fit_transform(train["text"]), train["label"])
    accuracy = model.score(vectorizer.transform(held_out["text"]), held_out["label"])
    assert accuracy >= 0.7


def test_load_sample_unknown_name():
    with pytest.raises(InputError) as error:
        load_sample("restaurant")
    assert message(error) == (
        "`name` must be one of 'Restaurant reviews', 'Student feedback', '240 mixed reviews'. "
        "Received: name='restaurant'")


def test_load_sample_returns_a_fresh_copy():
    first = load_sample("Restaurant reviews")
    first.loc[0, "text"] = "changed"
    assert load_sample("Restaurant reviews")["text"][0] == "Never coming back!"


# --- reading a CSV -----------------------------------------------------------------------------

def test_read_numeric_labels():
    frame, names = read_reviews_csv(b"text,label\nawesome,1\ncold food,0\n")
    assert frame["text"].tolist() == ["awesome", "cold food"]
    assert frame["label"].tolist() == [1, 0]
    assert frame["label"].dtype == np.int64
    assert names == ("negative", "positive")


def test_read_keeps_the_callers_class_names_for_numeric_labels():
    _, names = read_reviews_csv(b"text,label\na,1\nb,0\n", class_names=("bad", "good"))
    assert names == ("bad", "good")


@pytest.mark.parametrize("zero, one", [("0.0", "1.0"), (" 0 ", " 1 "), ("0.", "1.00")])
def test_read_float_and_padded_numeric_labels(zero, one):
    data = f"text,label\na,{one}\nb,{zero}\n".encode()
    assert read_reviews_csv(data)[0]["label"].tolist() == [1, 0]


def test_read_strips_a_utf8_bom_and_header_variants():
    frame, _ = read_reviews_csv(codecs.BOM_UTF8 + b" Text , LABEL \nawesome,1\ncold,0\n")
    assert list(frame.columns) == ["text", "label"]
    assert frame["text"].tolist() == ["awesome", "cold"]


def test_read_ignores_other_columns_and_keeps_column_order_free():
    frame, _ = read_reviews_csv(b"id,label,text\n7,1,awesome\n8,0,cold\n")
    assert frame.to_dict("list") == {"text": ["awesome", "cold"], "label": [1, 0]}


def test_read_windows_line_endings_and_quoted_commas():
    data = b'text,label\r\n"Great food, rude staff",0\r\n"He said ""wow""",1\r\n'
    frame, _ = read_reviews_csv(data)
    assert frame["text"].tolist() == ["Great food, rude staff", 'He said "wow"']


def test_read_semicolon_and_tab_separated_files():
    assert read_reviews_csv(b"text;label\nfine, thanks;1\nbad;0\n")[0]["text"].tolist() == [
        "fine, thanks", "bad"]
    assert read_reviews_csv(b"text\tlabel\nok\t1\nno\t0\n")[0]["label"].tolist() == [1, 0]


def test_read_strips_surrounding_whitespace_only():
    frame, _ = read_reviews_csv('text,label\n"  Très  bien !  ",1\n"a\nb",0\n'.encode())
    assert frame["text"].tolist() == ["Très  bien !", "a\nb"]


def test_read_keeps_text_that_pandas_would_call_missing():
    frame, _ = read_reviews_csv(b"text,label\nNA,1\nnull,0\nNaN,1\n")
    assert frame["text"].tolist() == ["NA", "null", "NaN"]


def test_read_skips_rows_with_neither_text_nor_label():
    frame, _ = read_reviews_csv(b"text,label\na,1\n,\n  ,  \nb,0\n")
    assert frame["text"].tolist() == ["a", "b"]


def test_read_keeps_an_empty_review_with_a_label_for_validation_to_name():
    frame, _ = read_reviews_csv(b"text,label\na,1\n,0\n")
    assert frame["text"].tolist() == ["a", ""]
    with pytest.raises(InputError, match=r"Received: row 2 is empty\."):
        validate_reviews(frame)


def test_read_header_only_gives_an_empty_table():
    frame, _ = read_reviews_csv(b"text,label\n")
    assert list(frame.columns) == ["text", "label"] and len(frame) == 0
    assert frame["label"].dtype == np.int64


def test_read_long_reviews_emoji_and_other_scripts():
    long_review = "word " * 1999 + "words"
    texts = [long_review, "😀 great 🎉", "Отличная еда", "とても美味しい", "ممتاز جدا", "x" * 200_000]
    data = reviews_to_csv(table(texts, [1, 1, 1, 0, 0, 1]))
    frame, _ = read_reviews_csv(data)
    assert frame["text"].tolist() == texts
    assert len(frame["text"][0]) == 10_000


# --- class-name labels -------------------------------------------------------------------------

@pytest.mark.parametrize("first, second, expected", [
    ("pos", "neg", ("neg", "pos")),
    ("good", "bad", ("bad", "good")),
    ("Thumbs up", "thumbs down", ("thumbs down", "Thumbs up")),
    ("happy", "unhappy", ("unhappy", "happy")),
    ("like", "dislike", ("dislike", "like")),
    ("relevant", "irrelevant", ("irrelevant", "relevant")),
    ("good", "not good", ("not good", "good")),
    ("+", "-", ("-", "+")),
    ("yes", "no", ("no", "yes")),
    # Neither name gives itself away: sorted order, ignoring case.
    ("spam", "ham", ("ham", "spam")),
    ("Zebra", "apple", ("apple", "Zebra")),
])
def test_read_two_class_names_orders_negative_first(first, second, expected):
    data = f"text,label\na,{first}\nb,{second}\nc,{first}\n".encode()
    frame, names = read_reviews_csv(data)
    assert names == expected
    label_of_first = expected.index(first)
    assert frame["label"].tolist() == [label_of_first, 1 - label_of_first, label_of_first]


def test_read_names_matching_the_current_class_names_keep_their_places():
    data = b"text,label\na,Positive\nb,NEGATIVE\n"
    frame, names = read_reviews_csv(data)
    assert names == ("negative", "positive")
    assert frame["label"].tolist() == [1, 0]
    # Names that the heuristic would order the other way still follow the caller's pair.
    frame, names = read_reviews_csv(b"text,label\na,bad\nb,good\n", class_names=("good", "bad"))
    assert names == ("good", "bad")
    assert frame["label"].tolist() == [1, 0]


def test_read_class_names_ignore_case_and_keep_the_first_spelling():
    frame, names = read_reviews_csv(b"text,label\na,Good\nb,bad\nc,GOOD\n")
    assert names == ("bad", "Good")
    assert frame["label"].tolist() == [1, 0, 1]


def test_read_a_single_class_name_is_placed_by_how_it_looks():
    frame, names = read_reviews_csv(b"text,label\na,great\nb,great\n")
    assert names == ("negative", "great") and frame["label"].tolist() == [1, 1]
    frame, names = read_reviews_csv(b"text,label\na,meh\n")
    assert names == ("meh", "positive") and frame["label"].tolist() == [0]
    frame, names = read_reviews_csv(b"text,label\na,positive\n")
    assert names == ("negative", "positive") and frame["label"].tolist() == [1]


def test_read_more_than_two_labels():
    with pytest.raises(InputError) as error:
        read_reviews_csv(b"text,label\na,good\nb,bad\nc,ok\nd,Good\n")
    assert message(error) == (
        "`label` must hold two classes. Received: 3 different labels: 'good', 'bad', 'ok'. "
        "Keep two classes, or write the labels as 0 and 1.")


def test_read_more_than_two_labels_lists_at_most_ten():
    rows = "".join(f"r{i},class{i}\n" for i in range(12))
    with pytest.raises(InputError, match=r"12 different labels: 'class0', .*'class9' and 2 more\."):
        read_reviews_csv(f"text,label\n{rows}".encode())


@pytest.mark.parametrize("value", ["2", "-1", "0.5", "5", ""])
def test_read_numbers_other_than_0_1_and_empty_labels_name_the_row(value):
    with pytest.raises(InputError) as error:
        read_reviews_csv(f"text,label\na,1\nb,0\nc,{value}\n".encode())
    assert message(error) == (
        f"`label` in row 3 must be 0 or 1, or one of two class names. Received: label={value!r}. "
        "Write 0 for the negative class and 1 for the positive class.")


def test_read_a_stray_name_among_numeric_labels():
    with pytest.raises(InputError) as error:
        read_reviews_csv(b"text,label\na,1\nb,0\nc,pos\nd,1\n")
    assert message(error) == (
        "`label` in row 3 must be 0 or 1, or one of two class names. Received: label='pos'. "
        "Use 0/1 in every row, or two class names in every row.")


def test_read_a_stray_number_among_class_names():
    with pytest.raises(InputError, match=r"`label` in row 2 .* Received: label='1'\. Use 0/1"):
        read_reviews_csv(b"text,label\na,pos\nb,1\nc,neg\n")


def test_read_quotes_long_label_values_shortened():
    value = "a very long label that somebody pasted by mistake into the cell"
    with pytest.raises(InputError) as error:
        read_reviews_csv(f"text,label\na,1\nb,{value}\n".encode())
    assert "Received: label='a very long label that somebody pasted …'." in message(error)


# --- reading errors ----------------------------------------------------------------------------

def test_read_file_over_the_size_limit():
    with pytest.raises(InputError) as error:
        read_reviews_csv(b"text,label\n" + b"a,1\n" * 30, max_bytes=100)
    assert message(error) == (
        "`file` must be at most 100 bytes. Received: a file of 131 bytes. Keep only the text "
        "and label columns, or split the file into smaller ones.")


def test_read_default_limit_is_50_mb_and_the_message_gives_both_sizes():
    assert reviews.MAX_UPLOAD_BYTES == 50 * 10**6  # as the upload box counts megabytes
    data = bytes(reviews.MAX_UPLOAD_BYTES + 1)  # built in memory, never written to disk
    with pytest.raises(InputError) as error:
        read_reviews_csv(data)
    assert message(error).startswith(
        "`file` must be at most 50 MB. Received: a file of 50 MB (50,000,001 bytes).")
    with pytest.raises(InputError, match=r"at most 1 KB\. Received: a file of 2\.5 KB \(2,500 bytes\)\."):
        read_reviews_csv(bytes(2500), max_bytes=1000)


def test_read_a_file_of_exactly_the_limit_is_accepted():
    data = b"text,label\na,1\n"
    assert read_reviews_csv(data, max_bytes=len(data))[0]["text"].tolist() == ["a"]


def test_read_not_utf8_names_the_byte_offset_and_line():
    data = "text,label\ngood,1\ncafé,0\n".encode("latin-1")
    with pytest.raises(InputError) as error:
        read_reviews_csv(data)
    assert message(error) == (
        "`file` must be UTF-8 text. Received: byte 0xE9 at offset 21 (line 3), which is not "
        "valid UTF-8. Save the file as CSV UTF-8 (in Excel: Save As, CSV UTF-8) and upload it "
        "again.")


def test_read_not_utf8_offset_counts_the_bom():
    data = codecs.BOM_UTF8 + b"text,label\n\xff,1\n"
    with pytest.raises(InputError, match=r"byte 0xFF at offset 14 \(line 2\)"):
        read_reviews_csv(data)


def test_read_utf16_and_excel_files_get_a_hint():
    with pytest.raises(InputError, match="; the file looks like UTF-16. Save"):
        read_reviews_csv("text,label\na,1\n".encode("utf-16"))
    with pytest.raises(InputError, match="looks like an Excel workbook or a zip archive"):
        read_reviews_csv(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb1")


@pytest.mark.parametrize("data", [b"", b"\n\n", codecs.BOM_UTF8, b"   \r\n"])
def test_read_empty_file(data):
    with pytest.raises(InputError) as error:
        read_reviews_csv(data)
    assert message(error) == (
        "`file` is empty. Received: no header and no rows. Upload a CSV whose first line is "
        "the header text,label.")


def test_read_missing_columns_lists_what_was_found():
    with pytest.raises(InputError) as error:
        read_reviews_csv(b"review,score\na,1\n")
    assert message(error) == (
        "`file` must have a `text` column and a `label` column; it has no `text` and `label` "
        "columns. Received: columns 'review', 'score'. Make the first line of the file the "
        "header text,label and upload it again.")
    with pytest.raises(InputError) as error:
        read_reviews_csv(b"Text,sentiment\na,1\n")
    assert message(error).startswith(
        "`file` must have a `text` column and a `label` column; it has no `label` column. "
        "Received: columns 'Text', 'sentiment'.")


def test_read_a_file_without_header_is_missing_columns():
    with pytest.raises(InputError, match=r"Received: columns 'Never coming back!', '0'\."):
        read_reviews_csv(b"Never coming back!,0\nawesome,1\n")


@pytest.mark.parametrize("data, detail", [
    (b"text,label\na,1\nGreat food, rude staff,0\n", "Expected 2 fields in line 3, saw 3"),
    (b"text,label\nGreat food, rude staff,0\nb,1\n", "Expected 2 fields in line 2, saw 3"),
    (b'text,label\n"never closed,1\nb,0\n', "EOF inside string starting at row 1"),
])
def test_read_not_parseable_as_csv(data, detail):
    with pytest.raises(InputError) as error:
        read_reviews_csv(data)
    assert message(error) == (
        f"`file` could not be read as CSV. Received: {detail}. A review containing a comma or a "
        'quote must be in double quotes, with quotes doubled: "Great food, ""wow""",1.')


def test_read_accepts_bytearray_and_memoryview():
    data = b"text,label\na,1\n"
    assert read_reviews_csv(bytearray(data))[0]["text"].tolist() == ["a"]
    assert read_reviews_csv(memoryview(data))[0]["text"].tolist() == ["a"]


# --- validation --------------------------------------------------------------------------------

def test_validate_returns_stripped_texts_and_int_labels():
    texts, labels = validate_reviews(table([" awesome ", "cold food"], [1, 0]))
    assert texts == ["awesome", "cold food"]
    assert labels.tolist() == [1, 0] and labels.dtype == np.int64


def test_validate_accepts_the_samples():
    for name in sample_files():
        texts, labels = validate_reviews(load_sample(name))
        assert len(texts) == len(labels)


def test_validate_accepts_labels_as_floats_bools_strings_and_class_names():
    frame = table(["a", "b", "c", "d", "e", "f"],
                  [1.0, False, "1", " bad ", "GOOD", np.int64(0)])
    _, labels = validate_reviews(frame, class_names=("bad", "good"))
    assert labels.tolist() == [1, 0, 1, 0, 1, 0]


def test_validate_long_reviews_emoji_and_other_scripts():
    texts, labels = validate_reviews(
        table(["x" * 10_000, "😀🎉", "Привет мир", "你好", "!!! 👍 !!!"], [1, 0, 1, 0, 1]))
    assert texts[1:] == ["😀🎉", "Привет мир", "你好", "!!! 👍 !!!"]


def test_validate_no_reviews():
    with pytest.raises(InputError) as error:
        validate_reviews(table([], []))
    assert message(error) == (
        "`reviews` must hold at least one review. Received: an empty table. Add reviews to the "
        "table, upload a CSV or load a sample.")


def test_validate_names_empty_and_punctuation_only_rows():
    frame = table(["good", None, "?!...", float("nan"), "   ", "fine", "-- :) --"],
                  [1, 0, 1, 0, 1, 0, 1])
    with pytest.raises(InputError) as error:
        validate_reviews(frame)
    assert message(error) == (
        "`text` must contain at least one word in every review. Received: rows 2, 4 and 5 are "
        "empty; rows 3 and 7 have only punctuation. Type a review in each of these rows or "
        "delete them.")


def test_validate_one_bad_row_in_the_singular():
    with pytest.raises(InputError) as error:
        validate_reviews(table(["good", "!"], [1, 0]))
    assert "Received: row 2 has only punctuation." in message(error)


def test_validate_names_rows_from_one_even_with_a_custom_index():
    frame = table(["good", "", "bad"], [1, 0, 0])
    frame.index = [10, 20, 30]
    with pytest.raises(InputError, match=r"Received: row 2 is empty\."):
        validate_reviews(frame)


def test_validate_cuts_long_row_lists():
    frame = table(["!"] * 12 + ["good", "bad"], [1] * 13 + [0])
    with pytest.raises(InputError, match=r"rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more have only"):
        validate_reviews(frame)


def test_validate_labels_not_0_1_name_the_rows():
    frame = table(["a", "b", "c", "d"], [1, None, 2, "maybe"])
    with pytest.raises(InputError) as error:
        validate_reviews(frame)
    assert message(error) == (
        "`label` must be 0 (negative) or 1 (positive) in every row. Received: row 2: empty, "
        "row 3: 2, row 4: 'maybe'. Pick a class for each of these rows.")


def test_validate_float_column_with_a_missing_label():
    frame = table(["a", "b"], [1.0, np.nan])
    with pytest.raises(InputError, match=r"Received: row 2: empty\."):
        validate_reviews(frame)


def test_validate_every_label_the_same_class():
    with pytest.raises(InputError) as error:
        validate_reviews(table(["a", "b"], [1, 1]))
    assert message(error) == (
        "`label` must include both classes. Received: every review is labelled 'positive' (1). "
        "Add at least one 'negative' (0) review so the model has two classes to tell apart.")
    with pytest.raises(InputError) as error:
        validate_reviews(table(["a"], [0]), class_names=("bad", "good"))
    assert message(error) == (
        "`label` must include both classes. Received: every review is labelled 'bad' (0). "
        "Add at least one 'good' (1) review so the model has two classes to tell apart.")


@pytest.mark.parametrize("names", [("good", "good"), ("Good", " good "), ("", "good"),
                                   ("bad", "   "), ("only one",), "ab", ("a", 1)])
def test_validate_class_names_empty_or_identical(names):
    with pytest.raises(InputError) as error:
        validate_reviews(table(["a", "b"], [1, 0]), class_names=names)
    assert message(error) == (
        "`class_names` must be two different, non-empty names. "
        f"Received: class_names={names!r}. Give each class its own name, e.g. negative and "
        "positive.")


def test_validate_needs_text_and_label_columns():
    with pytest.raises(InputError) as error:
        validate_reviews(pd.DataFrame({"review": ["a"], "label": [1]}))
    assert message(error) == (
        "`reviews` must be a table with `text` and `label` columns. "
        "Received: DataFrame with columns ['review', 'label'].")


def test_validate_does_not_change_the_table():
    frame = table([" a ", None], [1, 0])
    before = frame.copy()
    with pytest.raises(InputError):
        validate_reviews(frame)
    pd.testing.assert_frame_equal(frame, before)


# --- writing a CSV -----------------------------------------------------------------------------

def test_write_exact_bytes():
    frame = table(['Great food, "wow"', "line\nbreak", "  padded  ", "plain"], [0, 1, 1, 0])
    assert reviews_to_csv(frame) == (
        b'text,label\n"Great food, ""wow""",0\n"line\nbreak",1\npadded,1\nplain,0\n')


def test_write_turns_class_name_labels_into_0_1():
    frame = table(["a", "b", "c"], ["good", "Bad", 1.0])
    assert reviews_to_csv(frame, class_names=("bad", "good")) == b"text,label\na,1\nb,0\nc,1\n"


def test_write_refuses_names_without_class_names_and_bad_labels():
    with pytest.raises(InputError, match=r"Received: row 1: 'good'\."):
        reviews_to_csv(table(["a"], ["good"]))
    with pytest.raises(InputError, match=r"Received: row 2: empty\."):
        reviews_to_csv(table(["a", "b"], [1, None]))
    with pytest.raises(InputError, match="`class_names` must be two different"):
        reviews_to_csv(table(["a"], [1]), class_names=("x", "x"))


def test_write_keeps_empty_reviews_so_work_in_progress_can_be_saved():
    assert reviews_to_csv(table(["a", None, ""], [1, 0, 1])) == b"text,label\na,1\n,0\n,1\n"


def test_write_is_utf8_without_bom():
    data = reviews_to_csv(table(["café 😀"], [1]))
    assert data == "text,label\ncafé 😀,1\n".encode("utf-8")


@pytest.mark.parametrize("name", list(sample_files()))
def test_round_trip_of_the_samples_is_identity(name):
    raw = sample_files()[name].read_bytes()
    frame, names = read_reviews_csv(raw)
    again, names_again = read_reviews_csv(reviews_to_csv(frame))
    pd.testing.assert_frame_equal(again, frame)
    assert names_again == names
    assert reviews_to_csv(frame) == raw  # the shipped files are written the same way


def test_round_trip_of_awkward_text_is_identity():
    texts = ['He said "wow", twice', "multi\nline\r\nreview", "tab\there", "NA", "0", "1,0",
             "😀", "Ünïcödé", "=SUM(A1)", "x" * 10_000, "ends with comma,", '"quoted"']
    frame, _ = read_reviews_csv(reviews_to_csv(table(texts, [i % 2 for i in range(12)])))
    assert frame["text"].tolist() == texts
    again, _ = read_reviews_csv(reviews_to_csv(frame))
    pd.testing.assert_frame_equal(again, frame)


def test_round_trip_from_class_names_writes_0_1():
    frame, names = read_reviews_csv(b"text,label\na,pos\nb,neg\n")
    data = reviews_to_csv(frame, class_names=names)
    assert data == b"text,label\na,1\nb,0\n"
    again, _ = read_reviews_csv(data, class_names=names)
    pd.testing.assert_frame_equal(again, frame)


# --- docstring examples ------------------------------------------------------------------------

def test_docstring_examples():
    result = doctest.testmod(reviews, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5 and result.failed == 0


def test_label_docstring_examples():
    import explorer.labels

    result = doctest.testmod(explorer.labels)
    assert result.attempted >= 2 and result.failed == 0
