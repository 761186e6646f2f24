"""How long do library changes from Discord take, without Discord?
`python -m bench.library_edit [--pages 100] [--repeat 5]`.

On a copy of the bundled library (and on a 1,000-page generated one), times the blocking steps
/kb upload and Confirm run in worker threads: unpacking and checking a zip of `--pages` pages,
planning them (lint + FAQ diff against the served pages), writing them atomically (fsync per
page), appending one FAQ entry, and the reload that follows. Median of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench.generate import generate_library
from bot.core.faq_edit import append_faq_entry
from bot.core.library import load_library
from bot.core.library_files import write_atomically
from bot.core.uploads import apply_upload, collect_uploads, plan_upload

REPO = Path(__file__).resolve().parents[1]


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def zip_of(pages: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for page in pages:
            archive.writestr(f"uploaded/{page.name}", page.read_bytes())
    return buffer.getvalue()


def measure(root: Path, pages: int, repeat: int) -> dict[str, float]:
    library = load_library(root).library
    assert library is not None
    sources = sorted(root.glob("*.md"))[:pages]
    archive = zip_of(sources)
    uploads = collect_uploads([("pages.zip", archive)])

    rounds = iter(range(10**9))

    def plan_and_write() -> None:
        # Each round changes every page (one more line at its end), so each is written.
        extra = f"\n<!-- round {next(rounds)} -->\n".encode()
        changed = [replace(upload, data=upload.data + extra) for upload in uploads]
        apply_upload(plan_upload(root, library.kb.pages, changed))

    target = sources[0]
    text = target.read_text(encoding="utf-8")
    return {
        "unzip + check": median_ms(lambda: collect_uploads([("pages.zip", archive)]), repeat),
        "plan (lint + diff)": median_ms(
            lambda: plan_upload(root, library.kb.pages, uploads), repeat
        ),
        f"plan + {len(uploads)} atomic writes": median_ms(plan_and_write, repeat),
        "append FAQ + write": median_ms(
            lambda: write_atomically(
                target, append_faq_entry(text, "Is this a benchmark?", "Yes.").text.encode()
            ),
            repeat,
        ),
        "reload": median_ms(lambda: load_library(root, previous=library), repeat),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="pages in the uploaded zip")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        bundled = Path(folder, "bundled")
        shutil.copytree(REPO / "knowledge", bundled)
        generated = Path(folder, "generated")
        generate_library(generated, 1000)
        for name, root in (("bundled (55 pages)", bundled), ("generated (1000 pages)", generated)):
            pages = min(args.pages, len(list(root.glob("*.md"))))
            print(f"{name}, a zip of {pages} pages, median of {args.repeat}:")
            for step, ms in measure(root, pages, args.repeat).items():
                print(f"  {step:<26} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
