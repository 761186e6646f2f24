"""How long does working out related exercises take? `python -m bench.related [--sizes ...]`.

For each size a synthetic library (bench.generate) is written to a temporary folder and
loaded once; then `related_exercises` (run once per library build) is timed a few times.
Prints wall and CPU seconds (the median) and how many pages got no relative at all.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Mapping, Sequence

from bench.generate import generate_library
from bot.core.loader import load_knowledge
from bot.core.related import related_exercises


def measure(size: int, repeat: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        generate_library(folder, size)
        pages = load_knowledge(folder).pages
    walls: list[float] = []
    cpus: list[float] = []
    found: Mapping[str, tuple[str, ...]] = {}
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        found = related_exercises(pages)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    lonely = sum(1 for others in found.values() if not others)
    return statistics.median(walls), statistics.median(cpus), lonely


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'pages':>7}  {'wall s':>7}  {'cpu s':>7}  {'no relative':>11}")
    for size in args.sizes:
        wall, cpu, lonely = measure(size, args.repeat)
        print(f"{size:>7}  {wall:>7.3f}  {cpu:>7.3f}  {lonely:>11}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
