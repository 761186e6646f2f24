"""Opening files: fresh, old schema, too-new schema, not a database at all."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from importlib import resources

import pytest

from bot.storage import QuestionRecord, StorageError, Store
from bot.storage.schema import latest_version, load_migrations, split_statements


def _tables(query, path) -> set[str]:
    return {name for (name,) in query(path, "SELECT name FROM sqlite_master")}


async def test_fresh_database_gets_latest_schema_in_wal_mode(db_path, query):
    assert not db_path.parent.exists()  # parent folders are created
    async with Store.open(db_path):
        pass
    assert query(db_path, "PRAGMA user_version") == [(latest_version(),)]
    assert query(db_path, "PRAGMA journal_mode") == [("wal",)]
    names = _tables(query, db_path)
    assert {"meta", "questions", "votes", "guild_settings"} <= names
    assert {"questions_created", "votes_created"} <= names  # from 0002
    assert query(db_path, "SELECT count(*) FROM meta WHERE key = 'voter_salt'") == [(1,)]


async def test_reopening_does_not_migrate_again(database, caplog):
    caplog.set_level(logging.INFO, logger="spotter.storage")
    async with Store.open(database):
        pass
    assert caplog.text.count("applied schema migration") == latest_version()
    caplog.clear()
    async with Store.open(database):
        pass
    assert "migration" not in caplog.text


def test_migrations_are_numbered_without_holes():
    versions = [m.version for m in load_migrations()]
    assert versions == list(range(1, len(versions) + 1))
    assert latest_version() >= 2


def test_split_statements_keeps_multiline_statements_and_rejects_leftovers():
    script = (
        "-- c\nCREATE TABLE a (\n  x TEXT -- ; not the end\n);\nINSERT INTO a VALUES ('a;b');\n"
    )
    assert split_statements(script) == (
        "-- c\nCREATE TABLE a (\n  x TEXT -- ; not the end\n);",
        "INSERT INTO a VALUES ('a;b');",
    )
    with pytest.raises(ValueError, match="incomplete SQL statement"):
        split_statements("CREATE TABLE b (x)\n-- no semicolon\n")


async def test_version_one_database_upgrades_with_data_intact(db_path, query):
    # Build a database exactly as the first release would have: 0001 only.
    db_path.parent.mkdir(parents=True)
    first = resources.files("bot.storage").joinpath("migrations/0001_initial.sql").read_text()
    created = time.time() - 3600
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.executescript(first)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO meta VALUES ('voter_salt', ?)", ("ab" * 32,))
        conn.execute(
            "INSERT INTO questions VALUES (?, 7, 8, 'old question', 'slash', 'push-up', 'form',"
            " 'Form', 0.9, 1, 12.5, ?)",
            ("a" * 32, created),
        )
        conn.execute(
            "INSERT INTO votes VALUES (?, x'0102', 0, ?)",
            ("a" * 32, created + 5),
        )
        conn.execute(
            "INSERT INTO guild_settings (guild_id, min_confidence, updated_at) VALUES (7, 0.4, 1)"
        )
        conn.commit()

    async with Store.open(db_path) as store:
        assert (await store.guild_settings(7)).min_confidence == 0.4
        stats = await store.stats(days=2, guild_id=7)  # an hour ago may be yesterday (UTC)
        assert (stats.total, stats.answered, stats.not_helpful) == (1, 1, 1)
        assert stats.top_exercises == (("push-up", 1),)

    assert query(db_path, "PRAGMA user_version") == [(latest_version(),)]
    assert query(db_path, "SELECT id, question, latency_ms FROM questions") == [
        ("a" * 32, "old question", 12.5)
    ]
    # 0002 added votes.updated_at and filled it from created_at, plus two indexes.
    assert query(db_path, "SELECT helpful, created_at, updated_at FROM votes") == [
        (0, created + 5, created + 5)
    ]
    assert {"questions_created", "votes_created"} <= _tables(query, db_path)
    assert query(db_path, "SELECT value FROM meta") == [("ab" * 32,)]  # salt kept


async def test_newer_schema_is_refused_and_file_left_untouched(db_path, query):
    db_path.parent.mkdir(parents=True)
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("CREATE TABLE questions (id TEXT)")
        conn.execute("PRAGMA user_version = 999")
        conn.commit()
    before = db_path.read_bytes()

    with pytest.raises(StorageError) as caught:
        await Store.open(db_path)

    message = str(caught.value)
    assert f"database {db_path} is at schema version 999" in message
    assert f"this Spotter knows only up to {latest_version()}" in message
    assert "upgrade Spotter or use another file" in message
    assert db_path.read_bytes() == before
    assert not db_path.with_name(db_path.name + "-wal").exists()


async def test_file_that_is_not_a_database_is_refused_clearly(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"these are my notes, not a database\n" * 200)
    before = db_path.read_bytes()

    with pytest.raises(StorageError, match="is not a SQLite database"):
        await Store.open(db_path)
    assert db_path.read_bytes() == before


async def test_foreign_sqlite_database_is_refused(db_path):
    db_path.parent.mkdir(parents=True)
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
    with pytest.raises(StorageError, match="not a Spotter one"):
        await Store.open(db_path)


async def test_directory_in_place_of_the_file_is_refused(db_path):
    db_path.mkdir(parents=True)
    with pytest.raises(StorageError, match="is a directory"):
        await Store.open(db_path)


async def test_bad_open_arguments_raise_value_error(db_path):
    with pytest.raises(ValueError, match="retention_days"):
        Store.open(db_path, retention_days=0)
    with pytest.raises(ValueError, match="batch_size"):
        Store.open(db_path, batch_size=0)
    with pytest.raises(ValueError, match="pragma"):
        Store.open(db_path, pragmas={"cache_size; DROP TABLE x": 1})


async def test_store_open_can_be_awaited_or_used_as_context(database, query):
    store = await Store.open(database)
    store.log_question(QuestionRecord.new("a", source="cli"))
    async with store:
        pass
    async with Store.open(database) as again:
        again.log_question(QuestionRecord.new("b", source="cli"))
    assert query(database, "SELECT count(*) FROM questions") == [(2,)]


async def test_create_false_refuses_missing_or_empty_files_and_makes_nothing(tmp_path, query):
    missing = tmp_path / "nowhere" / "spotter.sqlite3"
    with pytest.raises(StorageError, match=f"no Spotter database at {missing}"):
        await Store.open(missing, create=False)
    assert not missing.parent.exists()

    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(StorageError, match="no Spotter database"):
        await Store.open(empty, create=False)
    assert empty.read_bytes() == b""

    made = tmp_path / "made.sqlite3"
    async with Store.open(made) as store:
        store.log_question(QuestionRecord.new("kept", source="cli"))
    async with Store.open(made, create=False) as store:
        assert (await store.stats(days=1)).total == 1


async def test_a_sqlite_url_names_the_file(tmp_path, query, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with Store.open("sqlite:///data/relative.sqlite3") as store:
        assert store.location == "data/relative.sqlite3"
        store.log_question(QuestionRecord.new("relative", source="cli"))
    absolute = tmp_path / "absolute.sqlite3"
    async with Store.open(f"sqlite:///{absolute}") as store:  # four slashes
        assert store.location == str(absolute)
    assert query(tmp_path / "data" / "relative.sqlite3", "SELECT question FROM questions") == [
        ("relative",)
    ]
    with pytest.raises(ValueError, match="expected sqlite:///path"):
        Store.open("mysql://localhost/spotter")
