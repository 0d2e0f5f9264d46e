"""The workshop room: a presenter starts it, attendees join with a code and a name, runs are shared.

>>> import pandas as pd
>>> from explorer.store import Store
>>> store = Store("sqlite://")
>>> room = start_room(store, reviews=pd.DataFrame({"text": ["good food", "bad food"],
...                                               "label": [1, 0]}),
...                   class_names=("negative", "positive"), title="Two reviews",
...                   sweep=parse_sweep("vocab_size", "20, 50"))
>>> [join_room(store, room.code, name).sweep_value for name in ("Ann", "Bo", "Cy")]
[20, 50, 20]

The presenter key (`secrets.token_urlsafe`) is given once, kept only as its SHA-256 and compared
with `hmac.compare_digest`; the attendee's member id is as unguessable, so nobody acts for
another. What a room shares of a run: its settings, curves and metrics, the trained vectors of
the room's own words, and the model itself only when it was trained on the room's reviews alone,
so an attendee's extra reviews never leave their session. The board is explorer/board.py.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
import unicodedata
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, replace

import pandas as pd
import sqlalchemy as sa

from explorer.errors import InputError, is_valid_text
from explorer.model import ModelSettings
from explorer.store import schema
from explorer.store.db import Store
from explorer.store.errors import (LimitError, NameTaken, NotMember, NotPresenter, RoomClosed,
                                   RoomNotFound, StoreError)
from explorer.sweep import Sweep, parse_sweep, with_value  # noqa: F401 - parse_sweep for callers
from explorer.text import EncodeSettings, tokenize
from explorer.workspace import (Workspace, workspace_from_json,
                                workspace_to_json)

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ"  # no I, L or O: read from the back of a room
CODE_LENGTH = 6
MAX_NAME_CHARS = 40
MAX_ROOM_WORDS = 50  # the words whose trained vectors every run shares (most frequent first)
MAX_SETUP_BYTES = 8 * 2**20  # the room's reviews and settings, compressed
TRAINING_BEAT_SECONDS = 120  # "training" on the board lapses without a beat this long
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")  # could reverse the text around a name


@dataclass(frozen=True)
class StartedRoom:
    """A new room: its code, and the presenter key, given only here."""

    code: str
    presenter_key: str
    expires_at: float


@dataclass(frozen=True)
class RoomInfo:
    """What anyone with the code may know of a room; `setup` holds its reviews and settings."""

    code: str
    title: str
    locked: bool
    sweep: Sweep | None
    words: list[str]
    created_at: float
    expires_at: float
    ended_at: float | None
    members: int
    setup: Workspace


@dataclass(frozen=True)
class Membership:
    """One attendee in a room. `setup` is the room's work with their swept value filled in;
    `notes` says what was changed about the name they typed."""

    member_id: str
    name: str
    room: RoomInfo
    sweep_field: str | None
    sweep_value: object
    setup: Workspace
    notes: tuple[str, ...] = ()


# --- codes, keys, names, sweeps ------------------------------------------------------------------

def normalize_code(text) -> str:
    """A typed room code in its stored form: upper case, spaces and dashes dropped.

    >>> normalize_code(" abc-def ")
    'ABCDEF'

    Raises:
        RoomNotFound: it cannot be a room code.
    """
    code = re.sub(r"[\s-]", "", text).upper() if isinstance(text, str) else ""
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        shown = text[:20] if isinstance(text, str) else type(text).__name__
        raise RoomNotFound(f"A room code is {CODE_LENGTH} letters (never I, L or O), like "
                           f"KPTWXZ. Received: {shown!r}. Check the code on the presenter's screen.")
    return code


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def clean_name(name) -> tuple[str, tuple[str, ...]]:
    """A display name as it is kept: controls removed, spaces collapsed, at most 40 characters.

    >>> clean_name("  **Ann**   <b>x</b> ")
    ('**Ann** <b>x</b>', ())

    Markdown and HTML stay as typed characters: the pages show names with ui/markup.

    Returns:
        (name, notes), notes saying what was changed.

    Raises:
        InputError: nothing is left of the name, or it is not text.
    """
    if not isinstance(name, str) or not is_valid_text(name):
        raise InputError("`Your name` must be text. Type the name others will see on the board.")
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in name)
    kept = " ".join(_BIDI_CONTROLS.sub("", kept).split())
    if not kept:
        raise InputError("`Your name` must not be empty. Type the name others will see on "
                         "the board (any name; no account is made).")
    notes = []
    if len(kept) > MAX_NAME_CHARS:
        kept = kept[:MAX_NAME_CHARS].rstrip()
        notes.append(f"Names are at most {MAX_NAME_CHARS} characters, so yours was cut to "
                     f"“{kept}”.")
    return kept, tuple(notes)


# --- the presenter -----------------------------------------------------------------------------

def start_room(store: Store, *, reviews: pd.DataFrame, class_names, title: str,
               encode_settings: dict | None = None, model_settings: dict | None = None,
               embedding_start: str = "random", locked: bool = False,
               sweep: Sweep | None = None) -> StartedRoom:
    """Open a room with these reviews and settings (default: the settings' own defaults).

    Raises:
        InputError: reviews or settings a workspace file could not hold.
        LimitError: the reviews are too big to share with a room.
    """
    text = workspace_to_json(
        reviews=reviews, class_names=class_names, embedding_start=embedding_start,
        encode_settings=encode_settings or asdict(EncodeSettings()),
        model_settings=model_settings or asdict(ModelSettings()))
    setup = zlib.compress(text.encode("utf-8"), 6)
    if len(setup) > MAX_SETUP_BYTES:
        raise LimitError(f"A room's reviews may take at most {MAX_SETUP_BYTES // 2**20} MB "
                         "compressed; pick a smaller review set for the room.")
    key = secrets.token_urlsafe(32)
    now = store.clock()
    expires = now + store.limits.room_hours * 3600
    row = dict(presenter_hash=_hash(key), title=str(title)[:200], setup=setup,
               words=room_words(workspace_from_json(text).reviews["text"]), locked=bool(locked),
               sweep=None if sweep is None else sweep.as_json(), sweep_next=0, created_at=now,
               expires_at=expires, ended_at=None)
    for _ in range(20):  # 23^6 codes: a clash is rare, and then another code is drawn
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with store.write() as connection:
                connection.execute(sa.insert(schema.rooms).values(code=code, **row))
            return StartedRoom(code=code, presenter_key=key, expires_at=expires)
        except sa.exc.IntegrityError:
            continue
    raise LimitError("No free room code was found; try again.")  # pragma: no cover


def room_words(texts) -> list[str]:
    """The room's words whose vectors runs share: the most frequent, first appearance on ties."""
    counts = Counter(word for text in texts for word in tokenize(text))
    return [word for word, _ in counts.most_common(MAX_ROOM_WORDS)]


def check_presenter(store: Store, code, key) -> RoomInfo:
    """The room, when `key` is its presenter key (ended and expired rooms too).

    Raises:
        RoomNotFound, NotPresenter.
    """
    with store.read() as connection:
        row = _room_row(connection, normalize_code(code))
        info = _info(connection, row)
    if not isinstance(key, str) or not hmac.compare_digest(_hash(key), row.presenter_hash):
        raise NotPresenter(f"This link does not carry room {row.code}'s presenter key, so it "
                           "cannot change the room. Use the presenter link the room was started "
                           "with, or join as an attendee.")
    return info


def room_info(store: Store, code, *, open_only: bool = True) -> RoomInfo:
    """What anyone with the code may see of the room.

    Raises:
        RoomNotFound; RoomClosed when `open_only` and it was ended or has expired.
    """
    with store.read() as connection:
        row = _room_row(connection, normalize_code(code))
        if open_only:
            _check_open(store, row)
        return _info(connection, row)


def set_sweep(store: Store, code, key, sweep: Sweep | None) -> str:
    """Change (or stop, with None) the room's sweep; returns the sentence to show the presenter."""
    info = check_presenter(store, code, key)
    with store.write() as connection:
        connection.execute(sa.update(schema.rooms).where(schema.rooms.c.code == info.code).values(
            sweep=None if sweep is None else sweep.as_json(), sweep_next=0))
    who = (f"the {info.members} attendee{'s' if info.members != 1 else ''} already in the room "
           "keep the values they were given")
    if sweep is None:
        return f"The sweep is off: newcomers get the room's settings; {who}."
    shown = ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in sweep.values)
    return (f"From now on each attendee who joins gets the next {sweep.label} of {shown[:300]}; "
            f"{who}.")


def set_locked(store: Store, code, key, locked: bool) -> None:
    """Lock the room's settings (runs with others are refused) or only suggest them."""
    info = check_presenter(store, code, key)
    with store.write() as connection:
        connection.execute(sa.update(schema.rooms).where(schema.rooms.c.code == info.code)
                           .values(locked=bool(locked)))


def end_room(store: Store, code, key) -> None:
    """End the room: no more joins or runs; its board stays readable until it is cleaned up."""
    info = check_presenter(store, code, key)
    with store.write() as connection:
        connection.execute(sa.update(schema.rooms).where(
            (schema.rooms.c.code == info.code) & schema.rooms.c.ended_at.is_(None))
            .values(ended_at=store.clock()))


# --- attendees ----------------------------------------------------------------------------------

def join_room(store: Store, code, name) -> Membership:
    """Join with a display name; the room's sweep gives this attendee the next value.

    Raises:
        RoomNotFound, RoomClosed, LimitError (the room is full), NameTaken, InputError (name).
    """
    name, notes = clean_name(name)
    code = normalize_code(code)
    member_id = secrets.token_urlsafe(32)
    with store.write() as connection:
        row = _room_row(connection, code, lock=True)
        _check_open(store, row)
        active = _active_members(connection, code)
        if active >= store.limits.room_size:
            raise LimitError(f"Room {code} is full: it takes {store.limits.room_size} attendees. "
                             "Ask the presenter to start a second room.")
        taken = connection.execute(sa.select(schema.members.c.id).where(
            (schema.members.c.room_code == code)
            & (schema.members.c.name_key == name.casefold()))).first()
        if taken:
            raise NameTaken(f"Someone in room {code} already goes by “{name}”. If that is you "
                            "in another tab, carry on there; otherwise add a letter to your name.")
        field = value = None
        if row.sweep:
            field = row.sweep["field"]
            value = row.sweep["values"][row.sweep_next % len(row.sweep["values"])]
            connection.execute(sa.update(schema.rooms).where(schema.rooms.c.code == code)
                               .values(sweep_next=row.sweep_next + 1))
        connection.execute(sa.insert(schema.members).values(
            id=member_id, room_code=code, name=name, name_key=name.casefold(),
            joined_at=store.clock(), left_at=None, training_at=None, sweep_field=field,
            sweep_value=value))
    membership = member(store, member_id)
    return replace(membership, notes=notes)


def member(store: Store, member_id) -> Membership:
    """An attendee's place in their room, again (after a refresh, or in a second tab).

    Raises:
        NotMember: no such attendee, or they left. RoomClosed: the room ended or expired.
    """
    with store.read() as connection:
        person = _member_row(connection, member_id)
        row = _room_row(connection, person.room_code)
        _check_open(store, row)
        info = _info(connection, row)
    setup = info.setup
    if person.sweep_field:
        setup = with_value(setup, person.sweep_field, person.sweep_value)
    return Membership(member_id=person.id, name=person.name, room=info,
                      sweep_field=person.sweep_field, sweep_value=person.sweep_value, setup=setup)


def leave_room(store: Store, member_id) -> None:
    """Leave the room: the name is free again; runs posted stay on the board."""
    with store.write() as connection:
        person = _member_row(connection, member_id)
        connection.execute(sa.update(schema.members).where(schema.members.c.id == person.id)
                           .values(left_at=store.clock(), name_key=None, training_at=None,
                                   waiting_at=None))


def set_training(store: Store, member_id, training: bool) -> None:
    """Show (or stop showing) the attendee as training; call it again every minute or so while
    training, since a closed browser never says it stopped (TRAINING_BEAT_SECONDS)."""
    now = store.clock() if training else None
    _set_marks(store, member_id, training_at=now, waiting_at=None)


def set_waiting(store: Store, member_id) -> None:
    """Show the attendee as waiting in the server's line for a turn to train (not training
    yet); renewed like `set_training`, and replaced by it when their turn comes."""
    _set_marks(store, member_id, training_at=None, waiting_at=store.clock())


def _set_marks(store: Store, member_id, **marks) -> None:
    with store.write() as connection:
        person = _member_row(connection, member_id)
        connection.execute(sa.update(schema.members).where(schema.members.c.id == person.id)
                           .values(**marks))


# --- rows ----------------------------------------------------------------------------------------

def _room_row(connection, code: str, *, lock: bool = False):
    query = sa.select(schema.rooms).where(schema.rooms.c.code == code)
    row = connection.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise RoomNotFound(f"No room has the code {code}. Check it on the presenter's screen; "
                           "rooms are removed a day after they expire.")
    return row


def _check_open(store: Store, row) -> None:
    if row.ended_at is not None:
        raise RoomClosed(f"Room {row.code} was ended by its presenter; it takes no more joins "
                         "or runs. Your own work is still yours on the other pages.")
    if store.clock() >= row.expires_at:
        raise RoomClosed(f"Room {row.code} has expired (rooms last {store.limits.room_hours:g} "
                         "hours). Ask the presenter for a new room.")


def _active_members(connection, code: str) -> int:
    return connection.execute(sa.select(sa.func.count()).select_from(schema.members).where(
        (schema.members.c.room_code == code) & schema.members.c.left_at.is_(None))).scalar()


def _member_row(connection, member_id):
    row = None
    if isinstance(member_id, str) and len(member_id) <= 64:
        row = connection.execute(sa.select(schema.members).where(
            schema.members.c.id == member_id)).first()
    if row is None or row.left_at is not None:
        raise NotMember("This page address does not belong to anyone in a room (you may have "
                        "left it, or the address was changed). Join again with the room code.")
    return row


def _info(connection, row) -> RoomInfo:
    if not isinstance(row.setup, bytes | memoryview):
        raise StoreError("The room's reviews cannot be read.")  # pragma: no cover
    setup = _setup_of(bytes(row.setup))
    sweep = Sweep(row.sweep["field"], tuple(row.sweep["values"])) if row.sweep else None
    return RoomInfo(code=row.code, title=row.title, locked=row.locked, sweep=sweep,
                    words=list(row.words), created_at=row.created_at, expires_at=row.expires_at,
                    ended_at=row.ended_at, members=_active_members(connection, row.code),
                    setup=setup)


@functools.lru_cache(maxsize=8)
def _setup_of(blob: bytes) -> Workspace:
    """The room's reviews and settings, read once per process: a room's setup never changes,
    and every page run of every attendee (the menu's room line) and every board redraw asks for
    it. The Workspace is shared: callers replace it (dataclasses.replace), never change it."""
    return workspace_from_json(zlib.decompress(blob))
