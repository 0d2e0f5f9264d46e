"""Big word maps: coordinates, the disk cache every session shares, progress, the light figure."""

import doctest
import json
import os

import numpy as np
import pytest

from explorer import big_map, big_map_charts, umap_layout
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


# ---------------------------------------------------------------------------------- UMAP


def test_neighbours_of_points_on_a_line_are_the_points_beside_them():
    # Gaps that grow along the line: each point's nearest is the one before it, then after.
    x = np.cumsum(np.arange(1, 41, dtype=np.float32)) / 10
    data = np.column_stack([x, np.zeros_like(x)]).astype(np.float32)
    indices, distances = umap_layout.nearest_neighbours(data, 3, 0)
    assert indices.shape == (40, 3) and (indices[:, 0] == np.arange(40)).all()
    assert [sorted(row) for row in indices[1:-1].tolist()] == [[i - 1, i, i + 1]
                                                               for i in range(1, 39)]
    assert sorted(indices[0].tolist()) == [0, 1, 2] and sorted(indices[-1]) == [37, 38, 39]
    assert distances[5].tolist() == pytest.approx([0, 0.6, 0.7])  # gaps 6/10 and 7/10
    assert np.isfinite(distances).all()


def nearest_in_layout(coords):
    squared = ((coords[:, None, :] - coords[None, :, :]) ** 2).sum(-1) if len(coords) <= 600 \
        else None
    if squared is not None:
        np.fill_diagonal(squared, np.inf)
        return squared.argmin(axis=1)
    from sklearn.neighbors import NearestNeighbors

    return NearestNeighbors(n_neighbors=2).fit(coords).kneighbors(coords)[1][:, 1]


@pytest.mark.parametrize("n_per", [20, 166, 1667])  # 60, 498 and 5,001 points
def test_umap_keeps_separated_groups_apart_at_every_size(monkeypatch, n_per):
    monkeypatch.setattr(big_map, "BIG_FROM", 10)
    points, group, words = blobs(n_per=n_per)
    seen = []
    result = map_coordinates(points, words, method="umap", seed=0, use_cache=False,
                             progress=lambda fraction, text: seen.append((fraction, text)))
    coords = result.coords
    assert coords.shape == (len(points), 2) and np.isfinite(coords).all()
    # every word's nearest word on the map is from its own group...
    assert (group[nearest_in_layout(coords)] == group).all()
    # ...and the groups are islands: farther apart than any group is wide
    centres = np.array([coords[group == g].mean(axis=0) for g in range(3)])
    spread = max(np.linalg.norm(coords[group == g] - centres[g], axis=1).max() for g in range(3))
    assert min(np.linalg.norm(centres[a] - centres[b])
               for a, b in ((0, 1), (0, 2), (1, 2))) > 2 * spread
    # the neighbour search reports before the first epoch, and progress only moves forward
    texts = [text for _, text in seen]
    epochs = big_map._UMAP_EPOCHS
    assert "nearest neighbours" in texts[0] and f"epoch {epochs} of {epochs}" in texts[-2]
    assert texts.index("UMAP: neighbours found, laying out…") < min(
        i for i, text in enumerate(texts) if "epoch" in text)
    fractions = [fraction for fraction, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


SAME_MAP_SCRIPT = """
import sys
import numpy as np
from explorer import big_map
from tests.test_big_map import blobs
big_map.BIG_FROM = 10
points, _, words = blobs(n_per=400)
coords = big_map.map_coordinates(points, words, method="umap", seed=7, use_cache=False).coords
np.save(sys.argv[1], coords)
"""


def test_umap_gives_the_same_map_in_two_processes(tmp_path):
    # Neighbours on two threads and the seeded layout: the same bytes in every process, so
    # the disk cache can never hold a map that another process would draw differently.
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    outs = [tmp_path / f"map{i}.npy" for i in range(2)]
    runs = [subprocess.Popen([sys.executable, "-c", SAME_MAP_SCRIPT, str(out)], cwd=root,
                             env={**os.environ, "PYTHONHASHSEED": str(i)})
            for i, out in enumerate(outs)]
    assert [run.wait(timeout=600) for run in runs] == [0, 0]
    first, second = (np.load(out) for out in outs)
    assert first.shape == (1200, 2) and np.array_equal(first, second)
    points, _, words = blobs(n_per=400)
    other = map_coordinates(points, words, method="umap", seed=8, use_cache=False)
    assert not np.array_equal(first, other.coords)  # and the seed matters


def test_a_new_umap_method_is_a_new_cache_key(monkeypatch):
    # Maps cached before a change of algorithm (or of pynndescent's thread count, which
    # changes its neighbours) must be recomputed, not read back.
    points, _, words = blobs()

    def key(method="umap"):
        return map_key(points, words, method=method, dims=2, seed=0)

    umap_key, tsne_key = key(), key("tsne")
    monkeypatch.setattr(big_map, "_VERSION", big_map._VERSION - 1)
    assert key() != umap_key
    monkeypatch.undo()
    monkeypatch.setattr(big_map, "KNN_THREADS", big_map.KNN_THREADS + 1)
    assert key() != umap_key and key("tsne") == tsne_key
