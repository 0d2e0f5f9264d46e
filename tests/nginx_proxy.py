"""nginx in front of app replicas, run from deploy/nginx.conf for tests (Debian's nginx).

deploy/nginx.conf is the file a user deploys. The tests run that very file with two kinds of
line replaced: the `listen` line (a free local port) and the upstream's `server` lines (the
replicas the test started). Each replacement must match exactly what the file has, so a change
to the deploy file that these tests could no longer follow fails here instead of testing
something else. A small main config around it gives nginx a folder of its own (pid, logs,
temporary files) and an access log naming the replica that answered each request.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEPLOY_CONF = REPO / "deploy" / "nginx.conf"
ROUTE_COOKIE = "explorer_replica"
INSTALL_HINT = ("These tests run Debian's nginx. Install it with `sudo apt-get install nginx` "
                "(.ci/run does), or point EXPLORER_NGINX at an nginx binary.")
_UPSTREAM = re.compile(r"(upstream explorer_app \{\n)(.*?)(\n\})", re.S)
_SERVER_LINE = re.compile(r"^    server \S+ (max_fails=\S+ fail_timeout=\S+);$", re.M)
_LISTEN = re.compile(r"^    listen 80;$", re.M)
# The access log: the route cookie the browser sent, the replica nginx chose, status, request.
_LOG_FORMAT = "'$cookie_explorer_replica $upstream_addr $status \"$request\"'"


def nginx_binary() -> Path | None:
    named = os.environ.get("EXPLORER_NGINX")
    found = named or shutil.which("nginx") or "/usr/sbin/nginx"
    return Path(found) if Path(found).exists() else None


def require_nginx() -> Path:
    """The nginx binary; without it the test is skipped (under CI=true: fails)."""
    binary = nginx_binary()
    if binary is None:
        if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
            pytest.fail(INSTALL_HINT + " (CI=true: the topology tests must run in CI)",
                        pytrace=False)
        pytest.skip(INSTALL_HINT)
    return binary


def explorer_conf(listen: str, backends: list[str], text: str | None = None) -> str:
    """deploy/nginx.conf listening on `listen` ("127.0.0.1:PORT") with `backends` as upstream.

    >>> conf = explorer_conf("127.0.0.1:9000", ["127.0.0.1:9001"])
    >>> "listen 127.0.0.1:9000;" in conf and "server 127.0.0.1:9001 max_fails" in conf
    True
    """
    text = DEPLOY_CONF.read_text() if text is None else text
    if len(_LISTEN.findall(text)) != 1:
        raise AssertionError("deploy/nginx.conf must have exactly one `    listen 80;` line.")
    blocks = _UPSTREAM.findall(text)
    if len(blocks) != 1:
        raise AssertionError("deploy/nginx.conf must have exactly one `upstream explorer_app`.")
    options = _SERVER_LINE.findall(blocks[0][1])
    if not options:
        raise AssertionError("The upstream in deploy/nginx.conf has no `server host:port "
                             "max_fails=... fail_timeout=...;` line.")

    def servers(match: re.Match) -> str:
        body = _SERVER_LINE.sub("", match.group(2)).rstrip("\n")
        lines = "\n".join(f"    server {backend} {options[0]};" for backend in backends)
        return match.group(1) + body + "\n" + lines + match.group(3)

    return _LISTEN.sub(f"    listen {listen};", _UPSTREAM.sub(servers, text))


def main_conf(folder: Path, include: Path) -> str:
    """A whole nginx.conf that keeps everything in `folder` and includes `include`."""
    temp = {name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    # Workers of a root master run as `nobody`, who could not write the test's folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\ndaemon off;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} info;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            f"    log_format routed {_LOG_FORMAT};\n"
            f"    access_log {folder / 'access.log'} routed;\n"
            + "".join(f"    {name}_temp_path {path};\n" for name, path in temp.items())
            + f"    include {include};\n}}\n")


def write_configs(folder: Path, listen: str, backends: list[str]) -> Path:
    """Write the two files into `folder`; return the main config's path."""
    include = folder / "explorer.conf"
    include.write_text(explorer_conf(listen, backends))
    main = folder / "nginx.conf"
    main.write_text(main_conf(folder, include))
    return main


def check_config(binary: Path, main: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on a main config written by write_configs."""
    folder = main.parent
    return subprocess.run([str(binary), "-t", "-p", str(folder), "-c", str(main),
                           "-e", str(folder / "error.log")],
                          capture_output=True, text=True, timeout=60)


@dataclass
class Proxy:
    """A running nginx: where it answers, its folder, the replicas behind it."""

    base_url: str
    folder: Path
    backends: list[str]
    process: subprocess.Popen

    def routes(self) -> list[tuple[str, str, str, str]]:
        """(route cookie, replica, status, request line) of every request answered so far."""
        log = self.folder / "access.log"
        found = []
        for line in log.read_text().splitlines() if log.exists() else []:
            match = re.fullmatch(r'(\S+) (\S+) (\d+) "(.*)"', line)
            if match:
                found.append(match.groups())
        return found

    def replica_for(self, route: str) -> str:
        """Which replica answers a browser whose route cookie is `route` (asks nginx once)."""
        request = urllib.request.Request(self.base_url + "/_stcore/health",
                                         headers={"Cookie": f"{ROUTE_COOKIE}={route}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        for _ in range(50):  # nginx writes the log line as the request ends
            for cookie, replica, _status, line in reversed(self.routes()):
                if cookie == route and "/_stcore/health" in line:
                    return replica
            time.sleep(0.05)
        raise AssertionError(f"nginx logged no request with route {route!r}.")

    def routes_to_each(self, prefix: str = "route") -> dict[str, str]:
        """A route cookie value for each replica: replica → cookie value."""
        found: dict[str, str] = {}
        for index in range(200):
            route = f"{prefix}{index}"
            found.setdefault(self.replica_for(route), route)
            if len(found) == len(self.backends):
                return found
        raise AssertionError(f"200 route cookies reached only {sorted(found)}.")

    def error_log(self) -> str:
        log = self.folder / "error.log"
        return log.read_text(errors="replace") if log.exists() else ""


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextmanager
def start_nginx(backends: list[str], *, port: int, timeout: float = 30.0):
    """Run nginx on 127.0.0.1:`port` in front of `backends` ("127.0.0.1:PORT"); yield a Proxy."""
    binary = require_nginx()
    folder = Path(tempfile.mkdtemp(prefix="explorer-nginx-"))
    main = write_configs(folder, f"127.0.0.1:{port}", backends)
    checked = check_config(binary, main)
    if checked.returncode != 0:
        raise AssertionError(f"nginx -t refused the generated config:\n{checked.stderr}")
    process = subprocess.Popen([str(binary), "-p", str(folder), "-c", str(main),
                                "-e", str(folder / "error.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    proxy = Proxy(f"http://127.0.0.1:{port}", folder, backends, process)
    try:
        deadline = time.monotonic() + timeout
        while not _answers(proxy.base_url + "/_stcore/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"nginx did not answer on port {port}:\n"
                                     f"{proxy.error_log()[-3000:]}")
            time.sleep(0.1)
        yield proxy
    finally:
        if process.poll() is None:
            process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)
