"""AppTest: the word map's inspector (select, neighbours, search, variance, sphereize, clusters,
colours, isolate) on the shipped GloVe 6B 50d. A real click is tests/browser/test_word_map_click.py."""

import base64
import doctest
import json

import numpy as np
import pandas as pd
import pytest

from tests.apptest_helpers import fresh_app, texts, visit
from ui import map_explorer, map_selection, pages

WORDS_26 = 26  # the page's default typed list


@pytest.fixture
def map_page():
    return visit(fresh_app(), pages.WORD_MAP)


def figure(at) -> dict:
    charts = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-word_map_plot")]
    assert charts, "no word map on the page"
    return json.loads(charts[0].proto.spec)


def neighbour_table(at):
    """The table under the map of the selected word's neighbours (its distance column says so)."""
    found = [d.value for d in at.dataframe if any("distance" in c for c in d.value.columns)]
    assert len(found) == 1, "no table of the selected word's neighbours"
    return found[0]


def traces(at) -> dict:
    """Trace name -> the words it draws (from each point's customdata); cluster regions, which
    draw no word, are left out."""
    return {t.get("name"): [c[1] for c in t["customdata"]] for t in figure(at)["data"]
            if "customdata" in t}


def test_selection_events_map_back_to_words():
    assert doctest.testmod(map_explorer).failed == 0
    assert doctest.testmod(map_selection).failed == 0


def send_selection(at, points, *, box=None, key="word_map_plot"):
    """Run the page as the browser does after a click (one point) or a box on the map: the
    selection event arrives as the chart's widget value (as tests/test_pages_projection.py)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    event = {"selection": {"points": [{"customdata": [row, word]} for row, word in points],
                           "point_indices": [row for row, _ in points],
                           "box": [{"x": list(box[:2]), "y": list(box[2:])}] if box else [],
                           "lasso": []}}
    chart = [c for c in at.get("plotly_chart") if c.proto.id.endswith("-" + key)][0]
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=chart.proto.id, string_value=json.dumps(event)))
    at._run(states)
    assert not at.exception, at.exception
    return at


def test_a_clicked_word_stays_selected_when_a_search_is_run(map_page):
    at = map_page
    send_selection(at, [(0, "king")])  # a click on king
    assert traces(at)["selected"] == ["king"]
    before = traces(at)["neighbours of king"]
    assert "queen" in before[:3]
    at.text_input(key="word_map_search").set_value("frog").run()
    drawn = traces(at)
    assert drawn["selected"] == ["king"] and drawn["neighbours of king"] == before
    assert drawn["search matches"] == ["frog"]  # the word searched for is ringed
    assert "**king** and its 10 nearest words on this map" in texts(at.markdown)
    at.radio(key="word_map_match").set_value("substring").run()
    at.text_input(key="word_map_search").set_value("an").run()
    drawn = traces(at)
    assert drawn["selected"] == ["king"] and "woman" in drawn["search matches"]
    at.button(key="word_map_clear").click().run()
    assert "selected" not in traces(at)
    assert at.text_input(key="word_map_search").value == "an"  # nothing typed is lost
    assert not at.exception


def test_zoom_in_labels_more_words_and_whole_map_comes_back(map_page):
    at = map_page
    at.radio(key="word_map_source").set_value("frequent").run()  # the 1,000 most frequent
    whole = figure(at)
    labelled = [t for tr in whole["data"] for t in tr.get("text", []) if t]
    (x0, x1), (y0, y1) = whole["layout"]["xaxis"]["range"], whole["layout"]["yaxis"]["range"]
    # Zoom in here's button stores the dragged box with the map it was drawn on.
    box = (x0 + (x1 - x0) * 0.35, x0 + (x1 - x0) * 0.65, y0 + (y1 - y0) * 0.35,
           y0 + (y1 - y0) * 0.65)
    assert whole["layout"]["title"]["text"] == "PCA of 1,000 words"
    assert len(whole["data"]) == 1  # one trace of the 1,000 words: nothing selected
    at.session_state["word_map_zoom"] = {"range": box, "map": _signature(at)}
    at.run()
    zoomed = figure(at)
    assert tuple(zoomed["layout"]["xaxis"]["range"]) == pytest.approx(box[:2])
    shown = [(x, y, t) for tr in zoomed["data"] for x, y, t in
             zip(_values(tr["x"]), _values(tr["y"]), tr.get("text", [])) if t]
    before = [t for tr in whole["data"] for x, y, t in
              zip(_values(tr["x"]), _values(tr["y"]), tr.get("text", []))
              if t and box[0] <= x <= box[1] and box[2] <= y <= box[3]]
    assert len(shown) > 2 * len(before) and len(shown) < len(labelled) * 10
    assert all(box[0] <= x <= box[1] and box[2] <= y <= box[3] for x, y, _ in shown)
    assert "Zoomed in:" in texts(at.info)
    at.button(key="word_map_zoom_out").click().run()
    assert figure(at)["layout"]["xaxis"]["range"] == whole["layout"]["xaxis"]["range"]
    assert "Zoomed in:" not in texts(at.info)


def _values(array) -> list:
    """A figure's numbers, sent as a list or as a typed array ({"dtype", "bdata"})."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def _signature(at) -> str:
    """The signature the page gives its map (ui.map_selection.signature), from the figure."""
    fig = figure(at)
    xs = [x for tr in fig["data"] for x in _values(tr["x"])]
    ys = [y for tr in fig["data"] for y in _values(tr["y"])]
    frame = pd.DataFrame({"x": xs, "y": ys})
    return map_selection.signature(frame, fig["layout"]["title"]["text"])


def test_the_chart_reports_clicks_boxes_and_lassos(map_page):
    chart = [c for c in map_page.get("plotly_chart") if c.proto.id.endswith("-word_map_plot")][0]
    assert chart.proto.selection_mode == [0, 1, 2]  # points, box, lasso
    assert figure(map_page)["layout"]["clickmode"] == "event+select"


def test_found_word_is_selected_with_its_neighbours_and_a_table(map_page):
    at = map_page
    at.text_input(key="word_map_search").set_value("frog").run()
    drawn = traces(at)
    assert drawn["selected"] == ["frog"]
    # Among the 26 words, frog's nearest by cosine are the other animals.
    assert set(drawn["neighbours of frog"][:3]) == {"toad", "snake", "lizard"}
    assert len(drawn["neighbours of frog"]) == 10
    near = neighbour_table(at)
    assert near["word"].tolist() == drawn["neighbours of frog"]
    assert near["cosine distance"].is_monotonic_increasing
    at.number_input(key="word_map_k").set_value(3).run()
    at.radio(key="word_map_metric").set_value("euclidean").run()
    near = neighbour_table(at)
    assert len(near) == 3 and "euclidean distance" in near.columns
    at.number_input(key="word_map_k").set_value(0).run()
    assert "neighbours of frog" not in traces(at)


@pytest.mark.parametrize("mode, pattern, says, matched", [
    ("substring", "AN", "7 of the 26 words contain 'AN'",
     ["man", "woman", "france", "germany", "japan", "banana", "orange"]),
    ("regex", "^(king|queen)$", "2 of the 26 words match the pattern", ["king", "queen"]),
    ("regex", "^kin", "1 of the 26 words matches the pattern '^kin'", ["king"]),
    ("regex", "(", "`pattern` is not a valid regular expression", None),
    ("regex", "^zz", "No word on this map matches the pattern", None),
    ("regex", ".", "Every word on this map matches the pattern", None),
])
def test_search_patterns(map_page, mode, pattern, says, matched):
    at = map_page
    at.radio(key="word_map_match").set_value(mode).run()
    at.text_input(key="word_map_search").set_value(pattern).run()
    assert says in texts(at.caption) + texts(at.info) + texts(at.warning)
    assert traces(at).get("search matches") == matched
    assert at.text_input(key="word_map_search").value == pattern  # kept as typed
    assert not at.exception


def test_variance_explained_and_sphereize(map_page):
    at = map_page
    assert "PCA axis 1 explains" in texts(at.caption)
    before = figure(at)["data"][0]["x"]
    first = [c for c in texts(at.caption).splitlines() if "PCA axis 1" in c][0]
    at.checkbox(key="word_map_sphereize").check().run()
    assert "sphereized" in texts(at.caption)
    second = [c for c in texts(at.caption).splitlines() if "PCA axis 1" in c][0]
    assert first != second and figure(at)["data"][0]["x"] != before
    at.radio(key="word_map_method").set_value("tsne").run()
    assert "PCA axis 1" not in texts(at.caption)


def test_clusters_are_named_and_refused_on_too_few_words(map_page):
    at = map_page
    at.toggle(key="word_map_clusters").set_value(True).run()
    at.number_input(key="word_map_n_clusters").set_value(4).run()
    fig = figure(at)
    names = [a["text"] for a in fig["layout"]["annotations"]]
    assert len(names) == 4 and all(n.startswith(f"{i + 1}: ") for i, n in enumerate(names))
    clustered = [w for t in fig["data"] for w in (c[1] for c in t.get("customdata", []))]
    shaded = [t for t in fig["data"] if t.get("fill") == "toself"]
    assert len(shaded) == 4 and fig["data"][:4] == shaded  # a region each, under the points
    assert sorted(clustered) == sorted(set(clustered)) and len(clustered) == WORDS_26
    at.radio(key="word_map_cluster_space").set_value("vectors").run()
    assert len(figure(at)["layout"]["annotations"]) == 4
    at.text_area(key="word_map_words").set_value("king queen frog toad snake").run()
    assert ("4 clusters need at least 12 points (3 each); the map has 5. Ask for fewer "
            "clusters or map more words.") in texts(at.warning)
    assert "annotations" not in figure(at)["layout"] or not figure(at)["layout"]["annotations"]


def test_colour_by_category_file(map_page):
    at = map_page
    data = b"word,category\nking,royal\nqueen,royal\nfrog,animal\ntoad,animal\nunicornz,myth\n"
    at.file_uploader(key="word_map_categories").set_value(("cats.csv", data, "text/csv")).run()
    drawn = traces(at)
    assert drawn["royal"] == ["king", "queen"] and drawn["animal"] == ["frog", "toad"]
    assert len(drawn["no category"]) == WORDS_26 - 4
    notes = texts(at.caption)
    assert "4 of the 26 words on the map have a category in cats.csv (2 categories)" in notes
    assert "1 word of the file is not on this map: unicornz." in notes


def test_ten_thousand_categories_and_a_bad_file(map_page):
    at = map_page
    lines = ["word,category"] + [f"w{i},c{i}" for i in range(10_000)]
    lines += ["king,a", "queen,b", "frog,c", "toad,d", "snake,e", "lizard,f", "apple,g",
              "banana,h", "orange,i", "grape,j", "paris,k", "rome,l"]
    data = "\n".join(lines).encode()
    at.file_uploader(key="word_map_categories").set_value(("many.csv", data, "text/csv")).run()
    notes = texts(at.caption)
    assert "(12 categories)" in notes and "the other 2 are drawn as “other”" in notes
    assert "10,000 words of the file are not on this map: w0, w1" in notes
    assert "and 9,990 more" in notes
    assert "other" in traces(at)
    at.file_uploader(key="word_map_categories").set_value(("one.csv", b"king\nqueen\n",
                                                            "text/csv")).run()
    assert "must have two columns, word,category" in texts(at.warning)
    assert traces(at)["words"]  # the map is still drawn, uncoloured


def test_isolate_a_selection_and_show_all_again(map_page):
    at = map_page
    # A box selection cannot be made without a browser; Isolate's button sets what it sets.
    at.session_state[map_explorer.ISOLATED] = ("king", "queen", "prince", "princess", "man")
    at.run()
    assert "Isolated: the map shows only the 5 words you selected" in texts(at.info)
    assert len(traces(at)["words"]) == 5
    at.button(key="word_map_show_all").click().run()
    assert len(traces(at)["words"]) == WORDS_26
