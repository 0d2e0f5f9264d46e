"""explorer.turns.TurnQueue: at most `slots` at once, first come first served, leaving the line."""

import threading
import time

import pytest

from explorer.turns import TurnQueue


def test_one_slot_runs_one_at_a_time_in_arrival_order():
    line = TurnQueue(slots=1)
    order, most = [], []
    first_inside = threading.Event()
    release = threading.Event()

    def worker(name, hold=None):
        with line.turn(poll=0.01):
            order.append(name)
            most.append(line.running)
            if hold:
                first_inside.set()
                release.wait(5)

    first = threading.Thread(target=worker, args=("a", True))
    first.start()
    assert first_inside.wait(5)
    others = []
    for name in "bcd":  # queued one after another while "a" holds the turn
        thread = threading.Thread(target=worker, args=(name,))
        thread.start()
        others.append(thread)
        deadline = time.monotonic() + 5
        while line.waiting < len(others) and time.monotonic() < deadline:
            time.sleep(0.005)
    assert line.waiting == 3
    release.set()
    for thread in [first, *others]:
        thread.join(5)
    assert order == ["a", "b", "c", "d"]
    assert max(most) == 1
    assert line.running == 0 and line.waiting == 0


def test_two_slots_let_two_in_and_report_the_place_in_line():
    line = TurnQueue(slots=2)
    seen = []
    with line.turn(), line.turn():
        assert line.running == 2

        def third():
            with line.turn(lambda ahead, running: seen.append((ahead, running)), poll=0.01):
                pass

        thread = threading.Thread(target=third)
        thread.start()
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.005)
    thread.join(5)
    assert seen[0] == (0, 2)  # first in line, two running
    assert line.running == 0 and line.waiting == 0


def test_a_waiter_that_gives_up_leaves_the_line_and_the_next_one_goes_on():
    line = TurnQueue(slots=1)

    class Stopped(Exception):
        pass

    def give_up(ahead, running):
        raise Stopped

    with line.turn():
        with pytest.raises(Stopped):
            with line.turn(give_up, poll=0.01):
                pass  # never reached
        assert line.waiting == 0
    with line.turn():  # the slot was given back
        assert line.running == 1


def test_the_turn_is_handed_on_when_the_block_raises():
    line = TurnQueue(slots=1)
    with pytest.raises(RuntimeError):
        with line.turn():
            raise RuntimeError("training failed")
    assert line.running == 0
    with line.turn():
        assert line.running == 1


def test_at_least_one_slot():
    with pytest.raises(ValueError, match="at least 1"):
        TurnQueue(slots=0)


def test_a_callback_runs_once_when_this_thread_takes_its_turn():
    from explorer.turns import on_next_turn

    line = TurnQueue(slots=1)
    seen = []
    on_next_turn(lambda: seen.append(line.running))
    with line.turn():
        assert seen == [1]  # called holding the turn, before the block
    with line.turn():
        pass
    assert seen == [1]  # once only
    other = []
    on_next_turn(lambda: other.append("main"))
    thread = threading.Thread(target=lambda: line.turn().__enter__() and None)
    thread.start()
    thread.join(5)
    assert other == []  # another thread's turn does not run this thread's callback
    on_next_turn(None)


def test_a_waiter_hears_of_its_place_when_it_changes_not_every_poll():
    line = TurnQueue(slots=1)
    seen = []
    release = threading.Event()

    def holder():
        with line.turn():
            release.wait(5)

    first = threading.Thread(target=holder)
    first.start()
    while line.running == 0:
        time.sleep(0.005)
    waiter = threading.Thread(target=lambda: line.turn(
        lambda ahead, running: seen.append((ahead, running)), poll=0.01, heartbeat=10).__enter__())
    waiter.start()
    time.sleep(0.3)  # thirty polls
    assert seen == [(0, 1)]
    release.set()
    first.join(5)
    waiter.join(5)
