"""A click on the word map selects the word and highlights its nearest words, in Chromium."""

from tests.browser import AppPage, key_class

CHART = f".{key_class('word_map_plot')} .js-plotly-plot"

# Where a word of the first trace is drawn, in page pixels: plotly's own axis conversions.
POINT_OF = """([selector, word]) => {
    const gd = document.querySelector(selector);
    const i = gd.data[0].customdata.findIndex(c => c[1] === word);
    const point = gd.calcdata[0][i];  // decoded numbers (the figure may send typed arrays)
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const box = gd.getBoundingClientRect();
    return [box.left + xa._offset + xa.c2p(point.x), box.top + ya._offset + ya.c2p(point.y)];
}"""
# Trace name -> the words it draws.
TRACES = """(selector) => {
    const gd = document.querySelector(selector);
    return Object.fromEntries(gd.data.map(t => [t.name, t.customdata.map(c => c[1])]));
}"""


def test_clicking_a_point_highlights_its_neighbours(app: AppPage):
    app.open("word-map")
    app.page.locator(CHART).wait_for(state="visible")
    app.widget("word_map_plot").scroll_into_view_if_needed()
    app.page.wait_for_timeout(300)  # the chart settles after scrolling
    x, y = app.page.evaluate(POINT_OF, [CHART, "frog"])
    with app.rerun_after():
        app.page.mouse.click(x, y)
    app.wait_for_text("frog and its 10 nearest words on this map")
    drawn = app.page.evaluate(TRACES, CHART)
    assert drawn["selected"] == ["frog"]
    near = drawn["neighbours of frog"]
    assert len(near) == 10 and set(near[:3]) == {"toad", "snake", "lizard"}
    table = app.read_table(app.page.locator('[data-testid="stDataFrame"]').last)
    assert table["word"].tolist() == near
    app.assert_no_exception()
    app.screenshot("word_map_click")
