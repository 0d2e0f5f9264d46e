"""Fixtures for browser tests: the real Streamlit server and Debian's headless Chromium.

`server` starts the app (`python -m ui.serve`, as `make run` does) once per test session on a free localhost port;
`browser` launches /usr/bin/chromium through Playwright (whose own browser download cannot work
here); `app` is a fresh tab in a fresh browser context, i.e. a new Streamlit session.

Without Chromium the browser tests are skipped with the command that installs it; under CI=true
that is a failure instead, so CI cannot pass by testing nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser import ARTIFACTS, REPO, AppPage

CHROMIUM = Path(os.environ.get("EXPLORER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SERVER_START_TIMEOUT = 60.0
VIEWPORT = {"width": 1280, "height": 900}
INSTALL_HINT = ("Browser tests need Chromium at {path}. Install it with "
                "`sudo apt-get install chromium` (Debian/Ubuntu), or point EXPLORER_CHROMIUM at a "
                "Chrome or Chromium binary.")


@dataclass
class Server:
    """A running app server: where it answers, its process, and when it became healthy."""

    base_url: str
    process: subprocess.Popen
    log_path: Path
    healthy_at: float  # time.perf_counter() when /_stcore/health first answered "ok"

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_since(0).splitlines()[-lines:])

    def log_size(self) -> int:
        """Where the log ends now; pass it to `log_since` to read what a test added."""
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset: int) -> str:
        if not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", errors="replace")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextmanager
def start_server(*, app: str = "app.py", cwd: Path = REPO, name: str = "server",
                 env: dict | None = None, timeout: float = SERVER_START_TIMEOUT):
    """Start the app (or `streamlit run <app>`) on a free localhost port; yield a `Server`.

    The server's output goes to test-artifacts/<name>.log, and its last lines are shown when it
    does not come up.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = ARTIFACTS / f"{name}.log"
    # The app starts as `make run` starts it (ui/serve.py); any other app with plain Streamlit.
    launcher = (["-m", "ui.serve"] if (Path(cwd) / app).resolve() == REPO / "app.py"
                else ["-m", "streamlit", "run", app])
    command = [sys.executable, *launcher, "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, **(env or {})})
    server = Server(base_url, process, log_path, healthy_at=0.0)
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(base_url):
            if process.poll() is not None:
                pytest.fail(f"The app server exited with code {process.returncode} before it "
                            f"answered:\n{server.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"The app server did not answer {base_url}/_stcore/health within "
                            f"{timeout:.0f} s:\n{server.log_tail()}")
            time.sleep(0.1)
        server.healthy_at = time.perf_counter()
        yield server
    finally:
        _stop(process)


def app_location() -> dict:
    """Where the app under test is: this repository's app.py, unless EXPLORER_TEST_APP names
    another entry file (used to check that the harness catches a broken app)."""
    other = os.environ.get("EXPLORER_TEST_APP")
    if not other:
        return {"app": "app.py", "cwd": REPO}
    path = Path(other).resolve()
    return {"app": path.name, "cwd": path.parent}


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _missing_browser(message: str):
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(message + " (CI=true: browser tests must run in CI)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright's sync API, shared by the session's tests."""
    if not CHROMIUM.exists():
        _missing_browser(INSTALL_HINT.format(path=CHROMIUM))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("Browser tests need the `playwright` package: "
                         ".venv/bin/pip install -r requirements-test.txt")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def server(browser):
    """The app server for the whole test session. Needs the browser, so that a machine without
    Chromium skips before paying for a server start."""
    with start_server(**app_location()) as running:
        yield running


@pytest.fixture
def new_app(browser, server):
    """Factory for extra sessions: `new_app()` returns an `AppPage` in its own browser context."""
    contexts = []

    def make(*, base_url: str | None = None) -> AppPage:
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        return AppPage(context.new_page(), base_url or server.base_url)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def app(new_app) -> AppPage:
    """A new Streamlit session in a fresh browser context, on the session's server."""
    return new_app()
