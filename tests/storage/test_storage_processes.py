"""The table of the bot's processes and the library reload announcement, on both backends;
on PostgreSQL a reload announced by one store is heard by another."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage import ProcessRecord, ReloadNotice, Store
from tests.postgres import require_postgres, run_sql
from tests.storage.helpers import wait_for


def process(name: str, version: str = "v1", *, ago: timedelta = timedelta()) -> ProcessRecord:
    """A process row; last seen now, or `ago` (whole seconds: stored as they are)."""
    seen = datetime.now(UTC).replace(microsecond=0) - ago
    return ProcessRecord(
        name=name,
        shards="shard 0 of 2",
        library_version=version,
        library_loaded_at=seen - timedelta(minutes=5),
        started_at=seen - timedelta(hours=1),
        last_seen=seen,
    )


async def test_processes_are_recorded_rewritten_and_forgotten(database) -> None:
    async with Store.open(database) as store:
        a, b = process("a"), process("b", "v2")
        await store.record_process(process("b"))
        await store.record_process(a)
        await store.record_process(b)
        assert await store.processes(seen_within=60) == [a, b]
        await store.forget_process("a")
        assert [p.name for p in await store.processes(seen_within=60)] == ["b"]


async def test_only_recently_seen_processes_are_listed_and_day_old_ones_deleted(
    database, query
) -> None:
    async with Store.open(database) as store:
        await store.record_process(process("quiet", ago=timedelta(minutes=10)))
        await store.record_process(process("gone", ago=timedelta(days=2)))
        await store.record_process(process("here"))
        assert [p.name for p in await store.processes(seen_within=60)] == ["here"]
        assert [p.name for p in await store.processes(seen_within=3600)] == ["here", "quiet"]
    assert sorted(query(database, "SELECT name FROM processes")) == [("here",), ("quiet",)]


async def test_a_reload_announced_on_sqlite_reaches_nobody(db_path) -> None:
    heard: list[ReloadNotice] = []

    async def missed() -> None:
        raise AssertionError("SQLite has no listening connection to lose")

    async with Store.open(db_path) as store:
        assert not store.shared
        await store.listen_for_library_reloads(heard.append, missed)
        await store.announce_library_reload(ReloadNotice(process="here", by="alice"))
        await asyncio.sleep(0)
    assert heard == []


async def test_a_reload_announced_in_one_process_is_heard_in_the_other(postgres_database) -> None:
    require_postgres()
    url = postgres_database()
    heard: list[ReloadNotice] = []

    async def missed() -> None:
        pass

    async with Store.open(url) as first, Store.open(url) as second:
        assert first.shared and second.shared
        await second.listen_for_library_reloads(heard.append, missed)
        notice = ReloadNotice(process="first", by="alice")
        await first.announce_library_reload(notice)
        await wait_for(lambda: heard)
        assert heard == [notice]


@pytest.mark.parametrize("payload", ["not json", "[1, 2]", '{"process": "x"}'])
async def test_a_malformed_reload_notification_is_ignored(
    postgres_database, payload: str, caplog: pytest.LogCaptureFixture
) -> None:
    require_postgres()
    url = postgres_database()
    heard: list[ReloadNotice] = []

    async def missed() -> None:
        pass

    async with Store.open(url) as store:
        await store.listen_for_library_reloads(heard.append, missed)
        run_sql(url, "SELECT pg_notify('spotter_library', ?)", (payload,))
        await wait_for(lambda: "ignoring a library reload notification" in caplog.text)
    assert heard == []
