"""AppTest: word maps of more than 10,000 words on the Neighbours & word maps page.

PCA of 100,000 GloVe words for real; t-SNE and UMAP through the big route on a few dozen words
(BIG_FROM lowered) with a quick stand-in layout, to see the progress, the disk cache shared by
sessions, and the controls.
"""

import base64
import json

import numpy as np
import pytest

import explorer.big_map
from tests.apptest_helpers import fresh_app, texts, visit

WORD_MAP = "views/word_map.py"


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))


def frequent_map(n: int, method: str = "pca"):
    at = visit(fresh_app(), WORD_MAP)
    at.radio(key="word_map_source").set_value("frequent").run()
    at.number_input(key="word_map_top_n").set_value(n).run()
    if method != "pca":
        at.radio(key="word_map_method").set_value(method).run()
    assert not at.exception
    return at


def big_figure(at) -> dict:
    charts = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-word_map_big_plot")]
    assert charts, "no big map on the page"
    return json.loads(charts[0].proto.spec)


def test_100000_words_in_pca_are_drawn_with_webgl():
    at = frequent_map(100_000)
    figure = big_figure(at)
    assert [trace["type"] for trace in figure["data"]] == ["scattergl", "scatter"]  # SVG labels
    points, labels = figure["data"][:2]
    assert len(points["hovertext"]) == 100_000 and points["hovertext"][:3] == ["the", ",", "."]
    assert points["x"]["dtype"] == "f4"  # float32, sent as a typed array
    assert 50 < len(labels["text"]) <= 300 and labels["text"][0] == "the"
    assert figure["layout"]["title"]["text"] == "PCA of 100,000 words"
    assert "100,000 words drawn with WebGL" in texts(at.caption)


def test_the_search_marks_a_word_or_says_it_is_not_there():
    at = frequent_map(20_000)
    at.text_input(key="word_map_search").set_value("Frog").run()
    assert big_figure(at)["data"][2]["text"] == ["frog"]
    at.text_input(key="word_map_search").set_value("zzyzxq").run()
    assert "is not among the 20,000 words on this map" in texts(at.info)


def fake_layout(monkeypatch, method):
    calls = []

    def quick(data, dims, seed, report):
        calls.append(seed)
        report(0.5, "halfway")
        return np.random.default_rng(seed).normal(size=(len(data), dims))

    monkeypatch.setattr(explorer.big_map, "BIG_FROM", 20)
    monkeypatch.setattr(explorer.big_map, method, quick)
    return calls


@pytest.mark.parametrize("method", ["tsne", "umap"])
def test_a_big_tsne_or_umap_is_computed_once_for_every_session(monkeypatch, method):
    calls = fake_layout(monkeypatch, f"_{method}")
    first = big_figure(frequent_map(30, method))
    second = big_figure(frequent_map(30, method))  # another visitor, the same map
    assert calls == [0] and first["data"][0]["x"] == second["data"][0]["x"]
    at = frequent_map(30, method)
    at.number_input(key="word_map_seed").set_value(4).run()
    assert calls == [0, 4]
    name = {"tsne": "t-SNE", "umap": "UMAP"}[method]
    assert big_figure(at)["layout"]["title"]["text"] == f"{name} of 30 words"


def test_3d_is_drawn_in_2d_with_a_note(monkeypatch):
    monkeypatch.setattr(explorer.big_map, "BIG_FROM", 20)
    at = frequent_map(30)
    at.radio(key="word_map_dims").set_value(3).run()
    assert "drawn in 2-D" in texts(at.info)
    assert len(big_figure(at)["data"][0]["hovertext"]) == 30


def _numbers(array) -> list:
    """A figure's numbers, sent as a list or as a typed array ({"dtype", "bdata"})."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def test_a_box_zooms_in_and_whole_map_comes_back():
    from tests.test_pages_word_map_explore import send_selection

    at = frequent_map(20_000)
    whole = big_figure(at)
    (x0, x1), (y0, y1) = whole["layout"]["xaxis"]["range"], whole["layout"]["yaxis"]["range"]
    box = (x0 + (x1 - x0) * 0.4, x0 + (x1 - x0) * 0.6, y0 + (y1 - y0) * 0.4,
           y0 + (y1 - y0) * 0.6)
    send_selection(at, [], box=box, key="word_map_big_plot")  # a box dragged on the map
    zoomed = big_figure(at)
    assert zoomed["layout"]["xaxis"]["range"] == pytest.approx(list(box[:2]))
    shown = int(texts(at.caption).split(" words drawn with WebGL")[0].split()[-1]
                .replace(",", ""))
    assert 0 < shown < 20_000 / 4  # only the part travels
    labels = whole["data"][1]
    before = sum(box[0] <= x <= box[1] and box[2] <= y <= box[3]
                 for x, y in zip(_numbers(labels["x"]), _numbers(labels["y"])))
    after = _numbers(zoomed["data"][1]["x"])
    assert len(after) >= 3 * max(1, before)  # more labels in the same part of the map
    assert all(box[0] <= x <= box[1] for x in after)
    assert f"Zoomed in: {shown:,} of the map's 20,000 words" in texts(at.info)
    at.button(key="word_map_big_zoom_out").click().run()
    assert big_figure(at)["layout"]["xaxis"]["range"] == whole["layout"]["xaxis"]["range"]
    assert "Zoomed in" not in texts(at.info)


def test_a_substring_search_marks_every_match_and_the_page_says_why_no_selection():
    at = frequent_map(20_000)
    at.radio(key="word_map_match").set_value("substring").run()
    at.text_input(key="word_map_search").set_value("frog").run()
    marked = big_figure(at)["data"][2]
    assert "frog" in marked["hovertext"] and all("frog" in w for w in marked["hovertext"])
    assert f"{len(marked['hovertext'])} of the 20,000 words match 'frog'" in texts(at.caption)
    at.radio(key="word_map_match").set_value("regex").run()
    at.text_input(key="word_map_search").set_value("(").run()
    assert "`pattern` is not a valid regular expression" in texts(at.warning)
    notes = texts(at.caption)
    assert "work on maps of up to 10,000 words: each click or box sends" in notes
