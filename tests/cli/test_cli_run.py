"""`spotter run` and `spotter sync` as separate processes, against the loopback Discord."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
from pathlib import Path

import pytest

from bot.adapter.inflight import RESTARTING
from tests.adapter.helpers import REPS_QUESTION, embed, is_answer_followup, is_ephemeral
from tests.cli.helpers import TIMEOUT, environment, finished, no_errors, spotter


async def test_run_without_token(tmp_path: Path) -> None:
    code, out, err = await finished(await spotter(tmp_path, environment(tmp_path), "run"))
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith("spotter run: DISCORD_TOKEN is not set") and ".env" in line


async def test_run_with_a_rejected_token(tmp_path: Path, fake_discord) -> None:
    env = environment(tmp_path, fake_discord, token="not-the-token", log_level="WARNING")
    code, _, err = await finished(await spotter(tmp_path, env, "run"))
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith("spotter run: Discord rejected the token in DISCORD_TOKEN")
    assert "not-the-token" not in err


async def test_run_without_a_library(tmp_path: Path, fake_discord) -> None:
    env = environment(
        tmp_path, fake_discord, knowledge_dir=tmp_path / "nowhere", log_level="WARNING"
    )
    code, _, err = await finished(await spotter(tmp_path, env, "run"))
    assert code == 2
    (line,) = err.splitlines()
    assert line.startswith("spotter run: cannot load the exercise library: knowledge folder")


async def test_run_answers_then_stops_on_sigterm(tmp_path: Path, fake_discord) -> None:
    fake = fake_discord
    guild = await fake.add_guild("Gym")
    await fake.add_channel(guild, "general")
    member = await fake.add_member(guild, "bob")
    env = environment(tmp_path, fake, sync_on_start="true", log_level="INFO")
    process = await spotter(tmp_path, env, "run")
    try:
        await fake.wait_for(lambda: fake.synced_commands(), timeout=TIMEOUT, what="a sync")
        await fake.wait_until_ready(TIMEOUT)
        inter = await fake.invoke_slash("ask", {"question": REPS_QUESTION}, user=member)
        answer = await inter.wait_for_message(timeout=10)
        process.send_signal(signal.SIGTERM)
        code, _, err = await finished(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert embed(answer)["title"]
    assert code == 0, err
    assert "Traceback" not in err and fake.token not in err
    assert "voice will NOT be supported" not in err
    with contextlib.closing(sqlite3.connect(tmp_path / "spotter.sqlite3")) as db:
        # The question log was flushed on the way out.
        assert db.execute("SELECT source FROM questions").fetchall() == [("slash",)]


async def logged(process: asyncio.subprocess.Process, text: str, seen: list[str]) -> None:
    """Read the bot's stderr up to a line containing `text` (lines kept in `seen`)."""
    assert process.stderr is not None
    while True:
        line = (await asyncio.wait_for(process.stderr.readline(), TIMEOUT)).decode()
        assert line, f"the bot exited before logging {text!r}:\n" + "".join(seen)
        seen.append(line)
        if text in line:
            return


async def started_spotter(tmp_path: Path, fake, **config: object) -> asyncio.subprocess.Process:
    env = environment(tmp_path, fake, sync_on_start="true", log_level="INFO", **config)
    process = await spotter(tmp_path, env, "run")
    await fake.wait_for(lambda: fake.synced_commands(), timeout=TIMEOUT, what="a sync")
    await fake.wait_until_ready(TIMEOUT)
    return process


async def test_sigterm_mid_burst_answers_every_accepted_interaction(
    tmp_path: Path, fake_discord
) -> None:
    fake = fake_discord
    guild = await fake.add_guild("Gym")
    await fake.add_channel(guild, "general")
    members = [await fake.add_member(guild, f"lifter{i}") for i in range(20)]
    # A generous grace period: on a slow machine too, nothing is cut short.
    process = await started_spotter(tmp_path, fake, cooldown_rate=1000, shutdown_grace_seconds=60)
    try:
        # Delivered late, as in a gateway backlog: each one is deferred ("thinking...").
        inters = [
            await fake.invoke_slash(
                "ask", {"question": f"{REPS_QUESTION} #{i}"}, user=members[i % 20], created_ago=1
            )
            for i in range(150)
        ]
        # All accepted; the answers are still going out when the signal comes.
        await fake.wait_for(lambda: all(i.acknowledged for i in inters), timeout=TIMEOUT)
        process.send_signal(signal.SIGTERM)
        code, _, err = await finished(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert code == 0, err
    assert no_errors(err), err
    answers = [await inter.wait_for_message(timeout=1) for inter in inters]
    assert all(embed(answer)["title"] for answer in answers)  # nobody left on "thinking..."
    with contextlib.closing(sqlite3.connect(tmp_path / "spotter.sqlite3")) as db:
        (rows,) = db.execute("SELECT count(*) FROM questions").fetchone()
    assert rows == len(inters)  # the buffered question log was written on the way out


async def test_a_second_signal_ends_the_grace_period(tmp_path: Path, fake_discord) -> None:
    fake = fake_discord
    guild = await fake.add_guild("Gym")
    await fake.add_channel(guild, "general")
    bob = await fake.add_member(guild, "bob")
    carol = await fake.add_member(guild, "carol")
    process = await started_spotter(tmp_path, fake, shutdown_grace_seconds=3600)
    # Discord never takes the answer: the bot would wait out its whole grace period.
    stuck_answers = fake.hold(is_answer_followup)
    stderr: list[str] = []
    try:
        stuck = await fake.invoke_slash(
            "ask", {"question": REPS_QUESTION}, user=bob, created_ago=1.5
        )
        await fake.wait_for(lambda: stuck_answers.held, timeout=TIMEOUT, what="the answer")
        process.send_signal(signal.SIGTERM)
        await logged(process, "shutting down: finishing the interactions in flight", stderr)
        # While shutting down, new questions are turned away with a clear word.
        late = await fake.invoke_slash("ask", {"question": REPS_QUESTION}, user=carol)
        refusal = await late.wait_for_message(timeout=TIMEOUT)
        process.send_signal(signal.SIGTERM)
        code, _, err = await finished(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    err = "".join(stderr) + err
    assert code == 0, err
    assert no_errors(err), err
    assert "second signal" in err
    assert refusal["content"] == RESTARTING and is_ephemeral(refusal)
    # The member whose answer was stuck is told to ask again, not left on "thinking...".
    notice = await stuck.wait_for_message(timeout=1)
    assert notice["content"] == RESTARTING


@pytest.mark.parametrize("to_guild", [False, True])
async def test_sync(tmp_path: Path, fake_discord, to_guild: bool) -> None:
    guild = await fake_discord.add_guild("Gym")
    args = ["sync", "--guild", str(guild.id)] if to_guild else ["sync"]
    env = environment(tmp_path, fake_discord)
    code, out, err = await finished(await spotter(tmp_path, env, *args))
    assert code == 0, err
    where = f"to guild {guild.id}" if to_guild else "globally"
    assert out.strip() == f"Synced 5 commands {where}: /ask, /exercise, /kb, /settings, Find answer"
    synced = fake_discord.synced_commands(guild if to_guild else None)
    assert sorted(c["name"] for c in synced) == ["Find answer", "ask", "exercise", "kb", "settings"]
    assert fake_discord.sync_count == 1
    assert not (tmp_path / "spotter.sqlite3").exists()  # nothing to open or migrate


async def test_sync_needs_no_library(tmp_path: Path, fake_discord) -> None:
    """Registering the commands reads no page: a library that cannot load does not stop it."""
    env = environment(tmp_path, fake_discord, knowledge_dir=str(tmp_path / "not-there"))
    code, out, err = await finished(await spotter(tmp_path, env, "sync"))
    assert code == 0, err
    assert out.startswith("Synced 5 commands globally"), out
