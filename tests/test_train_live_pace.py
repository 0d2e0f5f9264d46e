"""The Train page's live chart while other sessions wait for a training slot (a room pressing
Train at once): redrawn every BUSY_CHART_REDRAW_S instead of every CHART_REDRAW_S, so the
trainings everyone waits for keep the server, and the attendee still sees the chart grow."""

import threading
import time
from contextlib import contextmanager

import explorer.charts
import explorer.model

from tests.apptest_helpers import fresh_app, session_run, visit

EPOCHS = 400
EPOCH_S = 0.012  # each epoch made at least this long: ~5 s a run on any machine, so that
#                  both paces redraw several times (a fast machine trained 400 epochs in <2 s)


@contextmanager
def live_frames():
    """The moments (time.monotonic) at which the Train page redrew its live chart (each
    redraw moves the figure's data with update_training_curves), with every epoch slowed
    to at least EPOCH_S. The page imports both names on each run, so patching the modules
    reaches it."""
    moments = []
    update, train = explorer.charts.update_training_curves, explorer.model.train

    def counted(*args, **kwargs):
        moments.append(time.monotonic())
        return update(*args, **kwargs)

    def slowed(result, *, on_epoch=None, **kwargs):
        def slow_epoch(epoch, history):
            time.sleep(EPOCH_S)
            on_epoch(epoch, history)
        return train(result, on_epoch=slow_epoch if on_epoch else None, **kwargs)

    explorer.charts.update_training_curves, explorer.model.train = counted, slowed
    try:
        yield moments
    finally:
        explorer.charts.update_training_curves, explorer.model.train = update, train


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
    return moments[started:]


def gaps(moments):
    return [round(b - a, 2) for a, b in zip(moments, moments[1:])]


def test_the_live_chart_is_redrawn_less_often_while_others_wait_for_a_slot():
    from views.train import BUSY_CHART_REDRAW_S, CHART_REDRAW_S

    at = visit(fresh_app(), "views/train.py")
    at.number_input(key="train_epochs").set_value(EPOCHS).run()
    with live_frames() as moments:
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
