"""AppTest: a session holds the models it shows and no others. Streamlit keeps the last run's
session values until the next rerun; ui.training_session's Held box makes a replaced run's
model garbage at once (a 5-million-weight model with Adam is ~60 MB of weights and twice that
of moving averages)."""

import gc
import weakref

from tests.apptest_helpers import fresh_app, session_run, visit
from ui import pages


def trained(at):
    at.button(key="train_start").click().run()
    assert not at.exception, at.exception
    return session_run(at)


def test_a_run_replaced_by_a_new_training_lets_go_of_its_model():
    at = visit(fresh_app(), pages.TRAIN)
    first = weakref.ref(trained(at).model)
    second = trained(at)
    gc.collect()
    assert second.model is not None and second.epochs_run == second.settings.epochs
    assert first() is None, "the first run's model is still alive after a second training"


def test_an_untrained_model_replaced_by_a_settings_change_is_let_go():
    at = visit(fresh_app(), pages.TRAIN)
    preview = at.session_state["train_preview"].value[1]
    old = weakref.ref(preview.model)
    del preview
    at.session_state["train_output_dim"] = 5
    at.run()
    gc.collect()
    assert at.session_state["train_preview"].value[1].settings.output_dim == 5
    assert old() is None, "the first untrained model is still alive after a settings change"


def test_each_page_still_reads_the_trained_run():
    at = visit(fresh_app(), pages.TRAIN)
    run = trained(at)
    for page in (pages.WEIGHTS, pages.PROJECTION, pages.ENCODE):
        visit(at, page)
        assert session_run(at) is run
