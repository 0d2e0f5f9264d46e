"""Benches (`make bench`, see bench/__main__.py), and what they share."""

import statistics
import time


def timed(function, repeats: int = 1):
    """(median seconds of `repeats` calls of `function`, the last call's result)."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result
