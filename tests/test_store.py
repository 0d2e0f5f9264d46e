"""The database layer: opening, migrating, saved work, limits and cleanup, on SQLite and PostgreSQL.

Every test that takes `store` runs twice: on an SQLite file and on a fresh database of a real
PostgreSQL server started for the run (tests/pg.py).
"""

from __future__ import annotations

import sqlite3
import zlib

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from explorer.store import (LimitError, Limits, SchemaError, Store, WorkNotFound, check_work_id,
                            cleanup, database_url, forget_work, load_work, new_work, save_model,
                            save_runs, schema)
from explorer.errors import InputError
from explorer.workspace import SavedModel, workspace_to_json

ENCODE = {"method": "hashing", "vocab_size": 10, "max_length": 2, "padding": "post",
          "truncating": "post"}
MODEL = {"output_dim": 2, "head": "flatten", "optimizer": "adam", "learning_rate": 0.001,
         "epochs": 3, "batch_size": 32, "validation_split": 0.0, "seed": 0, "trainable": True}
REVIEWS = pd.DataFrame({"text": ["good food", "bad food"], "label": [1, 0]})
RUN = {"label": "#1: random start", "history": {"loss": [0.7, 0.6], "accuracy": [0.5, 1.0]},
       "final": {"loss": 0.6, "accuracy": 1.0}, "epochs": 2, "stopped": None}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'explorer.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(url, clock):
    store = Store(url, limits=Limits(max_model_bytes=2**20), clock=clock)
    yield store
    store.close()


def workspace_text(*, vocab_size=10, output_dim=2, seed=None) -> str:
    """A workspace file with a (not trained, but well-formed) flatten model in it; with a
    seed, the Embedding table is random (incompressible), else 0.25 everywhere."""
    encode = dict(ENCODE, vocab_size=vocab_size)
    model_settings = dict(MODEL, output_dim=output_dim)
    shape = (vocab_size, output_dim)
    embedding = (np.full(shape, 0.25, np.float32) if seed is None
                 else np.random.default_rng(seed).random(shape, dtype=np.float32))
    dense = np.ones((encode["max_length"] * output_dim, 1), np.float32)
    model = SavedModel(encode_settings=encode, model_settings=model_settings,
                       weights=[embedding, dense, np.zeros(1, np.float32)],
                       embedding_before=np.zeros(shape, np.float32),
                       history={"loss": [0.7, 0.6]}, label="#1", seconds=1.5)
    return workspace_to_json(reviews=REVIEWS, class_names=["negative", "positive"],
                             encode_settings=encode, model_settings=model_settings, model=model)


# --- where the database is ---------------------------------------------------------------------

def test_database_url_defaults_to_a_sqlite_file_in_the_data_folder(tmp_path):
    assert database_url({}) .endswith("/data/explorer.sqlite3")
    assert database_url({"EXPLORER_DATA_DIR": str(tmp_path)}) == (
        f"sqlite:///{tmp_path}/explorer.sqlite3")


def test_database_url_takes_postgresql_and_names_its_driver():
    env = {"EXPLORER_DATABASE_URL": "postgresql+psycopg://u:p@db:5432/ee"}
    assert database_url(env) == "postgresql+psycopg://u:p@db:5432/ee"
    assert database_url({"EXPLORER_DATABASE_URL": "postgres://u@db/ee"}) == (
        "postgresql+psycopg://u@db/ee")


def test_database_url_refuses_other_databases_without_echoing_the_password():
    with pytest.raises(InputError, match="must start with postgresql") as error:
        database_url({"EXPLORER_DATABASE_URL": "mysql://root:secret@db/ee"})
    assert "secret" not in str(error.value)


def test_a_new_data_folder_is_made(tmp_path):
    folder = tmp_path / "a" / "b"
    store = Store(f"sqlite:///{folder / 'explorer.sqlite3'}")
    assert (folder / "explorer.sqlite3").is_file() and store.version == schema.LATEST


def test_limits_come_from_the_environment_and_bad_values_are_named():
    limits = Limits.from_env({"EXPLORER_ROOM_HOURS": "2", "EXPLORER_WORK_DAYS": "0.5",
                              "EXPLORER_MAX_MODEL_MB": "1"})
    assert (limits.room_hours, limits.work_days, limits.max_model_bytes) == (2.0, 0.5, 2**20)
    assert Limits.from_env({}) == Limits()
    for bad in ("0", "-1", "soon", "inf"):
        with pytest.raises(InputError, match="`EXPLORER_ROOM_HOURS` must be a number above 0"):
            Limits.from_env({"EXPLORER_ROOM_HOURS": bad})


# --- the schema ---------------------------------------------------------------------------------

def test_a_new_database_gets_every_table_and_the_latest_version(store):
    with store.read() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        versions = connection.execute(sa.select(schema.schema_version.c.version)).scalars().all()
    assert tables == set(schema.APP_TABLES)
    assert versions == list(range(1, schema.LATEST + 1))


def test_opening_twice_changes_nothing(url, clock):
    Store(url, clock=clock).close()
    clock.now += 10
    again = Store(url, clock=clock)
    with again.read() as connection:
        times = connection.execute(sa.select(schema.schema_version.c.applied_at)).scalars().all()
    assert times == [1_000_000.0] * schema.LATEST


def test_an_old_database_is_upgraded_keeping_its_work(url, clock):
    engine = sa.create_engine(url)
    with engine.begin() as connection:  # what version 1 of the app wrote
        schema.schema_version.create(connection)
        schema.MIGRATIONS[0](connection)
        connection.execute(sa.insert(schema.schema_version).values(version=1, applied_at=5.0))
        connection.execute(sa.insert(schema.work).values(id="w" * 43, created_at=5.0,
                                                         touched_at=clock.now))
    engine.dispose()
    store = Store(url, clock=clock)
    with store.read() as connection:
        assert set(sa.inspect(connection).get_table_names()) == set(schema.APP_TABLES)
        assert connection.execute(sa.select(sa.func.max(schema.schema_version.c.version))
                                  ).scalar() == schema.LATEST
    assert load_work(store, "w" * 43).runs == []


def test_a_version_2_database_gets_the_waiting_mark_and_keeps_its_rooms(url, clock):
    Store(url, clock=clock).close()
    engine = sa.create_engine(url)
    with engine.begin() as connection:  # back to what version 2 of the app wrote
        connection.execute(sa.text("ALTER TABLE members DROP COLUMN waiting_at"))
        connection.execute(sa.delete(schema.schema_version).where(
            schema.schema_version.c.version == 3))
        connection.execute(sa.insert(schema.rooms).values(
            code="KPTWXZ", presenter_hash="h" * 64, title="t", setup=b"", words=[], locked=False,
            sweep=None, sweep_next=0, created_at=5.0, expires_at=clock.now + 60, ended_at=None))
    engine.dispose()
    store = Store(url, clock=clock)
    with store.read() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("members")}
        assert "waiting_at" in columns
        assert connection.execute(sa.select(schema.rooms.c.code)).scalars().all() == ["KPTWXZ"]
        assert connection.execute(sa.select(sa.func.max(schema.schema_version.c.version))
                                  ).scalar() == schema.LATEST == 3


def test_a_newer_database_is_refused_with_what_to_do(url):
    Store(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.insert(schema.schema_version).values(version=99, applied_at=1.0))
    engine.dispose()
    with pytest.raises(SchemaError, match=rf"schema version 99, written by a newer Embedding "
                                          rf"Explorer; this one reads versions up to {schema.LATEST}"):
        Store(url)


def test_a_database_of_another_app_is_refused(url):
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE customers (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(SchemaError, match=r"not Embedding Explorer's \(customers\)"):
        Store(url)


def test_a_file_that_is_no_database_is_refused(tmp_path):
    path = tmp_path / "explorer.sqlite3"
    path.write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(SchemaError, match="cannot be opened: file is not a database"):
        Store(f"sqlite:///{path}")


def test_sqlite_keeps_foreign_keys_and_wal(tmp_path):
    path = tmp_path / "explorer.sqlite3"
    Store(f"sqlite:///{path}").close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# --- saved work ---------------------------------------------------------------------------------

def test_work_ids_are_long_random_and_distinct(store):
    ids = {new_work(store) for _ in range(20)}
    assert len(ids) == 20 and all(len(i) == 43 and check_work_id(i) == i for i in ids)


@pytest.mark.parametrize("bad", ["", "short", "x" * 65, "a" * 40 + "'; DROP TABLE work; --",
                                 None, 12, "é" * 43])
def test_malformed_work_ids_are_refused_before_any_query(store, bad):
    with pytest.raises(WorkNotFound, match="not on this server"):
        load_work(store, bad)


def test_an_unknown_work_id_is_not_found(store):
    with pytest.raises(WorkNotFound, match="cleaned up"):
        load_work(store, "A" * 43)
    with pytest.raises(WorkNotFound):
        save_runs(store, "A" * 43, [RUN])


def test_a_model_and_runs_come_back_as_they_were_saved(store):
    work_id = new_work(store)
    text = workspace_text()
    assert save_model(store, work_id, text) > 0
    assert save_runs(store, work_id, [RUN, dict(RUN, label="#2", settings={"x": 1})]) is None
    saved = load_work(store, work_id)
    assert saved.work_id == work_id
    assert saved.workspace.reviews.to_dict("records") == REVIEWS.to_dict("records")
    np.testing.assert_array_equal(saved.workspace.model.weights[0], np.full((10, 2), 0.25))
    assert saved.workspace.model.history == {"loss": [0.7, 0.6]}
    first, second = saved.runs
    assert first == dict(RUN, seconds=0.0)
    assert second["label"] == "#2" and second["settings"] == {"x": 1}


def test_saving_runs_replaces_the_runs_and_keeps_the_newest(store):
    work_id = new_work(store)
    save_runs(store, work_id, [RUN] * 3)
    runs = [dict(RUN, label=f"#{i}") for i in range(1, 13)]
    note = save_runs(store, work_id, runs)
    assert note == "The server keeps your last 10 runs; the 2 before them are gone."
    assert [r["label"] for r in load_work(store, work_id).runs] == [f"#{i}" for i in range(3, 13)]


def test_nan_in_a_history_is_kept_as_null(store):
    work_id = new_work(store)
    save_runs(store, work_id, [dict(RUN, history={"loss": [0.5, float("nan")]},
                                    final={"loss": np.float32(0.5)})])
    run = load_work(store, work_id).runs[0]
    assert run["history"] == {"loss": [0.5, None]} and run["final"] == {"loss": 0.5}


def test_a_model_over_the_size_limit_is_refused_and_the_older_one_forgotten(store):
    work_id = new_work(store)
    save_model(store, work_id, workspace_text())  # 20 numbers: well under the 1 MB kept
    with pytest.raises(LimitError, match=r"The trained model takes 1.2 MB; the server keeps "
                                         r"models of up to 1 MB.*workspace file"):
        save_model(store, work_id, workspace_text(vocab_size=20_000, output_dim=16, seed=0))
    assert load_work(store, work_id).workspace is None


def test_saving_no_model_forgets_it(store):
    work_id = new_work(store)
    save_model(store, work_id, workspace_text())
    assert save_model(store, work_id, None) == 0
    assert load_work(store, work_id).workspace is None


def test_a_damaged_stored_model_reads_as_a_message_not_a_crash(store):
    work_id = new_work(store)
    save_model(store, work_id, workspace_text())
    with store.write() as connection:
        connection.execute(sa.update(schema.models).values(
            data=zlib.compress(b'{"format": "embedding-explorer-workspace", "version": 1}')))
    with pytest.raises(InputError, match="version"):
        load_work(store, work_id)


def test_forget_work_deletes_its_model_and_runs(store):
    work_id = new_work(store)
    save_model(store, work_id, workspace_text())
    save_runs(store, work_id, [RUN])
    forget_work(store, work_id)
    with pytest.raises(WorkNotFound):
        load_work(store, work_id)
    with store.read() as connection:
        for table in (schema.models, schema.runs):
            assert connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0


def test_cleanup_deletes_work_unused_for_a_week_and_keeps_work_in_use(store, clock):
    old, used = new_work(store), new_work(store)
    save_runs(store, old, [RUN])
    clock.now += 6 * 86_400
    load_work(store, used)  # using work keeps it
    clock.now += 2 * 86_400
    assert cleanup(store) == {"work": 1, "rooms": 0}
    with pytest.raises(WorkNotFound):
        load_work(store, old)
    assert load_work(store, used).runs == []
    with store.read() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(schema.runs)).scalar() == 0


def test_the_docstring_examples_run():
    import doctest

    import explorer.board
    import explorer.room
    import explorer.store.db
    import explorer.store.work
    import explorer.sweep

    for module in (explorer.store.db, explorer.store.work, explorer.room, explorer.sweep,
                   explorer.board):
        assert doctest.testmod(module).failed == 0, module.__name__
