"""`spotter run --shards IDS --shard-count N`: shards split across processes sharing one
PostgreSQL database and one library folder, through the loopback Discord serving them all.
Bad values are one line before anything starts."""

from __future__ import annotations

import asyncio
import shutil
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.storage import Store
from fakediscord import FakeDiscord, FakeGuild, FakeMember
from tests.adapter.conftest import KNOWLEDGE
from tests.adapter.helpers import REPS_QUESTION, embed, is_ephemeral
from tests.cli.helpers import TIMEOUT, environment, finished, no_errors, spotter
from tests.postgres import require_postgres, run_sql


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--shards", "0-3"],
            "'shards' needs 'shard_count' (--shard-count): the bot's total number of shards, "
            "the same in every process",
        ),
        (
            ["--shards", "1-2", "--shard-count", "2"],
            "'shards' 2 is outside shard_count 2: shard ids run from 0 to 1",
        ),
        (
            ["--shards", "three", "--shard-count", "4"],
            "command line: 'shards' has an invalid value 'three' (shard ids like 0-3 or 0,2,5)",
        ),
        (["--shard-count", "0"], "'shard_count' must be from 1 to 100,000"),
    ],
)
async def test_bad_shards_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    env = environment(tmp_path, token="unused")
    code, out, err = await finished(await spotter(tmp_path, env, "run", *args))
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"spotter run: {message}"]


# ------------------------------------------------------- two processes, one database

NEW_PAGE = """# Zercher Squat

## Quick answer

A squat with the bar held in the crooks of the elbows.

- **Body Part:** Legs
- **Equipment:** Barbell
- **Target Muscle:** Quads

## FAQ

### Where does the bar sit in a zercher squat?

In the crooks of your elbows, hands clasped in front of your chest.
"""


@dataclass
class Place:
    """A guild on one shard of two, with a member and a moderator."""

    guild: FakeGuild
    member: FakeMember
    moderator: FakeMember


async def place_on_shard(fake: FakeDiscord, shard: int) -> Place:
    guild = await fake.add_guild(f"Gym on shard {shard}", shard=(shard, 2))
    await fake.add_channel(guild, "general")
    member = await fake.add_member(guild, f"lifter{shard}")
    moderator = await fake.add_member(guild, f"coach{shard}", manage_guild=True)
    return Place(guild, member, moderator)


async def reply(fake: FakeDiscord, name: str, user: FakeMember, **options: object) -> dict:
    inter = await fake.invoke_slash(name, options, user=user)
    return await inter.wait_for_message(timeout=TIMEOUT)


async def all_shards_ready(fake: FakeDiscord, processes: list[asyncio.subprocess.Process]) -> None:
    """Until both shards are identified; a process that exits first fails with its stderr."""
    ready = asyncio.create_task(fake.wait_until_ready(TIMEOUT, shard_count=2))
    exits = [asyncio.create_task(process.wait()) for process in processes]
    done, _ = await asyncio.wait([ready, *exits], return_when=asyncio.FIRST_COMPLETED)
    for task in (ready, *exits):
        task.cancel()
    if ready not in done:
        (exited,) = [p for p, task in zip(processes, exits, strict=True) if task in done][:1]
        assert exited.stderr is not None
        err = (await exited.stderr.read()).decode()
        raise AssertionError(f"a process exited with {exited.returncode}:\n{err}")
    await ready


async def until(condition: Callable[[], bool], what: str) -> None:
    """Poll the database (another connection, as an operator would) until `condition`."""
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while not await asyncio.to_thread(condition):
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def test_two_processes_split_the_shards_and_share_the_database_and_library(
    tmp_path: Path, fake_discord: FakeDiscord, postgres_database: Callable[[], str]
) -> None:
    require_postgres()
    fake = fake_discord
    url = postgres_database()
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    places = [await place_on_shard(fake, shard) for shard in (0, 1)]
    env = environment(
        tmp_path, fake, database_url=url, knowledge_dir=knowledge, sync_on_start="true"
    )
    started: list[asyncio.subprocess.Process] = []

    async def run_shard(shard: int) -> asyncio.subprocess.Process:
        process = await spotter(tmp_path, env, "run", "--shards", str(shard), "--shard-count", "2")
        started.append(process)
        return process

    def versions() -> list[tuple[str, str]]:
        return run_sql(url, "SELECT shards, library_version FROM processes ORDER BY shards")

    def at_new_version() -> bool:
        found = [version for _, version in versions()]
        return len(found) == 2 and len(set(found)) == 1 and old_version not in found

    try:
        first, second = await run_shard(0), await run_shard(1)
        await all_shards_ready(fake, [first, second])
        await fake.wait_for(lambda: fake.synced_commands(), timeout=TIMEOUT, what="a sync")
        await until(lambda: len(versions()) == 2, "both processes' rows")
        ((_, old_version), _) = versions()

        # Questions in a guild on each shard: each answered by the process running its shard.
        for place in places:
            for _ in range(2):
                answer = await reply(fake, "ask", place.member, question=REPS_QUESTION)
                assert embed(answer)["title"].startswith("Band Single Leg Calf Raise")
        await until(
            lambda: run_sql(url, "SELECT count(*) FROM questions") == [(4,)], "the question log"
        )
        stats = [await reply(fake, "kb stats", place.moderator) for place in places]

        # A moderator's reload in one process reloads the library in the other too.
        (knowledge / "zercher-squat.md").write_text(NEW_PAGE, encoding="utf-8")
        reloaded = await reply(fake, "kb reload", places[0].moderator)
        await until(at_new_version, "both processes at the new library version")
        ((_, new_version), _) = versions()
        status = await reply(fake, "kb status", places[1].moderator)
        new_page = await reply(
            fake, "ask", places[1].member, question="where does the bar sit in a zercher squat"
        )

        # Shard 0 moves to a new process (a rolling restart): the guild keeps its settings,
        # and its questions, logged by the first process, are in the new one's /kb stats.
        await reply(fake, "settings visibility", places[0].moderator, command="ask", mode="private")
        first.send_signal(signal.SIGTERM)
        first_code, _, first_err = await finished(first)
        await until(lambda: len(versions()) == 1, "the stopped process's row gone")
        third = await run_shard(0)
        await all_shards_ready(fake, [second, third])
        private = await reply(fake, "ask", places[0].member, question=REPS_QUESTION)
        moved_stats = await reply(fake, "kb stats", places[0].moderator)
        for process in (second, third):
            process.send_signal(signal.SIGTERM)
        results = [await finished(process) for process in (second, third)]
    finally:
        for process in started:
            if process.returncode is None:
                process.kill()  # our own child, by its handle
                await process.wait()

    everything = "".join([first_err, *(err for _, _, err in results)])
    assert [first_code, *(code for code, _, _ in results)] == [0, 0, 0], everything
    assert no_errors(everything), everything
    assert first_err.count("this process runs shard 0 of 2") == 1
    assert results[0][2].count("this process runs shard 1 of 2") == 1

    # /kb stats is per server: each guild's two questions, each logged by its own process.
    for card in stats:
        assert embed(card)["description"].splitlines()[0] == "**Questions:** 2 · answered 2 (100%)"
    # All are in the one database: `spotter stats` (all servers) counts every one.
    code, out, err = await finished(await spotter(tmp_path, env, "stats", "--days", "1"))
    assert (code, err) == (0, "")
    assert "Questions   6 (answered 6, 100%)" in out

    assert embed(reloaded)["title"]
    assert reloaded["content"].startswith("The bot's other processes reload too")
    assert new_version != old_version
    status_fields = {f["name"]: f["value"] for f in embed(status)["fields"]}
    assert status_fields["Shards in this process"].startswith("shard 1 of 2\nshard 1: ")
    processes = status_fields["Processes (2)"].splitlines()
    assert len(processes) == 2 and "⚠️" not in status_fields["Processes (2)"]
    assert all(f"library `{new_version}`" in line for line in processes)
    assert sorted(line.split(" · ")[1] for line in processes) == ["shard 0 of 2", "shard 1 of 2"]
    assert sum("(this process)" in line for line in processes) == 1
    assert embed(new_page)["title"].startswith("Zercher Squat")

    assert is_ephemeral(private)  # the setting made through the first process
    assert embed(moved_stats)["description"].splitlines()[0].startswith("**Questions:** 3 ")


async def test_sync_is_not_one_of_the_bots_processes(
    tmp_path: Path, fake_discord: FakeDiscord, postgres_database: Callable[[], str]
) -> None:
    require_postgres()
    url = postgres_database()
    async with Store.open(url):  # migrated: the table of processes exists
        pass
    # Every row ever written to it, even one deleted again before sync exits.
    run_sql(url, "CREATE TABLE processes_written (name TEXT)")
    run_sql(
        url,
        "CREATE FUNCTION note_process() RETURNS trigger AS $$ BEGIN "
        "INSERT INTO processes_written VALUES (NEW.name); RETURN NEW; END $$ LANGUAGE plpgsql",
    )
    run_sql(
        url,
        "CREATE TRIGGER note_process BEFORE INSERT OR UPDATE ON processes "
        "FOR EACH ROW EXECUTE FUNCTION note_process()",
    )
    env = environment(tmp_path, fake_discord, database_url=url)
    code, out, err = await finished(await spotter(tmp_path, env, "sync"))
    assert code == 0 and out.startswith("Synced 5 commands globally"), err
    assert run_sql(url, "SELECT name FROM processes_written") == []
