"""A click on the word map selects the word and highlights its nearest words, in Chromium; the
selection stays when a search is run; a box dragged and Zoom in here label more words there."""

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
# Trace name -> the words it draws (cluster regions draw none).
TRACES = """(selector) => {
    const gd = document.querySelector(selector);
    return Object.fromEntries(gd.data.filter(t => t.customdata)
                              .map(t => [t.name, t.customdata.map(c => c[1])]));
}"""
# The plot area in page pixels: left, top, width, height.
AREA = """(selector) => {
    const gd = document.querySelector(selector);
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const box = gd.getBoundingClientRect();
    return [box.left + xa._offset, box.top + ya._offset, xa._length, ya._length];
}"""
# The labels drawn: [x, y, text] of every point with a label, and the axes' ranges.
LABELS = """(selector) => {
    const gd = document.querySelector(selector);
    const out = [];
    gd.calcdata.forEach((points, t) => points.forEach((p, i) => {
        const text = (gd.data[t].text || [])[i];
        if (text) out.push([p.x, p.y, text]);
    }));
    return {labels: out, x: gd._fullLayout.xaxis.range, y: gd._fullLayout.yaxis.range};
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

    # A search redraws the map (Streamlit empties a changed chart's selection): the click stays.
    field = app.widget("word_map_search").locator("input")
    with app.rerun_after():
        field.fill("king")
        field.press("Enter")
    app.wait_for_text("frog and its 10 nearest words on this map")
    drawn = app.page.evaluate(TRACES, CHART)
    assert drawn["selected"] == ["frog"] and drawn["neighbours of frog"] == near
    assert drawn["search matches"] == ["king"]
    app.assert_no_exception()
    app.screenshot("word_map_click_then_search")


def test_a_box_and_zoom_in_label_more_words_there(app: AppPage):
    app.open("word-map")
    with app.rerun_after():
        app.widget("word_map_source").get_by_text("The most frequent words").click()
    app.page.locator(CHART).wait_for(state="visible")
    app.widget("word_map_plot").scroll_into_view_if_needed()
    app.page.wait_for_timeout(300)
    whole = app.page.evaluate(LABELS, CHART)
    app.widget("word_map_plot").locator('[data-title="Box Select"]').click()
    left, top, width, height = app.page.evaluate(AREA, CHART)
    with app.rerun_after():
        app.page.mouse.move(left + width * 0.35, top + height * 0.35)
        app.page.mouse.down()
        app.page.mouse.move(left + width * 0.5, top + height * 0.5, steps=5)
        app.page.mouse.move(left + width * 0.6, top + height * 0.6, steps=5)
        app.page.mouse.up()
    app.wait_for_text("words selected")
    with app.rerun_after():
        app.page.get_by_role("button", name="Zoom in here").first.click()
    app.wait_for_text("Zoomed in:")
    app.page.wait_for_timeout(300)
    zoomed = app.page.evaluate(LABELS, CHART)
    (x0, x1), (y0, y1) = zoomed["x"], zoomed["y"]
    assert x1 - x0 < (whole["x"][1] - whole["x"][0]) / 2  # the box's part of the map

    def inside(label):
        return x0 <= label[0] <= x1 and y0 <= label[1] <= y1

    before = [lab for lab in whole["labels"] if inside(lab)]
    assert len(zoomed["labels"]) >= 3 * max(1, len(before))
    assert all(inside(lab) for lab in zoomed["labels"])
    app.widget("word_map_plot").scroll_into_view_if_needed()
    app.screenshot("word_map_zoomed")
    with app.rerun_after():
        app.page.get_by_role("button", name="Whole map").first.click()
    app.page.wait_for_timeout(300)
    assert app.page.evaluate(LABELS, CHART)["x"] == whole["x"]
    app.assert_no_exception()
