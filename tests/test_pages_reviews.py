"""AppTest: the Reviews page stays usable with an empty table, and a header-only file is refused."""

import pandas as pd

from explorer.workspace import QUERY_PARAM
from tests.apptest_helpers import fresh_app, texts
from tests.test_persistence import app_at

SAMPLE_BUTTONS = {"reviews_load_restaurant", "reviews_load_student", "reviews_load_240"}


def empty_table(at):
    """The table after every row was deleted in the editor (as the page stores it)."""
    at.session_state["reviews"] = pd.DataFrame({"text": [], "label": []})
    at.session_state["reviews_version"] = at.session_state["reviews_version"] + 1 \
        if "reviews_version" in at.session_state else 1
    return at.run()


def assert_usable(at):
    assert not at.exception, at.exception
    assert "Something went wrong" not in texts(at.error)
    assert SAMPLE_BUTTONS <= {b.key for b in at.button}
    assert any(u.key == "reviews_upload" for u in at.get("file_uploader"))
    assert [d.key for d in at.dataframe if d.key.startswith("reviews_editor")]


def test_an_emptied_table_keeps_the_page_editable_with_the_samples_offered():
    at = empty_table(fresh_app())
    assert_usable(at)
    assert "at least one review" in texts(at.warning)
    at.button(key="reviews_load_student").click().run()
    assert_usable(at)
    assert len(at.session_state["reviews"]) > 0


def test_an_emptied_table_survives_a_refresh_of_its_address():
    at = empty_table(fresh_app())
    assert_usable(at)
    again = app_at(at.query_params.get(QUERY_PARAM))  # a new session from the same address
    assert_usable(again)


def test_a_header_only_upload_is_refused_and_the_table_kept():
    at = fresh_app()
    at.file_uploader(key="reviews_upload").set_value(("headeronly.csv", b"text,label\n", "text/csv"))
    at.run()
    assert not at.exception
    assert "Loaded 0 reviews" not in texts(at.success)
    assert "headeronly.csv" in texts(at.error) and "no reviews" in texts(at.error)
    assert len(at.session_state["reviews"]) == 10
