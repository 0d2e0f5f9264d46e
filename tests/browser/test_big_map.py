"""A map of the 100,000 most frequent GloVe words draws in Chromium: WebGL, every point, labels."""

import time

from tests.browser import AppPage, key_class

CHART = f".{key_class('word_map_big_plot')} .js-plotly-plot"
# What the chart holds once plotly has drawn it: points decoded, labels, WebGL canvases.
DRAWN = """(selector) => {
    const gd = document.querySelector(selector);
    if (!gd || !gd.calcdata || !gd._fullLayout) return null;
    return {points: gd._fullData[0]._length, labels: gd._fullData[1]._length,
            types: gd._fullData.map(t => t.type), title: gd._fullLayout.title.text,
            canvases: gd.querySelectorAll('canvas').length};
}"""
TIMEOUT_S = 240  # 100,000 words on a busy 2-core machine: the PCA, 2 MB to send, the drawing


def test_a_100000_word_pca_map_draws_with_webgl(app: AppPage):
    app.open("word-map")
    with app.rerun_after():
        app.widget("word_map_source").get_by_text("The most frequent words").click()
    field = app.widget("word_map_top_n").locator("input")
    started = time.perf_counter()
    with app.rerun_after(timeout=TIMEOUT_S):
        field.fill("100000")
        field.press("Enter")
    app.wait_for_text("100,000 words drawn with WebGL", timeout=TIMEOUT_S)
    app.page.wait_for_function(f"() => ({DRAWN})({CHART!r}) !== null",
                               timeout=TIMEOUT_S * 1000)
    drawn = app.page.evaluate(DRAWN, CHART)
    seconds = time.perf_counter() - started
    assert drawn["points"] == 100_000 and 50 < drawn["labels"] <= 300
    assert set(drawn["types"]) == {"scattergl"} and drawn["canvases"] >= 1
    assert "PCA of 100,000 words" in drawn["title"]  # the theme wraps it in <b>
    app.assert_no_exception()
    app.widget("word_map_big_plot").scroll_into_view_if_needed()
    app.screenshot("word_map_100000")
    print(f"100,000-word PCA map drawn {seconds:.1f} s after Enter")
