"""A bot running some of the shards: it serves their guilds only and /kb status says which
shards it runs. On PostgreSQL, its place among the bot's processes: its row, the others'
library versions, reloads passed on and heard (another Store stands for another process)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.adapter.client import identify_delay
from bot.storage import ProcessRecord, ReloadNotice, Store
from tests.adapter.helpers import REPS_QUESTION, embed
from tests.postgres import require_postgres, run_sql
from tests.storage.helpers import wait_for


def status_fields(message: dict) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed(message)["fields"]}


async def kb_status(spot) -> dict[str, str]:
    inter = await spot.fake.invoke_slash("kb status", user=spot.moderator)
    return status_fields(await inter.wait_for_message())


async def test_a_bot_on_one_shard_of_two_serves_its_guilds_and_says_so(start_spotter) -> None:
    async with start_spotter(shard_count=2, shards=(1,)) as spot:
        elsewhere = await spot.fake.add_guild("Other shard", shard=(0, 2))
        assert embed(await spot.answer(REPS_QUESTION))["title"]
        assert spot.bot.get_guild(spot.guild.id) is not None
        assert spot.bot.get_guild(elsewhere.id) is None  # Discord sends it to shard 0
        assert [shard for shard, _ in spot.bot.shard_latencies()] == [1]
        fields = await kb_status(spot)
        assert not spot.bot.fleet.active  # SQLite: one process, no table of processes
        rows = await spot.rows("SELECT count(*) FROM processes")
    assert fields["Shards in this process"].startswith("shard 1 of 2\nshard 1: ")
    assert not any(name.startswith("Processes") for name in fields)
    assert rows == [(0,)]


async def test_a_bot_on_both_shards_connects_them_at_once_and_serves_both(
    fake_discord, start_spotter
) -> None:
    # Two IDENTIFYs per 5 s (GET /gateway/bot): shards 0 and 1 are in different buckets.
    fake_discord.gateway.max_concurrency = 2
    async with start_spotter(shard_count=2) as spot:
        other = await spot.fake.add_guild("Shard one", shard=(1, 2))
        await spot.fake.add_channel(other, "general")
        lifter = await spot.fake.add_member(other, "dana")
        await spot.fake.wait_for(lambda: spot.bot.get_guild(other.id) is not None)
        answers = [await spot.answer(REPS_QUESTION, user=user) for user in (spot.member, lifter)]
        fields = await kb_status(spot)
    assert all(embed(answer)["title"] for answer in answers)
    shards = fields["Shards in this process"].splitlines()
    assert shards[0] == "shards 0-1 of 2"
    assert shards[1].startswith("shard 0: ") and " · shard 1: " in shards[1]
    asked = [r for r in spot.fake.requests if r.path == "/gateway/bot"]
    assert len(asked) == 1  # max_concurrency, once


def test_a_bucket_identifies_once_per_five_seconds() -> None:
    assert identify_delay(None, now=100.0) == 0.0  # the bucket's first IDENTIFY
    assert identify_delay(98.0, now=100.0) == 3.0
    assert identify_delay(90.0, now=100.0) == 0.0


async def test_an_unsharded_bot_on_sqlite_shows_what_it_always_did(spotter_bot) -> None:
    fields = await kb_status(spotter_bot)
    assert list(fields) == [
        "Pages",
        "FAQ entries",
        "Diagnostics",
        "Loaded",
        "Database",
        "Changes from Discord",
    ]


async def test_the_bot_among_other_processes_on_postgresql(
    start_spotter, postgres_database
) -> None:
    require_postgres()
    url = postgres_database()
    heard: list[ReloadNotice] = []

    async def nothing_missed() -> None:
        pass

    now = datetime.now(UTC)
    other = ProcessRecord(
        name="other-host pid 7",
        shards="shard 1 of 2",
        library_version="0123456789ab",
        library_loaded_at=now,
        started_at=now,
        last_seen=now,
    )
    async with (
        Store.open(url) as elsewhere,
        start_spotter(database_url=url, shard_count=2, shards=(0,)) as spot,
    ):
        await elsewhere.record_process(other)
        await elsewhere.listen_for_library_reloads(heard.append, nothing_missed)
        fleet = spot.bot.fleet
        version = spot.bot.library.version

        fields = await kb_status(spot)
        lines = fields["Processes (2)"].splitlines()
        assert lines[0].startswith("⚠️ Not all at the same library version")
        assert lines[1].startswith("`other-host pid 7` · shard 1 of 2 · library `0123456789ab`")
        assert lines[2].startswith(f"`{fleet.name}` (this process) · shard 0 of 2 · library")
        assert f"`{version}`" in lines[2]

        # A moderator's reload here is announced to the others...
        inter = await spot.fake.invoke_slash("kb reload", user=spot.moderator)
        reloaded = await inter.wait_for_message()
        assert reloaded["content"].startswith("The bot's other processes reload too")
        await wait_for(lambda: heard)
        assert heard == [ReloadNotice(process=fleet.name, by="alice")]

        # ...and another's announcement reloads the library here.
        await elsewhere.announce_library_reload(ReloadNotice(process=other.name, by="bob"))
        await wait_for(lambda: spot.bot.library.loaded_by == "bob via other-host pid 7")
        assert spot.bot.keeper.last_reload is not None
        assert not spot.bot.keeper.last_reload.kept_old

    # The bot deleted its row when it stopped; the other process's is left alone.
    assert run_sql(url, "SELECT name FROM processes") == [(other.name,)]
