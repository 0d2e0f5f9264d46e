"""AppTest: the largest settings the widgets allow are refused with a message or drawn in
windows; no page element carries more than a few MB."""

import pytest

from explorer.budget import MAX_PARAMETERS
from tests.apptest_helpers import fresh_app, session_run, texts, visit

MAX_CELLS_SENT = 250_000
MAX_CHART_BYTES = 3 * 2**20


def trained_at(vocab_size: int, output_dim: int, *, epochs: int = 1):
    at = fresh_app()
    at.session_state["encode_vocab_size"] = vocab_size
    at.session_state["train_output_dim"] = output_dim
    at.session_state["train_epochs"] = epochs
    visit(at, "views/train.py")
    at.button(key="train_start").click().run()
    assert not at.exception
    return at


def assert_small_elements(at):
    assert "Something went wrong" not in texts(at.error)
    for frame in at.dataframe:
        assert frame.value.size <= MAX_CELLS_SENT, frame.value.shape
    for chart in at.get("plotly_chart"):
        assert len(chart.proto.spec) <= MAX_CHART_BYTES, len(chart.proto.spec)


def test_the_largest_model_the_widgets_allow_is_refused_naming_what_to_lower():
    at = fresh_app()
    at.session_state["encode_vocab_size"] = 100_000
    at.session_state["encode_max_length"] = 1_000
    at.session_state["train_output_dim"] = 1_024
    at.session_state["train_head"] = "lstm"
    visit(at, "views/train.py")
    message = texts(at.warning)
    assert f"at most {MAX_PARAMETERS:,}" in message and "Vocabulary size" in message
    assert session_run(at) is None


@pytest.fixture(scope="module")
def big_run():
    # 100,000 ids × 50 dimensions: 5 million weights, inside the budget.
    return trained_at(100_000, 50)


@pytest.mark.parametrize("page", ["views/weights.py", "views/encode.py", "views/projection.py",
                                  "views/train.py"])
def test_every_page_sends_only_windows_of_a_five_million_weight_model(big_run, page):
    at = visit(big_run, page)
    assert_small_elements(at)


def test_the_weights_window_moves_to_any_id(big_run):
    at = visit(big_run, "views/weights.py")
    at.number_input(key="weights_first_id").set_value(99_990).run()
    table = next(d.value for d in at.dataframe if "id" in d.value.columns)
    assert table["id"].iloc[0] == 99_990 and table["id"].iloc[-1] == 99_999


def test_projection_of_every_id_of_a_big_table_is_bounded(big_run):
    at = visit(big_run, "views/projection.py")
    at.checkbox(key="projection_show_unused").check().run()
    assert_small_elements(at)
