"""Does /kb reload stall the bot? `python -m bench.reload [--pages 10000] [--reloads 3]`.

A synthetic library (bench.generate) is loaded by the bot's real `LibraryKeeper` (no Discord:
reload is all local work) in a fresh subprocess, so memory numbers are the bot's own. Then the
library is reloaded `--reloads` times through `reload_library`, the code /kb reload runs, while
a ticker on the event loop sleeps 1 ms at a time and records how late it wakes up. Per reload:

- stall: the longest and the 99th percentile lateness of the ticker (what a question arriving
  during the reload waits for, at most); and "ours", the most of one lateness our own threads
  can have caused: less the time the loop's thread waited for a CPU, and no more than the CPU
  time the build and release threads used meanwhile (only a running thread holds the GIL). On
  a machine shared with other work, the rest is that work's;
- peak RSS during the reload (VmHWM, reset before it) and RSS after the swap, once the old
  library has been released, each next to the steady state after the first load;
- the noise floor: the ticker beside a busy pure-Python thread for as long, no reload. On a
  shared machine other processes' load shows here too; `nice -n -10` helps.

`--code DIR` measures another checkout's `bot` package (e.g. `git worktree add /tmp/before
HEAD~3`) with this same harness: the before/after comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Self

REPO = Path(__file__).resolve().parents[1]
TICK = 0.001
BUDGET_STALL = 0.050
BUDGET_PEAK = 1.6  # times the steady state


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def _reset_peak() -> bool:
    """Linux resets VmHWM (peak RSS) when 5 is written to clear_refs."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


class PeakSampler:
    """Fallback where VmHWM cannot be reset: sample RSS every millisecond in a thread."""

    def __init__(self) -> None:
        self.peak = _status_kib("VmRSS")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.001):
            self.peak = max(self.peak, _status_kib("VmRSS"))

    @contextlib.contextmanager
    def running(self) -> Iterator[PeakSampler]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()


def _schedstat() -> dict[int, tuple[float, float]] | None:
    """Per thread of this process: (seconds on a CPU, seconds waiting for one), from Linux."""
    found: dict[int, tuple[float, float]] = {}
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/schedstat", encoding="ascii") as stat:
                ran, waited, _ = stat.read().split()
            found[int(task)] = (int(ran) / 1e9, int(waited) / 1e9)
    except (OSError, ValueError):
        return None
    return found


class Background:
    """Runs `self._tick()` as a task from `__aenter__` until `__aexit__` cancels it. (Here, not
    in a module of its own: this file also runs as a script against other checkouts.)"""

    _task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        self._task = asyncio.create_task(self._tick())
        await asyncio.sleep(0)  # let it take its first measurement
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


class Ticker(Background):
    """Sleeps TICK at a time on the event loop and records how late each wake-up is, and how
    much of it our own code can have caused: the lateness less the time the loop's thread
    waited for a CPU (other processes' load), and at most the CPU time our other threads
    (the build, the release) used meanwhile, since only a running thread holds the GIL."""

    def __init__(self) -> None:
        self.lateness: list[float] = []
        self.ours: list[float] = []

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        me = threading.get_native_id()
        while True:
            before_stat = _schedstat()
            before = loop.time()
            await asyncio.sleep(TICK)
            late = loop.time() - before - TICK
            self.lateness.append(late)
            after_stat = _schedstat()
            if before_stat is None or after_stat is None or me not in after_stat:
                continue
            cpu_wait = after_stat[me][1] - before_stat.get(me, after_stat[me])[1]
            others_ran = sum(
                ran - before_stat.get(task, (ran, 0.0))[0]
                for task, (ran, _) in after_stat.items()
                if task != me
            )
            self.ours.append(max(0.0, min(late - cpu_wait, others_ran)))


async def noise_floor(seconds: float) -> tuple[float, float]:
    """The ticker's lateness beside a busy pure-Python thread and no reload: what GIL switching
    and this machine's other load cost anyway. (max, p99)"""
    stop = threading.Event()

    def busy() -> None:
        total = 0
        while not stop.is_set():
            for number in range(1000):
                total += number

    thread = threading.Thread(target=busy, daemon=True)
    thread.start()
    async with Ticker() as ticker:
        await asyncio.sleep(seconds)
    stop.set()
    thread.join()
    lateness = sorted(ticker.lateness)
    return lateness[-1], lateness[int(0.99 * (len(lateness) - 1))]


async def _settle(bot: object) -> None:
    """Until the old library is freed (the reloader's threads), or a moment for older code."""
    reloader = getattr(bot, "reloader", None)
    if reloader is not None:
        await reloader.settled()
    else:
        await asyncio.sleep(0.5)


def _library_keeper(settings: Any) -> Any:
    """What reloads the library: the LibraryKeeper, or in older code (`--code`) the bot."""
    try:
        from bot.adapter.library_keeper import LibraryKeeper
    except ImportError:
        from bot.adapter.client import SpotterBot

        return SpotterBot(settings)
    return LibraryKeeper(settings)


async def measure(folder: Path, reloads: int, timeout: float) -> dict[str, object]:
    from bot.config import Settings

    database = folder.parent / "unused.sqlite3"
    if "reload_timeout_seconds" in Settings.__dataclass_fields__:
        settings = Settings(
            knowledge_dir=folder, database_path=database, reload_timeout_seconds=timeout
        )
    else:  # older code (`--code`) has no reload timeout
        settings = Settings(knowledge_dir=folder, database_path=database)
    bot = _library_keeper(settings)
    started = time.perf_counter()
    first = await bot.reload_library(loaded_by="startup")
    await _settle(bot)
    load_seconds = time.perf_counter() - started
    steady = _status_kib("VmRSS")
    runs: list[dict[str, float]] = []
    for _ in range(reloads):
        resettable = _reset_peak()
        sampler = PeakSampler()
        with contextlib.ExitStack() as stack:
            if not resettable:
                stack.enter_context(sampler.running())
            async with Ticker() as ticker:
                started = time.perf_counter()
                report = await bot.reload_library(loaded_by="bench")
                seconds = time.perf_counter() - started
                await _settle(bot)
        if report.kept_old:
            raise SystemExit(f"the reload kept the old library: {report.why}")
        peak = _status_kib("VmHWM") if resettable else sampler.peak
        lateness = sorted(ticker.lateness)
        floor_max, floor_p99 = await noise_floor(min(seconds, 10.0))
        runs.append(
            {
                "seconds": seconds,
                "stall_max": lateness[-1],
                "stall_p99": lateness[int(0.99 * (len(lateness) - 1))],
                "ours": max(ticker.ours, default=float("nan")),
                "ticks": len(lateness),
                "peak_kib": peak,
                "after_kib": _status_kib("VmRSS"),
                "floor_max": floor_max,
                "floor_p99": floor_p99,
            }
        )
    return {
        "pages": first.pages_after,
        "load_seconds": load_seconds,
        "steady_kib": steady,
        "gc_threshold": gc.get_threshold(),
        "runs": runs,
    }


def run_worker(folder: Path, reloads: int, timeout: float, code: Path) -> dict[str, object]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    # As a script, so that `bot` comes from `code` even when it has no bench/reload.py.
    command = [
        sys.executable, str(Path(__file__).resolve()), "--worker", str(folder),
        "--reloads", str(reloads), "--timeout", str(timeout),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=code, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the worker failed:\n{done.stderr or done.stdout}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(result: dict[str, object]) -> None:
    steady = float(result["steady_kib"])  # type: ignore[arg-type]
    runs: list[dict[str, float]] = result["runs"]  # type: ignore[assignment]
    print(
        f"{result['pages']} pages: first load {result['load_seconds']:.1f} s, "
        f"steady RSS {steady / 1024:.0f} MiB"
    )
    header = (
        f"{'reload':>6} {'seconds':>8} {'stall max ms':>13} {'p99 ms':>7} {'ours ms':>11} "
        f"{'peak MiB':>9} {'x steady':>9} {'after MiB':>10} {'x steady':>9} "
        f"{'floor max/p99 ms':>17}"
    )
    print(header)
    print("-" * len(header))
    for number, run in enumerate(runs, 1):
        print(
            f"{number:>6} {run['seconds']:>8.1f} {run['stall_max'] * 1000:>13.1f} "
            f"{run['stall_p99'] * 1000:>7.1f} {run['ours'] * 1000:>11.1f} "
            f"{run['peak_kib'] / 1024:>9.0f} "
            f"{run['peak_kib'] / steady:>9.2f} {run['after_kib'] / 1024:>10.0f} "
            f"{run['after_kib'] / steady:>9.2f} "
            f"{run['floor_max'] * 1000:>10.1f} /{run['floor_p99'] * 1000:>5.1f}"
        )
    worst_stall = max(run["stall_max"] for run in runs)
    worst_ours = max(run["ours"] for run in runs)
    worst_peak = max(run["peak_kib"] for run in runs) / steady
    print(
        f"\nworst stall {worst_stall * 1000:.0f} ms, at most {worst_ours * 1000:.0f} ms of it ours "
        f"(budget {BUDGET_STALL * 1000:.0f} ms); "
        f"worst peak {worst_peak:.2f}x steady (budget {BUDGET_PEAK}x)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reload", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--reloads", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=3600.0, help="reload_timeout_seconds")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="generate into DIR, reuse it")
    parser.add_argument(
        "--code",
        type=Path,
        default=REPO,
        metavar="DIR",
        help="the checkout whose bot package is measured (default: this one)",
    )
    parser.add_argument("--worker", type=Path, metavar="LIBRARY", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        result = asyncio.run(measure(args.worker, args.reloads, args.timeout))
        print(json.dumps(result))
        return 0
    if args.pages < 1 or args.reloads < 1:
        parser.error("--pages and --reloads must be at least 1")
    from bench.generate import generate_library
    from bot.core.loader import page_files

    print(
        f"python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs; "
        f"code: {args.code}"
    )
    with tempfile.TemporaryDirectory(prefix="spotter-reload-") as tmp:
        folder = (args.keep or Path(tmp)) / f"library-{args.pages}-{args.seed}"
        if not (folder.is_dir() and len(page_files(folder)) == args.pages):
            generate_library(folder, args.pages, seed=args.seed)
        report(run_worker(folder.resolve(), args.reloads, args.timeout, args.code.resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
