"""A link crafted by someone else: its text is shown as typed, and opening it calls no server.

A class name `![a](http://127.0.0.1:PORT/u.png)` once made Chromium fetch that address (with
the app's URL as Referer) as soon as the link was opened. Here a small HTTP server on this
machine counts every request; the page must show the name as text and the counter stay at 0.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.test_hostile_text import link_with
from tests.browser import APP_FAILURE_TEXT

pytestmark = pytest.mark.browser


@pytest.fixture
def tracker():
    """A local web server that records the paths asked of it."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_markdown_in_a_linked_class_name_fetches_nothing_and_reads_as_typed(app, tracker):
    base, hits = tracker
    image, link = f"![a]({base}/u.png)", f"[Log in]({base}/x)"  # 40 characters at most
    app.open("?w=" + link_with([image, link]))
    app.wait_for_text("10 reviews:")
    app.page.wait_for_timeout(1500)  # room for any image the page would load
    text = app.text()
    assert image in text and link in text
    assert APP_FAILURE_TEXT not in text
    assert app.page.locator(f'img[src^="{base}"], a[href^="{base}"]').count() == 0
    assert hits == []


def test_a_page_opens_at_its_top_after_scrolling_the_one_before(app):
    app.open("encode")
    scroll = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"
    app.page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 1500)")
    assert app.page.evaluate(scroll) > 500
    with app.rerun_after():
        app.page.locator('[data-testid="stPageLink"] a').last.click()  # "Next: train a model"
    assert "/train" in app.page.url
    # On a busy machine the old page's last frame can still be on screen when the run ends;
    # what matters is that the new page settles at its top, not where the old one was.
    app.page.wait_for_function(f"({scroll})() === 0", timeout=5000)
    app.page.wait_for_timeout(500)
    assert app.page.evaluate(scroll) == 0


def test_a_page_opens_at_its_top_even_when_the_column_does_not_shrink_between_pages(app):
    # What a busy server can do: the new page's elements arrive before the old page's are
    # cleared, so the column never gets shorter than the scroll offset. A spacer outside
    # Streamlit's elements keeps it tall here; the page must still open at its top.
    app.open("encode")
    main = "document.querySelector('[data-testid=\"stMain\"]')"
    app.page.evaluate(f"() => {{ const spacer = document.createElement('div');"
                      f" spacer.style.height = '20000px'; spacer.style.flex = 'none';"
                      f" {main}.appendChild(spacer);"
                      f" {main}.scrollTo(0, 1500); }}")
    assert app.page.evaluate(f"() => {main}.scrollTop") > 500
    with app.rerun_after():
        app.page.locator('[data-testid="stPageLink"] a').last.click()  # "Next: train a model"
    assert "/train" in app.page.url
    app.page.wait_for_function(f"() => {main}.scrollTop === 0", timeout=5000)
    app.page.wait_for_timeout(500)
    assert app.page.evaluate(f"() => {main}.scrollTop") == 0
