"""The Train page's live chart while other sessions wait for a training slot (a room pressing
Train at once): redrawn every BUSY_CHART_REDRAW_S instead of every CHART_REDRAW_S, so the
trainings everyone waits for keep the server, and the attendee still sees the chart grow."""

import threading
import time
from contextlib import contextmanager

from streamlit.delta_generator import DeltaGenerator

from tests.apptest_helpers import fresh_app, session_run, visit

EPOCHS = 400  # a few seconds alone: long enough for several redraws at either pace


@contextmanager
def drawn_charts():
    """The moments (time.monotonic) at which the page drew a plotly chart."""
    moments, original = [], DeltaGenerator.plotly_chart

    def counted(self, *args, **kwargs):
        moments.append(time.monotonic())
        return original(self, *args, **kwargs)

    DeltaGenerator.plotly_chart = counted
    try:
        yield moments
    finally:
        DeltaGenerator.plotly_chart = original


@contextmanager
def someone_waiting_after_us():
    """Every training slot but one held by other sessions, and, once this session's training
    has taken the last one, one more session waiting in line behind it."""
    from ui.common import TRAINING_SLOTS, training_queue

    line, release = training_queue(), threading.Event()

    def hold(left):
        if left == 0:
            release.wait(120)
            return
        with line.turn():
            hold(left - 1)

    def wait_behind():
        while line.running < TRAINING_SLOTS and not release.is_set():
            time.sleep(0.005)
        with line.turn():  # waits until a slot frees, i.e. until our training ends
            pass

    holders = [threading.Thread(target=hold, args=(TRAINING_SLOTS - 1,)),
               threading.Thread(target=wait_behind)]
    holders[0].start()
    while line.running < TRAINING_SLOTS - 1:
        time.sleep(0.005)
    holders[1].start()
    try:
        yield line
    finally:
        release.set()
        for thread in holders:
            thread.join(120)


def train(at, moments):
    started = len(moments)
    at.button(key="train_start").click().run()
    assert not at.exception
    assert session_run(at).epochs_run == EPOCHS
    # The live chart's redraws; the finished page's own chart is drawn on the rerun after.
    return moments[started:-1]


def gaps(moments):
    return [round(b - a, 2) for a, b in zip(moments, moments[1:])]


def test_the_live_chart_is_redrawn_less_often_while_others_wait_for_a_slot():
    from views.train import BUSY_CHART_REDRAW_S, CHART_REDRAW_S

    at = visit(fresh_app(), "views/train.py")
    at.number_input(key="train_epochs").set_value(EPOCHS).run()
    with drawn_charts() as moments:
        with someone_waiting_after_us() as line:
            busy = train(at, moments)
        assert line.waiting == 0 and line.running == 0
        alone = train(at, moments)
    # Busy: every redraw but the forced last one about BUSY_CHART_REDRAW_S after the one before
    # (the pace is kept from the moment each frame is asked for; the first frame also builds
    # the figure), and still more than one frame, so the attendee sees the curves grow.
    assert len(busy) >= 2, gaps(busy)
    assert all(gap >= 0.75 * BUSY_CHART_REDRAW_S for gap in gaps(busy)[:-1]), gaps(busy)
    # Alone, the chart follows at its own pace, as before: more frames for the same epochs.
    assert min(gaps(alone)[1:-1], default=CHART_REDRAW_S) < BUSY_CHART_REDRAW_S / 2, gaps(alone)
    assert len(alone) > len(busy), (gaps(alone), gaps(busy))
