"""A value rebuilt behind the one on show: what a page redrawn every few seconds draws from.

The room's board is redrawn every two seconds in each presenter's tab, and its runs change
only when someone finishes one. Building the new drawing (reading the runs, projecting the new
run's words, the plotly figures) took most of the slowest redraws on a busy server (1.3-2.5 s
in a room of thirty, each one the redraw that drew a new run). `Kept` builds the new version on
a thread of its own and waits for it at most `wait_seconds` (the board: not at all); meanwhile
the redraw shows the drawing it has, and the next redraw shows the new one. `Recent`, the small
least-recently-used cache it keeps values in, also holds the board's derived tables and maps
(explorer/board.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Recent:
    """The last `size` values by key; the least recently asked for goes first (thread-safe)."""

    def __init__(self, size: int = 16):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return default

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class Kept(Generic[T]):
    """The last value built for each key, with the version it was built for (thread-safe).

    Args:
        wait_seconds: how long `get` waits for a newer version before it returns the kept one.
        size: keys kept; the least recently asked for goes first.
    """

    def __init__(self, wait_seconds: float, size: int = 16):
        self.wait_seconds = wait_seconds
        self._kept: Recent = Recent(size)  # key -> (version, value)
        self._building: dict[Hashable, threading.Thread] = {}  # key -> its build under way
        self._failed: set[Hashable] = set()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Hashable, build: Callable[[], T]) -> tuple[Hashable, T]:
        """(the version, the value) for `key`: `version` if it is built, or can be within
        `wait_seconds`, else the one kept before it while `build()` goes on behind.

        With nothing kept for `key`, or after a build of it failed, `build()` runs here, so its
        error reaches the caller.
        """
        with self._lock:  # looked up under the lock: a build that just ended is not started again
            kept = self._kept.get(key)
            if kept is not None and kept[0] == version:
                return kept
            in_time = kept is None or key in self._failed
            building = None if in_time else self._building.get(key)
            if not in_time and building is None:
                building = threading.Thread(target=self._build, args=(key, version, build),
                                            daemon=True, name=f"kept-{key}")
                self._building[key] = building
                building.start()
        if in_time:
            value = build()
            self._put(key, version, value)
            return version, value
        building.join(self.wait_seconds)
        return self._kept.get(key, kept)

    def _build(self, key, version, build) -> None:
        try:
            self._put(key, version, build())
        except Exception:  # noqa: BLE001 - the next get builds in its own call and raises
            with self._lock:
                self._failed.add(key)
        finally:
            with self._lock:
                self._building.pop(key, None)

    def _put(self, key, version, value) -> None:
        self._kept.put(key, (version, value))
        with self._lock:
            self._failed.discard(key)
