"""`spotter db copy` from SQLite to PostgreSQL: how long it takes and how much memory the
copying process needs, for deployments of growing size (memory should stay flat).

    python -m bench.db_copy [--sizes 0,10000,50000]

Each size is a SQLite file filled through the Store by bench.deployment (that many
questions, one to three members' votes on each of the first fifth, two servers' settings and
three library changes), copied by the real CLI
as its own process into a new database on a throwaway PostgreSQL server (bench.pgserver) on
127.0.0.1. Peak memory is the copying process's maximum resident set (wait4's ru_maxrss).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.backends import new_database
from bench.deployment import fill_deployment

REPOSITORY = Path(__file__).parents[1]


def fill(source: Path, questions: int) -> None:
    """A deployment filled in a process of its own: Linux starts a child's peak RSS (ru_maxrss)
    at its parent's, so the bench process must stay smaller than the copy it measures."""
    process = multiprocessing.get_context("spawn").Process(
        target=_fill_here, args=(source, questions)
    )
    process.start()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"filling {source} failed ({process.exitcode})")


def _fill_here(source: Path, questions: int) -> None:
    asyncio.run(fill_deployment(source, questions, voted_questions=questions // 5))


def copy(source: Path, url: str, folder: str) -> tuple[float, float, str]:
    """Seconds of wall-clock time, peak RSS in MiB, and the command's output."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SPOTTER_")}
    env["PYTHONPATH"] = str(REPOSITORY)
    command = [sys.executable, "-m", "bot", "db", "copy", "--from", str(source), "--to", url]
    began = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not all children's
    seconds = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"spotter db copy failed ({process.returncode}): {output}")
    return seconds, usage.ru_maxrss / 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0,10000,50000", help="questions per deployment")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    from bench.pgserver import throwaway_postgres, unavailable

    reason = unavailable()
    if reason is not None:
        print(f"not measured: {reason}")
        return
    header = f"{'questions':>9} {'rows':>8} {'seconds':>8} {'rows/s':>8} {'peak RSS':>9}"
    print(f"SQLite -> PostgreSQL, {os.cpu_count()} cores\n\n{header}\n{'-' * len(header)}")
    with (
        tempfile.TemporaryDirectory(prefix="spotter-bench-") as folder,
        throwaway_postgres() as server,
    ):
        for size in sizes:
            source = Path(folder) / f"deployment-{size}.sqlite3"
            fill(source, size)
            url = new_database(server.url, f"copy_{size}")
            seconds, peak, output = copy(source, url, folder)
            rows = sum(int(line.split()[-1].replace(",", "")) for line in output.splitlines()[1:])
            print(
                f"{size:>9,} {rows:>8,} {seconds:>7.2f}s {rows / seconds:>8,.0f} {peak:>6.0f} MiB",
                flush=True,
            )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\npeak RSS: the copying process's; it reads at least this process's own ({own:.0f} MiB)."
    )
    print(
        "seconds: the whole command (Python start, both databases opened and migrated, the "
        "copy, the commit); rows: every table's."
    )


if __name__ == "__main__":
    main()
