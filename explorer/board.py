"""Runs posted to a room, and the presenter's board built from them.

`post_run` takes an attendee's finished `TrainResult` and keeps what the room shares (see
explorer/room.py); `board` reads everything the board draws in a few queries (histories only of
each attendee's latest run), so it can be redrawn every couple of seconds; `run_workspace` opens
a posted run's model for the presenter.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from explorer.kept import Recent
from explorer.room import TRAINING_BEAT_SECONDS, RoomInfo, check_presenter, member, room_info
from explorer.spreadsheet import frame_to_csv
from explorer.store import schema
from explorer.store.db import Store
from explorer.store.errors import LimitError, StoreError, UnknownRun
from explorer.store.work import finite
from explorer.sweep import setting_of
from explorer.workspace import (ARRAY_DTYPE, Workspace, saved_model, workspace_from_json,
                                workspace_to_json)

MAX_MAPS = 6  # attendees whose trained words the board draws side by side
_RUN_COLUMNS = ("id", "name", "label", "swept", "epochs", "accuracy", "val_accuracy", "loss",
                "val_loss", "seconds", "posted_at", "settings", "has_model")


@dataclass(frozen=True)
class Posted:
    """A run on the board: its id there, and a sentence about what was (not) shared."""

    run_id: int
    note: str = ""


@dataclass(frozen=True)
class Board:
    """Everything the board shows, as plain tables.

    members: name, joined_at, training and waiting (bool: holding a training turn, or waiting
        in the server's line for one), runs, swept (their given value), one row each.
    runs: one row per run, columns `_RUN_COLUMNS` (accuracies 0-1; val_* NaN without a split).
    points: swept value, name, accuracy, val_accuracy, one row per run (empty without a sweep).
    means: swept value, accuracy, val_accuracy, runs: the mean per value, in the sweep's order.
    curves: each attendee's latest run: {"run_id", "name", "label", "loss", "val_loss"}.
    maps: up to MAX_MAPS latest runs on the room's words: {"run_id", "name", "swept", "frame"}
        with frame columns word, x, y (PCA of that run's vectors, seeded).
    best: the runs row with the best validation accuracy (accuracy without a split), then the
        lowest loss, then the earliest; None before the first run.
    """

    room: RoomInfo
    members: pd.DataFrame
    runs: pd.DataFrame
    points: pd.DataFrame
    means: pd.DataFrame
    curves: list[dict]
    maps: list[dict]
    best: dict | None
    version: int = 0  # equal on two boards whose runs and sweep are the same (figures can be kept)


def run_settings(result) -> dict:
    """A TrainResult's settings as the room keeps them."""
    return {"encode_settings": asdict(result.encoded.settings),
            "model_settings": asdict(result.settings), "embedding_start": result.start}


def post_run(store: Store, member_id, result) -> Posted:
    """Post an attendee's finished run to their room (the same run twice is kept once).

    Args:
        store: the Store.
        member_id: from `join_room`.
        result: the `explorer.model.TrainResult`.

    Raises:
        NotMember, RoomClosed; LimitError (runs per attendee); StoreError when the room's
        settings are locked and the run's differ.
    """
    person = member(store, member_id)
    settings = run_settings(result)
    if person.room.locked:
        differ = locked_differences(person.setup, settings)
        if differ:
            raise StoreError("This room's settings are locked, and this run's differ: "
                             f"{'; '.join(differ)[:400]}. Set them back (Open the room's settings) "
                             "and train again; your run stays on your Train page.")
    history = finite(result.history)
    key = run_key(result.label, history, settings)
    words = person.room.words
    encoder = result.encoded.encoder
    vectors = {"words": words, "matrix": array_json(
        np.asarray(result.weights_after)[[encoder.id_of(w) for w in words]])}
    blob, note = shared_model(store, person.room, result, settings)
    limits = store.limits
    with store.write() as connection:
        runs = schema.room_runs.c
        existing = connection.execute(sa.select(runs.id).where(
            (runs.member_id == person.member_id) & (runs.run_key == key))).scalar()
        if existing is not None:
            return Posted(existing, "This run is on the board already.")
        count = connection.execute(sa.select(sa.func.count()).where(
            runs.member_id == person.member_id)).scalar()
        if count >= limits.runs_per_member:
            raise LimitError(f"You have posted {count} runs to room {person.room.code}, the most "
                             "one attendee may. This run stays on your Train page.")
        room_bytes = connection.execute(sa.select(sa.func.coalesce(sa.func.sum(runs.model_size), 0))
                                        .where(runs.room_code == person.room.code)).scalar()
        if blob is not None and room_bytes + len(blob) > limits.room_model_bytes:
            blob, note = None, "The room keeps no more models, so only its numbers are shared."
        run_id = connection.execute(sa.insert(schema.room_runs).values(
            room_code=person.room.code, member_id=person.member_id, run_key=key,
            label=str(result.label)[:300], settings=settings, history=history,
            final=finite(result.final), epochs=result.epochs_run, seconds=float(result.seconds),
            stopped=result.stopped, vectors=vectors, model=blob,
            model_size=0 if blob is None else len(blob), posted_at=store.clock())
            .returning(runs.id)).scalar()
        connection.execute(sa.update(schema.members).where(schema.members.c.id == person.member_id)
                           .values(training_at=None, waiting_at=None))
    return Posted(run_id, note)


def locked_differences(expected: Workspace, settings: dict) -> list[str]:
    """The settings in which `settings` differ from a locked room's (with the swept value)."""
    differ = []
    for place in ("encode_settings", "model_settings"):
        for name, value in getattr(expected, place).items():
            if settings[place].get(name) != value:
                differ.append(f"{name} (room: {value!r}, yours: {settings[place].get(name)!r})")
    if settings["embedding_start"] != expected.embedding_start:
        differ.append(f"embedding_start (room: {expected.embedding_start!r}, "
                      f"yours: {settings['embedding_start']!r})")
    return differ


def array_json(values) -> dict:
    """A float32 array in the workspace file's ARRAY form (non-finite values become 0)."""
    array = np.nan_to_num(np.asarray(values, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    data = np.ascontiguousarray(array, dtype="<f4").tobytes()
    return {"dtype": ARRAY_DTYPE, "shape": list(array.shape),
            "data": base64.b64encode(data).decode("ascii")}


def array_back(value: dict) -> np.ndarray:
    """The inverse of `array_json`."""
    return np.frombuffer(base64.b64decode(value["data"]), dtype="<f4").reshape(value["shape"])


def shared_model(store: Store, room: RoomInfo, result, settings: dict) -> tuple[bytes | None, str]:
    """The model a run shares with the room (workspace JSON, compressed), or None and why not."""
    saved = saved_model(result, reviews=room.setup.reviews, class_names=room.setup.class_names)
    if saved.reviews is not None:
        return None, ("It was trained on reviews besides the room's, so the room gets its numbers "
                      "and the room's words' vectors, not the model (your reviews stay yours).")
    text = workspace_to_json(reviews=room.setup.reviews, class_names=room.setup.class_names,
                             model=saved, **settings)
    blob = zlib.compress(text.encode("utf-8"), 6)
    if len(blob) > store.limits.max_model_bytes:
        return None, "Its model is too big to keep with the room, so only its numbers are shared."
    return blob, ""


def run_key(label: str, history: dict, settings: dict) -> str:
    """The same run posted twice (a rerun, a second tab) has one key."""
    text = json.dumps([label, finite(history), settings], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_workspace(store: Store, code, key, run_id) -> Workspace:
    """A posted run's model as a workspace, for the presenter to open as their own.

    Raises:
        NotPresenter; UnknownRun (not this room's run: a tampered address); StoreError when the
        run was posted without its model.
    """
    room = check_presenter(store, code, key)
    text = str(run_id)
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else -1
    with store.read() as connection:
        row = connection.execute(sa.select(schema.room_runs.c.model).where(
            (schema.room_runs.c.id == number)
            & (schema.room_runs.c.room_code == room.code))).first()
    if row is None:
        raise UnknownRun(f"Room {room.code} has no run {str(run_id)[:20]!r}. Pick a run from "
                         "the board's table.")
    if row.model is None:
        raise StoreError("This run was posted without its model (trained on other reviews too, "
                         "or too big); train with its settings to see it.")
    return workspace_from_json(zlib.decompress(bytes(row.model)))


@dataclass(frozen=True)
class RoomNow:
    """Who is in a room and which runs it has: what the board reads on every redraw.

    version: equal for two readings whose runs and sweep are the same (their drawings are).
    """

    room: RoomInfo
    people: tuple
    run_ids: tuple
    read_at: float
    version: tuple


def room_now(store: Store, code) -> RoomNow:
    """Room `code` as it is now, in two small queries (ended and expired rooms too)."""
    room = room_info(store, code, open_only=False)
    m, r = schema.members.c, schema.room_runs.c
    with store.read() as connection:
        people = tuple(connection.execute(sa.select(m.id, m.name, m.joined_at, m.training_at,
                                                    m.waiting_at, m.sweep_value).where(
            (m.room_code == room.code) & m.left_at.is_(None)).order_by(m.joined_at)).all())
        ids = tuple(connection.execute(sa.select(r.id).where(r.room_code == room.code)
                                       .order_by(r.id)).scalars())
    return RoomNow(room, people, ids, store.clock(),
                   (store.url, room.code, ids, room.sweep))  # Sweep: frozen, a tuple of values


def board(store: Store, code) -> Board:
    """The board of room `code` (ended and expired rooms too, until they are cleaned up)."""
    return board_of(store, room_now(store, code))


def board_of(store: Store, now: RoomNow, runs_as_of: RoomNow | None = None) -> Board:
    """The board of room reading `now`, with its runs as of reading `runs_as_of` (default
    `now`): the members as they are, the runs as last drawn, while a newer drawing is built.

    Redrawn every couple of seconds by every presenter's tab, so the runs' tables, curves and
    maps are rebuilt only when the list of run ids (or the sweep) changed since the last call,
    in this process (`_derived`).
    """
    runs_as_of = runs_as_of or now
    derived = _derived.get(runs_as_of.version)
    if derived is None:
        with store.read() as connection:
            derived = _derive(connection, runs_as_of.room, runs_as_of.run_ids,
                              place=(store.url, runs_as_of.room.code))
        _derived.put(runs_as_of.version, derived)
    members = pd.DataFrame(
        [{"name": p.name, "joined_at": p.joined_at, "runs": derived["counts"].get(p.name, 0),
          "training": _recent(p.training_at, now.read_at),
          "waiting": not _recent(p.training_at, now.read_at) and _recent(p.waiting_at,
                                                                          now.read_at),
          "swept": p.sweep_value} for p in now.people],
        columns=["name", "joined_at", "training", "waiting", "runs", "swept"])
    return Board(room=now.room, members=members, runs=derived["runs"], points=derived["points"],
                 means=derived["means"], curves=derived["curves"], maps=derived["maps"],
                 best=derived["best"], version=hash(runs_as_of.version))


def _recent(beat: float | None, now: float) -> bool:
    return beat is not None and now - beat < TRAINING_BEAT_SECONDS


def _derive(connection, room: RoomInfo, ids: tuple, place: tuple) -> dict:
    """What the board draws of runs `ids`: read once per new run, not once per redraw."""
    m, r = schema.members.c, schema.room_runs.c
    rows = connection.execute(sa.select(r.id, r.member_id, r.label, r.settings, r.final,
                                        r.epochs, r.seconds, r.posted_at, r.model_size,
                                        m.name).join(schema.members).where(
        (r.room_code == room.code) & r.id.in_(ids)).order_by(r.id)).all() if ids else []
    latest = _latest_per_member(rows)
    detail = {row.id: row for row in connection.execute(
        sa.select(r.id, r.history, r.vectors).where(r.id.in_(latest)))} if latest else {}
    runs = _runs_frame(rows, room)
    points, means = _sweep_tables(runs, room)
    names = {row.id: row.name for row in rows}
    labels = dict(zip(runs["id"], runs["label"]))
    curves = [{"run_id": i, "name": names[i], "label": labels[i],
               "loss": detail[i].history.get("loss", []),
               "val_loss": detail[i].history.get("val_loss", [])} for i in latest]
    return {"runs": runs, "points": points, "means": means, "curves": curves,
            "maps": _maps(latest, detail, names, runs, place), "best": _best(runs),
            "counts": runs.groupby("name").size().to_dict() if len(runs) else {}}


_derived = Recent()
_frames = Recent(size=256)  # (database, room, run id) -> that run's words in PCA


def runs_csv(board_: Board) -> str:
    """The board's runs table as CSV text a spreadsheet opens safely."""
    return frame_to_csv(board_.runs.drop(columns=["has_model"]))


def _latest_per_member(rows) -> list[int]:
    latest = {}
    for row in rows:  # ordered by id: the last one seen is the latest
        latest[row.member_id] = row.id
    return sorted(latest.values())


def _runs_frame(rows, room: RoomInfo) -> pd.DataFrame:
    field = room.sweep.field if room.sweep else None
    records = []
    for row in rows:
        final = row.final or {}
        records.append({
            "id": row.id, "name": row.name, "label": row.label,
            "swept": setting_of(row.settings, field) if field else None, "epochs": row.epochs,
            **{k: _number(final.get(k)) for k in ("accuracy", "val_accuracy", "loss", "val_loss")},
            "seconds": row.seconds, "posted_at": row.posted_at,
            "settings": _settings_text(row.settings), "has_model": row.model_size > 0})
    return pd.DataFrame(records, columns=list(_RUN_COLUMNS))


def _number(value) -> float:
    return float("nan") if value is None else float(value)


def _settings_text(settings: dict) -> str:
    e, m = settings["encode_settings"], settings["model_settings"]
    return (f"{e['method']} {e['vocab_size']}×{e['max_length']}, dim {m['output_dim']}, "
            f"{m['head']}, {m['optimizer']} {m['learning_rate']:g}, {m['epochs']} epochs, "
            f"split {m['validation_split']:g}, seed {m['seed']}, {settings['embedding_start']}")


def _sweep_tables(runs: pd.DataFrame, room: RoomInfo) -> tuple[pd.DataFrame, pd.DataFrame]:
    points = runs[["swept", "name", "accuracy", "val_accuracy"]].copy() if room.sweep else (
        pd.DataFrame(columns=["swept", "name", "accuracy", "val_accuracy"]))
    columns = ["swept", "accuracy", "val_accuracy", "runs"]
    if not len(points):
        return points, pd.DataFrame(columns=columns)
    grouped = points.groupby("swept", sort=False)
    means = grouped[["accuracy", "val_accuracy"]].mean().join(grouped.size().rename("runs"))
    order = [v for v in dict.fromkeys(room.sweep.values) if v in means.index]
    order += sorted((v for v in means.index if v not in order), key=str)  # off-sweep values
    return points, means.loc[order].reset_index()[columns]


def _maps(latest: list[int], detail: dict, names: dict, runs: pd.DataFrame,
          place: tuple) -> list[dict]:
    swept = runs.set_index("id")["swept"].to_dict()
    chosen, seen = [], set()
    for run_id in reversed(latest):  # the newest first, one per swept value, then any
        if swept[run_id] not in seen or len(latest) <= MAX_MAPS:
            chosen.append(run_id)
            seen.add(swept[run_id])
    chosen += [i for i in reversed(latest) if i not in chosen]
    maps = []
    for run_id in sorted(chosen[:MAX_MAPS]):
        maps.append({"run_id": run_id, "name": names[run_id], "swept": swept[run_id],
                     "frame": _map_frame(place, run_id, detail)})
    return maps


def _map_frame(place: tuple, run_id: int, detail: dict) -> pd.DataFrame:
    """One run's words in PCA, computed once per run (a posted run never changes): each new
    run changed which six are drawn, and all six were projected again."""
    key = (*place, run_id)
    frame = _frames.get(key)
    if frame is None:
        frame = _project_words(detail[run_id].vectors)
        _frames.put(key, frame)
    return frame


def _project_words(vectors: dict) -> pd.DataFrame:
    from explorer.projection import project

    words = vectors["words"]
    matrix = array_back(vectors["matrix"]).astype(np.float64)
    if len(words) < 3 or matrix.shape[1] < 2:  # PCA needs 2 dimensions to spread over
        padded = np.zeros((len(words), 2))
        padded[:, :matrix.shape[1]] = matrix[:, :2]
        return pd.DataFrame({"word": words, "x": padded[:, 0], "y": padded[:, 1]})
    return project(matrix, method="pca", labels=words, random_state=0)[["word", "x", "y"]]


def _best(runs: pd.DataFrame) -> dict | None:
    if not len(runs):
        return None
    score = "val_accuracy" if runs["val_accuracy"].notna().any() else "accuracy"
    ranked = runs.assign(_score=runs[score].fillna(-1.0), _loss=runs["loss"].fillna(np.inf))
    ranked = ranked.sort_values(["_score", "_loss", "id"], ascending=[False, True, True])
    return ranked.drop(columns=["_score", "_loss"]).iloc[0].to_dict()
