"""The Projection page's inspector on the trained embedding, in Chromium: train the tutorial,
click a word on the map of the trained vectors, and read its highlighted nearest words."""

from tests.browser import AppPage, key_class
from tests.browser.test_word_map_click import POINT_OF, TRACES

CHART = f".{key_class('projection_map_plot')} .js-plotly-plot"
TRAINING_TIMEOUT = 240


def open_trained_projection(app: AppPage) -> None:
    """Train the tutorial, then open the Projection page until its map of the trained space
    is drawn."""
    app.open("train")
    with app.rerun_after(timeout=TRAINING_TIMEOUT):
        app.widget("train_start").locator("button").click()
    app.wait_for_text("Final accuracy", timeout=TRAINING_TIMEOUT)
    app.navigate("projection")
    app.page.locator(CHART).wait_for(state="visible")


def test_clicking_a_trained_word_highlights_its_neighbours(app: AppPage):
    open_trained_projection(app)
    app.widget("projection_map_plot").scroll_into_view_if_needed()
    app.page.wait_for_timeout(300)  # the chart settles after scrolling
    words = app.page.evaluate(TRACES, CHART)["words"]
    assert "awesome" in words and "rude, services, have" in words and len(words) == 15
    x, y = app.page.evaluate(POINT_OF, [CHART, "awesome"])
    with app.rerun_after():
        app.page.mouse.click(x, y)
    app.wait_for_text("awesome and its 10 nearest words on this map")
    drawn = app.page.evaluate(TRACES, CHART)
    assert drawn["selected"] == ["awesome"]
    near = drawn["neighbours of awesome"]
    assert len(near) == 10
    table = app.read_table(app.page.locator('[data-testid="stDataFrame"]').last)
    assert table["word"].tolist() == near
    assert "PCA axis 1 explains" in app.text()
    assert "Word axes on the trained embedding" in app.text()
    app.assert_no_exception()
    app.screenshot("projection_explore_click")
