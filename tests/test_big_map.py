"""Big word maps: coordinates, the disk cache every session shares, progress, the light figure."""

import doctest
import json

import numpy as np
import pytest

from explorer import big_map, big_map_charts
from explorer.big_map import MAX_WORDS, map_coordinates, map_key, maps_dir
from explorer.big_map_charts import big_map_figure, readable_labels, rounded
from explorer.errors import InputError


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def blobs(n_per=60, seed=0):
    """Three tight, far-apart groups in 5-D, rows interleaved so row order says nothing."""
    rng = np.random.default_rng(seed)
    centres = np.eye(5)[:3] * 10
    points = np.vstack([c + 0.1 * rng.normal(size=(n_per, 5)) for c in centres])
    group = np.repeat(np.arange(3), n_per)
    order = rng.permutation(len(points))
    return points[order].astype(np.float32), group[order], [f"w{i}" for i in range(len(points))]


def test_doctests():
    assert doctest.testmod(big_map).failed == 0
    assert doctest.testmod(big_map_charts).failed == 0


def test_pca_of_points_on_a_line_keeps_their_order():
    line = np.outer(np.arange(6), [1.0, 2.0, 0.0]).astype(np.float32)
    result = map_coordinates(line, list("abcdef"), method="pca")
    x = result.coords[:, 0]
    assert result.coords.dtype == np.float32 and result.coords.shape == (6, 2)
    assert (np.diff(x) > 0).all() or (np.diff(x) < 0).all()
    assert np.allclose(result.coords[:, 1], 0, atol=1e-5) and not result.from_cache


@pytest.mark.parametrize("n, message", [(3, "4 to 100,000 words"),
                                        (MAX_WORDS + 1, "Received: 100,001 words")])
def test_size_limits(n, message):
    with pytest.raises(InputError, match=message):
        map_coordinates(np.zeros((n, 2), np.float32), [str(i) for i in range(n)])


def test_one_word_per_row():
    with pytest.raises(InputError, match="one word per row"):
        map_coordinates(np.eye(5), list("abcd"))


def count_calls(monkeypatch, method="_tsne"):
    """Replace t-SNE (or UMAP) by a quick seeded stand-in that records each call's seed."""
    calls = []

    def counting(data, dims, seed, report):
        calls.append(seed)
        return np.random.default_rng(seed).normal(size=(len(data), dims))

    monkeypatch.setattr(big_map, method, counting)
    return calls


def test_tsne_reports_progress_and_keeps_the_groups_apart(monkeypatch):
    # The big route on 180 points, with a short schedule: FFT steps on a tiny set cost as
    # much as on a large one.
    monkeypatch.setattr(big_map, "BIG_FROM", 100)
    monkeypatch.setattr(big_map, "_TSNE_STEPS", (25, 75))
    points, group, words = blobs()
    seen = []
    result = map_coordinates(points, words, method="tsne", seed=3,
                             progress=lambda fraction, text: seen.append((fraction, text)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert any("step 50 of 100" in text for _, text in seen)
    centres = np.array([result.coords[group == g].mean(axis=0) for g in range(3)])
    spread = max(np.linalg.norm(result.coords[group == g] - centres[g], axis=1).max()
                 for g in range(3))
    gaps = [np.linalg.norm(centres[a] - centres[b]) for a, b in ((0, 1), (0, 2), (1, 2))]
    assert min(gaps) > 2 * spread


def test_a_second_look_reads_the_disk_cache(monkeypatch, cache_folder):
    monkeypatch.setattr(big_map, "BIG_FROM", 100)
    calls = count_calls(monkeypatch)
    points, _, words = blobs()
    first = map_coordinates(points, words, method="tsne", seed=1)
    again = map_coordinates(points, words, method="tsne", seed=1)
    assert calls == [1] and again.from_cache and not first.from_cache
    assert np.array_equal(first.coords, again.coords)
    assert [p.name for p in maps_dir().iterdir()] == [f"{first.key}.npy"]  # no temporary left
    # another seed, other words or another method is another map
    map_coordinates(points, words, method="tsne", seed=2)
    map_coordinates(points, words[::-1], method="tsne", seed=1)
    assert calls == [1, 2, 1]


def test_a_damaged_cache_file_is_computed_again(monkeypatch):
    monkeypatch.setattr(big_map, "BIG_FROM", 100)
    calls = count_calls(monkeypatch)
    points, _, words = blobs()
    key = map_key(points, words, method="tsne", dims=2, seed=0)
    maps_dir().mkdir(parents=True)
    (maps_dir() / f"{key}.npy").write_bytes(b"\x93NUMPY half a file")  # a crash mid-write
    (maps_dir() / f"{key}.npy.tmp123").write_bytes(b"left by a killed writer")
    result = map_coordinates(points, words, method="tsne")
    assert calls == [0] and not result.from_cache
    assert map_coordinates(points, words, method="tsne").from_cache


def test_a_wrong_shape_in_the_cache_is_not_used(monkeypatch):
    monkeypatch.setattr(big_map, "BIG_FROM", 100)
    calls = count_calls(monkeypatch)
    points, _, words = blobs()
    key = map_key(points, words, method="tsne", dims=2, seed=0)
    maps_dir().mkdir(parents=True)
    np.save(maps_dir() / f"{key}.npy", np.zeros((5, 2), np.float32))
    map_coordinates(points, words, method="tsne")
    assert calls == [0]


def test_an_unwritable_cache_costs_only_a_recomputation(monkeypatch, cache_folder):
    monkeypatch.setattr(big_map, "BIG_FROM", 100)
    calls = count_calls(monkeypatch)
    cache_folder.write_text("a file where the folder should be")
    points, _, words = blobs()
    assert map_coordinates(points, words, method="tsne").coords.shape == (180, 2)
    assert not map_coordinates(points, words, method="tsne").from_cache and calls == [0, 0]


# ---------------------------------------------------------------------------------- figure


def label_boxes(coords, lengths):
    """Each label's (grid row, first column, last column), by the rule readable_labels states."""
    scaled = (coords - coords.min(axis=0)) / (coords.max(axis=0) - coords.min(axis=0))
    column, row = scaled[:, 0] * 40, np.floor(scaled[:, 1] * 28)
    half = np.asarray(lengths) * 6.5 / 20 / 2
    return list(zip(row, np.floor(column - half), np.floor(column + half)))


def test_labels_never_overlap_and_go_to_frequent_words_first():
    rng = np.random.default_rng(0)
    coords = rng.uniform(size=(5000, 2))
    lengths = rng.integers(1, 15, size=5000)
    chosen = readable_labels(coords, lengths, max_labels=10_000).tolist()
    boxes = label_boxes(coords, lengths)
    for a in chosen:
        for b in chosen:
            if a < b and boxes[a][0] == boxes[b][0]:
                assert boxes[a][2] < boxes[b][1] or boxes[b][2] < boxes[a][1]
    # a word left out overlaps a more frequent word that has its label
    for i in sorted(set(range(300)) - set(chosen)):
        assert any(boxes[j][0] == boxes[i][0] and not (boxes[j][2] < boxes[i][1] or
                   boxes[i][2] < boxes[j][1]) for j in chosen if j < i)
    assert chosen[0] == 0
    assert readable_labels(coords, lengths, max_labels=20).tolist() == chosen[:20]


def test_coordinates_travel_rounded_as_float32():
    values = rounded(np.array([0.123456789, -5.987654321, 3.0]))
    assert values.dtype == np.float32 and values.tolist() == pytest.approx([0.1235, -5.9877, 3.0])


def test_a_100000_word_figure_is_webgl_and_small():
    rng = np.random.default_rng(0)
    coords = rng.normal(size=(100_000, 2))
    words = [f"word{i}" for i in range(100_000)]
    fig = big_map_figure(coords, words, title="PCA of 100,000 words", highlight="word7")
    # Points in WebGL; the few hundred labels in SVG (WebGL text was slower to paint).
    assert [trace.type for trace in fig.data] == ["scattergl", "scatter", "scattergl"]
    points, labels, marked = fig.data
    assert len(points.x) == 100_000 and 0 < len(labels.text) <= 300
    assert list(marked.text) == ["word7"]
    size = len(fig.to_json())
    assert size < 3e6  # float32 typed arrays and the words: not the 5 MB of plain JSON
    assert json.loads(fig.to_json())["data"][0]["x"]["dtype"] == "f4"


def test_words_are_escaped_in_hover_and_in_svg_labels():
    # Hover labels and the word labels are SVG, where plotly reads tags: escaped.
    fig = big_map_figure(np.array([[0, 0], [1, 0], [0, 1], [1, 1]]), ["<b>", "a&b", "''", "d"])
    assert list(fig.data[0].hovertext[:3]) == ["&lt;b&gt;", "a&amp;b", "''"]
    assert set(fig.data[1].text) == {"&lt;b&gt;", "a&amp;b", "''", "d"}


def test_umaps_progress_bar_text_becomes_progress():
    seen = []
    reader = big_map._EpochReader(lambda fraction, text: seen.append((fraction, text)))
    reader.write("\rEpochs completed:  45%| ████▌      90/200 [00:01]")
    reader.write("\n")
    assert seen == [(pytest.approx(0.2 + 0.8 * 0.45), "UMAP: epoch 90 of 200")]
