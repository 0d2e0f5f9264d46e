"""Browser tests: the real server driven by headless Chromium, as a person would use the app.

The helpers live here so that tests can import them (`from tests.browser import AppPage`);
the fixtures that start the server and the browser live in conftest.py.

Streamlit's frontend marks what the tests wait for and find:

- `[data-testid="stApp"]` carries `data-test-connection-state` ("CONNECTED" once the websocket
  is up) and `data-test-script-state` ("running", "rerunRequested", "notRunning", ...);
- the status widget shows `[data-testid="stStatusWidgetRunningIcon"]` while the script runs;
- elements left from the previous run are marked `data-stale="true"` until the run replaces them;
- each kind of element (table, button, chart) is drawn by code the browser fetches the first time
  it is needed; until then `[data-testid="stSkeleton"]` stands in for it, even after the script
  run is over, so waiting for the run alone would screenshot grey boxes;
- a widget or container made with `key="encode_vocab_size"` gets the CSS class
  `st-key-encode_vocab_size` (characters outside [a-zA-Z0-9_-] become "-");
- an uncaught exception renders `[data-testid="stException"]`, `st.error` renders
  `[data-testid="stAlertContentError"]` inside `[data-testid="stAlert"]`. app.py turns a page's
  crash into an `st.error` saying "Something went wrong on this page" and logs the traceback,
  so tests look for both, and the smoke test also reads the server's log.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"

APP = '[data-testid="stApp"]'
CONNECTED = f'{APP}[data-test-connection-state="CONNECTED"]'
# A run that ended in a compilation error is finished too; the exception box shows why.
SCRIPT_DONE = (f'{APP}[data-test-script-state="notRunning"], '
               f'{APP}[data-test-script-state="compilationError"]')
RUNNING_ICON = '[data-testid="stStatusWidgetRunningIcon"]'
MAIN_BLOCK = '[data-testid="stMainBlockContainer"]'
EXCEPTION = '[data-testid="stException"]'
ERROR_ALERT = '[data-testid="stAlertContentError"]'
# app.py catches a page's crash, logs the traceback and shows this instead of it.
APP_FAILURE_TEXT = "Something went wrong on this page"
PAGE_NOT_FOUND_TEXT = "Page not found"
STALE = '[data-stale="true"]'
# Element code is loaded on first use; until it arrives the element is a grey placeholder.
PLACEHOLDER = '[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]'
NAV_LINKS = '[data-testid="stSidebarNav"] a[href]'
METRIC = '[data-testid="stMetric"]'
METRIC_LABEL = '[data-testid="stMetricLabel"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'


def key_class(key: str) -> str:
    """The CSS class Streamlit gives the element made with `key`, e.g. "st-key-train_epochs"."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


class AppPage:
    """One browser tab on the app: open pages, wait for Streamlit, find widgets, take screenshots.

    >>> app = AppPage(page, base_url)            # doctest: +SKIP
    >>> app.open("encode", screenshot="encode")  # doctest: +SKIP
    >>> app.widget("encode_vocab_size")          # doctest: +SKIP

    Args:
        page: a Playwright `Page` (each browser context is one Streamlit session).
        base_url: the server, e.g. "http://127.0.0.1:8765".
        timeout: seconds to wait for a script run before failing.
    """

    def __init__(self, page, base_url: str, *, timeout: float = 60.0):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def open(self, url_path: str = "", *, screenshot: str | None = None,
             timeout: float | None = None) -> float:
        """Go to `<base>/<url_path>` and wait until the page has rendered; return the seconds taken."""
        started = time.perf_counter()
        self.page.goto(f"{self.base_url}/{url_path.lstrip('/')}", wait_until="domcontentloaded")
        self.wait(timeout=timeout)
        seconds = time.perf_counter() - started
        if self.page_not_found():
            # Streamlit runs the default page under a modal that makes the rest of the page inert,
            # so every later click would time out with no hint why.
            raise AssertionError(
                f"The app has no page at /{url_path.lstrip('/')}: Streamlit shows 'Page not found'. "
                "(The default page of st.navigation lives at '/', whatever its url_path.)")
        if screenshot:
            self.screenshot(screenshot)
        return seconds

    def wait(self, *, timeout: float | None = None) -> None:
        """Wait until the websocket is connected, the script run is over and every element is drawn.

        Right after a click the rerun it causes may not have started yet, so this could return
        on the previous run's page: wrap actions in `rerun_after` instead.
        """
        ms = 1000 * (timeout or self.timeout)
        self.page.wait_for_selector(CONNECTED, state="attached", timeout=ms)
        self.page.wait_for_selector(SCRIPT_DONE, state="attached", timeout=ms)
        self.page.wait_for_selector(MAIN_BLOCK, state="attached", timeout=ms)
        self.page.wait_for_selector(RUNNING_ICON, state="detached", timeout=ms)
        self.page.wait_for_selector(STALE, state="detached", timeout=ms)
        self.page.wait_for_selector(PLACEHOLDER, state="detached", timeout=ms)

    @contextmanager
    def rerun_after(self, *, timeout: float | None = None):
        """Run the block's action (a click, a fill) and wait for the rerun it causes to end.

        >>> with app.rerun_after():                       # doctest: +SKIP
        ...     app.button("Train").click()
        """
        runs_before = self._run_count()
        yield
        deadline = time.monotonic() + 2.0
        # The frontend sends the rerun a beat after the event; wait for it to start (or, for a
        # very fast script, to have already finished and bumped the counter).
        while time.monotonic() < deadline and self._run_count() == runs_before \
                and self.script_state() == "notRunning":
            self.page.wait_for_timeout(25)
        self.wait(timeout=timeout)

    def script_state(self) -> str | None:
        return self.page.locator(APP).first.get_attribute("data-test-script-state")

    def _run_count(self) -> int:
        # Counts finished runs seen by this tab; installed on first use.
        return self.page.evaluate(_RUN_COUNTER_JS)

    def widget(self, key: str):
        """The element container of the widget (or container) made with `key=`."""
        return self.page.locator(f".{key_class(key)}")

    def value(self, key: str) -> str:
        """What the input of the widget made with `key=` holds now, as text."""
        return self.widget(key).locator("input").first.input_value()

    def button(self, text: str, *, exact: bool = True):
        """The button showing `text` (st.button, st.download_button, form submit)."""
        return self.page.get_by_role("button", name=text, exact=exact)

    def text(self) -> str:
        """All visible text of the main area, for assertions on what a person reads."""
        return self.page.locator(MAIN_BLOCK).inner_text()

    def exceptions(self) -> list[str]:
        """Texts of the Python exception boxes on the page (empty when all is well)."""
        return [box.inner_text() for box in self.page.locator(EXCEPTION).all()]

    def errors(self) -> list[str]:
        """Texts of the `st.error` messages on the page."""
        return [box.inner_text() for box in self.page.locator(ERROR_ALERT).all()]

    def page_not_found(self) -> bool:
        """True when Streamlit's "Page not found" dialog is up (an unknown URL path)."""
        return self.page.get_by_role("dialog").filter(has_text=PAGE_NOT_FOUND_TEXT).count() > 0

    def failures(self) -> list[str]:
        """Exception boxes, the app's own "something went wrong" message, "Page not found"."""
        found = self.exceptions() + [text for text in self.errors() if APP_FAILURE_TEXT in text]
        return found + (["Page not found"] if self.page_not_found() else [])

    def assert_no_exception(self) -> None:
        found = self.failures()
        assert not found, "The page shows a crash:\n" + "\n---\n".join(found)

    # --- helpers for the story, load and bad-input tests ------------------------------------

    def navigate(self, url_path: str = "", *, screenshot: str | None = None,
                 timeout: float | None = None) -> None:
        """Go to another page through the sidebar, as a person clicks it, keeping the session.

        `open()` loads the URL afresh, which starts a new Streamlit session with none of the
        user's work; this clicks the sidebar link whose path is `url_path` ("" is the default
        page) and waits for the page to be drawn.
        """
        wanted = url_path.strip("/")
        for link in self.page.locator(NAV_LINKS).all():
            path = re.sub(r"^https?://[^/]+/?", "", link.get_attribute("href") or "")
            if path.split("?")[0].strip("/") == wanted:
                with self.rerun_after(timeout=timeout):
                    link.click()
                break
        else:
            raise AssertionError(f"The sidebar has no link to /{wanted}.")
        if screenshot:
            self.screenshot(screenshot)

    def wait_for_text(self, text: str, *, timeout: float | None = None) -> None:
        """Wait until `text` is shown in the main area (outside stale elements), then for the run.

        On a busy machine a rerun can start more than `rerun_after`'s grace period after the
        click; waiting for what the action must show cannot return on the previous page.
        """
        ms = 1000 * (timeout or self.timeout)
        fresh = "xpath=self::*[not(ancestor-or-self::*[@data-stale='true'])]"
        self.page.locator(MAIN_BLOCK).get_by_text(text).locator(fresh).first.wait_for(
            state="visible", timeout=ms)
        self.wait(timeout=timeout)

    def metrics(self) -> dict[str, str]:
        """The `st.metric` tiles on the page, label → value as shown, e.g. {"Total params": "433"}."""
        found = {}
        for tile in self.page.locator(METRIC).all():
            label = tile.locator(METRIC_LABEL).inner_text().strip()
            found[label] = tile.locator(METRIC_VALUE).inner_text().strip()
        return found

    def read_table(self, where, *, timeout: float = 30.0):
        """The cells of a table (st.dataframe or st.data_editor) as a pandas DataFrame of str.

        The grid is drawn on a canvas, so its cells are read the way a user gets them out:
        through the table's own "Download as CSV" button. `where` is the table's element or a
        container holding it (the first table inside is read). Index columns come back as
        ordinary columns; the first one, which has no header, is named "index".
        """
        import io

        import pandas as pd

        grid = where.locator("xpath=descendant-or-self::*[@data-testid='stDataFrame']").first
        # Chromium's save-file dialog cannot be answered headless; without it Streamlit
        # falls back to an ordinary download, which Playwright catches.
        self.page.evaluate("() => { delete window.showSaveFilePicker; }")
        grid.scroll_into_view_if_needed()
        # The toolbar is drawn over the heading above the table and comes to the front only
        # while the mouse is on the table, so a pointer click can land on the heading instead
        # on a busy machine; the click event goes to the button itself.
        with self.page.expect_download(timeout=1000 * timeout) as info:
            grid.get_by_role("button", name="Download as CSV").dispatch_event("click")
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        return table.rename(columns={table.columns[0]: "index"} if table.columns[0].startswith("Unnamed") else {})

    def screenshot(self, name: str) -> Path:
        """Save the whole page, including what is scrolled out of view, to test-artifacts/<name>.png."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        # The app scrolls inside its main section, not the document, so a "full page" shot of
        # the document would cut the page at the window's height: grow the window to fit first.
        size = self.page.viewport_size
        height = self.page.evaluate(_CONTENT_HEIGHT_JS)
        if size and height > size["height"]:
            self.page.set_viewport_size({"width": size["width"], "height": min(height, 16_000)})
            self.page.wait_for_timeout(200)  # let charts and tables re-lay themselves out
        try:
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            if size:
                self.page.set_viewport_size(size)
        return path


def add_review(app: AppPage, text: str, *, click: bool = False) -> None:
    """Type a review into the Add form (class: the first class name) and submit it with Enter,
    or with a click on Add. (Enter is the default: on a busy machine the click sometimes landed
    while the table above was still growing over the button.)"""
    field = app.widget("reviews_new_text").locator("input")
    field.fill(text)
    with app.rerun_after():
        if click:
            app.button("Add").click()
        else:
            field.press("Enter")


_CONTENT_HEIGHT_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const block = document.querySelector('[data-testid="stMainBlockContainer"]');
  const inner = main ? main.scrollHeight : 0;
  const header = main ? main.getBoundingClientRect().top : 0;
  return Math.ceil(Math.max(inner + header, block ? block.scrollHeight : 0,
                            document.documentElement.scrollHeight));
}"""

_RUN_COUNTER_JS = """() => {
  if (window.__runCounter === undefined) {
    window.__runCounter = 0;
    const app = document.querySelector('[data-testid="stApp"]');
    let last = app ? app.getAttribute('data-test-script-state') : null;
    new MutationObserver(() => {
      const now = app.getAttribute('data-test-script-state');
      if (now !== last && now === 'notRunning') window.__runCounter += 1;
      last = now;
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }
  return window.__runCounter;
}"""
