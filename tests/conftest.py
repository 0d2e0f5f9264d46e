"""Suite-wide options: the many-sessions load test runs only when asked (`make loadtest`)."""

import pytest


def pytest_addoption(parser):
    parser.addoption("--run-load", action="store_true", default=False,
                     help="also run tests marked `load` (8 browser sessions at once)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-load"):
        return
    skip = pytest.mark.skip(reason="load test: run it with `make loadtest`")
    for item in items:
        if "load" in item.keywords:
            item.add_marker(skip)
