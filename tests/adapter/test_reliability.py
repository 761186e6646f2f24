"""Reliability through the loopback Discord, on a real SQLite file: a burst of 1,000 /ask,
an unwritable database, and the retention purge. Timings are in `python -m bench.loop_stalls`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.storage import QuestionRecord, Store
from tests.adapter.helpers import REPS_QUESTION, embed
from tests.storage.helpers import write_lock

QUESTIONS = [
    REPS_QUESTION,
    "how deep should I squat?",
    "is the plank good for beginners",
    "how do I do a hack squat",  # abstains
    "what muscles do calf raises work",
    "rdl form?",
]


def count_rows(path: Path) -> tuple[int, int]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT count(*), count(DISTINCT id) FROM questions").fetchone()


async def test_a_thousand_concurrent_asks_are_all_answered_and_logged(start_spotter) -> None:
    # How long storage holds the event loop meanwhile: `python -m bench.loop_stalls --only asks`.
    n = 1000
    async with start_spotter(cooldown_rate=n, cooldown_seconds=60) as spot:
        members = [await spot.fake.add_member(spot.guild, f"lifter{i}") for i in range(20)]
        inters = [
            await spot.ask(QUESTIONS[i % len(QUESTIONS)], user=members[i % len(members)])
            for i in range(n)
        ]
        messages = await asyncio.gather(*(inter.wait_for_message(timeout=30) for inter in inters))
        await spot.bot.store.flush()
        rows = count_rows(spot.database)

    assert all(embed(message)["title"] for message in messages)
    assert rows == (n, n)


async def test_an_unwritable_database_does_not_stop_answers(
    start_spotter, monkeypatch, caplog
) -> None:
    # The bot's defaults wait 5 s for a lock and retry from 1 s; shorter here, same logic.
    opener = Store.open

    def quick(path, **kwargs):
        return opener(path, **{**kwargs, "busy_timeout": 0.05, "flush_interval": 0.05})

    monkeypatch.setattr(Store, "open", quick)
    caplog.set_level(logging.DEBUG, logger="spotter.storage")
    async with start_spotter() as spot:
        store = spot.bot.store
        before = await spot.answer(REPS_QUESTION)
        await store.flush()
        caplog.clear()
        with write_lock(spot.database):
            during = [await spot.answer(QUESTIONS[i % len(QUESTIONS)]) for i in range(10)]
            await spot.fake.wait_for(
                lambda: "cannot write the question log" in caplog.text, what="the warning"
            )
            stats = await spot.fake.invoke_slash("kb stats", user=spot.moderator)
            read = await stats.wait_for_message()  # reading still works meanwhile
            await spot.fake.wait_for(  # a few background retries, quietly failing
                lambda: "write failed again (3)" in caplog.text, what="retries"
            )
            pending = store.pending
        await spot.fake.wait_for(lambda: store.pending == 0, timeout=10, what="the retry")
        rows = count_rows(spot.database)

    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    recovered = [r.getMessage() for r in caplog.records if "writable again" in r.getMessage()]
    print(f"\nfault: {pending} questions kept in memory\n  {warnings}\n  {recovered}")
    assert embed(before)["title"] and all(embed(message)["title"] for message in during)
    assert pending == 10
    assert len(warnings) == 1 and "database is locked" in warnings[0]
    assert len(recovered) == 1 and "after 1 failed" not in recovered[0]
    assert embed(read)["description"].startswith("**Questions:** 1 ·")
    assert rows == (11, 11)


async def test_retention_purges_old_questions(start_spotter, tmp_path) -> None:
    database = tmp_path / "spotter-1" / "spotter.sqlite3"  # where start_spotter puts it
    old = datetime.now(UTC) - timedelta(days=100)
    async with Store.open(database) as store:
        store.log_question(QuestionRecord.new("old question", source="slash", created_at=old))
        store.log_question(QuestionRecord.new("recent question", source="slash"))

    def questions() -> list[str]:
        with contextlib.closing(sqlite3.connect(database)) as db:
            return [q for (q,) in db.execute("SELECT question FROM questions ORDER BY question")]

    async with start_spotter(retention_days=30) as spot:
        assert spot.database == database
        await spot.fake.wait_for(lambda: questions() == ["recent question"], what="the purge")
