"""Reliability through the loopback Discord, on a real SQLite file: a burst of 1,000 /ask,
an unwritable database, and the retention purge. Run with -s to see the measurements."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import sqlite3
import time
from collections.abc import Callable, Coroutine, Generator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from bot.storage import QuestionRecord, Store
from tests.discord.helpers import REPS_QUESTION, embed

QUESTIONS = [
    REPS_QUESTION,
    "how deep should I squat?",
    "is the plank good for beginners",
    "how do I do a hack squat",  # abstains
    "what muscles do calf raises work",
    "rdl form?",
]


class LagMeter:
    """A ticker on the running loop: the longest the loop made a 1 ms sleep overshoot."""

    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.max_lag = 0.0
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(self.interval)
            self.max_lag = max(self.max_lag, loop.time() - started - self.interval)
            self.ticks += 1

    async def __aenter__(self) -> LagMeter:
        self._task = asyncio.create_task(self._tick())
        await asyncio.sleep(0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


def count_rows(path: Path) -> tuple[int, int]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT count(*), count(DISTINCT id) FROM questions").fetchone()


class StorageClock:
    """Times every stretch of storage code that runs on the event loop: each log_question
    call, and each step (the code between two awaits) of flush and guild_settings, which
    includes the background flusher's writes. While such a stretch runs, nothing else can:
    the longest one is the most the storage layer delays the loop at a time.

    The garbage collector's pauses are left out: it runs wherever an allocation happens to
    trigger it (a full collection of this test's heap takes ~0.1 s), and is no storage code's
    doing. Use as a context manager around the measured part."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.total = 0.0
        self.stretches = 0
        self.collecting = 0.0  # seconds of garbage collection so far
        self._collection_started = 0.0

    def __enter__(self) -> StorageClock:
        gc.callbacks.append(self._on_collection)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._on_collection)

    def _on_collection(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._collection_started = time.perf_counter()
        else:
            self.collecting += time.perf_counter() - self._collection_started

    def start(self) -> tuple[float, float]:
        return time.perf_counter(), self.collecting

    def add(self, started: tuple[float, float]) -> None:
        at, collecting = started
        seconds = time.perf_counter() - at - (self.collecting - collecting)
        self.longest = max(self.longest, seconds)
        self.total += seconds
        self.stretches += 1

    def attach(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        log_question = store.log_question

        def timed_log(record: QuestionRecord) -> None:
            started = self.start()
            try:
                log_question(record)
            finally:
                self.add(started)

        monkeypatch.setattr(store, "log_question", timed_log)
        for name in ("flush", "guild_settings"):
            original = getattr(store, name)
            monkeypatch.setattr(
                store, name, lambda *a, _original=original, **k: _Timed(_original(*a, **k), self)
            )


class _Timed:
    """Awaits a coroutine, timing each of its steps."""

    def __init__(self, coro: Coroutine[Any, Any, Any], clock: StorageClock) -> None:
        self._coro = coro
        self._clock = clock

    def __await__(self) -> Generator[Any, Any, Any]:
        steps = self._coro.__await__()
        send: Callable[[Any], Any] = steps.send
        value: Any = None
        while True:
            started = self._clock.start()
            try:
                yielded = send(value)
            except StopIteration as done:
                return done.value
            finally:
                self._clock.add(started)
            try:
                value, send = (yield yielded), steps.send
            except BaseException as error:  # e.g. cancelled: into the coroutine
                value, send = error, steps.throw


async def test_a_thousand_concurrent_asks_are_all_answered_and_logged(
    start_spotter, monkeypatch
) -> None:
    n = 1000
    async with start_spotter(cooldown_rate=n, cooldown_seconds=60) as spot:
        members = [await spot.fake.add_member(spot.guild, f"lifter{i}") for i in range(20)]
        store = spot.bot.store
        clock = StorageClock()
        clock.attach(store, monkeypatch)
        started = time.perf_counter()
        with clock:
            async with LagMeter() as meter:
                inters = [
                    await spot.ask(QUESTIONS[i % len(QUESTIONS)], user=members[i % len(members)])
                    for i in range(n)
                ]
                dispatched = time.perf_counter() - started
                messages = await asyncio.gather(
                    *(inter.wait_for_message(timeout=30) for inter in inters)
                )
                answered = time.perf_counter() - started
                await store.flush()
                flushed = time.perf_counter() - started
        rows = count_rows(spot.database)

    print(
        f"\n{n} concurrent /ask: dispatched in {dispatched:.2f} s, all answered after "
        f"{answered:.2f} s, question log flushed after {flushed:.2f} s"
        f"\n  storage on the event loop: longest {clock.longest * 1000:.2f} ms at a time, "
        f"{clock.total * 1000:.0f} ms in total over {clock.stretches} stretches"
        f"\n  loop ticker (bot, fake Discord and test share this loop): max lag "
        f"{meter.max_lag * 1000:.0f} ms over {meter.ticks} ticks"
    )
    assert all(embed(message)["title"] for message in messages)
    assert rows == (n, n)
    assert clock.stretches >= 2 * n  # every log_question and policy lookup was timed
    assert clock.longest < 0.100


@contextlib.contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another connection holds SQLite's write lock, as another process could."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")


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
