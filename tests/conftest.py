"""Suite-wide options and shared fixtures.

The many-sessions load test runs only when asked (`make loadtest`).
"""

import pytest


def pytest_addoption(parser):
    parser.addoption("--run-load", action="store_true", default=False,
                     help="also run tests marked `load` (8 browser sessions at once)")


def pytest_configure(config):
    # Page tests that train save the model to the app's database (ui/saved_work.py): a folder
    # of this run's own, never the checkout's ./data. Servers the tests start inherit it.
    import os
    import tempfile

    os.environ.setdefault("EXPLORER_DATA_DIR", tempfile.mkdtemp(prefix="ee-test-data-"))


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-load"):
        return
    skip = pytest.mark.skip(reason="load test: run it with `make loadtest`")
    for item in items:
        if "load" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty vectors folder the app reads through EXPLORER_VECTORS_DIR."""
    path = tmp_path / "vectors"
    path.mkdir()
    monkeypatch.setenv("EXPLORER_VECTORS_DIR", str(path))
    return path


@pytest.fixture(scope="module")
def glove():
    """The shipped GloVe 6B 50d vectors, loaded once per test module."""
    from explorer.vectors import load_glove_6b_50d

    return load_glove_6b_50d()


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL server for the whole run (tests/pg.py); skips without the
    binaries locally, fails without them under CI=true."""
    import os

    from tests import pg

    reason = pg.missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the PostgreSQL tests: {reason}")
        pytest.skip(reason)
    cluster = pg.start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster):
    """A new, empty PostgreSQL database on `pg_cluster`, as an SQLAlchemy URL."""
    return pg_cluster.new_database()


@pytest.fixture
def own_database(tmp_path, monkeypatch):
    """A SQLite database of this test's own under tmp_path (the app keeps one Store per
    process, so it is dropped before and after)."""
    from ui import room_state

    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EXPLORER_DATABASE_URL", raising=False)
    room_state.store.clear()
    yield tmp_path
    room_state.store.clear()
