"""Speed of the core workflow (issue 2): live training against a bare Keras fit; the first page.

Training. The tutorial model (restaurant reviews, hashing, vocab 50, length 4, dim 8, Flatten,
seed 0), 100 epochs, measured three ways and interleaved, all in this process after one
unmeasured warm-up round (so TensorFlow's import and first-call set-up count for no side):

- the Train page, driven by `AppTest` pressing `train_start`: `st.session_state["run"].seconds`,
  the fit time including the per-epoch callback that redraws the progress bar and plotly chart;
- the core, `explorer.model.train(prepare(...), on_epoch=...)` with a callback that builds
  `explorer.charts.training_curves(history)` every epoch (and once with no callback);
- the issue's reference, a bare `model.fit(x, y, epochs=100, verbose=0, batch_size=32)` on numpy
  arrays, same architecture (`explorer.model.build_model`); and a stricter one, a bare fit on the
  same tf.data pipeline `train()` feeds Keras, which isolates what the callbacks cost.

Rows named "per epoch: ..." break the callback down (means over a 1..100-epoch sweep).

First page. The real server, started as `make run` starts it (`python -m ui.serve`: `streamlit
run app.py` with the first page's imports done before it answers; headless, a free localhost
port), with Chromium already running; the clock starts when /_stcore/health first answers ok (polled
every 0.1 s, so up to 0.1 s of "ready" may go unseen) and stops when the page's "Reviews" title
and its data editor's grid are visible. The first load after a server start (cold) is reported
apart from later loads in fresh browser contexts. For scale, the same is measured on a bare
Streamlit page with just that title and editor, served by plain `streamlit run` in the same run.
"""

from __future__ import annotations

import logging
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPEATS = 5
EPOCHS = 100
RATIO_TARGET = 1.3
TRAIN_PAGE = "views/train.py"
FIRST_PAGE_TARGET_S = 2.0
SERVER_STARTS = 3  # cold loads: one per server start
WARM_LOADS = 3  # fresh browser contexts per server start
LOAD_TIMEOUT_MS = 60_000

# What a person sees when the first page has rendered: the title and the reviews grid.
TITLE = "Reviews"
EDITOR_GRID = '[data-testid="stDataFrame"] canvas'

REFERENCE_APP = '''\
import pandas as pd
import streamlit as st

st.set_page_config(page_title="reference", layout="wide")
st.title("Reviews")
st.data_editor(pd.DataFrame({"text": ["Never coming back!", "awesome"], "label": [0, 1]}),
               num_rows="dynamic")
'''


def run() -> list[dict]:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return first_page_rows() + training_rows()


# --- training -------------------------------------------------------------------------------------

def _tutorial():
    from explorer.model import ModelSettings
    from explorer.reviews import load_sample, validate_reviews
    from explorer.text import EncodeSettings, encode

    texts, labels = validate_reviews(load_sample("Restaurant reviews"))
    settings = ModelSettings(epochs=EPOCHS)  # the defaults are the tutorial's
    return encode(texts, EncodeSettings()), labels, settings


def _bare_model(encoded, settings):
    from explorer.model import build_model

    return build_model(vocab_size=encoded.encoder.vocab_size,
                       max_length=encoded.settings.max_length, settings=settings)


def _timed_fit(model, *args, **kwargs) -> float:
    started = time.perf_counter()
    model.fit(*args, epochs=EPOCHS, verbose=0, **kwargs)
    return time.perf_counter() - started


def bare_fit_numpy(encoded, labels, settings) -> float:
    """The issue's reference: plain `model.fit` on numpy arrays."""
    import numpy as np

    model = _bare_model(encoded, settings)
    return _timed_fit(model, encoded.padded, np.asarray(labels, dtype=np.float32),
                      batch_size=settings.batch_size)


def bare_fit_dataset(encoded, labels, settings) -> float:
    """Plain `model.fit` on the seeded, shuffled tf.data pipeline that `train()` builds."""
    import numpy as np
    import tensorflow as tf

    y = np.asarray(labels, dtype=np.float32)
    data = (tf.data.Dataset.from_tensor_slices((encoded.padded, y))
            .shuffle(len(y), seed=settings.seed, reshuffle_each_iteration=True)
            .batch(min(settings.batch_size, len(y))))
    # shuffle=False as train() passes it: the dataset shuffles itself.
    return _timed_fit(_bare_model(encoded, settings), data, shuffle=False)


def core_train(encoded, labels, settings, *, chart: bool) -> float:
    """`explorer.model.train`, optionally building the live chart's figure every epoch."""
    from explorer.charts import training_curves
    from explorer.model import prepare, train

    result = prepare(encoded, labels, settings=settings)
    on_epoch = (lambda epoch, history: training_curves(history, epochs=EPOCHS)) if chart else None
    started = time.perf_counter()
    train(result, on_epoch=on_epoch)
    seconds = time.perf_counter() - started
    _check_tutorial_run(result, "core train()")
    return seconds


def _quiet_bare_mode() -> None:
    # Outside a script run (AppTest's session state read from this thread, st.* called bare),
    # Streamlit still does the work but warns "missing ScriptRunContext" each time.
    # A filter, not a level: Streamlit resets its loggers' levels whenever AppTest loads config.
    from streamlit.runtime.scriptrunner_utils import script_run_context

    logger = logging.getLogger(script_run_context.__name__)
    if not any(isinstance(f, _NoBareModeWarning) for f in logger.filters):
        logger.addFilter(_NoBareModeWarning())


class _NoBareModeWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


def train_page() -> float:
    """The Train page pressing Train in AppTest; the fit time the page itself recorded."""
    from tests.apptest_helpers import fresh_app, visit

    at = visit(fresh_app(), TRAIN_PAGE)
    at.button(key="train_start").click().run()
    if at.exception:
        raise RuntimeError(f"The Train page failed: {at.exception}")
    result = at.session_state["run"]
    _check_tutorial_run(result, "the Train page")
    return result.seconds


def _check_tutorial_run(result, where: str) -> None:
    # A timing of some other run (fewer epochs, another model) would compare nothing.
    if result.epochs_run != EPOCHS or result.totals["total"] != 433 or result.stopped:
        raise RuntimeError(f"{where} did not train the tutorial model for {EPOCHS} epochs: "
                           f"{result.epochs_run} epochs, {result.totals} params, {result.stopped}")


def training_rows() -> list[dict]:
    import tensorflow  # noqa: F401  (the one-off import is nobody's cost)

    _quiet_bare_mode()
    encoded, labels, settings = _tutorial()
    measures = {
        "page": train_page,
        "core_chart": lambda: core_train(encoded, labels, settings, chart=True),
        "core_plain": lambda: core_train(encoded, labels, settings, chart=False),
        "numpy": lambda: bare_fit_numpy(encoded, labels, settings),
        "dataset": lambda: bare_fit_dataset(encoded, labels, settings),
    }
    for measure in measures.values():  # warm-up: first traces, page imports, caches
        measure()
    times = {name: [] for name in measures}
    names = list(measures)
    for repeat in range(REPEATS):
        # Rotate the order so that a slow spell on this shared machine hits each side in turn.
        for name in names[repeat % len(names):] + names[:repeat % len(names)]:
            times[name].append(measures[name]())
    median = {name: statistics.median(values) for name, values in times.items()}

    numpy_ref = "bare fit, numpy arrays"
    dataset_ref = "bare fit, same tf.data"
    target = f"<= {RATIO_TARGET} x bare fit"
    rows = [
        _ratio_row("Train page (AppTest), 100 epochs, live chart", median["page"],
                   numpy_ref, median["numpy"], target),
        _ratio_row("core train() + training_curves every epoch", median["core_chart"],
                   numpy_ref, median["numpy"], target),
        _ratio_row("core train() + training_curves every epoch", median["core_chart"],
                   dataset_ref, median["dataset"], f"{target} (stricter ref)"),
        _ratio_row("Train page (AppTest), 100 epochs, live chart", median["page"],
                   dataset_ref, median["dataset"], f"{target} (stricter ref)"),
        _ratio_row("core train(), no callback", median["core_plain"],
                   dataset_ref, median["dataset"], "(Recorder overhead)", judged=False),
    ]
    return rows + callback_rows(encoded, labels, settings)


def _ratio_row(name, ours, reference, reference_s, target, *, judged=True) -> dict:
    ratio = ours / reference_s
    return {"name": name, "median_s": ours, "reference": reference,
            "reference_median_s": reference_s, "ratio": ratio, "target": target,
            "ok": ratio <= RATIO_TARGET if judged else None}


def callback_rows(encoded, labels, settings) -> list[dict]:
    """Where one epoch's callback time goes: figure, serialisation, weight copies."""
    import numpy as np
    import streamlit as st

    from explorer.charts import training_curves
    from explorer.model import prepare

    rng = np.random.default_rng(0)
    full = {"loss": rng.random(EPOCHS).tolist(), "accuracy": rng.random(EPOCHS).tolist()}
    histories = [{k: v[:n] for k, v in full.items()} for n in range(1, EPOCHS + 1)]
    figure = training_curves(full, epochs=EPOCHS)
    model = prepare(encoded, labels, settings=settings).model
    _quiet_bare_mode()

    parts = {
        "per epoch: training_curves() builds the figure":
            lambda: [training_curves(h, epochs=EPOCHS) for h in histories],
        "per epoch: st.plotly_chart serialises the figure":
            lambda: [st.plotly_chart(figure, width="stretch") for _ in histories],
        "per epoch: Recorder's model.get_weights() copy":
            lambda: [model.get_weights() for _ in histories],
    }
    rows = []
    for name, sweep in parts.items():
        samples = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            sweep()
            samples.append((time.perf_counter() - started) / len(histories))
        rows.append({"name": name, "median_s": statistics.median(samples)})
    return rows


# --- first page -------------------------------------------------------------------------------

def first_page_rows() -> list[dict]:
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        return [{"name": f"first page: skipped, no Chromium at {CHROMIUM}"}]
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-core-") as scratch:
        reference_dir = Path(scratch)
        (reference_dir / "reference_app.py").write_text(REFERENCE_APP)
        # The same server settings as the app (no file watcher, light theme).
        shutil.copytree(REPO / ".streamlit", reference_dir / ".streamlit")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS, headless=True)
            try:
                ours = {"cold": [], "warm": []}
                reference = {"cold": [], "warm": []}
                for _ in range(SERVER_STARTS):
                    _loads(browser, "app.py", REPO, "bench-core-app", ours)
                    _loads(browser, "reference_app.py", reference_dir, "bench-core-reference",
                           reference)
            finally:
                browser.close()

    target = f"<= {FIRST_PAGE_TARGET_S:g} s"
    rows = []
    for kind, label in (("cold", f"first load after server start, median of {SERVER_STARTS}"),
                        ("warm", f"fresh browser context, median of {SERVER_STARTS * WARM_LOADS}")):
        ours_s = statistics.median(ours[kind])
        reference_s = statistics.median(reference[kind])
        rows.append({"name": f"first page renders: {label}", "median_s": ours_s,
                     "reference": "bare title + data_editor", "reference_median_s": reference_s,
                     "ratio": ours_s / reference_s, "target": target,
                     "ok": ours_s <= FIRST_PAGE_TARGET_S})
    return rows


def _loads(browser, app: str, cwd: Path, name: str, into: dict) -> None:
    """Start a server for `app`; time its first load from "healthy", then a few fresh ones."""
    from tests.browser.conftest import VIEWPORT, start_server

    context = browser.new_context(viewport=VIEWPORT)  # ready before the clock starts
    page = context.new_page()
    try:
        with start_server(app=app, cwd=cwd, name=name) as server:
            into["cold"].append(_render(page, server.base_url, since=server.healthy_at))
            for _ in range(WARM_LOADS):
                fresh = browser.new_context(viewport=VIEWPORT)
                try:
                    into["warm"].append(_render(fresh.new_page(), server.base_url))
                finally:
                    fresh.close()
    finally:
        context.close()


def _render(page, base_url: str, *, since: float | None = None) -> float:
    """Seconds from `since` (default: now) until the title and the editor's grid are visible."""
    started = time.perf_counter() if since is None else since
    page.goto(f"{base_url}/", wait_until="commit", timeout=LOAD_TIMEOUT_MS)
    page.get_by_role("heading", name=TITLE, exact=True).wait_for(state="visible",
                                                                 timeout=LOAD_TIMEOUT_MS)
    page.locator(EDITOR_GRID).first.wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
    return time.perf_counter() - started
