"""What does the start-up check of the database cost?
`python -m bench.store_open [--rows 10000 100000 1000000] [--repeat 3]`

For each size, a database with that many logged questions (about 150 bytes of question each,
like real ones) is written once into a temporary folder. Then ``Store.open`` runs with and
without ``health_check`` (PRAGMA quick_check plus a test write), each time on a file just
closed, and the median wall time is printed with the file's size. The page cache is warm, as
it is when a bot restarts; a cold disk adds the time to read the file once.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bot.storage import QuestionRecord, Store

BATCH = 5_000


async def fill(path: Path, rows: int) -> None:
    async with Store.open(path, batch_size=BATCH, flush_interval=3600) as store:
        for i in range(rows):
            store.log_question(
                QuestionRecord.new(
                    f"how many sets and reps should I do for exercise number {i} as a beginner "
                    "who trains three times a week at home with a pair of dumbbells?",
                    source="slash",
                    guild_id=1 + i % 7,
                    slug=f"exercise-{i % 500}",
                    section="faq",
                    heading="How many reps?",
                    score=0.9,
                    answered=True,
                    latency_ms=1.0,
                )
            )
            if i % BATCH == BATCH - 1:
                await store.flush()


async def time_open(path: Path, *, health_check: bool) -> float:
    started = time.perf_counter()
    store = await Store.open(path, health_check=health_check)
    seconds = time.perf_counter() - started
    await store.close()
    return seconds


async def measure(sizes: Sequence[int], repeat: int) -> None:
    print(f"{'rows':>10} {'file MB':>8} {'open ms':>9} {'checked ms':>11} {'check ms':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            path = Path(folder) / f"{rows}.sqlite3"
            await fill(path, rows)
            plain, checked = [], []
            for _ in range(repeat):
                plain.append(await time_open(path, health_check=False))
                checked.append(await time_open(path, health_check=True))
            base, full = statistics.median(plain) * 1000, statistics.median(checked) * 1000
            size = path.stat().st_size / 1e6
            print(f"{rows:>10} {size:>8.1f} {base:>9.1f} {full:>11.1f} {full - base:>9.1f}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    asyncio.run(measure(args.rows, args.repeat))


if __name__ == "__main__":
    main()
