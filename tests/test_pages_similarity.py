"""AppTest: the word-similarity section of the Benchmark page and the odd one out on Analogy."""

import pytest

from explorer.similarity import default_pairs_path
from tests.apptest_helpers import fresh_app, texts, visit

BENCHMARK = "views/benchmark.py"
ANALOGY = "views/analogy.py"

needs_gensim = pytest.mark.skipif(default_pairs_path("WordSim353") is None,
                                  reason="gensim's pair files are not installed")


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


@pytest.fixture
def benchmark_page():
    return visit(fresh_app(), BENCHMARK)


@needs_gensim
def test_wordsim353_is_scored_at_once_as_gensim_scores_it(benchmark_page):
    at = benchmark_page
    shown = metrics(at)
    assert (shown["Spearman"], shown["Pearson"], shown["Pairs scored"]) == ("0.5033", "0.5066",
                                                                            "353")
    assert shown["With an unknown word"] == "0 (0.0 %)"
    worst = next(d.value for d in at.dataframe if "rank gap" in d.value.columns)
    assert len(worst) == 10 and list(worst.columns)[:4] == ["word1", "word2", "human", "cosine"]
    assert worst["rank gap"].abs().is_monotonic_decreasing


@needs_gensim
def test_simlex_restrict_vocab_and_dummy4unknown(benchmark_page):
    at = benchmark_page
    at.radio(key="benchmark_pairs_source").set_value("SimLex-999").run()
    assert metrics(at)["Spearman"] == "0.2631"
    assert metrics(at)["With an unknown word"] == "1 (0.1 %)"
    at.number_input(key="benchmark_pairs_restrict_vocab").set_value(20_000).run()
    assert metrics(at)["Pairs scored"] == "923" and metrics(at)["Spearman"] == "0.2713"
    at.checkbox(key="benchmark_pairs_dummy").check().run()
    assert metrics(at)["Pairs scored"] == "999" and metrics(at)["Spearman"] == "0.1854"


def test_an_upload_in_the_wrong_format_is_a_message_and_the_page_stays(benchmark_page):
    at = benchmark_page
    at.radio(key="benchmark_pairs_source").set_value("upload").run()
    at.file_uploader(key="benchmark_pairs_upload").set_value(
        ("pairs.csv", b"cat,dog,9\ncar,bus,7\n", "text/csv")).run()
    assert not at.exception
    message = texts(at.error)
    assert message.startswith("pairs.csv: `pairs` must hold lines of two words and a number")
    assert "no tabs" in message
    assert "Received: 'pairs.csv'" in message  # the file's name, not the argument's
    assert at.button(key="benchmark_run")  # the analogy benchmark is still there


def test_an_uploaded_pairs_file_is_scored(benchmark_page):
    at = benchmark_page
    at.radio(key="benchmark_pairs_source").set_value("upload").run()
    at.file_uploader(key="benchmark_pairs_upload").set_value(
        ("mine.tsv", b"# mine\ncat\tdog\t8\ncat\tcar\t2\nking\tqueen\t9\nzzyzxq\tcat\t1\nbad\n",
         "text/tab-separated-values")).run()
    assert not at.exception and not at.error
    assert metrics(at)["Pairs scored"] == "3" and metrics(at)["With an unknown word"] == "1 (25.0 %)"
    assert "1 lines are not pairs and were skipped" in texts(at.caption)


# --------------------------------------------------------------------------- odd one out


@pytest.fixture
def analogy_page():
    return visit(fresh_app(), ANALOGY)


def test_breakfast_cereal_dinner_lunch_gives_cereal(analogy_page):
    at = analogy_page
    assert any("The odd one out: **:red[cereal]**" in m.value for m in at.markdown)
    bars = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-analogy_odd_chart")]
    assert len(bars) == 1


def test_an_unknown_word_gets_suggestions_that_fix_it(analogy_page):
    at = analogy_page
    at.text_input(key="analogy_odd_words").set_value("breakfst cereal dinner lunch").run()
    assert "'breakfst' is not in the vocabulary" in texts(at.warning)
    at.button(key="analogy_odd_suggestion_0").click().run()
    assert at.text_input(key="analogy_odd_words").value == "breakfast cereal dinner lunch"
    assert any("**:red[cereal]**" in m.value for m in at.markdown)


def test_two_words_are_a_message(analogy_page):
    at = analogy_page
    at.text_input(key="analogy_odd_words").set_value("cat, dog").run()
    assert "must hold 3 to 100 words" in texts(at.info) and not at.exception


def test_the_same_word_three_times_is_a_message_not_an_answer(analogy_page):
    at = analogy_page
    at.text_input(key="analogy_odd_words").set_value("cat Cat cat").run()
    assert "none of them is the odd one out" in texts(at.info) and not at.exception
    assert not any("The odd one out:" in m.value for m in at.markdown)


def test_an_unknown_analogy_word_does_not_hide_the_odd_one_out(analogy_page):
    at = analogy_page
    at.text_input(key="analogy_a").set_value("zzyzxq").run()
    assert "'zzyzxq' is not in the vocabulary" in texts(at.warning)
    assert any("**:red[cereal]**" in m.value for m in at.markdown)
