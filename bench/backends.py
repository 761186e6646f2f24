"""SQLite vs PostgreSQL, one and two bot processes: question-log writes per second and the
storage latency of the /ask path and of a feedback click.

    python -m bench.backends [--questions 20000] [--asks 1000]

Each process opens the Store the way the bot does (flush every second or every 200 records)
and then, at the same moment as the others:
  1. logs ``--questions`` questions as fast as it can and waits until they are written:
     writes per second (for two processes, all rows over the slower one's time);
  2. answers ``--asks`` questions the /ask way, storage-wise: read the guild's settings, log
     the question, record the reply time (all in memory; the writes happen in the background)
     -- its time per ask; and every fifth a feedback vote and a button's question lookup
     (of a question written in step 1), which wait for the database -- their time.
SQLite is a file in a temporary folder; PostgreSQL a throwaway server (bench.pgserver) on
127.0.0.1, so this measures the database, not a network.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import percentile
from bot.storage import QuestionRecord, Store

GUILD = 1


async def worker(target: str, name: str, questions: int, asks: int, start_at: float) -> dict:
    async with Store.open(target) as store:
        await asyncio.sleep(max(start_at - time.time(), 0.0))
        began = time.perf_counter()
        earlier: list[str] = []  # written in this phase: looked up from the database below
        for i in range(questions):
            record = QuestionRecord.new(f"{name} how deep should I squat {i}?", source="slash")
            store.log_question(record)
            if i < asks:
                earlier.append(record.id)
            if i % 200 == 199:
                # As fast as the writer keeps up: well under the buffer's 10,000, none dropped.
                while store.pending > 2_000:
                    await asyncio.sleep(0.001)
        await store.flush()
        write_seconds = time.perf_counter() - began
        assert store.dropped == 0 and store.written == questions

        ask_us: list[float] = []
        vote_ms: list[float] = []
        lookup_ms: list[float] = []
        for i in range(asks):
            record = QuestionRecord.new(f"{name} rdl form {i}?", source="slash", guild_id=GUILD)
            t0 = time.perf_counter()
            await store.guild_settings(GUILD)
            store.log_question(record)
            store.record_reply_time(record.id, 120.0)
            ask_us.append((time.perf_counter() - t0) * 1e6)
            if i % 5 == 0:
                t0 = time.perf_counter()
                await store.record_vote(earlier[i], 10_000 + i, helpful=True)
                vote_ms.append((time.perf_counter() - t0) * 1e3)
                t0 = time.perf_counter()
                found = await store.question(earlier[i])
                lookup_ms.append((time.perf_counter() - t0) * 1e3)
                assert found is not None
            await asyncio.sleep(0.001)  # asks arrive over time, not all in one tick
    return {
        "name": name,
        "rows": questions,
        "write_seconds": write_seconds,
        "ask_us": ask_us,
        "vote_ms": vote_ms,
        "lookup_ms": lookup_ms,
    }


def run(target: str, processes: int, questions: int, asks: int) -> dict[str, Any]:
    start_at = time.time() + 2.0 + processes  # every process opened and waiting by then
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.backends",
                "--worker",
                target,
                f"p{n}",
                str(questions),
                str(asks),
                str(start_at),
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(processes)
    ]
    results = []
    for child in children:
        out, _ = child.communicate(timeout=600)
        if child.returncode != 0:
            raise SystemExit(f"worker failed ({child.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    ask_us = sorted(x for r in results for x in r["ask_us"])
    vote_ms = sorted(x for r in results for x in r["vote_ms"])
    lookup_ms = sorted(x for r in results for x in r["lookup_ms"])
    return {
        "writes_per_second": sum(r["rows"] for r in results)
        / max(r["write_seconds"] for r in results),
        "ask_p50_us": percentile(ask_us, 0.5),
        "ask_p99_us": percentile(ask_us, 0.99),
        "vote_p50_ms": percentile(vote_ms, 0.5),
        "vote_p99_ms": percentile(vote_ms, 0.99),
        "lookup_p50_ms": percentile(lookup_ms, 0.5),
    }


def new_database(server_url: str, name: str) -> str:
    """An empty database on the server, so each run starts from nothing, like SQLite's."""
    import asyncpg

    async def create() -> None:
        connection = await asyncpg.connect(server_url)
        try:
            await connection.execute(f"CREATE DATABASE {name}")
        finally:
            await connection.close()

    asyncio.run(create())
    return f"{server_url.rsplit('/', 1)[0]}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=20_000)
    parser.add_argument("--asks", type=int, default=1_000)
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        target, name, questions, asks, start_at = args.worker
        result = asyncio.run(worker(target, name, int(questions), int(asks), float(start_at)))
        print(json.dumps(result), flush=True)
        return

    from bench.pgserver import throwaway_postgres, unavailable

    print(
        f"{args.questions} logged questions and {args.asks} asks per process; "
        f"{os.cpu_count()} cores\n"
    )
    header = (
        f"{'backend':<11} {'processes':>9} {'writes/s':>9} {'ask p50':>9} {'ask p99':>9} "
        f"{'vote p50':>9} {'vote p99':>9} {'lookup p50':>10}"
    )
    print(header)
    print("-" * len(header))

    def show(backend: str, processes: int, numbers: dict[str, Any]) -> None:
        print(
            f"{backend:<11} {processes:>9} {numbers['writes_per_second']:>9,.0f} "
            f"{numbers['ask_p50_us']:>7.1f}µs {numbers['ask_p99_us']:>7.1f}µs "
            f"{numbers['vote_p50_ms']:>7.2f}ms {numbers['vote_p99_ms']:>7.2f}ms "
            f"{numbers['lookup_p50_ms']:>8.2f}ms",
            flush=True,
        )

    with tempfile.TemporaryDirectory(prefix="spotter-bench-") as folder:
        for processes in (1, 2):
            target = f"sqlite:///{folder}/p{processes}.sqlite3"
            show("SQLite", processes, run(target, processes, args.questions, args.asks))
    reason = unavailable()
    if reason is not None:
        print(f"PostgreSQL: not measured ({reason})")
        return
    with throwaway_postgres() as server:
        for processes in (1, 2):
            url = new_database(server.url, f"bench_p{processes}")
            numbers = run(url, processes, args.questions, args.asks)
            show("PostgreSQL", processes, numbers)
    print(
        "\nask: settings read + question logged + reply time (memory; written in the "
        "background); vote and lookup: a feedback click's two database round trips."
    )


if __name__ == "__main__":
    main()
