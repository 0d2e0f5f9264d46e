"""Hostile text: unpaired surrogates from links and files, markup in names, a page that fails."""

import json
import re

import pytest

from explorer.errors import InputError, is_valid_text
from explorer.reviews import load_sample
from explorer.workspace import QUERY_PARAM, settings_from_query, settings_to_query, workspace_from_json
from tests.apptest_helpers import fresh_app, raw_texts, texts
from tests.test_persistence import app_at
from ui.markup import md, md_message

SAMPLE = load_sample("Restaurant reviews")


def link_with(class_names=("negative", "positive"), reviews=SAMPLE) -> str:
    """The `w` value of a link whose saved work holds these names (built as the app builds it)."""
    import base64
    import zlib
    document = json.loads(_document_json(reviews, list(class_names)))
    packed = json.dumps(document, ensure_ascii=True).encode()  # \\udfff survives as an escape
    return base64.urlsafe_b64encode(zlib.compress(packed, 9)).decode().rstrip("=")


def _document_json(reviews, class_names) -> str:
    import base64
    import zlib
    from dataclasses import asdict

    from explorer.model import ModelSettings
    from explorer.text import EncodeSettings
    good = settings_to_query(reviews=reviews, class_names=["a", "b"],
                             encode_settings=asdict(EncodeSettings()),
                             model_settings=asdict(ModelSettings()),
                             embedding_start="random")[QUERY_PARAM]
    raw = zlib.decompress(base64.urlsafe_b64decode(good + "=" * (-len(good) % 4)))
    document = json.loads(raw)
    document["class_names"] = class_names
    return json.dumps(document)


def test_is_valid_text():
    assert is_valid_text("café 🙂 Ж")
    assert not is_valid_text("\udfff") and not is_valid_text("a\ud800b")


def test_a_link_with_an_unpaired_surrogate_is_refused_with_a_message():
    state, message = settings_from_query({QUERY_PARAM: link_with(["\udfff", "b"])})
    assert state is None and "not valid Unicode" in message and "class_names[0]" in message


def test_a_workspace_file_with_an_unpaired_surrogate_is_refused():
    text = _document_json(SAMPLE, ["negative", "positive"]).replace('"negative"', '"neg\\udfffx"')
    with pytest.raises(InputError, match="not valid Unicode"):
        workspace_from_json(text)


def test_opening_a_poisoned_link_leaves_a_working_page_with_the_sample():
    at = app_at(link_with(["\udfff", "b"]))
    assert "not valid Unicode" in texts(at.warning)
    assert "Something went wrong" not in texts(at.error)
    assert tuple(at.session_state["class_names"]) == ("negative", "positive")
    assert {"reviews_load_restaurant", "reviews_add"} <= {b.key for b in at.button}


def test_a_page_that_fails_offers_start_over_which_clears_the_address_and_loads_the_sample():
    at = fresh_app()
    at.text_input(key="reviews_class_0").set_value("bad").run()
    assert QUERY_PARAM in at.query_params
    at.session_state["class_names"] = 5  # whatever broke it, the page now fails
    at.run()
    assert "Something went wrong" in texts(at.error)
    at.button(key="app_start_over").click().run()
    assert not at.exception and "Something went wrong" not in texts(at.error)
    assert QUERY_PARAM not in at.query_params
    assert len(at.session_state["reviews"]) == 10
    assert tuple(at.session_state["class_names"]) == ("negative", "positive")


@pytest.mark.parametrize("hostile", ["![a](http://127.0.0.1:8699/url.png)", "[Log in again](http://x)",
                                     "$x^2$", ":red[alarm]", ":material/home:", "<img src=x>",
                                     "**bold**", "www.example.com", "# heading", "- item", "`code`"])
def test_md_leaves_no_markup_active(hostile):
    escaped = md(hostile)
    # Addresses go in code spans (nothing in one is a link); everywhere else every markup
    # character is preceded by a backslash, so markdown shows it as a character.
    outside = re.sub(r"(?<!\\)(`+)(.+?)\1", "", escaped)
    for i, char in enumerate(outside):
        if char in "![]<>$:*`#":
            assert outside[i - 1] == "\\", (hostile, escaped)
    for address in re.findall(r"(?:https?://|www\.)\S*", hostile):
        assert f"`{address}`" in escaped or f"`{address.rstrip(')')})`" in escaped, escaped


def test_md_message_keeps_code_spans_and_escapes_what_is_quoted():
    message = "`class_names` must differ. Received: class_names=('![a](http://x/y.png)', 'b')"
    shown = md_message(message)
    assert shown.startswith("`class_names` must differ.")
    assert "\\!\\[a\\]" in shown
    odd = md_message("a ` lone backtick ![x](y)")
    assert "\\!\\[x\\]" in odd and "\\`" in odd


def test_class_names_with_markup_are_shown_escaped_on_the_reviews_page():
    at = fresh_app()
    at.text_input(key="reviews_class_1").set_value("![a](http://127.0.0.1:8699/u.png)").run()
    source = raw_texts(at.success)
    assert "\\!\\[a\\](`http://127.0.0.1:8699/u.png)`" in source  # the address as code


@pytest.mark.parametrize("seconds", [1e308, 10**400, 8 * 24 * 3600])
def test_an_absurd_training_time_in_a_file_is_refused_in_a_few_characters(seconds):
    from explorer.model import ModelSettings, prepare
    from explorer.reviews import validate_reviews
    from explorer.text import EncodeSettings, encode
    from explorer.workspace import saved_model, workspace_to_json
    from dataclasses import asdict

    texts_, labels = validate_reviews(SAMPLE)
    run = prepare(encode(texts_, EncodeSettings()), labels, settings=ModelSettings())
    document = json.loads(workspace_to_json(
        reviews=SAMPLE, class_names=["negative", "positive"], encode_settings=asdict(EncodeSettings()),
        model_settings=asdict(ModelSettings()),
        model=saved_model(run, reviews=SAMPLE, class_names=["negative", "positive"])))
    document["model"]["seconds"] = seconds
    with pytest.raises(InputError, match="model.seconds") as error:
        workspace_from_json(json.dumps(document))
    assert len(str(error.value)) < 200
