"""/kb status shows the database's health; a broken database with `database_failure:
continue` leaves a bot that answers and says plainly that nothing is logged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.storage import QuestionRecord, Store
from tests.adapter.helpers import REPS_QUESTION, embed
from tests.storage.helpers import write_lock


def database_field(message: dict) -> str:
    (value,) = [f["value"] for f in embed(message)["fields"] if f["name"] == "Database"]
    return value


async def status(spot) -> str:
    inter = await spot.fake.invoke_slash("kb status", user=spot.moderator)
    return database_field(await inter.wait_for_message())


async def damaged_database(path: Path) -> None:
    """A Spotter database with pages in the middle overwritten."""
    async with Store.open(path) as store:
        for i in range(2000):
            store.log_question(QuestionRecord.new(f"question {i} " * 20, source="cli"))
    with path.open("r+b") as file:
        file.seek(4096 * 3)
        file.write(bytes(range(256)) * 64)


async def test_status_shows_a_healthy_database(spotter_bot) -> None:
    assert await status(spotter_bot) == "OK · SQLite"


async def test_status_shows_failing_writes_and_their_recovery(
    start_spotter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bot's defaults wait 5 s for a lock and retry from 1 s; shorter here, same logic.
    opener = Store.open

    def quick(path, **kwargs):
        return opener(path, **{**kwargs, "busy_timeout": 0.05, "flush_interval": 0.05})

    monkeypatch.setattr(Store, "open", quick)
    async with start_spotter() as spot:
        store = spot.bot.store
        with write_lock(spot.database):
            for _ in range(3):
                await spot.answer(REPS_QUESTION)
            await spot.fake.wait_for(lambda: store.health.state == "failing", what="a failure")
            failing = await status(spot)
        await spot.fake.wait_for(lambda: store.health.state == "ok", timeout=10, what="a retry")
        recovered = await status(spot)
    assert failing.startswith("⚠️ **Writes failing** since <t:")
    assert "database is locked" in failing and str(spot.database.name) in failing
    assert "3 questions kept in memory (at most 10000) and retried" in failing
    assert recovered == "OK · SQLite"


async def test_a_damaged_database_with_continue_runs_without_it(
    start_spotter, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "spotter-1" / "spotter.sqlite3"  # where start_spotter puts it
    database.parent.mkdir()
    await damaged_database(database)
    before = database.read_bytes()
    caplog.set_level(logging.ERROR, logger="bot.adapter.client")
    async with start_spotter(database_failure="continue") as spot:
        assert spot.database == database
        answer = await spot.answer(REPS_QUESTION)
        shown = await status(spot)
        stats = await spot.fake.invoke_slash("kb stats", user=spot.moderator)
        stats_reply = await stats.wait_for_message()
        cooldown = await spot.fake.invoke_slash(
            "settings cooldown", {"seconds": 5}, user=spot.moderator
        )
        settings_reply = await cooldown.wait_for_message()
        dropped = spot.bot.store.dropped
    assert embed(answer)["title"]  # still answers
    (error,) = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert error.startswith(f"DATABASE NOT IN USE: {database} is damaged (PRAGMA quick_check:")
    assert shown.startswith("⛔ **Not in use:** ") and "is damaged" in shown
    assert "Questions are not logged" in shown
    assert shown.endswith("1 question not logged since start")
    assert stats_reply["content"].startswith("The database could not be used when the bot started")
    assert "try again" not in stats_reply["content"]
    assert settings_reply["content"] == stats_reply["content"]  # nothing saved, and says why
    assert dropped == 1
    assert database.read_bytes() == before  # the damaged file is kept as it was, for repair
