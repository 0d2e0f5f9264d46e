"""AppTest: what the GloVe pages say matches what they draw, and typed words are echoed as typed."""

import base64

import numpy as np

from tests.apptest_helpers import fresh_app, raw_texts, texts, visit
from tests.test_pages_glove import figure


def values(data) -> list:
    """A plotly JSON array: a list, or plotly's typed array {"dtype": ..., "bdata": base64}."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def test_typed_markdown_in_an_analogy_box_is_echoed_as_typed():
    at = visit(fresh_app(), "views/analogy.py")
    at.text_input(key="analogy_a").set_value("**man**").run()
    assert not at.exception
    assert "'**man**' is not in the vocabulary" in texts(at.warning)
    assert "\\*\\*man\\*\\*" in raw_texts(at.warning)  # no bold: the stars are characters


def test_the_dashed_arrow_the_caption_names_is_drawn_dashed():
    at = visit(fresh_app(), "views/analogy.py")
    assert "dashed arrow" in texts(at.caption)
    spec = figure(at, "analogy_picture")
    dashed = [t for t in spec["data"] if t.get("line", {}).get("dash") == "dash"]
    assert len(dashed) == 1 and len(dashed[0]["x"]) == 2
    # It starts at woman and ends where woman + (king − man) falls, beside queen.
    words = {w: (x, y) for t in spec["data"] if "text" in t
             for w, x, y in zip(t["text"], values(t["x"]), values(t["y"]))}
    assert (dashed[0]["x"][0], dashed[0]["y"][0]) == words["woman"]
    end = (dashed[0]["x"][1], dashed[0]["y"][1])
    expected = tuple(w + k - m for w, k, m in zip(words["woman"], words["king"], words["man"]))
    assert abs(end[0] - expected[0]) < 1e-9 and abs(end[1] - expected[1]) < 1e-9
