"""The app starts in a real browser, its first page renders fast, and no page crashes."""

import re
import time

import pytest

from tests.browser import CONNECTED, MAIN_BLOCK, NAV_LINKS, AppPage
from tests.browser.conftest import VIEWPORT, app_location, start_server

FIRST_PAGE_SECONDS = 5.0


@pytest.mark.browser
def test_first_page_renders_within_5_seconds_of_the_server_being_healthy(browser):
    # A server of its own, so that the first page is a cold start whatever test ran before.
    with start_server(name="server-smoke", **app_location()) as fresh:
        context = browser.new_context(viewport=VIEWPORT)
        try:
            app = AppPage(context.new_page(), fresh.base_url)
            app.page.goto(fresh.base_url + "/", wait_until="domcontentloaded")
            loaded = time.perf_counter() - fresh.healthy_at
            app.page.wait_for_selector(CONNECTED, state="attached", timeout=60_000)
            connected = time.perf_counter() - fresh.healthy_at
            app.wait()
            seconds = time.perf_counter() - fresh.healthy_at
            app.screenshot("smoke-first-page")
            app.assert_no_exception()
            assert app.page.locator(MAIN_BLOCK).inner_text().strip(), "The first page is empty."
            log = fresh.log_since(0)
        finally:
            context.close()
    assert "Traceback" not in log, f"The server logged an error:\n{log[-3000:]}"
    assert seconds <= FIRST_PAGE_SECONDS, (
        f"The first page took {seconds:.1f} s after the server was healthy (limit "
        f"{FIRST_PAGE_SECONDS:.0f} s): HTML loaded at {loaded:.1f} s, websocket connected at "
        f"{connected:.1f} s, first script run over at {seconds:.1f} s.")


@pytest.mark.browser
def test_every_page_in_the_navigation_opens_without_a_crash(app: AppPage, server):
    log_start = server.log_size()
    app.open("")
    paths = []
    for link in app.page.locator(NAV_LINKS).all():
        path = re.sub(r"^https?://[^/]+/?", "", link.get_attribute("href") or "").split("?")[0]
        if path not in paths:
            paths.append(path)
    assert len(paths) >= 2, f"The sidebar lists too few pages: {paths}"
    crashed = {}
    for path in paths:
        app.open(path, screenshot=f"smoke-{path or 'home'}")
        found = app.failures()
        if found:
            crashed[path or "/"] = found[0][:500]
    assert not crashed, "Pages crashed:\n" + "\n".join(
        f"- {path}: {text}" for path, text in crashed.items())
    log = server.log_since(log_start)
    assert "Traceback" not in log, f"The server logged an error:\n{log[-3000:]}"

