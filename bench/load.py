"""How fast does a library load? `python -m bench.load [--sizes 1000 10000] [--repeat 3]`.

For each size, a synthetic library (bench.generate) is written once into a temporary folder.
Then each loader runs in fresh subprocesses, so that neither warm caches inside Python nor
memory left over from an earlier run colour the numbers:

- `read`    reads every file's bytes and nothing else: the I/O floor;
- `naive`   reads every file and splits it on headings with regexes, no model, no checks:
            the simple alternative, so the cost of our parser is visible;
- `spotter` is `bot.core.loader.load_knowledge`, what the bot runs.

Per run: wall seconds of the load alone (imports excluded), peak RSS growth during the load
(`ru_maxrss` minus its value after imports) and, in a separate run, the tracemalloc peak.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.generate import generate_library
from bot.core.loader import load_knowledge, page_files

REPO = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 3.0  # the issue: 10,000 pages in a few seconds at most
BUDGET_PAGES = 10_000

_NAIVE_HEADING = re.compile(r"^(#{1,3})[ \t]+(.+?)[ \t]*$", re.MULTILINE)


def _markdown_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for parent, _dirs, files in os.walk(folder):
        found.extend(Path(parent, name) for name in files if name.endswith(".md"))
    return found


def read_only(folder: Path) -> int:
    """Reads every page's bytes: what any loader pays before it looks at the text."""
    files = _markdown_files(folder)
    for path in files:
        path.read_bytes()
    return len(files)


def naive_load(folder: Path) -> int:
    """The simple alternative: split each file on headings, keep the text, check nothing."""
    pages: dict[str, dict[str, object]] = {}
    for path in _markdown_files(folder):
        text = path.read_text(encoding="utf-8", errors="replace")
        parts = _NAIVE_HEADING.split(text)  # preamble, then (hashes, heading, body) triples
        title = ""
        sections: dict[str, str] = {}
        faq: dict[str, str] = {}
        for index in range(1, len(parts) - 2, 3):
            level, heading, body = parts[index], parts[index + 1], parts[index + 2].strip()
            if level == "#":
                title = heading
            elif level == "##":
                sections[heading.lower()] = body
            else:
                faq[heading] = body
        pages[path.stem] = {"title": title, "sections": sections, "faq": faq}
    return len(pages)


def spotter_load(folder: Path) -> int:
    kb = load_knowledge(folder)
    if kb.diagnostics:
        raise SystemExit(f"{len(kb.diagnostics)} diagnostics, first: {kb.diagnostics[0]}")
    return kb.stats.pages


LOADERS: dict[str, Callable[[Path], int]] = {
    "read": read_only,
    "naive": naive_load,
    "spotter": spotter_load,
}


# -- one measurement, inside a fresh subprocess -----------------------------------------------


def _max_rss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports kilobytes


def worker(mode: str, loader: str, folder: Path) -> dict[str, float]:
    load = LOADERS[loader]
    gc.collect()
    if mode == "trace":
        tracemalloc.start()
        pages = load(folder)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"pages": pages, "tracemalloc_peak": peak}
    baseline = _max_rss_bytes()
    started = time.perf_counter()
    pages = load(folder)
    seconds = time.perf_counter() - started
    return {"pages": pages, "seconds": seconds, "rss_growth": _max_rss_bytes() - baseline}


def run_worker(mode: str, loader: str, folder: Path, timeout: float) -> dict[str, float]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "bench.load", "--worker", mode, loader, str(folder)]
    try:
        done = subprocess.run(
            command,
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        message = f"{loader} ({mode}) took longer than {timeout:.0f} s on {folder}"
        raise SystemExit(message) from None
    if done.returncode != 0:
        raise SystemExit(f"{loader} ({mode}) failed:\n{done.stderr or done.stdout}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- the comparison -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    size: int
    loader: str
    best: float
    median: float
    rss_growth: float
    tracemalloc_peak: float

    @property
    def pages_per_second(self) -> float:
        return self.size / self.best if self.best > 0 else float("inf")


def measure(size: int, folder: Path, loader: str, repeat: int, timeout: float) -> Row:
    runs = [run_worker("time", loader, folder, timeout) for _ in range(repeat)]
    for run in runs:
        if run["pages"] != size:
            raise SystemExit(f"{loader} loaded {run['pages']} pages out of {size}")
    traced = run_worker("trace", loader, folder, timeout)
    seconds = [run["seconds"] for run in runs]
    return Row(
        size=size,
        loader=loader,
        best=min(seconds),
        median=statistics.median(seconds),
        rss_growth=max(run["rss_growth"] for run in runs),
        tracemalloc_peak=traced["tracemalloc_peak"],
    )


def print_table(rows: Sequence[Row]) -> None:
    header = (
        f"{'pages':>7}  {'loader':<8} {'best s':>8} {'median s':>9} {'pages/s':>9} "
        f"{'RSS +MB':>8} {'tracemalloc MB':>15} {'x naive':>8}"
    )
    print(header)
    print("-" * len(header))
    naive = {row.size: row.best for row in rows if row.loader == "naive"}
    for row in rows:
        ratio = row.best / naive[row.size] if naive.get(row.size) else float("nan")
        print(
            f"{row.size:>7}  {row.loader:<8} {row.best:>8.3f} {row.median:>9.3f} "
            f"{row.pages_per_second:>9.0f} {row.rss_growth / 2**20:>8.1f} "
            f"{row.tracemalloc_peak / 2**20:>15.1f} {ratio:>8.2f}"
        )


def _disk_megabytes(folder: Path) -> float:
    return sum(path.stat().st_size for path in page_files(folder)) / 2**20


def benchmark(
    sizes: Sequence[int], repeat: int, seed: int, timeout: float, keep: Path | None
) -> int:
    print(f"python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="spotter-bench-") as tmp:
        base = keep or Path(tmp)
        for size in sizes:
            folder = base / f"library-{size}"
            started = time.perf_counter()
            if not (keep and folder.is_dir() and len(page_files(folder)) == size):
                generate_library(folder, size, seed=seed)
            print(
                f"library of {size} pages ready in {time.perf_counter() - started:.1f} s "
                f"({_disk_megabytes(folder):.1f} MB of Markdown)"
            )
            for loader in LOADERS:
                rows.append(measure(size, folder, loader, repeat, timeout))
    print()
    print_table(rows)
    print()
    over = [r for r in rows if r.loader == "spotter" and r.size >= BUDGET_PAGES]
    for row in over:
        per_budget = row.best * BUDGET_PAGES / row.size
        verdict = "within" if per_budget <= BUDGET_SECONDS else "OVER"
        print(
            f"spotter: {per_budget:.2f} s per {BUDGET_PAGES:,} pages (best of {repeat}), "
            f"{verdict} the {BUDGET_SECONDS:.0f} s budget"
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per loader (best kept)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds allowed for one measured run"
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="generate into DIR and reuse it next time"
    )
    parser.add_argument(
        "--worker", nargs=3, metavar=("MODE", "LOADER", "DIR"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        mode, loader, folder = args.worker
        print(json.dumps(worker(mode, loader, Path(folder))))
        return 0
    if any(size < 1 for size in args.sizes) or args.repeat < 1:
        parser.error("sizes and --repeat must be at least 1")
    return benchmark(args.sizes, args.repeat, args.seed, args.timeout, args.keep)


if __name__ == "__main__":
    sys.exit(main())
