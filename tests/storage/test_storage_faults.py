"""Storage faults never reach log_question's callers, and nothing logged is lost.

Tests run as root, where chmod does not stop writes, so faults are made with things
root cannot bypass: another connection holding SQLite's write lock ("unwritable"),
and PRAGMA max_page_count on the store's own connection (SQLite's "database or disk
is full", the same error a full disk gives).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage import QuestionRecord, StorageError, Store
from tests.storage.helpers import wait_for, write_lock

LOGGER = "spotter.storage"


def _records(caplog, level: int) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER and r.levelno == level]


async def test_locked_database_keeps_records_warns_once_and_recovers(db_path, query, caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    async with Store.open(db_path, busy_timeout=0.02, flush_interval=0.02) as store:
        caplog.clear()
        with write_lock(db_path):
            for i in range(10):
                store.log_question(QuestionRecord.new(f"locked {i}", source="slash"))
            assert await store.flush() == 0
            assert store.pending == 10
            for i in range(5):
                store.log_question(QuestionRecord.new(f"still locked {i}", source="slash"))
            assert await store.flush() == 0
            await asyncio.sleep(0.3)  # the background flusher retries with backoff meanwhile
            assert store.pending == 15

            warnings = _records(caplog, logging.WARNING)
            assert len(warnings) == 1, [w.getMessage() for w in warnings]
            message = warnings[0].getMessage()
            assert "cannot write the question log" in message and "database is locked" in message
            assert not _records(caplog, logging.INFO)

        await wait_for(lambda: store.pending == 0)  # written by a background retry
        (recovered,) = _records(caplog, logging.INFO)
        assert "writable again" in recovered.getMessage()
        assert len(_records(caplog, logging.WARNING)) == 1
    assert query(db_path, "SELECT count(*) FROM questions") == [(15,)]


async def test_full_disk_keeps_records_until_space_is_freed(db_path, query, caplog):
    old = datetime.now(UTC) - timedelta(days=100)
    async with Store.open(db_path) as store:
        for i in range(300):
            store.log_question(QuestionRecord.new(f"old {i} " * 40, source="cli", created_at=old))
    ((pages,),) = query(db_path, "PRAGMA page_count")

    caplog.set_level(logging.INFO, logger=LOGGER)
    # The file may not grow past its current size: any new page means "disk is full".
    async with Store.open(db_path, flush_interval=3600, pragmas={"max_page_count": pages}) as store:
        caplog.clear()
        new = [QuestionRecord.new(f"new {i} " * 40, source="slash") for i in range(300)]
        for record in new:
            store.log_question(record)
        assert await store.flush() == 0
        assert store.pending == 300
        (warning,) = _records(caplog, logging.WARNING)
        assert "database or disk is full" in warning.getMessage()

        # Freeing space (here: retention deleting the old rows) lets the writes through.
        assert await store.purge(30) == 300
        await store.flush()  # a background flush may already have written some
        assert store.pending == 0
        assert store.written == 300
        (recovered,) = _records(caplog, logging.INFO)
        assert "writable again" in recovered.getMessage()

    ids = {row[0] for row in query(db_path, "SELECT id FROM questions")}
    assert ids == {record.id for record in new}


async def test_a_burst_while_writes_succeed_loses_nothing(db_path, query, caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    async with Store.open(db_path, flush_interval=3600, max_buffer=100, batch_size=30) as store:
        caplog.clear()
        records = [QuestionRecord.new(f"q{i}", source="slash") for i in range(350)]
        for record in records:  # faster than any write: nothing awaits in between
            store.log_question(record)
        assert (store.pending, store.dropped) == (350, 0)
        assert await store.flush() == 350
    assert not _records(caplog, logging.WARNING)
    assert len(query(db_path, "SELECT id FROM questions")) == 350


async def test_overflowing_buffer_drops_the_oldest_with_one_warning(db_path, query, caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    async with Store.open(
        db_path, busy_timeout=0.01, flush_interval=3600, max_buffer=100, batch_size=30
    ) as store:
        caplog.clear()
        records = [QuestionRecord.new(f"q{i}", source="slash") for i in range(150)]
        with write_lock(db_path):
            for record in records[:60]:
                store.log_question(record)
            assert await store.flush() == 0  # fails with a batch in flight, requeued
            for record in records[60:]:
                store.log_question(record)
            assert (store.pending, store.dropped) == (100, 50)
            messages = [r.getMessage() for r in _records(caplog, logging.WARNING)]
            assert len(messages) == 2  # one for the failed write, one for the drops
            assert "dropping the oldest" in messages[1]
        assert await store.flush() == 100
    ids = {row[0] for row in query(db_path, "SELECT id FROM questions")}
    assert ids == {record.id for record in records[50:]}


async def test_close_while_unwritable_does_not_raise(db_path, query, caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    store = await Store.open(db_path, busy_timeout=0.01, flush_interval=3600)
    with write_lock(db_path):
        store.log_question(QuestionRecord.new("lost", source="cli"))
        await store.close()
    assert "could not be written; they are lost" in caplog.text
    assert query(db_path, "SELECT count(*) FROM questions") == [(0,)]


async def test_reads_and_votes_raise_storage_error_when_locked(db_path):
    async with Store.open(db_path, busy_timeout=0.01) as store:
        record = QuestionRecord.new("q", source="slash")
        with write_lock(db_path):
            with pytest.raises(StorageError, match="could not record the vote"):
                await store.record_vote(record.id, 5, True)
            with pytest.raises(StorageError, match="could not save guild settings"):
                await store.update_guild_settings(1, cooldown_seconds=3)
            # Reading works while another process writes (WAL).
            assert (await store.stats(days=1)).total == 0
            assert await store.guild_settings(1) == await store.guild_settings(2)
