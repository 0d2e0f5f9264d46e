"""Saved work and rooms in a database, through SQLAlchemy: SQLite by default, PostgreSQL by URL.

`Store()` opens the database this server uses (see db.py for `EXPLORER_DATA_DIR` and
`EXPLORER_DATABASE_URL`) and brings its schema up to date; work.py keeps one visitor's trained
model and runs under an unguessable id; explorer/room.py builds the workshop room on top.
"""

from explorer.store.db import (DATA_DIR_ENV, DATABASE_URL_ENV, Limits, Store, database_url,
                               migrate)
from explorer.store.errors import (LimitError, NameTaken, NotMember, NotPresenter, RoomClosed,
                                   RoomNotFound, SchemaError, StoreError, UnknownRun,
                                   WorkNotFound)
from explorer.store.work import (SavedWork, check_work_id, cleanup, forget_work, load_work,
                                 new_work, save_model, save_runs)

__all__ = [
    "DATABASE_URL_ENV", "DATA_DIR_ENV", "LimitError", "Limits", "NameTaken", "NotMember",
    "NotPresenter", "RoomClosed", "RoomNotFound", "SavedWork", "SchemaError", "Store",
    "StoreError", "UnknownRun", "WorkNotFound", "check_work_id", "cleanup", "database_url",
    "forget_work", "load_work", "migrate", "new_work", "save_model", "save_runs",
]
