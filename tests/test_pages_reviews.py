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


def test_a_file_of_more_reviews_than_a_session_may_hold_is_refused_at_upload():
    from explorer.reviews import MAX_REVIEWS
    data = b"text,label\n" + b"ok,1\n" * (MAX_REVIEWS + 1)
    at = fresh_app()
    at.file_uploader(key="reviews_upload").set_value(("million.csv", data, "text/csv"))
    at.run()
    assert f"at most {MAX_REVIEWS:,} reviews" in texts(at.error)
    assert len(at.session_state["reviews"]) == 10


def test_the_reviews_page_works_at_the_largest_review_set():
    from explorer.reviews import MAX_REVIEWS
    rows = [f"review number {i} was {'good' if i % 2 else 'bad'}" for i in range(MAX_REVIEWS)]
    data = ("text,label\n" + "".join(f"{t},{i % 2}\n" for i, t in enumerate(rows))).encode()
    at = fresh_app()
    at.file_uploader(key="reviews_upload").set_value(("big.csv", data, "text/csv"))
    at.run()
    assert not at.exception and "Something went wrong" not in texts(at.error)
    assert f"{MAX_REVIEWS:,} reviews" in texts(at.success).replace(f"{MAX_REVIEWS}", f"{MAX_REVIEWS:,}")


def test_a_set_with_too_much_text_to_edit_is_shown_a_window_at_a_time():
    long_text = "the food was fine and the staff were friendly enough " * 2
    reviews = pd.DataFrame({"text": [f"{i} {long_text}" for i in range(100_000)],
                            "label": [i % 2 for i in range(100_000)]})
    at = fresh_app()
    at.session_state["reviews"] = reviews
    at.session_state["reviews_version"] = 9
    at.run()
    assert "too many to edit in the browser" in texts(at.info)
    window = at.dataframe[0].value
    assert len(window) == 1_000 and window.index[0] == 1
    at.number_input(key="reviews_first_shown").set_value(99_001).run()
    window = at.dataframe[0].value
    assert window.index[0] == 99_001 and window["review"].iloc[0].startswith("99000 ")
    assert len(at.session_state["reviews"]) == 100_000  # nothing lost by showing a window
