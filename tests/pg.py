"""A throwaway PostgreSQL cluster for tests: Debian's initdb and pg_ctl, a temp folder, a free port.

    cluster = start_cluster()          # or the `pg_cluster` fixture (tests/conftest.py)
    url = cluster.new_database()       # postgresql+psycopg://postgres@127.0.0.1:PORT/test_3
    ...
    cluster.stop()

PostgreSQL refuses to run as root, and CI runs as root: then the server runs as the `postgres`
user Debian's package creates (or `nobody`), through `runuser`. Without the binaries
(`apt-get install postgresql`) `find_binaries` returns None and the fixtures skip, except under
CI=true, where they fail: CI installs the package, so a missing one is a broken CI.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

USERS = ("postgres", "nobody")  # who runs the server when the tests run as root


def find_binaries() -> Path | None:
    """The newest /usr/lib/postgresql/N/bin holding initdb and pg_ctl, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    for initdb in reversed(found):
        folder = Path(initdb).parent
        if (folder / "pg_ctl").exists():
            return folder
    return None


def missing_reason() -> str | None:
    """Why a cluster cannot start here, or None when it can."""
    if find_binaries() is None:
        return "PostgreSQL is not installed (apt-get install postgresql gives initdb and pg_ctl)"
    if os.geteuid() == 0 and (_server_user() is None or shutil.which("runuser") is None):
        return "running as root with neither a postgres nor a nobody user (or no runuser)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in USERS:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


@dataclass
class Cluster:
    """A running PostgreSQL server; `url` is its `postgres` database, trust login on 127.0.0.1."""

    folder: Path
    port: int
    bin: Path
    user: str | None
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        return self.url_of("postgres")

    def url_of(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "test") -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._numbers)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')  # our own name, not user input
        return self.url_of(name)

    def stop(self) -> None:
        _run(self.user, [str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast",
                         "-w", "stop"], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(port: int | None = None) -> Cluster:
    """initdb a new cluster in a temp folder and start it on `port` (default: a free one)."""
    binaries = find_binaries()
    if binaries is None:
        raise RuntimeError(missing_reason())
    user = _server_user()
    folder = Path(tempfile.mkdtemp(prefix="ee-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    data = folder / "data"
    _run(user, [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--no-sync", "--locale=C"])
    port = free_port() if port is None else port
    # fsync off: a test cluster is thrown away, and this keeps CREATE DATABASE quick.
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    _run(user, [str(binaries / "pg_ctl"), "-D", str(data), "-o", options,
                "-l", str(folder / "server.log"), "-w", "-t", "60", "start"])
    return Cluster(folder=folder, port=port, bin=binaries, user=user)


def _run(user: str | None, command: list[str], *, check: bool = True):
    if user is not None:
        command = ["runuser", "-u", user, "--"] + command
    result = subprocess.run(command, capture_output=True, text=True, cwd="/", timeout=120)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n"
                           f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result
