"""The 100,000-word map in Chromium: from choosing it to its points drawn (issue 14, cached case).

The issue asks for "the map visible in the browser within 5 s of the coordinates being ready
(cached case: within 5 s of choosing it)". This measures the cached case on the real server
(`python -m ui.serve`) in headless Chromium: one unmeasured visit computes the PCA of the
100,000 most frequent GloVe words (kept server-wide by st.cache_data); then, in a fresh browser
context each round (a new visitor), the page is opened with "The most frequent words", and the
clock runs from pressing Enter on 100000 in the word count until plotly has drawn the figure:
its first trace holds 100,000 decoded points and a WebGL canvas is on the page, after one more
animation frame.

Reference, in the same run: the same visitor choosing 1,000 words the same way (a small SVG
map): what any redraw of the page costs on this machine now, so a busy machine slows both.
Also reported: the size of the big figure's JSON (what travels), built in-process.

`python -m bench big_map_browser`; not part of `make test` (minutes, and it needs Chromium).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROUNDS = 5
TARGET_S = 5.0
WORDS = 100_000
SMALL = 1_000
FIRST_TIMEOUT_S = 300  # the unmeasured first visit computes the PCA on a busy machine
CHART = ".st-key-word_map_big_plot .js-plotly-plot"
SMALL_CHART = ".st-key-word_map_plot .js-plotly-plot"
# True once plotly has decoded `n` points into the first trace and drawn a canvas (WebGL) or
# its SVG points. (A plain predicate: Playwright takes a returned Promise for "true".)
DRAWN = """([selector, n]) => {
    const gd = document.querySelector(selector);
    if (!gd || !gd._fullData || !gd._fullData.length || !gd.calcdata) return false;
    if (gd._fullData[0]._length !== n) return false;
    return !!gd.querySelector('canvas, .point');
}"""
# Then two animation frames: the drawing plotly queued is on the screen.
PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _figure_bytes() -> int:
    """Bytes of the 100,000-word PCA figure's JSON, as Streamlit sends it (plotly's to_json)."""
    from explorer.big_map import map_coordinates
    from explorer.big_map_charts import big_map_figure
    from explorer.vectors.load import load_glove_6b_50d

    vectors = load_glove_6b_50d()
    words = vectors.words[:WORDS]
    coords = map_coordinates(vectors.unit(range(WORDS)), words, method="pca").coords
    return len(big_map_figure(coords, words, title="PCA of 100,000 words").to_json())


def _choose(app, n: int, selector: str, timeout_s: float) -> tuple[float, float]:
    """Seconds from Enter on `n` in the word count to that map's points in plotly, and to
    them painted on the screen (in headless Chromium's software WebGL, painting is a part)."""
    field = app.widget("word_map_top_n").locator("input")
    field.fill(str(n))
    started = time.perf_counter()
    field.press("Enter")
    app.page.wait_for_function(DRAWN, arg=[selector, n], timeout=timeout_s * 1000,
                               polling=20)
    decoded = time.perf_counter() - started
    app.page.evaluate(PAINTED)
    return decoded, time.perf_counter() - started


def _visitor(browser, base_url):
    from tests.browser import AppPage
    from tests.browser.conftest import VIEWPORT

    app = AppPage(browser.new_context(viewport=VIEWPORT).new_page(), base_url,
                  timeout=FIRST_TIMEOUT_S)
    app.open("word-map")
    with app.rerun_after(timeout=FIRST_TIMEOUT_S):
        app.widget("word_map_source").get_by_text("The most frequent words").click()
    app.page.locator(SMALL_CHART).wait_for(state="visible", timeout=FIRST_TIMEOUT_S * 1000)
    return app


def browser_rows() -> list[dict]:
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_server

    if not CHROMIUM.exists():
        return [{"name": f"big map in a browser: skipped, no Chromium at {CHROMIUM}"}]
    from playwright.sync_api import sync_playwright

    ours, reference, decoded = [], [], []
    with sync_playwright() as playwright, start_server(name="bench-big-map") as server:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            first = _visitor(browser, server.base_url)
            _choose(first, WORDS, CHART, FIRST_TIMEOUT_S)  # computes and caches the PCA
            first.page.context.close()
            for _ in range(ROUNDS):
                app = _visitor(browser, server.base_url)
                plotted, painted = _choose(app, WORDS, CHART, FIRST_TIMEOUT_S)
                ours.append(painted)
                decoded.append(plotted)
                reference.append(_choose(app, SMALL, SMALL_CHART, FIRST_TIMEOUT_S)[1])
                app.page.context.close()
        finally:
            browser.close()
    median, base = statistics.median(ours), statistics.median(reference)
    print(f"# 100,000 words: {[round(t, 2) for t in ours]} s; 1,000 words: "
          f"{[round(t, 2) for t in reference]} s", file=sys.stderr)
    return [{"name": f"cached 100,000-word PCA map: Enter to painted (median of {ROUNDS})",
             "median_s": median, "reference": "1,000-word map, same way",
             "reference_median_s": base, "ratio": median / base,
             "target": f"< {TARGET_S:g} s", "ok": median < TARGET_S},
            {"name": "  of which: Enter to its 100,000 points in plotly",
             "median_s": statistics.median(decoded)}]


def run() -> list[dict]:
    sys.path.insert(0, str(REPO))
    import os

    load = os.getloadavg()
    size = _figure_bytes()
    rows = [{"name": f"100,000-word figure JSON: {size / 1e6:.2f} MB"}]
    rows += browser_rows()
    after = os.getloadavg()
    rows.append({"name": f"load average 1 min: {load[0]:.1f} before, {after[0]:.1f} after"})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
