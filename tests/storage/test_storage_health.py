"""The Store's health: checked at open (PRAGMA quick_check and a test write), tracked while
writes fail, and a stand-in store for a file that could not be used at all.

Real files only. Damage is made the way it happens: bytes overwritten in the middle of the
file, a file cut short. A read-only file cannot be made for root (chmod does not bite), so
that case runs as an unprivileged process in tests/cli/test_cli_run.py; here writes are
made to fail with another connection's lock and with a full "disk" (max_page_count).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest

from bot.storage import QuestionRecord, StorageError, Store, StoreState
from tests.storage.helpers import wait_for, write_lock


async def _filled(path: Path | str, count: int = 2000) -> None:
    async with Store.open(path) as store:
        for i in range(count):
            store.log_question(QuestionRecord.new(f"question {i} " * 20, source="cli"))


async def test_a_healthy_database_opens_ok(database, backend):
    async with Store.open(database) as store:
        health = store.health
        assert (health.state, health.reason, health.since) == (StoreState.OK, None, None)
        if backend == "sqlite":
            assert (health.backend, health.location) == ("SQLite", str(database))
        else:  # the URL without its query (the test's schema)
            assert (health.backend, health.location) == ("PostgreSQL", database.split("?")[0])
        store.log_question(QuestionRecord.new("q", source="slash"))
        assert store.health.pending == 1
        await store.flush()
        assert (store.health.pending, store.health.written) == (0, 1)


async def test_pages_overwritten_in_the_middle_are_found_and_the_file_left_alone(db_path):
    await _filled(db_path)
    with db_path.open("r+b") as file:
        file.seek(4096 * 3)
        file.write(bytes(range(256)) * 64)  # 4 pages of garbage
    before = db_path.read_bytes()
    with pytest.raises(StorageError) as refused:
        await Store.open(db_path)
    message = str(refused.value)
    assert message.startswith(f"{db_path} is damaged (PRAGMA quick_check: ")
    assert "\n" not in message and "restore a backup" in message
    assert db_path.read_bytes() == before  # nothing was written to it


async def test_a_file_cut_short_is_refused(db_path):
    await _filled(db_path)
    with db_path.open("r+b") as file:
        file.truncate(db_path.stat().st_size // 2)
    with pytest.raises(StorageError, match="is not a SQLite database, or it is damaged"):
        await Store.open(db_path)


async def test_readers_can_skip_the_check(database):
    await _filled(database, 10)
    async with Store.open(database, create=False, health_check=False) as store:
        assert (await store.stats(days=1)).total == 10


async def test_failing_writes_show_in_health_until_they_succeed(db_path):
    async with Store.open(db_path, busy_timeout=0.01, flush_interval=0.02) as store:
        with write_lock(db_path):
            store.log_question(QuestionRecord.new("kept", source="slash"))
            await store.flush()
            health = store.health
            assert health.state is StoreState.FAILING
            assert health.reason and "database is locked" in health.reason
            assert str(db_path) in health.reason
            assert health.since is not None and health.pending == 1
            assert health.capacity == 10_000
        await wait_for(lambda: store.pending == 0)  # a background retry
        health = store.health
        assert (health.state, health.reason, health.since) == (StoreState.OK, None, None)
        assert health.written == 1


async def test_a_full_disk_is_named_in_health(db_path):
    await _filled(db_path, 10)
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        ((pages,),) = db.execute("PRAGMA page_count").fetchall()
    async with Store.open(db_path, flush_interval=3600, pragmas={"max_page_count": pages}) as store:
        for i in range(300):
            store.log_question(QuestionRecord.new(f"new {i} " * 40, source="slash"))
        await store.flush()
        health = store.health
    assert health.state is StoreState.FAILING and health.pending == 300
    assert health.reason == f"the disk holding {db_path} is full (database or disk is full)"


async def test_an_unavailable_store_runs_without_the_file(tmp_path):
    path = tmp_path / "broken.sqlite3"
    store = Store.unavailable(path, f"{path} is damaged")
    store.log_question(QuestionRecord.new("not kept", source="slash"))
    health = store.health
    assert health.state is StoreState.UNAVAILABLE
    assert health.reason == f"{path} is damaged"
    assert (health.pending, health.dropped, health.written) == (0, 1, 0)
    assert await store.flush() == 0
    assert await store.guild_settings(1) == await store.guild_settings(2)
    with pytest.raises(StorageError, match="is damaged"):
        await store.stats(days=1)
    with pytest.raises(StorageError, match="is damaged"):
        await store.record_vote(QuestionRecord.new("q", source="slash").id, 5, True)
    with pytest.raises(StorageError, match="is damaged"):
        await store.update_guild_settings(1, cooldown_seconds=3)
    await store.close()
    assert not os.path.exists(path)  # never created
