"""How long does storage code hold the event loop? `python -m bench.loop_stalls [--n 1000]`.

The timing half of tests that used to assert it (timed assertions flake on a busy machine;
the tests keep their functional half):

- `asks`: N concurrent /ask through the loopback Discord (the real bot and discord.py, a real
  SQLite file). Every stretch of storage code that runs on the event loop is timed: each
  log_question call and each step (the code between two awaits) of flush and guild_settings,
  including the background flusher. Budget: the longest stretch under 100 ms.
- `log`: N concurrent questions and N/5 votes straight into a Store, spread over 0.2 s, while
  a 1 ms ticker measures the event loop's lateness. Budget: 50 ms.
- `flush`: 20 x N questions written in one flush: rows per second and the loop's lateness.
  Budget: 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Generator, Sequence
from pathlib import Path
from typing import Any

from bench.reload import Background
from bot.adapter.client import create_bot
from bot.storage import QuestionRecord, Store
from fakediscord import FakeDiscord, running_bot
from fakediscord.harness import spotter_settings

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
BUDGET_STRETCH = 0.100
BUDGET_LAG = 0.050
QUESTIONS = [
    "how many reps for single leg calf raises",
    "how deep should I squat?",
    "is the plank good for beginners",
    "how do I do a hack squat",
    "what muscles do calf raises work",
    "rdl form?",
]


class LagMeter(Background):
    """A ticker on the running loop: the longest the loop made a 1 ms sleep overshoot."""

    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.max_lag = 0.0
        self.ticks = 0

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(self.interval)
            self.max_lag = max(self.max_lag, loop.time() - started - self.interval)
            self.ticks += 1


class StorageClock:
    """Times every stretch of storage code that runs on the event loop (see the module doc).
    While such a stretch runs, nothing else can: the longest one is the most the storage
    layer delays the loop at a time."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.total = 0.0
        self.stretches = 0

    def add(self, seconds: float) -> None:
        self.longest = max(self.longest, seconds)
        self.total += seconds
        self.stretches += 1

    def attach(self, store: Store) -> None:
        log_question = store.log_question

        def timed_log(record: QuestionRecord) -> None:
            started = time.perf_counter()
            try:
                log_question(record)
            finally:
                self.add(time.perf_counter() - started)

        store.log_question = timed_log  # type: ignore[method-assign]
        for name in ("flush", "guild_settings"):
            original = getattr(store, name)
            setattr(
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
            started = time.perf_counter()
            try:
                yielded = send(value)
            except StopIteration as done:
                return done.value
            finally:
                self._clock.add(time.perf_counter() - started)
            try:
                value, send = (yield yielded), steps.send
            except BaseException as error:  # e.g. cancelled: into the coroutine
                value, send = error, steps.throw


async def asks(n: int, folder: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    try:
        settings = spotter_settings(folder, cooldown_rate=n, cooldown_seconds=60)
        shutil.copytree(KNOWLEDGE, settings.knowledge_dir)
        guild = await fake.add_guild("Gym")
        channel = await fake.add_channel(guild, "general")
        members = [await fake.add_member(guild, f"lifter{i}") for i in range(20)]
        bot = create_bot(settings, guild_ready_timeout=0.05)
        async with running_bot(fake, bot):
            await bot.tree.sync()
            clock = StorageClock()
            clock.attach(bot.store)
            started = time.perf_counter()
            async with LagMeter() as meter:
                inters = [
                    await fake.invoke_slash(
                        "ask",
                        {"question": QUESTIONS[i % len(QUESTIONS)]},
                        user=members[i % len(members)],
                        channel=channel,
                    )
                    for i in range(n)
                ]
                await asyncio.gather(*(inter.wait_for_message(timeout=60) for inter in inters))
                answered = time.perf_counter() - started
                await bot.store.flush()
        broken = fake.take_violations()  # e.g. an answer after Discord's 3 s
    finally:
        await fake.close()
    verdict = "within" if clock.longest < BUDGET_STRETCH else "OVER"
    print(
        f"asks: {n} concurrent /ask answered after {answered:.2f} s; storage on the event loop: "
        f"longest {clock.longest * 1000:.2f} ms ({verdict} {BUDGET_STRETCH * 1000:.0f} ms), "
        f"{clock.total * 1000:.0f} ms in {clock.stretches} stretches; loop max lag "
        f"{meter.max_lag * 1000:.0f} ms (bot, fake Discord and ticker share the loop); "
        f"{len(broken)} Discord rules broken"
    )


async def log(n: int, folder: Path) -> None:
    async with Store.open(folder / "log.sqlite3") as store:

        async def ask(i: int) -> None:
            # Spread over 0.2 s: squeezed into a few ms, the tasks' own Python work
            # saturates the loop and the meter measures the benchmark, not the store.
            await asyncio.sleep(random.random() * 0.2)
            record = QuestionRecord.new(
                f"question number {i}", source="slash", guild_id=1, answered=i % 2 == 0
            )
            store.log_question(record)
            if i % 5 == 0:
                await store.record_vote(record.id, 10_000 + i, helpful=i % 10 == 0)

        tasks = [asyncio.create_task(ask(i)) for i in range(n)]
        async with LagMeter() as meter:
            started = time.perf_counter()
            await asyncio.gather(*tasks)
            await store.flush()
            elapsed = time.perf_counter() - started
    verdict = "within" if meter.max_lag < BUDGET_LAG else "OVER"
    print(
        f"log: {n} concurrent questions + {n // 5} votes in {elapsed * 1000:.0f} ms; "
        f"loop max lag {meter.max_lag * 1000:.2f} ms ({verdict} {BUDGET_LAG * 1000:.0f} ms)"
    )


async def flush(n: int, folder: Path) -> None:
    async with Store.open(folder / "flush.sqlite3", flush_interval=3600, max_buffer=n) as store:
        for i in range(n):
            store.log_question(
                QuestionRecord.new(f"how do I do exercise {i}?", source="slash", latency_ms=i)
            )
        async with LagMeter() as meter:
            started = time.perf_counter()
            written = await store.flush()
            elapsed = time.perf_counter() - started
    verdict = "within" if meter.max_lag < BUDGET_LAG else "OVER"
    print(
        f"flush: {written} questions in {elapsed * 1000:.0f} ms ({written / elapsed:,.0f} rows/s); "
        f"loop max lag {meter.max_lag * 1000:.2f} ms ({verdict} {BUDGET_LAG * 1000:.0f} ms)"
    )


async def run(n: int, which: Sequence[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="spotter-stalls-") as tmp:
        root = Path(tmp)
        if "asks" in which:
            await asks(n, root / "asks")
        if "log" in which:
            await log(n, root)
        if "flush" in which:
            await flush(20 * n, root)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loop_stalls", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument(
        "--only", nargs="+", choices=("asks", "log", "flush"), default=("asks", "log", "flush")
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    print(f"python {sys.version.split()[0]} on {sys.platform}")
    asyncio.run(run(args.n, args.only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
