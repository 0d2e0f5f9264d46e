"""explorer.kept: the kept value is served while a newer version is built behind it."""

import threading
import time

import pytest

from explorer.kept import Kept


class Builds:
    """build() functions that count their calls and can be held until released."""

    def __init__(self):
        self.calls, self.release = [], threading.Event()

    def fast(self, value):
        def build():
            self.calls.append(value)
            return value
        return build

    def held(self, value):
        def build():
            self.calls.append(value)
            assert self.release.wait(30)
            return value
        return build


def wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert condition()


def test_the_first_value_is_built_in_the_call_and_kept_for_its_version():
    kept, builds = Kept(wait_seconds=0.05), Builds()
    assert kept.get("room", 1, builds.fast("one")) == (1, "one")
    assert kept.get("room", 1, builds.fast("again")) == (1, "one")
    assert builds.calls == ["one"]


def test_a_new_version_built_within_the_wait_is_served_at_once():
    kept, builds = Kept(wait_seconds=5), Builds()
    kept.get("room", 1, builds.fast("one"))
    assert kept.get("room", 2, builds.fast("two")) == (2, "two")


def test_a_slow_new_version_leaves_the_kept_one_on_show_until_it_is_built():
    kept, builds = Kept(wait_seconds=0.05), Builds()
    kept.get("room", 1, builds.fast("one"))
    started = time.perf_counter()
    assert kept.get("room", 2, builds.held("two")) == (1, "one")
    assert time.perf_counter() - started < 5  # waited about wait_seconds, not for the build
    # Asked again while it builds: still the old one, and no second build.
    assert kept.get("room", 2, builds.held("two again")) == (1, "one")
    assert builds.calls == ["one", "two"]
    builds.release.set()
    wait_until(lambda: kept.get("room", 2, builds.fast("three")) == (2, "two"))
    assert builds.calls == ["one", "two"]


def test_a_version_that_moved_on_while_building_is_built_next():
    kept, builds = Kept(wait_seconds=0.05), Builds()
    kept.get("room", 1, builds.fast("one"))
    kept.get("room", 2, builds.held("two"))
    assert kept.get("room", 3, builds.fast("three")) == (1, "one")  # two still builds
    builds.release.set()
    wait_until(lambda: kept.get("room", 3, builds.fast("three")) == (3, "three"))
    assert builds.calls == ["one", "two", "three"]


def test_keys_are_kept_apart():
    kept, builds = Kept(wait_seconds=0.05), Builds()
    kept.get("a", 1, builds.fast("a1"))
    assert kept.get("b", 1, builds.fast("b1")) == (1, "b1")
    assert kept.get("a", 1, builds.fast("a again")) == (1, "a1")


def test_a_failed_build_behind_is_tried_again_in_the_next_call_which_raises():
    kept, builds = Kept(wait_seconds=5), Builds()
    kept.get("room", 1, builds.fast("one"))

    def broken():
        raise ValueError("no drawing")

    assert kept.get("room", 2, broken) == (1, "one")  # failed behind: the old one stays
    with pytest.raises(ValueError, match="no drawing"):
        kept.get("room", 2, broken)
    assert kept.get("room", 2, builds.fast("two")) == (2, "two")  # in the call, once mended


def test_the_least_recently_asked_key_goes_first():
    kept, builds = Kept(wait_seconds=0.05, size=2), Builds()
    kept.get("a", 1, builds.fast("a"))
    kept.get("b", 1, builds.fast("b"))
    kept.get("a", 1, builds.fast("a again"))  # a is asked for again: b is the oldest
    kept.get("c", 1, builds.fast("c"))
    assert kept.get("a", 1, builds.fast("a built")) == (1, "a")
    assert kept.get("b", 1, builds.fast("b built")) == (1, "b built")
