"""Take turns: at most `slots` holders at once, the others wait in the order they came.

A workshop server trains for every session in one Python process. Many trainings at once
share the GIL with the server's own thread, which then answers every page request late; with
as many at a time as there are cores, pages draw sooner and the whole room finishes sooner too,
since the work is bound by the GIL either way. The waiting sessions see their place in the line.
The many-sessions test (tests/browser/test_load.py, `make loadtest`) measures it; the README's
"Serving a room" section has the figures.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from contextlib import contextmanager
from typing import Callable


HEARTBEAT_S = 1.0  # a waiter hears of its place this often when nothing changes
_local = threading.local()


def on_next_turn(callback: Callable[[], None] | None) -> None:
    """`callback()` runs once, in this thread, when it next takes a turn of any TurnQueue
    (None forgets it). The room's board marks an attendee as training then: before, they
    only wait in line (ui/room_state.py)."""
    _local.on_turn = callback


class TurnQueue:
    """A first-come, first-served gate for `slots` holders at a time, shared by threads.

    >>> line = TurnQueue(slots=1)
    >>> with line.turn():
    ...     line.running
    1
    """

    def __init__(self, slots: int):
        if slots < 1:
            raise ValueError(f"slots must be at least 1, got {slots}")
        self.slots = slots
        self.running = 0
        self._waiting: deque[object] = deque()
        self._changed = threading.Condition()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    @contextmanager
    def turn(self, on_wait: Callable[[int, int], None] | None = None, *,
             poll: float = HEARTBEAT_S, heartbeat: float = HEARTBEAT_S):
        """Wait for a turn, hold it for the block, then hand it on.

        While waiting, `on_wait(ahead, running)` is called with how many are in line before
        this caller and how many hold a turn now: at once, whenever either changes, and
        otherwise every `heartbeat` seconds (the line is checked on every change, and every
        `poll` seconds). Each call is a message to a browser and each check takes the GIL from
        the trainings, so thirty waiting tabs cost about thirty wake-ups a second, not the 120
        a 0.25 s poll made; a Stop click while waiting is heard within a second. If it raises (a Streamlit rerun asked for by a
        Stop click does), the caller leaves the line and the exception goes on.

        When the turn is taken, a callback this thread gave `on_next_turn` runs (once).
        """
        ticket = object()
        with self._changed:
            self._waiting.append(ticket)
        try:
            told, told_at = None, 0.0
            while not self._try_take(ticket):
                if on_wait is not None:
                    with self._changed:
                        place = (self._waiting.index(ticket), self.running)
                    if place != told or time.monotonic() - told_at >= heartbeat:
                        on_wait(*place)
                        told, told_at = place, time.monotonic()
                with self._changed:
                    self._changed.wait(poll)
        except BaseException:
            self._leave(ticket)
            raise
        try:
            callback, _local.on_turn = getattr(_local, "on_turn", None), None
            if callback is not None:
                callback()
            yield
        finally:
            with self._changed:
                self.running -= 1
                self._changed.notify_all()

    def _try_take(self, ticket) -> bool:
        with self._changed:
            if self.running < self.slots and self._waiting[0] is ticket:
                self._waiting.popleft()
                self.running += 1
                self._changed.notify_all()  # the next in line may fit too
                return True
            return False

    def _leave(self, ticket) -> None:
        with self._changed:
            if ticket in self._waiting:
                self._waiting.remove(ticket)
                self._changed.notify_all()
