"""What can go wrong with saved work and rooms, as exception types whose messages a page shows.

Every type but `SchemaError` is an `InputError`: the user (or their link) asked for something that
is not there or not theirs, and the message says what and what to do. `SchemaError` is the
server's problem (a database this version of the app cannot read); it is raised when the store
opens, before any page is served, so the person starting the server reads it.
"""

from __future__ import annotations

from explorer.errors import InputError


class StoreError(InputError):
    """Base of every saved-work and room error a page shows as it is."""


class SchemaError(RuntimeError):
    """The database is newer than this app, not the app's at all, or cannot be read."""


class WorkNotFound(StoreError):
    """No saved work has this id: a mistyped or tampered link, or work cleaned up since."""


class LimitError(StoreError):
    """A size or count limit: a model too big to keep, a full room, too many runs."""


class RoomNotFound(StoreError):
    """No room has this code (a typo), or it was cleaned up."""


class RoomClosed(StoreError):
    """The room was ended by its presenter or has expired."""


class NotPresenter(StoreError):
    """A presenter action with a missing or wrong presenter key."""


class NotMember(StoreError):
    """An attendee action with an id that is not (or no longer) one of the room's members."""


class NameTaken(StoreError):
    """Another attendee of the room already has this display name (maybe the user's other tab)."""


class UnknownRun(StoreError):
    """A run id that is not one of this room's runs (a tampered address)."""
