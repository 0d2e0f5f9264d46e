"""The workshop story in a real browser, asserting what a person sees on each page.

Reviews → Encode → Train → Weights with the tutorial's ten restaurant reviews and settings, then
the trained space on the Projection page and GloVe's man : king :: woman : queen on the Analogy
page. Each step saves a screenshot under test-artifacts/story-*.png. One Streamlit session walks
the whole story through the sidebar, as a presenter does; loading a URL afresh would start a new
session without the reviews and the trained model.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import AppPage
from tests.test_text import RESTAURANT

SAMPLE_WORDS = {"never", "coming", "back", "horrible", "service", "rude", "waitress", "cold",
                "food", "awesome", "services", "rocks", "poor", "work", "couldn't", "have",
                "done", "better"}
# The tutorial: hashing, vocabulary 50, length 4, post padding, 8 dimensions, Flatten, seed 0.
TUTORIAL_ENCODE = {"encode_vocab_size": "50", "encode_max_length": "4"}
TUTORIAL_TRAIN = {"train_output_dim": "8", "train_epochs": "100", "train_seed": "0"}
TRAINING_TIMEOUT = 300.0  # seconds; 100 epochs take a few seconds alone, longer on a busy machine
PROGRESS = '[data-testid="stProgress"]'

pytestmark = pytest.mark.browser


def checked_option(app: AppPage, key: str) -> str:
    """The label of the chosen option of a radio group."""
    return app.widget(key).locator("label:has(input:checked)").inner_text().strip()


def train_and_watch(app: AppPage, *, timeout: float = TRAINING_TIMEOUT) -> list[str]:
    """Press Train and return the progress texts seen ("epoch 3 / 100 · loss … · accuracy …")
    until the run is over and the page is drawn again."""
    # The page records the texts itself: polling from the test forces a layout of the page at
    # every look, and with a chart redrawn each epoch that slowed the browser 30-fold.
    app.page.evaluate(_RECORD_PROGRESS_JS)
    with app.rerun_after(timeout=timeout):
        app.widget("train_start").locator("button").click()
    app.wait_for_text("Final accuracy", timeout=timeout)
    return app.page.evaluate("() => window.__progressTexts")


_RECORD_PROGRESS_JS = """() => {
  window.__progressTexts = [];
  new MutationObserver(() => {
    const bar = document.querySelector('%s');
    const text = bar ? bar.textContent.trim() : '';
    const seen = window.__progressTexts;
    if (text && seen[seen.length - 1] !== text) seen.push(text);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}""" % PROGRESS


def load_restaurant_sample(app: AppPage) -> None:
    app.open("", screenshot="story-1-reviews-start")
    with app.rerun_after():
        app.widget("reviews_load_restaurant").locator("button").click()
    app.wait_for_text("Loaded the sample: Restaurant reviews.")


def plot_texts(app: AppPage, key: str) -> list[str]:
    """The words drawn in a plotly chart (point labels, legends, titles), as SVG text."""
    chart = app.widget(key)
    chart.locator(".main-svg").first.wait_for(state="visible", timeout=30_000)
    return [t.strip() for t in chart.locator("svg text").all_text_contents() if t.strip()]


def test_story_reviews_encode_train_weights_projection_analogy(app: AppPage):
    # Reviews: the tutorial's ten reviews, five of each class.
    load_restaurant_sample(app)
    app.assert_no_exception()
    shown = app.text()
    assert "Loaded the sample: Restaurant reviews." in shown
    assert "10 reviews: 5 negative, 5 positive." in shown
    table = app.read_table(app.page.locator('[class*="st-key-reviews_editor_"]'))
    assert table["text"].tolist() == RESTAURANT
    assert table["class"].tolist() == ["negative"] * 5 + ["positive"] * 5
    app.screenshot("story-1-reviews")

    # Encode: the tutorial settings, and the padded 10 × 4 matrix of ids with 0 for padding.
    app.navigate("encode", screenshot="story-2-encode")
    app.assert_no_exception()
    for key, value in TUTORIAL_ENCODE.items():
        assert app.value(key) == value, key
    assert checked_option(app, "encode_method") == "hashing"
    assert checked_option(app, "encode_padding") == "post"
    assert "The padded matrix the model reads" in app.text()
    assert "10 reviews × 4 ids; 0 is padding." in app.text()
    matrix = app.read_table(app.page.locator('[data-testid="stDataFrame"]').nth(1))
    assert matrix.columns.tolist() == ["index", "t0", "t1", "t2", "t3"]
    ids = matrix[["t0", "t1", "t2", "t3"]].astype(int)
    assert ids.shape == (10, 4)
    assert ids.to_numpy().min() >= 0 and ids.to_numpy().max() <= 49
    # "rocks" is one word: one id, then three 0s of post padding.
    assert ids.iloc[7, 0] > 0 and ids.iloc[7, 1:].tolist() == [0, 0, 0]
    # "couldn't have done better" fills all four places.
    assert (ids.iloc[9] > 0).all()

    # Train: the summary before training (433 parameters), then 100 epochs with live progress.
    app.navigate("train", screenshot="story-3-train-before")
    app.assert_no_exception()
    for key, value in TUTORIAL_TRAIN.items():
        assert app.value(key) == value, key
    assert app.value("train_head").startswith("Flatten")
    metrics = app.metrics()
    assert metrics["Total params"] == "433", metrics
    assert metrics["Trainable params"] == "433", metrics
    summary = app.read_table(app.page.locator('[data-testid="stDataFrame"]').first)
    assert "400" in summary.to_string() and "33" in summary.to_string(), summary
    progress = train_and_watch(app)
    app.assert_no_exception()
    epochs = [int(m.group(1)) for m in map(re.compile(r"epoch (\d+) / 100").search, progress) if m]
    assert epochs, f"No live progress was shown while training; saw {progress!r}"
    assert epochs == sorted(epochs) and epochs[-1] >= 90, (
        f"The progress bar did not count the epochs up to the end: {progress[-3:]!r}")
    metrics = app.metrics()
    assert metrics["Epochs run"] == "100 / 100", metrics
    assert metrics["Final accuracy"] == "100.00%", metrics
    assert metrics["Total params"] == "433", metrics
    app.screenshot("story-4-train-after")

    # Weights: one row per id of the vocabulary, 0 to 49, each used one naming its words.
    app.navigate("weights", screenshot="story-5-weights")
    app.assert_no_exception()
    assert "50 rows (ids 0–49) × 8 columns." in app.text()
    weights = app.read_table(app.page.locator('[data-testid="stDataFrame"]').first)
    assert len(weights) == 50
    assert [c for c in weights.columns if re.fullmatch(r"d\d+", c)] == [f"d{j}" for j in range(8)]
    words_column = next(c for c in weights.columns if "word" in c.lower())
    named = set(re.findall(r"[\w']+", " ".join(weights[words_column])))
    assert SAMPLE_WORDS <= named, f"Words missing from the weight table: {SAMPLE_WORDS - named}"

    # Projection: a 2-D PCA of the trained space with one labelled point per used id.
    app.navigate("projection")
    app.assert_no_exception()
    assert checked_option(app, "projection_method") == "PCA"
    labels = plot_texts(app, "projection_scatter")
    drawn = set(re.findall(r"[\w']+", " ".join(labels).lower()))
    assert SAMPLE_WORDS <= drawn, f"Words missing from the plot: {SAMPLE_WORDS - drawn}"
    assert "epoch 100 of 100" in labels, labels[:20]
    app.screenshot("story-6-projection")

    # Analogy: man : king :: woman : ? on the shipped GloVe vectors, queen first.
    app.navigate("analogy")
    app.assert_no_exception()
    for key, word in (("analogy_a", "man"), ("analogy_b", "king"), ("analogy_c", "woman")):
        field = app.widget(key).locator("input")
        if field.input_value() != word:
            field.fill(word)
            with app.rerun_after():
                field.press("Enter")
    assert checked_option(app, "analogy_mode") == "a is to b as c is to ?"
    app.wait_for_text("man : king :: woman : queen")
    # st.dataframe's key gives no CSS class (Streamlit 1.67): the answers are the page's table.
    answers = app.read_table(app.page.locator('[data-testid="stDataFrame"]').first)
    assert answers["word"].tolist()[0] == "queen", answers.head()
    assert answers["rank"].tolist() == [str(rank) for rank in range(1, len(answers) + 1)]
    assert not {"man", "king", "woman"} & set(answers["word"]), "Query words must be left out."
    picture = plot_texts(app, "analogy_picture")
    assert {"man", "king", "woman", "queen"} <= set(picture), picture
    app.screenshot("story-7-analogy")
