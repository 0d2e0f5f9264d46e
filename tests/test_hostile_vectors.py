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
