"""The workshop room (explorer/room.py, sweep.py, board.py) on SQLite and a real PostgreSQL.

The runs are real: tutorial models trained for a few epochs once per module.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from explorer import board as room_board
from explorer import room
from explorer.errors import InputError
from explorer.model import ModelSettings, prepare, train
from explorer.reviews import load_sample, validate_reviews
from explorer.store import (LimitError, Limits, NameTaken, NotMember, NotPresenter, RoomClosed,
                            RoomNotFound, Store, StoreError, UnknownRun, cleanup, schema)
from explorer.sweep import Sweep, parse_sweep, with_value
from explorer.text import EncodeSettings, encode
from tests.test_store import Clock

CLASSES = ("negative", "positive")
SECRET = "xyzzy-plugh"  # a word only in one attendee's own extra review


@pytest.fixture(scope="module")
def reviews():
    return load_sample("Restaurant reviews")


def trained(reviews, *, vocab_size=50, validation_split=0.0, epochs=4, label="#1"):
    texts, labels = validate_reviews(reviews, class_names=CLASSES)
    encoded = encode(texts, EncodeSettings(vocab_size=vocab_size))
    result = train(prepare(encoded, labels, settings=ModelSettings(
        epochs=epochs, validation_split=validation_split)))
    result.label = label
    return result


@pytest.fixture(scope="module")
def runs(reviews):
    extra = pd.concat([reviews, pd.DataFrame({"text": [f"{SECRET} secret plan"], "label": [1]})],
                      ignore_index=True)
    return {"v50": trained(reviews), "v20": trained(reviews, vocab_size=20),
            "v20b": trained(reviews, vocab_size=20, epochs=6, label="#2"),
            "extra": trained(extra, label="#3"),
            "split": trained(reviews, validation_split=0.2, label="#4")}


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
    store = Store(url, limits=Limits(room_size=3, runs_per_member=3), clock=clock)
    yield store
    store.close()


@pytest.fixture
def started(store, reviews):
    return room.start_room(store, reviews=reviews, class_names=CLASSES, title="Restaurant reviews",
                           sweep=parse_sweep("vocab_size", "50, 20"))


def everything_stored(store) -> str:
    """Every value of every table as text: to check what the database never holds."""
    import zlib

    parts = []
    with store.read() as connection:
        for table in schema.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        value = zlib.decompress(bytes(value)).decode("utf-8")
                    parts.append(str(value))
    return "\n".join(parts)


# --- codes and names -----------------------------------------------------------------------------

@pytest.mark.parametrize("typed, code", [("KPTWXZ", "KPTWXZ"), (" kpt-wxz ", "KPTWXZ"),
                                         ("kpt wxz", "KPTWXZ")])
def test_a_typed_code_is_read_as_the_presenter_shows_it(typed, code):
    assert room.normalize_code(typed) == code


@pytest.mark.parametrize("typed", ["", "KPTWX", "KPTWXZA", "KPTWXO", "KPT1XZ", None, "É" * 6])
def test_what_cannot_be_a_code_is_refused_saying_what_a_code_is(typed):
    with pytest.raises(RoomNotFound, match="A room code is 6 letters"):
        room.normalize_code(typed)


def test_a_ten_thousand_character_name_is_cut_with_a_note():
    name, notes = room.clean_name("A" * 10_000)
    assert name == "A" * 40
    assert notes == ("Names are at most 40 characters, so yours was cut to “" + "A" * 40 + "”.",)


def test_markdown_and_html_in_a_name_stay_as_characters_and_controls_go():
    assert room.clean_name("<script>alert(1)</script>") == ("<script>alert(1)</script>", ())
    assert room.clean_name("**Ann**\n\n# big\x00\u202eevil") == ("**Ann** # big evil", ())


@pytest.mark.parametrize("bad", ["", "   ", "\n\t", "\u202e", None, 5, "\udfff"])
def test_a_name_with_nothing_left_is_refused(bad):
    with pytest.raises(InputError, match="`Your name` must"):
        room.clean_name(bad)


# --- sweeps --------------------------------------------------------------------------------------

@pytest.mark.parametrize("field, values, expected", [
    ("vocab_size", "10, 20, 50", (10, 20, 50)),
    ("vocab_size", "10..50 step 20", (10, 30, 50)),
    ("max_length", "2 to 4", (2, 3, 4)),
    ("learning_rate", "0.001..0.004 step 0.001", (0.001, 0.002, 0.003, 0.004)),
    ("learning_rate", [0.01, 1], (0.01, 1.0)),
    ("validation_split", "0, 0.25", (0.0, 0.25)),
    ("head", "flatten, lstm", ("flatten", "lstm")),
    ("embedding_start", ["random", "glove_tuned"], ("random", "glove_tuned")),
    ("epochs", [5], (5,)),
    ("output_dim", "4..8 step 4", (4, 8)),
])
def test_a_sweep_is_read_from_a_list_or_a_range(field, values, expected):
    sweep = parse_sweep(field, values)
    assert sweep.values == expected and all(type(v) is type(e) for v, e in zip(sweep.values, expected))


@pytest.mark.parametrize("field, values, message", [
    ("seed", "1, 2", "`sweep setting` must be one of vocab_size"),
    ("vocab_size", "1, 10", r"In the sweep of Vocabulary size: `vocab_size` must be between 2"),
    ("vocab_size", "ten", "must be numbers separated by commas"),
    ("vocab_size", "", "needs 1 to 200 values"),
    ("vocab_size", "1..10000", "needs 1 to 200 values"),
    ("learning_rate", "0.1..0.01 step 0.01", "goes from low to high"),
    ("learning_rate", "0.01..0.1", "goes from low to high"),
    ("validation_split", "0.7", "must be between 0 and 0.5 on the Train page"),
    ("head", "flatten, dense", "`head` must be one of"),
])
def test_a_bad_sweep_is_refused_in_the_words_of_the_controls(field, values, message):
    with pytest.raises(InputError, match=message):
        parse_sweep(field, values)


def test_with_value_sets_the_swept_setting_and_glove_frozen_freezes(reviews, store, started):
    setup = room.room_info(store, started.code).setup
    assert with_value(setup, "vocab_size", 20).encode_settings["vocab_size"] == 20
    frozen = with_value(setup, "embedding_start", "glove_frozen")
    assert frozen.embedding_start == "glove_frozen" and frozen.model_settings["trainable"] is False


# --- starting, presenting, joining ---------------------------------------------------------------

def test_a_room_has_a_readable_code_and_keeps_only_a_hash_of_the_key(store, started, clock):
    assert len(started.code) == 6 and set(started.code) <= set(room.CODE_ALPHABET)
    assert len(started.presenter_key) >= 40 and started.expires_at == clock.now + 24 * 3600
    assert started.presenter_key not in everything_stored(store)
    info = room.check_presenter(store, started.code.lower(), started.presenter_key)
    assert (info.title, info.members, info.sweep) == ("Restaurant reviews", 0,
                                                      Sweep("vocab_size", (50, 20)))
    assert info.words[:3] == ["food", "service", "the"] or len(info.words) <= room.MAX_ROOM_WORDS


@pytest.mark.parametrize("key", [None, "", "x", "forged" * 8])
def test_a_forged_presenter_key_changes_nothing(store, started, key):
    with pytest.raises(NotPresenter, match="presenter key"):
        room.end_room(store, started.code, key)
    with pytest.raises(NotPresenter):
        room.set_sweep(store, started.code, key, None)
    assert room.room_info(store, started.code).ended_at is None


def test_bad_reviews_do_not_start_a_room(store):
    with pytest.raises(InputError):
        room.start_room(store, reviews=pd.DataFrame({"text": ["a"], "label": [7]}),
                        class_names=CLASSES, title="x")


def test_attendees_get_the_next_swept_value_cycling(store, started):
    people = [room.join_room(store, started.code, name) for name in ("Ann", "Bo", "Cy")]
    assert [p.sweep_value for p in people] == [50, 20, 50]
    assert [p.setup.encode_settings["vocab_size"] for p in people] == [50, 20, 50]
    assert people[1].setup.reviews.equals(room.room_info(store, started.code).setup.reviews)


def test_changing_the_sweep_mid_room_applies_to_newcomers_and_says_so(store, started):
    ann = room.join_room(store, started.code, "Ann")
    bo = room.join_room(store, started.code, "Bo")
    message = room.set_sweep(store, started.code, started.presenter_key,
                             parse_sweep("output_dim", "4, 16"))
    assert message == ("From now on each attendee who joins gets the next Output dimension of "
                       "4, 16; the 2 attendees already in the room keep the values they were given.")
    cy = room.join_room(store, started.code, "Cy")
    assert (cy.sweep_field, cy.sweep_value, cy.setup.model_settings["output_dim"]) == (
        "output_dim", 4, 4)
    assert room.member(store, ann.member_id).sweep_value == 50
    assert room.member(store, bo.member_id).setup.encode_settings["vocab_size"] == 20
    off = room.set_sweep(store, started.code, started.presenter_key, None)
    assert off.startswith("The sweep is off: newcomers get the room's settings; the 3 attendees")


def test_the_room_takes_at_most_its_size(store, started):
    for name in ("Ann", "Bo", "Cy"):
        room.join_room(store, started.code, name)
    with pytest.raises(LimitError, match=r"Room [A-Z]{6} is full: it takes 3 attendees"):
        room.join_room(store, started.code, "Dee")


def test_a_name_in_use_is_refused_and_free_again_after_leaving(store, started):
    ann = room.join_room(store, started.code, "Ann")
    with pytest.raises(NameTaken, match="already goes by “ann”. If that is you in another tab"):
        room.join_room(store, started.code, "  ann ")
    room.leave_room(store, ann.member_id)
    with pytest.raises(NotMember, match="Join again with the room code"):
        room.member(store, ann.member_id)
    assert room.join_room(store, started.code, "ann").name == "ann"


def test_a_second_tab_of_one_attendee_is_the_same_attendee(store, started):
    ann = room.join_room(store, started.code, "Ann")
    again = room.member(store, ann.member_id)
    assert (again.name, again.sweep_value, again.room.members) == ("Ann", 50, 1)


@pytest.mark.parametrize("tampered", ["", "x" * 43, "x" * 1000, None, 42])
def test_a_tampered_member_id_is_nobody(store, started, tampered):
    with pytest.raises(NotMember):
        room.member(store, tampered)
    with pytest.raises(NotMember):
        room.set_training(store, tampered, True)


def test_a_long_html_name_is_kept_as_typed_and_cut(store, started):
    joined = room.join_room(store, started.code, "<b>" + "x" * 10_000)
    assert joined.name == "<b>" + "x" * 37 and joined.notes and "cut" in joined.notes[0]


def test_unknown_ended_and_expired_rooms_say_so(store, started, clock):
    with pytest.raises(RoomNotFound, match="No room has the code ABCDEF"):
        room.join_room(store, "ABCDEF", "Ann")
    ann = room.join_room(store, started.code, "Ann")
    clock.now += 24 * 3600
    with pytest.raises(RoomClosed, match="has expired \\(rooms last 24 hours\\)"):
        room.join_room(store, started.code, "Bo")
    with pytest.raises(RoomClosed):
        room.member(store, ann.member_id)
    clock.now -= 3600
    room.end_room(store, started.code, started.presenter_key)
    with pytest.raises(RoomClosed, match="was ended by its presenter"):
        room.join_room(store, started.code, "Bo")
    assert room_board.board(store, started.code).room.ended_at is not None


def test_joins_at_once_each_get_their_own_value(url, reviews):
    """Several server processes share one database: joins at the same moment never get the
    same place in the sweep, and never overfill the room."""
    stores = [Store(url, limits=Limits(room_size=8)) for _ in range(2)]  # two "replicas"
    started = room.start_room(stores[0], reviews=reviews, class_names=CLASSES, title="t",
                              sweep=parse_sweep("vocab_size", "10..100 step 10"))
    values, errors = [], []

    def join(i):
        try:
            values.append(room.join_room(stores[i % 2], started.code, f"p{i}").sweep_value)
        except LimitError as error:
            errors.append(error)

    threads = [threading.Thread(target=join, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(values) == list(range(10, 90, 10)) and len(errors) == 2
    assert len(room_board.board(stores[1], started.code).members) == 8


# --- runs and the board -------------------------------------------------------------------------

def test_a_posted_run_is_on_the_board_with_its_numbers(store, started, runs):
    ann = room.join_room(store, started.code, "Ann")
    room.set_training(store, ann.member_id, True)
    assert room_board.board(store, started.code).members["training"].tolist() == [True]
    posted = room_board.post_run(store, ann.member_id, runs["v50"])
    assert posted.note == ""
    view = room_board.board(store, started.code)
    row = view.runs.iloc[0]
    assert (row["id"], row["name"], row["swept"], row["epochs"]) == (posted.run_id, "Ann", 50, 4)
    assert row["accuracy"] == pytest.approx(runs["v50"].final["accuracy"])
    assert np.isnan(row["val_accuracy"]) and row["has_model"]
    assert view.members[["name", "training", "runs"]].values.tolist() == [["Ann", False, 1]]
    assert view.curves == [{"run_id": posted.run_id, "name": "Ann", "label": "#1",
                            "loss": pytest.approx(runs["v50"].history["loss"]), "val_loss": []}]
    assert view.best["id"] == posted.run_id


def test_training_lapses_when_the_browser_stops_beating(store, started, clock):
    ann = room.join_room(store, started.code, "Ann")
    room.set_training(store, ann.member_id, True)
    clock.now += room.TRAINING_BEAT_SECONDS + 1
    assert room_board.board(store, started.code).members["training"].tolist() == [False]


def test_waiting_for_a_turn_is_told_apart_from_training(store, started, clock, runs):
    ann = room.join_room(store, started.code, "Ann")
    bo = room.join_room(store, started.code, "Bo")

    def marks():
        members = room_board.board(store, started.code).members
        return list(zip(members["name"], members["training"], members["waiting"]))

    assert marks() == [("Ann", False, False), ("Bo", False, False)]
    room.set_waiting(store, ann.member_id)
    room.set_training(store, bo.member_id, True)
    assert marks() == [("Ann", False, True), ("Bo", True, False)]
    room.set_training(store, ann.member_id, True)  # Ann's turn came
    assert marks() == [("Ann", True, False), ("Bo", True, False)]
    room.set_waiting(store, bo.member_id)
    clock.now += room.TRAINING_BEAT_SECONDS + 1  # a closed browser waits no longer either
    assert marks() == [("Ann", False, False), ("Bo", False, False)]
    room.set_waiting(store, ann.member_id)
    room_board.post_run(store, ann.member_id, runs["v50"])  # a posted run ends the marks
    assert marks() == [("Ann", False, False), ("Bo", False, False)]


def test_the_board_is_rebuilt_only_when_its_runs_change(store, started, runs, monkeypatch):
    ann = room.join_room(store, started.code, "Ann")
    room_board.post_run(store, ann.member_id, runs["v50"])
    first = room_board.board(store, started.code)
    built = []
    real = room_board._derive
    monkeypatch.setattr(room_board, "_derive", lambda *a, **k: built.append(1) or real(*a, **k))
    again = room_board.board(store, started.code)
    assert built == [] and again.version == first.version and again.maps is first.maps
    room.set_training(store, ann.member_id, True)  # who trains is read every time
    assert room_board.board(store, started.code).members["training"].tolist() == [True]
    assert built == []
    bo = room.join_room(store, started.code, "Bo")
    room_board.post_run(store, bo.member_id, runs["v20"])
    changed = room_board.board(store, started.code)
    assert built == [1] and changed.version != first.version
    assert changed.runs["name"].tolist() == ["Ann", "Bo"]


def test_a_board_drawn_from_an_earlier_reading_shows_its_runs_and_todays_members(store, started,
                                                                               runs):
    ann = room.join_room(store, started.code, "Ann")
    room_board.post_run(store, ann.member_id, runs["v50"])
    before = room_board.room_now(store, started.code)
    bo = room.join_room(store, started.code, "Bo")
    room_board.post_run(store, bo.member_id, runs["v20"])
    room.set_training(store, ann.member_id, True)
    now = room_board.room_now(store, started.code)
    assert now.version != before.version and now.run_ids[:1] == before.run_ids
    drawn = room_board.board_of(store, now, runs_as_of=before)
    assert drawn.runs["name"].tolist() == ["Ann"]  # the runs as drawn before Bo's
    assert drawn.version == room_board.board_of(store, before).version
    assert drawn.members[["name", "training", "runs"]].values.tolist() == [
        ["Ann", True, 1], ["Bo", False, 0]]  # who is here and trains: now; their runs: as drawn
    assert room_board.board_of(store, now).runs["name"].tolist() == ["Ann", "Bo"]


def test_the_same_run_posted_twice_is_kept_once(store, started, runs):
    ann = room.join_room(store, started.code, "Ann")
    first = room_board.post_run(store, ann.member_id, runs["v50"])
    again = room_board.post_run(store, ann.member_id, runs["v50"])
    assert again == room_board.Posted(first.run_id, "This run is on the board already.")
    assert len(room_board.board(store, started.code).runs) == 1


def test_an_attendee_posts_at_most_the_runs_limit(store, started, runs):
    ann = room.join_room(store, started.code, "Ann")
    for key in ("v50", "v20", "v20b"):
        room_board.post_run(store, ann.member_id, runs[key])
    with pytest.raises(LimitError, match="You have posted 3 runs to room .*, the most one "
                                         "attendee may. This run stays on your Train page"):
        room_board.post_run(store, ann.member_id, runs["split"])


def test_extra_reviews_never_reach_the_room(store, started, runs):
    ann = room.join_room(store, started.code, "Ann")
    posted = room_board.post_run(store, ann.member_id, runs["extra"])
    assert "trained on reviews besides the room's" in posted.note
    assert SECRET not in everything_stored(store) and "secret plan" not in everything_stored(store)
    view = room_board.board(store, started.code)
    assert not view.runs.iloc[0]["has_model"]
    assert view.maps[0]["frame"]["word"].tolist() == view.room.words
    with pytest.raises(StoreError, match="posted without its model"):
        room_board.run_workspace(store, started.code, started.presenter_key, posted.run_id)


def test_the_presenter_opens_a_run_as_it_was_trained(store, started, runs):
    from explorer.workspace import restore_run

    ann = room.join_room(store, started.code, "Ann")
    posted = room_board.post_run(store, ann.member_id, runs["v50"])
    workspace = room_board.run_workspace(store, started.code, started.presenter_key,
                                         str(posted.run_id))
    rebuilt = restore_run(workspace)
    for mine, theirs in zip(rebuilt.model.get_weights(), runs["v50"].model.get_weights()):
        np.testing.assert_array_equal(mine, theirs)
    with pytest.raises(NotPresenter):
        room_board.run_workspace(store, started.code, "forged", posted.run_id)


def test_a_tampered_run_id_is_not_this_rooms(store, started, runs, reviews):
    other = room.start_room(store, reviews=reviews, class_names=CLASSES, title="other")
    bo = room.join_room(store, other.code, "Bo")
    theirs = room_board.post_run(store, bo.member_id, runs["v50"]).run_id
    for tampered in (theirs, str(theirs), "-1", "1 OR 1=1", 10**12, None):
        with pytest.raises(UnknownRun, match="has no run"):
            room_board.run_workspace(store, started.code, started.presenter_key, tampered)


def test_a_locked_room_refuses_runs_with_other_settings(store, reviews, runs):
    locked = room.start_room(store, reviews=reviews, class_names=CLASSES, title="locked",
                             locked=True, model_settings=ModelSettings(epochs=4).__dict__)
    ann = room.join_room(store, locked.code, "Ann")
    assert room_board.post_run(store, ann.member_id, runs["v50"]).run_id
    with pytest.raises(StoreError, match=r"settings are locked.*vocab_size \(room: 50, yours: 20\)"):
        room_board.post_run(store, ann.member_id, runs["v20"])
    room.set_locked(store, locked.code, locked.presenter_key, False)
    assert room_board.post_run(store, ann.member_id, runs["v20"]).run_id


def test_the_sweep_chart_has_one_dot_per_run_and_the_mean_per_value(store, started, runs):
    ann, bo, cy = (room.join_room(store, started.code, n) for n in ("Ann", "Bo", "Cy"))
    room_board.post_run(store, ann.member_id, runs["v50"])
    room_board.post_run(store, bo.member_id, runs["v20"])
    room_board.post_run(store, bo.member_id, runs["v20b"])
    room_board.post_run(store, cy.member_id, runs["split"])  # vocab 50, with a validation split
    view = room_board.board(store, started.code)
    assert view.points["swept"].tolist() == [50, 20, 20, 50]
    means = view.means.set_index("swept")
    assert list(means.index) == [50, 20]  # in the sweep's order
    acc = {k: r.final["accuracy"] for k, r in runs.items()}
    assert means.at[20, "accuracy"] == pytest.approx((acc["v20"] + acc["v20b"]) / 2)
    assert means.at[50, "runs"] == 2 and means.at[20, "runs"] == 2
    assert means.at[50, "val_accuracy"] == pytest.approx(runs["split"].final["val_accuracy"])
    assert [c["name"] for c in view.curves] == ["Ann", "Bo", "Cy"]  # each one's latest run
    assert [c["label"] for c in view.curves] == ["#1", "#2", "#4"]
    assert [m["name"] for m in view.maps] == ["Ann", "Bo", "Cy"]
    assert all(len(m["frame"]) == len(view.room.words) for m in view.maps)
    # With a validation split somewhere, the best is by validation accuracy.
    assert view.best["name"] == "Cy"


def test_runs_csv_quotes_what_a_spreadsheet_would_run(store, started, runs):
    ann = room.join_room(store, started.code, "=HYPERLINK(1)")
    room_board.post_run(store, ann.member_id, runs["v50"])
    text = room_board.runs_csv(room_board.board(store, started.code))
    assert text.splitlines()[0].startswith("id,name,label,swept,epochs,accuracy")
    assert "'=HYPERLINK(1)" in text


def test_an_empty_board_has_empty_tables(store, started):
    view = room_board.board(store, started.code)
    assert view.runs.empty and view.members.empty and view.means.empty
    assert (view.curves, view.maps, view.best) == ([], [], None)


def test_an_ended_room_takes_no_runs(store, started, runs):
    ann = room.join_room(store, started.code, "Ann")
    room.end_room(store, started.code, started.presenter_key)
    with pytest.raises(RoomClosed):
        room_board.post_run(store, ann.member_id, runs["v50"])


def test_cleanup_removes_rooms_a_day_after_they_expire(store, started, runs, clock):
    ann = room.join_room(store, started.code, "Ann")
    room_board.post_run(store, ann.member_id, runs["v50"])
    clock.now += 24 * 3600 + 23 * 3600
    assert cleanup(store)["rooms"] == 0
    clock.now += 2 * 3600
    assert cleanup(store)["rooms"] == 1
    with pytest.raises(RoomNotFound):
        room_board.board(store, started.code)
    with store.read() as connection:
        for table in (schema.members, schema.room_runs):
            assert connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0


def test_a_room_started_in_one_replica_is_seen_in_another(url, reviews, runs):
    one, two = Store(url), Store(url)
    started = room.start_room(one, reviews=reviews, class_names=CLASSES, title="t")
    ann = room.join_room(two, started.code, "Ann")
    room_board.post_run(one, ann.member_id, runs["v50"])
    assert room_board.board(two, started.code).runs["name"].tolist() == ["Ann"]
    assert replace(room.member(one, ann.member_id), notes=()).name == "Ann"


def test_a_runs_map_is_projected_once_and_the_same_every_time(store, started, runs, monkeypatch):
    ann = room.join_room(store, started.code, "Ann")
    room_board.post_run(store, ann.member_id, runs["v50"])
    first = room_board.board(store, started.code).maps[0]["frame"]
    projected = []
    real = room_board._project_words
    monkeypatch.setattr(room_board, "_project_words",
                        lambda vectors: projected.append(1) or real(vectors))
    bo = room.join_room(store, started.code, "Bo")
    room_board.post_run(store, bo.member_id, runs["v20"])
    maps = room_board.board(store, started.code).maps
    assert [m["name"] for m in maps] == ["Ann", "Bo"]
    assert projected == [1]  # only Bo's new run
    assert maps[0]["frame"].equals(first)
    with store.read() as connection:  # and it is what projecting the stored vectors gives
        vectors = connection.execute(sa.select(schema.room_runs.c.vectors).where(
            schema.room_runs.c.id == maps[0]["run_id"])).scalar()
    assert maps[0]["frame"].equals(real(vectors))
