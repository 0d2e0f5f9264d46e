"""The database's tables and the ordered migrations that build them.

`MIGRATIONS[n - 1]` takes a database from schema version n - 1 to n; the `schema_version` table
holds one row per migration applied. A new version of the app appends a migration (never edits
an old one), so any older database is brought up to date step by step, and a database whose
version is higher than `LATEST` was written by a newer app and is refused (see db.py).

Times are seconds since the epoch (float): the same in SQLite and PostgreSQL, and easy to
compare with `time.time()` in tests. JSON columns hold plain settings and per-epoch lists;
LargeBinary columns hold zlib-compressed workspace-file JSON (see explorer/workspace/), the one
serialisation of a trained model the app has.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
_time = sa.Float(precision=53)  # double precision in PostgreSQL, REAL in SQLite

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", _time, nullable=False),
)

# --- version 1: one visitor's saved work -------------------------------------------------------

work = sa.Table(
    "work", metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # secrets.token_urlsafe: the link's key
    sa.Column("created_at", _time, nullable=False),
    sa.Column("touched_at", _time, nullable=False, index=True),  # old work is cleaned up by it
)

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("work_id", sa.String(64), sa.ForeignKey("work.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("settings", sa.JSON, nullable=True),  # what it was trained with, when known
    sa.Column("history", sa.JSON, nullable=False),  # per-epoch loss, accuracy, val_*
    sa.Column("final", sa.JSON, nullable=False),  # the last epoch's metrics
    sa.Column("epochs", sa.Integer, nullable=False),
    sa.Column("stopped", sa.Text, nullable=True),
    sa.Column("seconds", _time, nullable=False),
    sa.Column("created_at", _time, nullable=False),
)

models = sa.Table(
    "models", metadata,
    # One trained model per work: the session's current one (older runs keep their curves only).
    sa.Column("work_id", sa.String(64), sa.ForeignKey("work.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("data", sa.LargeBinary, nullable=False),  # zlib(workspace-file JSON with the model)
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("saved_at", _time, nullable=False),
)

# --- version 2: rooms ------------------------------------------------------------------------

rooms = sa.Table(
    "rooms", metadata,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("presenter_hash", sa.String(64), nullable=False),  # sha256 of the presenter key
    sa.Column("title", sa.Text, nullable=False),  # the review set's name, for the board
    sa.Column("setup", sa.LargeBinary, nullable=False),  # zlib(workspace JSON, no model)
    sa.Column("words", sa.JSON, nullable=False),  # the room's words, most frequent first
    sa.Column("locked", sa.Boolean, nullable=False),  # settings locked, or only suggested
    sa.Column("sweep", sa.JSON, nullable=True),  # {"field": ..., "values": [...]} or null
    sa.Column("sweep_next", sa.Integer, nullable=False),  # the next newcomer's index in values
    sa.Column("created_at", _time, nullable=False),
    sa.Column("expires_at", _time, nullable=False, index=True),
    sa.Column("ended_at", _time, nullable=True),
)

members = sa.Table(
    "members", metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # secrets.token_urlsafe: the attendee's key
    sa.Column("room_code", sa.String(16), sa.ForeignKey("rooms.code", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    # casefolded name while in the room (null after leaving), so two attendees never share one
    sa.Column("name_key", sa.Text, nullable=True),
    sa.Column("joined_at", _time, nullable=False),
    sa.Column("left_at", _time, nullable=True),
    sa.Column("training_at", _time, nullable=True),  # last "I am training" beat, null when idle
    # (version 3) last "waiting in the server's line for a turn to train" mark, null otherwise
    sa.Column("waiting_at", _time, nullable=True),
    sa.Column("sweep_field", sa.Text, nullable=True),
    sa.Column("sweep_value", sa.JSON, nullable=True),
    sa.UniqueConstraint("room_code", "name_key", name="members_unique_name"),
)

room_runs = sa.Table(
    "room_runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("room_code", sa.String(16), sa.ForeignKey("rooms.code", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("run_key", sa.String(64), nullable=False),  # the same run posted twice is one
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("history", sa.JSON, nullable=False),
    sa.Column("final", sa.JSON, nullable=False),
    sa.Column("epochs", sa.Integer, nullable=False),
    sa.Column("seconds", _time, nullable=False),
    sa.Column("stopped", sa.Text, nullable=True),
    sa.Column("vectors", sa.JSON, nullable=False),  # {"words": [...], "matrix": ARRAY}
    sa.Column("model", sa.LargeBinary, nullable=True),  # only when trained on the room's reviews
    sa.Column("model_size", sa.Integer, nullable=False),
    sa.Column("posted_at", _time, nullable=False),
    sa.UniqueConstraint("member_id", "run_key", name="room_runs_unique_key"),
)


def _create(*tables):
    def migrate(connection) -> None:
        for table in tables:
            table.create(connection)
    return migrate


def _add_column(table: sa.Table, name: str):
    """A column added to a table that version 2 created. A new database gets the column from
    the table's definition already (version 2 creates today's table), so it is added only where
    it is missing. The statement is fixed text from this module: nothing a user typed."""
    column = table.c[name]

    def migrate(connection) -> None:
        present = {c["name"] for c in sa.inspect(connection).get_columns(table.name)}
        if name not in present:
            kind = column.type.compile(dialect=connection.dialect)
            connection.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}"))
    return migrate


# Append only: each entry is the step from the version before it.
MIGRATIONS = (
    _create(work, runs, models),
    _create(rooms, members, room_runs),
    _add_column(members, "waiting_at"),  # the board tells waiting from training
)
LATEST = len(MIGRATIONS)
APP_TABLES = frozenset(metadata.tables)
