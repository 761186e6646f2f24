"""What only the PostgreSQL backend has: a server that is unreachable, read-only or another
program's, another connection's locks, settings changed by another process, two processes
writing at once, and a server restart in the middle of a burst.

The backend-neutral behaviour (the same assertions on both backends) is in the other files.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bench.pgserver import Server, _free_port
from bot.storage import GuildSettings, QuestionRecord, StorageError, Store, StoreState
from bot.storage.schema import latest_version
from tests.postgres import require_postgres, run_sql
from tests.storage.helpers import wait_for
from tests.storage.pg_writer import SHARED, VOTERS

pytestmark = pytest.mark.usefixtures("postgres_server")

WRITER = Path(__file__).with_name("pg_writer.py")
REPO = Path(__file__).resolve().parents[2]
GUILD = 4242


@pytest.fixture(autouse=True)
def _postgres() -> None:
    require_postgres()


def _schema(url: str) -> str:
    return url.split("search_path=", 1)[1]


@asynccontextmanager
async def other_connection(url: str) -> AsyncIterator[Any]:
    """A connection of its own, as another process's."""
    import asyncpg  # here: without it the tests skip (or fail under CI) with the reason

    schema = _schema(url)
    connection = await asyncpg.connect(url.split("?")[0], server_settings={"search_path": schema})
    try:
        yield connection
    finally:
        await connection.close()


async def test_an_unreachable_server_is_one_clear_line() -> None:
    url = f"postgresql://spotter@127.0.0.1:{_free_port()}/spotter"  # nothing listens there
    with pytest.raises(StorageError) as refused:
        await Store.open(url)
    message = str(refused.value)
    assert message.startswith(f"cannot reach PostgreSQL at {url}: ")
    assert "\n" not in message


async def test_a_password_never_reaches_a_message(postgres_server: Server) -> None:
    url = postgres_server.url.replace("spotter@", "spotter:hunter2@").replace(
        f":{postgres_server.port}/", f":{_free_port()}/"
    )
    with pytest.raises(StorageError) as refused:
        await Store.open(url)
    assert "hunter2" not in str(refused.value)
    assert "hunter2" not in Store.unavailable(url, "down").location


async def test_a_missing_database_is_named(postgres_server: Server) -> None:
    url = postgres_server.url.rsplit("/", 1)[0] + "/nowhere"
    with pytest.raises(StorageError, match=f"no database at {url} .*create it first"):
        await Store.open(url)


async def test_a_read_only_database_is_refused_at_open(postgres_server: Server) -> None:
    name = f"readonly_{os.getpid()}"
    run_sql(postgres_server.url, f"CREATE DATABASE {name}")
    url = postgres_server.url.rsplit("/", 1)[0] + f"/{name}"
    async with Store.open(url):  # a Spotter database...
        pass
    run_sql(postgres_server.url, f"ALTER DATABASE {name} SET default_transaction_read_only = on")
    with pytest.raises(StorageError) as refused:  # ...that can no longer be written
        await Store.open(url)
    message = str(refused.value)
    assert message.startswith(f"{url} cannot be written: the database is read-only")
    assert "\n" not in message
    async with Store.open(url, health_check=False, create=False) as reader:  # reports still work
        assert (await reader.stats(days=1)).total == 0


async def test_a_newer_schema_is_refused_and_left_alone(postgres_database) -> None:
    url = postgres_database()
    async with Store.open(url):
        pass
    run_sql(url, "UPDATE schema_version SET version = 999")
    with pytest.raises(StorageError) as refused:
        await Store.open(url)
    assert "is at schema version 999 but this Spotter knows only up to" in str(refused.value)
    assert run_sql(url, "SELECT version FROM schema_version") == [(999,)]


async def test_another_programs_tables_are_refused(postgres_database) -> None:
    url = postgres_database()
    run_sql(url, "CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StorageError, match="a PostgreSQL database but not a Spotter one"):
        await Store.open(url)
    assert run_sql(url, "SELECT to_regclass('questions')") == [(None,)]


async def test_readers_refuse_an_empty_database_and_make_nothing(postgres_database) -> None:
    url = postgres_database()
    with pytest.raises(StorageError, match="no Spotter database at"):
        await Store.open(url, create=False)
    assert run_sql(url, "SELECT count(*) FROM pg_tables WHERE schemaname = ?", (_schema(url),)) == [
        (0,)
    ]


async def test_the_schema_is_at_the_latest_version_with_64_bit_columns(postgres_database) -> None:
    url = postgres_database()
    async with Store.open(url) as store:
        big = 987_654_321_098_765_432  # a Discord snowflake
        await store.update_guild_settings(big, min_confidence=0.123456789)
        store.log_question(QuestionRecord.new("q", source="slash", guild_id=big, score=0.1 + 0.2))
    assert run_sql(url, "SELECT version FROM schema_version") == [(latest_version(),)]
    assert run_sql(url, "SELECT guild_id, score FROM questions") == [(big, 0.1 + 0.2)]
    async with Store.open(url) as store:
        assert (await store.guild_settings(big)).min_confidence == 0.123456789


async def test_a_lock_held_elsewhere_fails_writes_until_it_is_released(postgres_database) -> None:
    url = postgres_database()
    async with Store.open(url, busy_timeout=0.02, flush_interval=0.02) as store:
        async with other_connection(url) as other, other.transaction():
            await other.execute("LOCK TABLE questions, votes IN ACCESS EXCLUSIVE MODE")
            store.log_question(QuestionRecord.new("kept", source="slash"))
            assert await store.flush() == 0
            health = store.health
            assert health.state is StoreState.FAILING and health.pending == 1
            assert "lock timeout" in (health.reason or "")
            with pytest.raises(StorageError, match="could not record the vote in postgresql://"):
                await store.record_vote("a" * 32, 5, True)
        await wait_for(lambda: store.pending == 0)  # a background retry
        assert store.health.state is StoreState.OK
    assert run_sql(url, "SELECT question FROM questions") == [("kept",)]


async def test_settings_changed_in_one_process_reach_the_other(postgres_database) -> None:
    url = postgres_database()
    async with Store.open(url) as first, Store.open(url) as second:
        await first.update_guild_settings(GUILD, cooldown_seconds=7, auto_answer_channels=[3])
        await wait_for(lambda: second._settings.get(GUILD) is not None)
        assert await second.guild_settings(GUILD) == await first.guild_settings(GUILD)
        # A change made by the other merges with the stored row, not with a stale copy.
        await second.update_guild_settings(GUILD, min_confidence=0.6)
        expected = GuildSettings(
            min_confidence=0.6, cooldown_seconds=7.0, auto_answer_channels=(3,)
        )
        await wait_for(lambda: first._settings.get(GUILD) == expected)
        await first.reset_guild_settings(GUILD)
        await wait_for(lambda: GUILD not in second._settings)
        assert await second.guild_settings(GUILD) == GuildSettings()


async def test_two_processes_with_500_concurrent_writers_each_lose_nothing(
    postgres_database,
) -> None:
    url = postgres_database()
    async with Store.open(url):  # migrated once, so the processes race on data, not schema
        pass
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }

    async def writer(name: str) -> dict:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(WRITER),
            url,
            name,
            "500",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        assert process.returncode == 0, err.decode()
        return json.loads(out.decode().strip().splitlines()[-1])

    results = await asyncio.gather(writer("one"), writer("two"))
    assert [r["written"] for r in results] == [500, 500]
    assert run_sql(url, "SELECT count(*), count(DISTINCT id) FROM questions") == [(1000, 1000)]
    assert run_sql(url, "SELECT count(*) FROM questions WHERE question LIKE 'one %'") == [(500,)]
    # 100 own votes per process, and each shared (question, voter) pair once in all.
    pairs = len(SHARED) * VOTERS
    assert run_sql(url, "SELECT count(*) FROM votes") == [(200 + pairs,)]
    assert sum(r["new_votes"] for r in results) == pairs
    async with Store.open(url) as store:
        stats = await store.stats(days=1)
    # Votes count in stats with their question: the shared ids were never asked.
    assert (stats.total, stats.answered, stats.helpful) == (1000, 500, 100)


async def test_a_server_restart_mid_burst_loses_nothing_acknowledged(
    postgres_server: Server, postgres_database: Callable[[], str], caplog
) -> None:
    url = postgres_database()
    caplog.set_level(logging.INFO, logger="spotter.storage")
    logged: list[QuestionRecord] = []

    async def burst(count: int) -> None:
        for i in range(count):
            record = QuestionRecord.new(f"burst {len(logged)}", source="slash", guild_id=1)
            store.log_question(record)  # accepted: must reach the database
            logged.append(record)
            if i % 20 == 0:
                await asyncio.sleep(0.005)

    async with Store.open(url, flush_interval=0.02) as store, Store.open(url) as other:
        await burst(300)
        await wait_for(lambda: store.written > 0)
        await asyncio.to_thread(postgres_server.stop)  # clients cut off mid-burst
        await burst(300)
        with pytest.raises(StorageError, match="could not record the vote in postgresql://"):
            await store.record_vote(logged[0].id, 5, True)
        await wait_for(lambda: store.health.state is StoreState.FAILING)
        await asyncio.to_thread(postgres_server.start)
        await burst(300)
        await wait_for(lambda: store.pending == 0, timeout=30)
        assert store.health.state is StoreState.OK
        assert "writable again" in caplog.text
        # Listening came back too: the other store's change still reaches this one.
        await other.update_guild_settings(GUILD, cooldown_seconds=9)
        await wait_for(lambda: GUILD in store._settings, timeout=30)
    ids = {row[0] for row in run_sql(url, "SELECT id FROM questions")}
    assert ids == {record.id for record in logged}
    assert len(ids) == 900
