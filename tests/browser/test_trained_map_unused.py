"""The Projection page's map of the trained embedding in Chromium, with "Padding, unused
ids" off and on: the tutorial's 15 word ids, then all 50 rows of its table, the padding row and
the 34 unused ids drawn as grey crosses (test-artifacts/trained-map-*.png)."""

from tests.browser import ARTIFACTS, AppPage
from tests.browser.test_projection_explore import CHART, open_trained_projection
from tests.browser.test_word_map_click import POINT_OF, TRACES

APART = "padding and unused ids"


def shoot_map(app: AppPage, name: str) -> None:
    """The "Explore the trained space" section alone, from its heading to its download button,
    readable at full size (the whole page is very tall)."""
    from tests.browser import _CONTENT_HEIGHT_JS

    ARTIFACTS.mkdir(exist_ok=True)
    size = app.page.viewport_size
    # As AppPage.screenshot: the app scrolls inside its main section; a window the height of
    # the content lays out the whole section at once, at page coordinates.
    app.page.set_viewport_size({"width": size["width"],
                                "height": min(app.page.evaluate(_CONTENT_HEIGHT_JS), 16_000)})
    app.page.wait_for_timeout(300)  # charts re-lay themselves out
    try:
        top = app.page.get_by_role("heading", name="Explore the trained space").bounding_box()
        bottom = app.widget("projection_map_download").bounding_box()
        clip = {"x": 0, "y": top["y"] - 8, "width": size["width"],
                "height": bottom["y"] + bottom["height"] - top["y"] + 16}
        app.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), clip=clip, full_page=True)
    finally:
        app.page.set_viewport_size(size)
    app.widget("projection_map_plot").scroll_into_view_if_needed()
    app.page.wait_for_timeout(500)  # the chart settles at the window's own size again


def test_padding_and_unused_ids_join_the_trained_map_on_request(app: AppPage):
    open_trained_projection(app)
    drawn = app.page.evaluate(TRACES, CHART)
    assert len(drawn["words"]) == 15 and APART not in drawn
    shoot_map(app, "trained-map-words-only")
    app.screenshot("trained-map-page-words-only")

    with app.rerun_after():
        app.widget("projection_show_unused").locator("label").click()
    app.wait_for_text("Grey crosses: the padding row (id 0) and 34 unused ids.")
    app.page.locator(CHART).wait_for(state="visible")
    drawn = app.page.evaluate(TRACES, CHART)
    assert len(drawn["words"]) == 50 and len(drawn[APART]) == 35 and "(padding)" in drawn[APART]
    app.assert_no_exception()
    shoot_map(app, "trained-map-with-unused")
    # A click on the padding row selects it and lists its nearest rows.
    x, y = app.page.evaluate(POINT_OF, [CHART, "(padding)"])
    with app.rerun_after():
        app.page.mouse.click(x, y)
    app.wait_for_text("(padding) and its 10 nearest words on this map")
    assert app.page.evaluate(TRACES, CHART)["selected"] == ["(padding)"]
    app.assert_no_exception()
    shoot_map(app, "trained-map-padding-clicked")
    app.screenshot("trained-map-page-with-unused")
