"""explorer.similarity_charts: the pairs scatter and the odd-one-out bars, read as a person would."""

from explorer.similarity import evaluate_pairs, rank_by_centrality
from explorer.similarity_charts import WORST, centrality_bars, pairs_scatter
from explorer.vectors import Vectors

ANIMALS = Vectors.from_arrays(["cat", "dog", "car", "cow", "<b>"],
                              [[1, 0], [0.8, 0.6], [0, 1], [0.6, 0.8], [0.7, 0.7]])
# The humans rank cat-car highest; the vectors give it cosine 0, the lowest.
PAIRS = "cat\tcar\t9\ncat\tdog\t5\ndog\tcar\t4\ncat\tcow\t3\ncat\temu\t2\n<b>\tcow\t1\n"


def test_each_known_pair_is_a_point_at_human_score_and_cosine():
    fig = pairs_scatter(evaluate_pairs(ANIMALS, PAIRS), worst=1)
    rest, worst = fig.data
    points = sorted(zip(list(rest.x) + list(worst.x), [round(y, 4) for y in
                                                        list(rest.y) + list(worst.y)]))
    assert points == [(1, 0.9899), (3, 0.6), (4, 0.6), (5, 0.8), (9, 0.0)]  # no emu


def test_the_worst_pair_is_red_and_named():
    fig = pairs_scatter(evaluate_pairs(ANIMALS, PAIRS), worst=1)
    worst = fig.data[1]
    assert worst.marker.color == WORST and list(worst.text) == ["cat–car"]
    assert worst.name == "ranked most differently (1)" and fig.data[0].name == "pairs (4)"
    assert fig.data[0].text is None  # the agreeing pairs carry no labels


def test_words_from_a_file_are_escaped_on_the_chart():
    fig = pairs_scatter(evaluate_pairs(ANIMALS, PAIRS), worst=5)
    assert "&lt;b&gt;–cow" in list(fig.data[1].text)
    assert all("<b>" not in str(row[0]) for row in fig.data[1].customdata)


def test_the_title_gives_the_correlations():
    result = evaluate_pairs(ANIMALS, PAIRS)
    title = pairs_scatter(result).layout.title.text
    assert title == f"Pearson {result.pearson:.3f} · Spearman {result.spearman:.3f} · 5 pairs"


def test_centrality_bars_put_the_odd_one_last_in_red():
    ranked = rank_by_centrality(ANIMALS, ["cat", "dog", "cow", "car"])
    bar = centrality_bars(ranked).data[0]
    fig = centrality_bars(ranked)
    assert list(fig.layout.yaxis.ticktext)[-1] == "car" and list(bar.marker.color)[-1] == WORST
    assert len(set(bar.marker.color[:-1])) == 1 and WORST not in bar.marker.color[:-1]


def test_a_word_given_twice_gets_two_bars_not_one_stacked_bar():
    # "cat cat cow car": both cats are at cosine ~0.9 with the mean; a shared category would
    # stack them into one bar of length ~1.8 on an axis of cosines.
    ranked = rank_by_centrality(ANIMALS, ["cat", "cat", "cow", "car"])
    fig = centrality_bars(ranked)
    bar = fig.data[0]
    assert len(set(bar.y)) == 4 and max(bar.x) <= 1.0
    assert sorted(fig.layout.yaxis.ticktext) == ["car", "cat", "cat", "cow"]
    assert list(fig.layout.yaxis.tickvals) == list(bar.y)


def test_words_with_quotes_show_as_typed_in_bars_and_hover():
    quotes = Vectors.from_arrays(['"', "it's", "<i>"], [[1, 0], [0.9, 0.1], [0, 1]])
    fig = centrality_bars(rank_by_centrality(quotes, ['"', "it's", "<i>"]))
    assert sorted(fig.layout.yaxis.ticktext) == sorted(['"', "it's", "&lt;i&gt;"])
