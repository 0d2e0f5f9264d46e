"""A map of the 100,000 most frequent GloVe words draws in Chromium: WebGL, every point, labels;
a box dragged on it zooms in: only that part is sent, with many more labels."""

import time

from tests.browser import AppPage, key_class
from tests.browser.test_word_map_click import AREA

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
    assert drawn["types"] == ["scattergl", "scatter"] and drawn["canvases"] >= 1  # SVG labels
    assert "PCA of 100,000 words" in drawn["title"]  # the theme wraps it in <b>
    app.assert_no_exception()
    app.widget("word_map_big_plot").scroll_into_view_if_needed()
    app.screenshot("word_map_100000")
    print(f"100,000-word PCA map drawn {seconds:.1f} s after Enter")

    app.widget("word_map_big_plot").locator('[data-title="Box Select"]').click()
    left, top, width, height = app.page.evaluate(AREA, CHART)
    with app.rerun_after(timeout=TIMEOUT_S):
        app.page.mouse.move(left + width * 0.4, top + height * 0.4)
        app.page.mouse.down()
        app.page.mouse.move(left + width * 0.5, top + height * 0.5, steps=5)
        app.page.mouse.move(left + width * 0.6, top + height * 0.6, steps=5)
        app.page.mouse.up()
    app.wait_for_text("Zoomed in:", timeout=TIMEOUT_S)
    app.page.wait_for_function(f"() => {{ const d = ({DRAWN})({CHART!r}); "
                               "return d !== null && d.points < 100000; }",
                               timeout=TIMEOUT_S * 1000)
    zoomed = app.page.evaluate(DRAWN, CHART)
    assert zoomed["points"] < 100_000 / 4 and zoomed["labels"] > 2 * drawn["labels"] / 4
    app.assert_no_exception()
    app.screenshot("word_map_100000_zoomed")
    with app.rerun_after(timeout=TIMEOUT_S):
        app.page.get_by_role("button", name="Whole map").first.click()
    app.page.wait_for_function(f"() => {{ const d = ({DRAWN})({CHART!r}); "
                               "return d !== null && d.points === 100000; }",
                               timeout=TIMEOUT_S * 1000)
