"""Word-pair benchmarks and the odd one out on tiny hand-made vectors, plus the CLI.

gensim parity on GloVe and on tricky spellings is in test_similarity_parity.py.
"""

import doctest
import json
import math

import pytest

from explorer import similarity
from explorer.__main__ import main
from explorer.errors import InputError
from explorer.similarity import evaluate_pairs, odd_one_out, rank_by_centrality, read_pairs
from explorer.vectors import UnknownWordError, Vectors

# cos(cat, dog) = 0.8, cos(cat, car) = 0, cos(dog, car) = 0.6
ANIMALS = Vectors.from_arrays(["cat", "dog", "car", "cow"],
                              [[1, 0], [0.8, 0.6], [0, 1], [0.6, 0.8]])
PAIRS = "cat\tdog\t9\ncat\tcar\t1\ndog\tcar\t4\n"


def test_doctests():
    assert doctest.testmod(similarity).failed == 0


# ----------------------------------------------------------------------------- reading files


def test_comments_and_lines_that_are_not_pairs():
    pairs = read_pairs("# header\ncat\tdog\t9\n\nthree\tfields\there\tfour\ncat\tcar\tx\n"
                       "dog\tcar\t4\r\n")
    assert (pairs.first, pairs.second, pairs.human) == (["cat", "dog"], ["dog", "car"], [9, 4])
    assert pairs.lines == [2, 6] and pairs.invalid == [3, 4, 5]


def test_words_are_kept_as_written():
    # gensim neither strips nor lowers the words it reads (it upper-cases them to compare)
    assert read_pairs("Cat \tdog\t1\n").first == ["Cat "]


def test_a_comma_separated_file_is_told_to_use_tabs():
    with pytest.raises(InputError) as error:
        read_pairs(b"cat,dog,9\ncat,car,1\n")
    message = str(error.value)
    assert "word<TAB>word<TAB>score" in message and "'cat,dog,9'" in message
    assert "no tabs" in message


def test_the_delimiter_can_be_a_comma():
    assert read_pairs("cat,dog,9\n", delimiter=",").human == [9.0]


def test_an_empty_or_comment_only_file():
    for text in (b"", b"# only a comment\n"):
        with pytest.raises(InputError, match="has no such line"):
            read_pairs(text)


def test_bytes_that_are_not_utf8_name_the_line(tmp_path):
    path = tmp_path / "latin.tsv"
    path.write_bytes(b"cat\tdog\t9\ncaf\xe9\tcar\t1\n")
    with pytest.raises(InputError, match=r"UTF-8.*'latin.tsv'.*line 2"):
        read_pairs(path)


def test_a_missing_file():
    with pytest.raises(InputError, match="no such file"):
        read_pairs("/nonexistent/pairs.tsv")


def test_non_finite_scores_are_not_pairs():
    assert read_pairs("cat\tdog\tnan\ncat\tcar\t2\n").invalid == [1]


# ------------------------------------------------------------------------------ correlations


def test_correlations_computed_by_hand():
    result = evaluate_pairs(ANIMALS, PAIRS)
    # human 9, 1, 4 against cosines 0.8, 0, 0.6: same order, so Spearman is 1; Pearson from
    # the deviations (13, -11, -2)/3 and (1, -1.4, 0.4)/3
    assert result.spearman == pytest.approx(1.0)
    assert result.pearson == pytest.approx(27.6 / math.sqrt(294 * 3.12))
    assert (result.pairs, result.oov, result.oov_ratio) == (3, 0, 0.0)
    assert result.table["cosine"].round(6).tolist() == [0.8, 0.0, 0.6]


def test_ties_share_their_mean_rank():
    # human scores 1, 1, 2 (ranks 1.5, 1.5, 3) against cosines 0, 0.6, 0.8 (ranks 1, 2, 3)
    result = evaluate_pairs(ANIMALS, "cat\tcar\t1\ndog\tcar\t1\ncat\tdog\t2\n")
    assert result.spearman == pytest.approx(1.5 / math.sqrt(1.5 * 2))


def test_a_pair_with_an_unknown_word_is_left_out_and_counted():
    result = evaluate_pairs(ANIMALS, PAIRS + "cat\tunicorn\t3\n")
    assert (result.pairs, result.oov, result.oov_ratio) == (3, 1, 25.0)
    assert result.spearman == pytest.approx(1.0)
    assert result.table["known"].tolist() == [True, True, True, False]


def test_dummy4unknown_scores_unknown_pairs_zero():
    result = evaluate_pairs(ANIMALS, PAIRS + "cat\tunicorn\t3\n", dummy4unknown=True)
    assert (result.pairs, result.oov, result.oov_ratio) == (4, 1, 25.0)
    assert result.table["cosine"].round(6).tolist() == [0.8, 0.0, 0.6, 0.0]
    # human 9, 1, 4, 3 (ranks 4, 1, 3, 2) against 0.8, 0, 0.6, 0 (ranks 4, 1.5, 3, 1.5)
    assert result.spearman == pytest.approx(4.5 / math.sqrt(5 * 4.5))


def test_restrict_vocab_makes_later_words_unknown():
    result = evaluate_pairs(ANIMALS, PAIRS + "cat\tcow\t7\n", restrict_vocab=3)
    assert (result.pairs, result.oov, result.restrict_vocab) == (3, 1, 3)


def test_words_match_in_any_case_and_the_first_spelling_wins():
    v = Vectors.from_arrays(["Paris", "paris", "london"], [[1, 0], [0, 1], [0.6, 0.8]])
    # "PARIS" is row 0 for gensim (first spelling); exact matching finds row 1 for "paris"
    loose = evaluate_pairs(v, "PARIS\tlondon\t1\nparis\tLondon\t2\n")
    assert loose.table["cosine"].round(6).tolist() == [0.6, 0.6]
    exact = evaluate_pairs(v, "paris\tlondon\t1\nParis\tlondon\t2\n", case_insensitive=False)
    assert exact.table["cosine"].round(6).tolist() == [0.8, 0.6]


def test_too_few_known_pairs_is_a_message_not_a_nan():
    with pytest.raises(InputError, match=r"at least 2 pairs.*Received: 1 of 2 pairs"):
        evaluate_pairs(ANIMALS, "cat\tdog\t1\nemu\tyak\t2\n")


def test_worst_pairs_are_those_ranked_most_differently():
    # the humans rank cat-car highest, the vectors lowest
    result = evaluate_pairs(ANIMALS, "cat\tcar\t9\ncat\tdog\t5\ndog\tcar\t4\ncat\tcow\t3\n")
    worst = result.worst(2)
    assert list(zip(worst["word1"], worst["word2"]))[0] == ("cat", "car")
    assert worst["rank gap"].iloc[0] == pytest.approx(-0.75)


def test_json_has_the_four_numbers():
    data = evaluate_pairs(ANIMALS, PAIRS + "emu\tcat\t1\n").to_dict()
    assert data["pairs"] == 3 and data["oov_ratio"] == 25.0
    assert data["pearson"] == pytest.approx(0.9113, abs=1e-4) and round(data["spearman"], 4) == 1.0


# ------------------------------------------------------------------------------- odd one out


def test_breakfast_cereal_dinner_lunch_shape():
    v = Vectors.from_arrays(["breakfast", "cereal", "dinner", "lunch"],
                            [[1, 0.1], [0, 1], [1, 0], [1, -0.1]])
    assert odd_one_out(v, "breakfast cereal dinner lunch") == "cereal"
    ranked = rank_by_centrality(v, ["breakfast", "cereal", "dinner", "lunch"])
    assert [w for w, _ in ranked][-1] == "cereal"
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_odd_one_out_is_case_insensitive_and_reads_commas():
    assert odd_one_out(ANIMALS, "Cat, dog, CAR") == "CAR"


def test_unknown_word_gets_suggestions():
    with pytest.raises(UnknownWordError) as error:
        odd_one_out(ANIMALS, ["cat", "dgo", "car"])
    assert error.value.word == "dgo" and "dog" in error.value.suggestions


@pytest.mark.parametrize("words", ["", "cat", "cat dog"])
def test_fewer_than_three_words(words):
    with pytest.raises(InputError, match="must hold 3 to 100 words"):
        odd_one_out(ANIMALS, words)


def test_too_many_words_message_lists_ten_of_them():
    with pytest.raises(InputError) as error:
        odd_one_out(ANIMALS, "cat " * 3000)
    message = str(error.value)
    assert "Received: 3000 words" in message and "... and 2,990 more" in message
    assert message.count("'cat'") == 10


# ------------------------------------------------------------------------------------- CLI


def vectors_file(tmp_path):
    path = tmp_path / "animals.txt"
    path.write_text("cat 1 0\ndog 0.8 0.6\ncar 0 1\ncow 0.6 0.8\n")
    return str(path)


def test_cli_evaluate_pairs_json(tmp_path, capsys):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("# a comment\n" + PAIRS + "emu\tcat\t1\n")
    code = main(["evaluate-pairs", "--pairs", str(pairs), "--vectors", vectors_file(tmp_path),
                 "--json"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["pairs"] == 3 and data["oov_ratio"] == 25.0 and round(data["spearman"], 4) == 1.0
    assert round(data["pearson"], 4) == 0.9113


def test_cli_evaluate_pairs_wrong_format(tmp_path, capsys):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("cat,dog,9\n")
    code = main(["evaluate-pairs", "--pairs", str(pairs), "--vectors", vectors_file(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and err.count("\n") == 1
    assert err.startswith("error: `pairs` must hold lines of two words and a number")


def test_cli_odd_one_out_json(tmp_path, capsys):
    code = main(["odd-one-out", "cat", "dog", "cow", "car", "--vectors", vectors_file(tmp_path),
                 "--json"])
    out, _ = capsys.readouterr()
    assert code == 0 and json.loads(out)["word"] == "car"


def test_cli_odd_one_out_unknown_word(tmp_path, capsys):
    code = main(["odd-one-out", "cat", "dgo", "car", "--vectors", vectors_file(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 1 and "'dgo' is not in the vocabulary" in err and "dog" in err
