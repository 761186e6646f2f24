"""``copy_database``: every table worth keeping, row for row, batch after batch, into an empty
database of either backend, and back; nothing at all when it fails."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from bench.deployment import fill_deployment
from bot.storage import StorageError, Store
from bot.storage.copying import NOT_COPIED, TargetNotEmpty, copy_database
from tests.postgres import require_postgres
from tests.storage.conftest import Target
from tests.storage.helpers import COPIED_TABLE_NAMES as TABLES
from tests.storage.helpers import table_rows


async def test_every_table_is_copied_or_left_behind_on_purpose(db_path: Path) -> None:
    async with Store.open(db_path):
        pass
    with closing(sqlite3.connect(db_path)) as db:
        tables = {
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    assert tables == set(TABLES) | set(NOT_COPIED)


async def test_copy_keeps_every_row_in_small_batches_and_back(
    tmp_path: Path, database: Target
) -> None:
    source = tmp_path / "source.sqlite3"
    await fill_deployment(source, questions=23)
    # Batches of 4: many of them, and the votes' two-column key carries over between them.
    report = await copy_database(source, database, batch_rows=4)
    assert report.rows == {name: len(table_rows(source, name)) for name in TABLES}
    assert report.rows["questions"] == 23 and report.rows["votes"] == 19
    for name in TABLES:
        assert table_rows(database, name) == table_rows(source, name), name

    back = tmp_path / "back" / "spotter.sqlite3"
    await copy_database(database, back, batch_rows=5)
    for name in TABLES:
        assert table_rows(back, name) == table_rows(source, name), name


async def test_an_empty_source_copies_nothing(tmp_path: Path, database: Target) -> None:
    source = tmp_path / "source.sqlite3"
    async with Store.open(source):
        pass
    report = await copy_database(source, database)
    assert report.rows == {name: 1 if name == "meta" else 0 for name in TABLES}


async def test_a_target_with_data_is_refused_and_kept(tmp_path: Path, database: Target) -> None:
    source = tmp_path / "source.sqlite3"
    await fill_deployment(source, questions=5)
    async with Store.open(database) as store:
        await store.update_guild_settings(42, cooldown_seconds=3.0)
    before = {name: table_rows(database, name) for name in TABLES}
    with pytest.raises(TargetNotEmpty, match=r"already holds Spotter data \(guild_settings\)"):
        await copy_database(source, database)
    assert {name: table_rows(database, name) for name in TABLES} == before


async def test_a_row_the_target_refuses_leaves_it_empty(
    tmp_path: Path, postgres_database: Callable[[], str]
) -> None:
    require_postgres()
    source = tmp_path / "source.sqlite3"
    await fill_deployment(source, questions=9)
    # SQLite keeps a NUL character in text; PostgreSQL refuses it. The library changes are
    # copied after the questions and votes, which are then already written in the transaction.
    with closing(sqlite3.connect(source)) as db, db:
        db.execute("UPDATE library_changes SET user_name = 'coach' || char(0) WHERE id = 2")
    target = postgres_database()
    with pytest.raises(StorageError) as raised:
        await copy_database(source, target, batch_rows=2)
    message = str(raised.value)
    assert message.startswith("could not copy into postgresql://") and "\n" not in message
    for name in TABLES:
        assert table_rows(target, name) == [], name

    # Nothing of it stayed behind: the same target takes the repaired copy.
    with closing(sqlite3.connect(source)) as db, db:
        db.execute("UPDATE library_changes SET user_name = 'coach' WHERE id = 2")
    await copy_database(source, target)
    assert table_rows(target, "questions") == table_rows(source, "questions")


async def test_a_target_a_bot_opened_takes_the_old_voter_key(
    tmp_path: Path, database: Target
) -> None:
    source = tmp_path / "source.sqlite3"
    await fill_deployment(source, questions=4)
    async with Store.open(database):  # a bot started once on the new database: its own salt
        pass
    assert table_rows(database, "meta") != table_rows(source, "meta")
    await copy_database(source, database)
    assert table_rows(database, "meta") == table_rows(source, "meta")
