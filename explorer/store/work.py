"""One visitor's work on the server: the trained model and the runs, kept under an unguessable id.

The page address carries the id, so a refresh, a dropped connection or a server restart finds
the work again. The model is kept as a workspace file (explorer/workspace/) compressed with
zlib: the same format, the same checks on the way back, and `restore_run` rebuilds it.

>>> store = Store("sqlite://")
>>> work_id = new_work(store)
>>> save_runs(store, work_id, [{"label": "#1", "history": {"loss": [0.7, 0.5]},
...                             "final": {"loss": 0.5}, "epochs": 2, "stopped": None}])
>>> [run["label"] for run in load_work(store, work_id).runs]
['#1']
"""

from __future__ import annotations

import math
import re
import secrets
import zlib
from dataclasses import dataclass

import sqlalchemy as sa

from explorer.store import schema
from explorer.store.db import Store
from explorer.store.errors import LimitError, WorkNotFound
from explorer.workspace import Workspace, workspace_from_json

_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")
_ID_BYTES = 32  # 43 characters of token_urlsafe: not guessable, not enumerable
_RUN_FIELDS = ("label", "settings", "history", "final", "epochs", "stopped", "seconds")


@dataclass(frozen=True)
class SavedWork:
    """What `load_work` found: the model as a checked `Workspace` (rebuild it with
    `explorer.workspace.restore_run`) or None, and the runs, oldest first, as the Train page
    keeps them (label, history, final, epochs, stopped, and settings and seconds when known)."""

    work_id: str
    workspace: Workspace | None
    runs: list[dict]


def new_work(store: Store) -> str:
    """Make a new, empty saved work and return its id (secrets.token_urlsafe, 43 characters)."""
    work_id = secrets.token_urlsafe(_ID_BYTES)
    now = store.clock()
    with store.write() as connection:
        connection.execute(sa.insert(schema.work).values(id=work_id, created_at=now, touched_at=now))
    return work_id


def check_work_id(work_id) -> str:
    """`work_id` if it has the form `new_work` gives, else WorkNotFound (nothing is looked up)."""
    if not isinstance(work_id, str) or not _ID_PATTERN.fullmatch(work_id):
        raise WorkNotFound(_not_found())
    return work_id


def save_model(store: Store, work_id: str, workspace_text: str | None) -> int:
    """Keep the work's trained model: a workspace file's text with the model in it (None forgets it).

    Args:
        store: the Store.
        work_id: from `new_work`.
        workspace_text: `explorer.workspace.workspace_to_json(..., model=...)`, or None.

    Returns:
        The bytes stored (compressed).

    Raises:
        WorkNotFound: no work has this id.
        LimitError: the model is bigger than the server keeps (`Limits.max_model_bytes`); the
            model kept before is forgotten too, so a refresh never brings back an older one.
    """
    check_work_id(work_id)
    data = None if workspace_text is None else zlib.compress(workspace_text.encode("utf-8"), 6)
    too_big = data is not None and len(data) > store.limits.max_model_bytes
    with store.write() as connection:
        _touch(store, connection, work_id)
        connection.execute(sa.delete(schema.models).where(schema.models.c.work_id == work_id))
        if data is not None and not too_big:
            connection.execute(sa.insert(schema.models).values(
                work_id=work_id, data=data, size=len(data), saved_at=store.clock()))
    if too_big:
        raise LimitError(
            f"The trained model takes {len(data) / 2**20:,.1f} MB; the server keeps models of up "
            f"to {store.limits.max_model_bytes / 2**20:,.0f} MB, so a refresh will not bring this "
            "one back. Keep it in a workspace file (Save & restore), or train with a smaller "
            "vocabulary size or output dimension.")
    return 0 if data is None else len(data)


def save_runs(store: Store, work_id: str, runs: list[dict]) -> str | None:
    """Keep the work's runs (oldest first), replacing those kept before.

    Returns:
        None, or a sentence when only the newest `Limits.runs_per_work` were kept.

    Raises:
        WorkNotFound: no work has this id.
    """
    check_work_id(work_id)
    limit = store.limits.runs_per_work
    kept = list(runs)[-limit:]
    now = store.clock()
    rows = [dict(_plain_run(run), work_id=work_id, created_at=now) for run in kept]
    with store.write() as connection:
        _touch(store, connection, work_id)
        connection.execute(sa.delete(schema.runs).where(schema.runs.c.work_id == work_id))
        if rows:
            connection.execute(sa.insert(schema.runs), rows)
    if len(runs) > limit:
        return f"The server keeps your last {limit} runs; the {len(runs) - limit} before them are gone."
    return None


def load_work(store: Store, work_id) -> SavedWork:
    """The work kept under `work_id`, checked as a workspace file is.

    Raises:
        WorkNotFound: a malformed id, or no work has it (cleaned up, or a tampered address).
        InputError: the stored model does not read back as a workspace file.
    """
    check_work_id(work_id)
    with store.write() as connection:
        _touch(store, connection, work_id)
        data = connection.execute(sa.select(schema.models.c.data).where(
            schema.models.c.work_id == work_id)).scalar()
        rows = connection.execute(sa.select(*[schema.runs.c[f] for f in _RUN_FIELDS]).where(
            schema.runs.c.work_id == work_id).order_by(schema.runs.c.id)).mappings().all()
    workspace = None if data is None else workspace_from_json(zlib.decompress(data))
    return SavedWork(work_id=work_id, workspace=workspace, runs=[_run_back(r) for r in rows])


def forget_work(store: Store, work_id: str) -> None:
    """Delete the work, its model and its runs (the page's "Start over")."""
    check_work_id(work_id)
    with store.write() as connection:
        connection.execute(sa.delete(schema.work).where(schema.work.c.id == work_id))


def cleanup(store: Store) -> dict[str, int]:
    """Delete work unused for `Limits.work_days` and rooms expired over `room_keep_days` ago.

    Their models, runs, members and room runs go with them. Returns the counts deleted.
    """
    now = store.clock()
    limits = store.limits
    with store.write() as connection:
        old_work = connection.execute(sa.delete(schema.work).where(
            schema.work.c.touched_at < now - limits.work_days * 86_400)).rowcount
        old_rooms = connection.execute(sa.delete(schema.rooms).where(
            schema.rooms.c.expires_at < now - limits.room_keep_days * 86_400)).rowcount
    return {"work": old_work, "rooms": old_rooms}


def _touch(store: Store, connection, work_id: str) -> None:
    touched = connection.execute(sa.update(schema.work).where(schema.work.c.id == work_id)
                                 .values(touched_at=store.clock())).rowcount
    if not touched:
        raise WorkNotFound(_not_found(store.limits.work_days))


def _not_found(days: float | None = None) -> str:
    when = f" (work unused for {days:g} days is cleaned up)" if days else ""
    return ("The saved work this page address points to is not on this server" + when + ", or "
            "the address was changed. Your reviews and settings in the address are kept; train "
            "again, or open a workspace file on Save & restore.")


def finite(value):
    """`value` with every non-finite float made None: JSON columns take no NaN."""
    if isinstance(value, dict):
        return {str(k): finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _plain_run(run: dict) -> dict:
    return {"label": str(run.get("label", "")), "settings": finite(run.get("settings")),
            "history": finite(run.get("history") or {}), "final": finite(run.get("final") or {}),
            "epochs": int(run.get("epochs", 0)), "stopped": run.get("stopped"),
            "seconds": float(run.get("seconds") or 0.0)}


def _run_back(row) -> dict:
    run = {f: row[f] for f in _RUN_FIELDS}
    if run["settings"] is None:
        del run["settings"]
    return run
