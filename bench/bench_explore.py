"""Speed of word axes, WEAT and clusters (issue 14), on the shipped GloVe 6B 50d.

- Axis map: the 10,000 most frequent words placed on `he - she` and `good - bad` (word lookup,
  both directions, both cosines). Target: under 0.5 s. Reference: gensim's
  `KeyedVectors.cosine_similarities` of the two directions with the same rows, same process.
- Bias view: the 1,000 most frequent words on one axis, sorted. Target: under 0.5 s.
- WEAT: the paper's test 1 (25 + 25 targets, 10,000 sampled splits) and test 6 (8 + 8, all
  12,870 splits counted). Informational.
- Clusters: KMeans (12 clusters) on the 2-D PCA map of 10,000 words, named by their central
  words, with the names placed without overlap (what the word map does). Target: under 1 s.
  Reference: scikit-learn's KMeans(12) with its defaults on the same points.
- Neighbours of a selected point among 10,000 (cosine, euclidean) and a regex search over
  10,000 words: informational.
- Word-similarity benchmarks: WordSim353 and SimLex-999 scored (file read, lookup, cosines,
  Pearson and Spearman), and an odd one out. Target: under 0.5 s. Reference: gensim's
  `evaluate_word_pairs` and `doesnt_match` on the same vectors, same process; both must give
  the same numbers.
"""

from __future__ import annotations

import statistics
import time

N_WORDS = 10_000
REPEATS = 7


def _median(call, repeats=REPEATS) -> float:
    call()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _row(name, ours, *, reference="", reference_s=None, target="(informational)", limit=None):
    return {"name": name, "median_s": ours, "reference": reference,
            "reference_median_s": reference_s,
            "ratio": ours / reference_s if reference_s else None, "target": target,
            "ok": None if limit is None else ours < limit}


def run() -> list[dict]:
    from explorer.vectors import load_glove_6b_50d

    vectors = load_glove_6b_50d()
    return (_axis_rows(vectors) + _weat_rows(vectors) + _cluster_rows(vectors)
            + _similarity_rows(vectors))


def _axis_rows(vectors) -> list[dict]:
    from explorer.axes import axis_direction, axis_map, bias_table, parse_axis, point_words
    from tests.test_analogy import gensim_keyed_vectors

    x_axis, y_axis = parse_axis("he - she"), parse_axis("good - bad")

    def ours():
        points = point_words(vectors, top=N_WORDS)
        return axis_map(vectors, points.words, x_axis, y_axis, rows=points.rows)

    keyed = gensim_keyed_vectors(vectors)
    rows = vectors.raw[:N_WORDS]
    directions = [axis_direction(vectors, a)[1] for a in (x_axis, y_axis)]

    def theirs():
        return [keyed.cosine_similarities(d, rows) for d in directions]

    frame, reference = ours(), theirs()
    assert abs(frame["x"].to_numpy() - reference[0]).max() < 1e-5
    out = [_row(f"axis map: {N_WORDS:,} words on 2 axes", _median(ours),
                reference="gensim cosine_similarities", reference_s=_median(theirs),
                target="< 0.5 s", limit=0.5)]
    top = point_words(vectors, top=1_000).words  # looked up word by word, as typed lists are
    axis = parse_axis("he - she", two_poles=True)
    out.append(_row("bias view: 1,000 words on 1 axis, sorted",
                    _median(lambda: bias_table(vectors, top, axis)), target="< 0.5 s",
                    limit=0.5))
    return out


def _weat_rows(vectors) -> list[dict]:
    from explorer.weat import PUBLISHED_TESTS, read_list, weat

    out = []
    for key, label in ((1, "WEAT test 1, 25+25, 10,000 sampled splits"),
                       (6, "WEAT test 6, 8+8, all 12,870 splits")):
        lists = [read_list(n) for n in list(PUBLISHED_TESTS.values())[key - 1]]
        out.append(_row(label, _median(lambda: weat(vectors, *lists), repeats=5),
                        target="< 0.5 s", limit=0.5))
    return out


def _cluster_rows(vectors) -> list[dict]:
    import numpy as np
    from sklearn.cluster import KMeans

    from explorer.clusters import cluster, label_anchors, place_labels
    from explorer.explore import nearest, search
    from explorer.explore_charts import PLOT_PX
    from explorer.projection import project

    words = vectors.words[:N_WORDS]
    frame = project(vectors.unit(np.arange(N_WORDS)), method="pca", labels=words)
    coords = frame[["x", "y"]].to_numpy()

    def ours():
        found = cluster(coords, words, n_clusters=12, random_state=0)
        per_px = np.ptp(coords, axis=0) * 1.12 / np.array(PLOT_PX)
        anchors = label_anchors(coords, found.labels, 12)
        return place_labels(anchors, found.names, x_per_px=per_px[0], y_per_px=per_px[1])

    def theirs():
        return KMeans(12, random_state=0).fit(coords)

    out = [_row(f"clusters + names + labels, {N_WORDS:,} points", _median(ours),
                reference="sklearn KMeans(12) defaults", reference_s=_median(theirs),
                target="< 1 s", limit=1.0)]
    unit = vectors.unit(np.arange(N_WORDS))
    out.append(_row(f"clusters on the 50-d vectors, {N_WORDS:,} words",
                    _median(lambda: cluster(unit, words, n_clusters=12, random_state=0),
                            repeats=3), target="(informational)"))
    raw = np.asarray(vectors.raw[:N_WORDS])
    for metric in ("cosine", "euclidean"):
        out.append(_row(f"neighbours of a point among {N_WORDS:,}, {metric}",
                        _median(lambda: nearest(raw, 42, k=10, metric=metric))))
    out.append(_row(f"regex search over {N_WORDS:,} words",
                    _median(lambda: search(words, "^[a-c].*ing$", mode="regex"))))
    return out


def _similarity_rows(vectors) -> list[dict]:
    import logging

    from explorer.similarity import PAIR_SETS, default_pairs_path, evaluate_pairs, odd_one_out
    from tests.test_analogy import gensim_keyed_vectors

    logging.getLogger("gensim").setLevel(logging.WARNING)  # it logs every evaluation
    keyed = gensim_keyed_vectors(vectors)
    out = []
    for name in PAIR_SETS:
        path = default_pairs_path(name)
        ours = evaluate_pairs(vectors, path)
        theirs = keyed.evaluate_word_pairs(str(path))
        assert round(ours.spearman, 4) == round(float(theirs[1][0]), 4), name
        out.append(_row(f"word pairs: {name} ({ours.pairs} pairs) scored",
                        _median(lambda p=path: evaluate_pairs(vectors, p)),
                        reference="gensim evaluate_word_pairs",
                        reference_s=_median(lambda p=path: keyed.evaluate_word_pairs(str(p))),
                        target="< 0.5 s", limit=0.5))
    words = "breakfast cereal dinner lunch".split()
    assert odd_one_out(vectors, words) == keyed.doesnt_match(words) == "cereal"
    out.append(_row("odd one out of 4 words", _median(lambda: odd_one_out(vectors, words)),
                    reference="gensim doesnt_match",
                    reference_s=_median(lambda: keyed.doesnt_match(words)), target="< 0.5 s",
                    limit=0.5))
    return out
