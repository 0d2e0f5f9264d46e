"""Nothing lost, in a real browser: a refresh, a link opened elsewhere, a workspace file.

A refresh starts a new Streamlit session with empty state; what comes back comes from the page
address (reviews, class names, settings) or from a workspace file the user downloaded (all of it,
the trained model included). Screenshots go to test-artifacts/nothing-lost-*.png.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest

from explorer.workspace import workspace_from_json
from tests.browser import ARTIFACTS, AppPage, add_review

pytestmark = pytest.mark.browser

FILE_INPUT = 'input[type="file"]'
TRAINING_TIMEOUT = 300.0


def type_into(app: AppPage, key: str, value: str) -> None:
    """Type a value into a keyed text or number input and commit it with Enter, as a person does."""
    box = app.widget(key).locator("input").first
    with app.rerun_after():
        box.fill(value)
        box.press("Enter")


def first_review_cell(app: AppPage):
    """Open the editor of the first review's text in the table (a canvas grid) and return it."""
    grid = app.page.locator('[class*="st-key-reviews_editor_"] [data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    app.page.mouse.click(box["x"] + 200, box["y"] + 45)  # below the header, in the review column
    app.page.keyboard.press("Enter")
    editor = grid.page.locator("textarea").first
    editor.wait_for(state="visible", timeout=30_000)  # a busy CI machine opens the editor slowly
    return editor


def first_review(app: AppPage) -> str:
    editor = first_review_cell(app)
    text = editor.input_value()
    editor.press("Escape")
    return text


def saved_param(app: AppPage) -> str | None:
    values = parse_qs(urlparse(app.page.url).query).get("w")
    return values[-1] if values else None


def test_a_refresh_and_a_new_browser_keep_reviews_and_settings(app: AppPage, new_app):
    app.open("")
    assert saved_param(app) is None  # a fresh session's work needs no saving
    editor = first_review_cell(app)
    assert editor.input_value() == "Never coming back!"
    with app.rerun_after():
        editor.fill("Never again, truly!")
        editor.press("Enter")
    assert saved_param(app), "A table edit did not reach the address."
    add_review(app, "lovely soup", click=True)
    app.wait_for_text("11 reviews: 6 negative, 5 positive.")
    type_into(app, "reviews_class_0", "grumpy")
    app.wait_for_text("11 reviews: 6 grumpy, 5 positive.")
    app.navigate("encode")
    type_into(app, "encode_vocab_size", "77")
    assert app.value("encode_vocab_size") == "77"
    app.assert_no_exception()
    link = app.page.url
    assert saved_param(app), f"The address holds no saved work: {link}"

    app.page.reload(wait_until="domcontentloaded")
    app.wait()
    app.assert_no_exception()
    assert urlparse(app.page.url).path.endswith("/encode")
    assert app.value("encode_vocab_size") == "77"
    app.navigate("")
    app.wait_for_text("11 reviews: 6 grumpy, 5 positive.")
    assert app.value("reviews_class_0") == "grumpy"
    assert first_review(app) == "Never again, truly!"
    app.screenshot("nothing-lost-after-refresh")

    elsewhere = new_app()  # another browser: no cookies, no storage, only the link
    elsewhere.page.goto(link, wait_until="domcontentloaded")
    elsewhere.wait()
    elsewhere.assert_no_exception()
    assert elsewhere.value("encode_vocab_size") == "77"
    elsewhere.navigate("")
    elsewhere.wait_for_text("11 reviews: 6 grumpy, 5 positive.")
    assert elsewhere.value("reviews_class_0") == "grumpy"
    assert first_review(elsewhere) == "Never again, truly!"
    elsewhere.screenshot("nothing-lost-link-in-another-browser")


def test_a_garbage_link_shows_a_message_and_the_sample(app: AppPage):
    app.open("encode?w=not-a-saved-workspace")
    app.assert_no_exception()
    shown = app.text()
    assert "The link does not hold saved work that can be restored" in shown
    assert "The sample reviews are loaded instead." in shown
    assert "10 reviews × 4 ids" in shown  # the Encode page works on the sample
    assert saved_param(app) is None  # the bad link is gone from the address
    app.screenshot("nothing-lost-garbage-link")


def test_work_too_big_for_the_address_says_so_and_leaves_no_reviews_there(app: AppPage, tmp_path):
    app.open("")
    type_into(app, "reviews_class_0", "grumpy")
    assert saved_param(app)
    big = tmp_path / "big.csv"
    rows = [f"review number {i} with its own words w{i}a w{i}b w{i}c,{i % 2}" for i in range(1500)]
    big.write_text("text,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with app.rerun_after():
        app.widget("reviews_upload").locator(FILE_INPUT).set_input_files(str(big))
    app.wait_for_text("Loaded 1500 reviews from big.csv.")
    sidebar = app.page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("too big for the page address").wait_for(state="visible", timeout=30_000)
    assert saved_param(app) is None  # not even the earlier, smaller reviews
    app.screenshot("nothing-lost-too-big")


def test_a_workspace_file_takes_the_trained_model_to_another_browser(app: AppPage, new_app, tmp_path):
    app.open("")
    type_into(app, "reviews_class_1", "great")
    app.navigate("train")
    type_into(app, "train_epochs", "10")
    with app.rerun_after(timeout=TRAINING_TIMEOUT):
        app.widget("train_start").locator("button").click()
    app.wait_for_text("10 / 10", timeout=TRAINING_TIMEOUT)
    app.assert_no_exception()

    app.navigate("workspace")
    app.assert_no_exception()
    shown = app.text()
    assert "10 reviews" in shown and "trained model" in shown
    app.screenshot("nothing-lost-save-and-restore")
    with app.page.expect_download() as download:
        app.widget("workspace_download").get_by_role("button").click()
    saved = ARTIFACTS / "nothing-lost-workspace.json"
    download.value.save_as(saved)
    workspace = workspace_from_json(saved.read_bytes())
    assert workspace.class_names == ("negative", "great")
    assert workspace.model is not None and len(workspace.model.history["loss"]) == 10

    other = new_app()
    other.open("workspace")
    bad = tmp_path / "notes.json"
    bad.write_text("these are my notes, not a workspace", encoding="utf-8")
    with other.rerun_after():
        other.widget("workspace_upload").locator(FILE_INPUT).set_input_files(str(bad))
    other.wait_for_text("notes.json: This is not an Embedding Explorer workspace file")
    assert "Nothing was changed." in " ".join(other.errors())
    other.screenshot("nothing-lost-bad-file")
    foreign = tmp_path / "package.json"
    foreign.write_text(json.dumps({"name": "app", "version": "1.0.0"}), encoding="utf-8")
    with other.rerun_after():
        other.widget("workspace_upload").locator(FILE_INPUT).set_input_files(str(foreign))
    other.wait_for_text("package.json: This is not an Embedding Explorer workspace file")

    with other.rerun_after(timeout=TRAINING_TIMEOUT):
        other.widget("workspace_upload").locator(FILE_INPUT).set_input_files(str(saved))
    other.wait_for_text("Opened nothing-lost-workspace.json", timeout=TRAINING_TIMEOUT)
    other.assert_no_exception()
    assert re.search(r"10 reviews, their class names and settings, and a trained model \(#1",
                     other.text())
    other.screenshot("nothing-lost-opened")
    other.navigate("train")
    other.wait_for_text("10 / 10")
    other.assert_no_exception()
    assert other.value("train_epochs") == "10"
    other.screenshot("nothing-lost-opened-train")
