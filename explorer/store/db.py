"""Opening the database: where it is, its limits, its transactions, and bringing its schema up to date.

With nothing configured the database is SQLite in `$EXPLORER_DATA_DIR/explorer.sqlite3`
(`EXPLORER_DATA_DIR` defaults to ./data, created on first use). `EXPLORER_DATABASE_URL`, e.g.
``postgresql+psycopg://user:password@host:5432/explorer``, points the app at PostgreSQL instead, so
several server processes share one database. Every statement goes through SQLAlchemy Core with
bound parameters; no SQL is ever built from text a user gave.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from explorer.errors import InputError
from explorer.store import schema
from explorer.store.errors import SchemaError

DATA_DIR_ENV = "EXPLORER_DATA_DIR"
DATABASE_URL_ENV = "EXPLORER_DATABASE_URL"
DEFAULT_DATA_DIR = "data"
DATABASE_FILE = "explorer.sqlite3"
# Any fixed number: the PostgreSQL advisory lock that lets one replica migrate while others wait.
_MIGRATION_LOCK = 7_301_2026
_SQLITE_BUSY_SECONDS = 30  # a writer waits this long for another before giving up


def _env_number(name: str, default: float, *, env) -> float:
    text = env.get(name)
    if text is None or text.strip() == "":
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise InputError(f"`{name}` must be a number above 0. Received: {name}={text!r}"[:300])
    return value


@dataclass(frozen=True)
class Limits:
    """How much the server keeps. Read from the environment by `Limits.from_env`."""

    room_hours: float = 24.0  # EXPLORER_ROOM_HOURS: a room takes joins and runs this long
    work_days: float = 7.0  # EXPLORER_WORK_DAYS: saved work unused this long is cleaned up
    max_model_bytes: int = 32 * 2**20  # EXPLORER_MAX_MODEL_MB: one stored model, compressed
    room_size: int = 200  # attendees in one room
    runs_per_work: int = 10  # runs one visitor's work keeps (the Train page compares 10)
    runs_per_member: int = 20  # runs one attendee may post to a room
    room_model_bytes: int = 256 * 2**20  # all models kept with one room's runs together
    room_keep_days: float = 1.0  # an expired room's board stays readable this long after

    @classmethod
    def from_env(cls, env=None) -> "Limits":
        env = os.environ if env is None else env
        return cls(room_hours=_env_number("EXPLORER_ROOM_HOURS", cls.room_hours, env=env),
                   work_days=_env_number("EXPLORER_WORK_DAYS", cls.work_days, env=env),
                   max_model_bytes=int(_env_number("EXPLORER_MAX_MODEL_MB",
                                                   cls.max_model_bytes / 2**20, env=env) * 2**20))


def database_url(env=None) -> str:
    """The database this server uses: `EXPLORER_DATABASE_URL`, else the SQLite file.

    >>> database_url({"EXPLORER_DATA_DIR": "/srv/ee"})
    'sqlite:////srv/ee/explorer.sqlite3'
    >>> database_url({"EXPLORER_DATABASE_URL": "postgresql://u@db/ee"})
    'postgresql+psycopg://u@db/ee'
    """
    env = os.environ if env is None else env
    url = (env.get(DATABASE_URL_ENV) or "").strip()
    if not url:
        folder = Path(env.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR).expanduser().absolute()
        return f"sqlite:///{folder / DATABASE_FILE}"
    scheme = url.split(":", 1)[0]
    if scheme in ("postgresql", "postgres"):  # the driver we ship is psycopg 3
        return "postgresql+psycopg:" + url.split(":", 1)[1]
    if scheme not in ("postgresql+psycopg", "sqlite"):
        raise InputError(f"`{DATABASE_URL_ENV}` must start with postgresql+psycopg:// or "
                         f"sqlite:///. Received: {DATABASE_URL_ENV}={scheme}://…")
    return url


class Store:
    """One database: an SQLAlchemy engine, the limits, and a clock (tests pass their own).

    >>> store = Store("sqlite://")  # in memory
    >>> store.dialect
    'sqlite'

    Opening brings the schema up to date; a database from a newer app, or not this app's,
    raises `SchemaError` with what to do.
    """

    def __init__(self, url: str | None = None, *, limits: Limits | None = None, clock=time.time):
        self.url = database_url() if url is None else url
        self.limits = Limits.from_env() if limits is None else limits
        self.clock = clock
        self.engine = _engine(self.url)
        self.dialect = self.engine.dialect.name
        self.version = migrate(self)

    @property
    def where(self) -> str:
        """The database's address with any password hidden, for messages and logs."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self):
        """A connection in a transaction, for reading."""
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def write(self):
        """A connection in a transaction that commits at the end (SQLite: taken as the writer
        at once, so two writers queue instead of one failing halfway)."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(immediate=True)
            with connection.begin():
                yield connection

    def close(self) -> None:
        self.engine.dispose()


def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = sa.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": _SQLITE_BUSY_SECONDS,
                                                     "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    # pre_ping: after a database restart, a pooled connection is found dead and replaced.
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The sqlite3 module's own transaction handling commits behind our back around DDL; we send
    # BEGIN ourselves (SQLAlchemy's documented recipe) so migrations are all-or-nothing.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE cleans up rooms and work
    cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_SECONDS * 1000}")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    except Exception:  # noqa: BLE001 - an in-memory or read-only database keeps its mode
        pass
    cursor.close()


def _sqlite_begin(connection) -> None:
    immediate = connection.get_execution_options().get("immediate")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def migrate(store: Store) -> int:
    """Bring the database to `schema.LATEST`, one migration at a time; return the version.

    Raises:
        SchemaError: the database is newer than this app, holds tables that are not this
            app's, or cannot be read at all.
    """
    try:
        with store.write() as connection:
            if store.dialect == "postgresql":  # replicas starting together migrate one by one
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
            version = _current_version(store, connection)
            for number in range(version + 1, schema.LATEST + 1):
                schema.MIGRATIONS[number - 1](connection)
                connection.execute(sa.insert(schema.schema_version).values(
                    version=number, applied_at=store.clock()))
    except SchemaError:
        raise
    except sa.exc.DatabaseError as error:
        raise SchemaError(f"The database at {store.where} cannot be opened: "
                          f"{str(error.orig).strip()[:300]}. Point {DATABASE_URL_ENV} (or "
                          f"{DATA_DIR_ENV}) at an Embedding Explorer database, or at none.") from None
    return schema.LATEST


def _current_version(store: Store, connection) -> int:
    tables = set(sa.inspect(connection).get_table_names())
    if "schema_version" not in tables:
        if tables:
            found = ", ".join(sorted(tables))[:200]
            raise SchemaError(
                f"The database at {store.where} holds tables that are not Embedding Explorer's "
                f"({found}) and no schema_version table, so it is not used. Point "
                f"{DATABASE_URL_ENV} (or {DATA_DIR_ENV}) at an empty or Embedding Explorer database.")
        schema.schema_version.create(connection)
        return 0
    version = connection.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar()
    version = version or 0
    if version > schema.LATEST:
        raise SchemaError(
            f"The database at {store.where} has schema version {version}, written by a newer "
            f"Embedding Explorer; this one reads versions up to {schema.LATEST}. Run the newer app, "
            f"or point {DATABASE_URL_ENV} (or {DATA_DIR_ENV}) at another database.")
    return version
