"""Follow-up questions: quality with and without context, and what the context costs in time.

    python -m bench.followups                 # bundled library
    python -m bench.followups --sizes 10000   # also a generated library of that many pages

Quality is bench/eval/followups.jsonl scored by bench/eval/followup_scoring.py. Time is one
uncached answer (the answer cache is cleared before each), p50 and p99 in milliseconds, for
each follow-up with its context and without, and for the standalone questions
(bench/eval/questions.jsonl) with another page as context and without. On a generated library
the questions are the second halves of its FAQ questions ("... should you do?"), asked
after an answer from their page; it prints how often they are answered from that page.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.eval.followup_scoring import (
    context_of,
    load_followups,
    score_followups,
    score_standalone,
    standalone_contexts,
)
from bench.eval.scoring import load_questions
from bench.generate import generate_library
from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex

REPO = Path(__file__).resolve().parents[1]


def timed(index: AnswerIndex, asked: Sequence[tuple[str, str | None]]) -> tuple[float, float]:
    """(p50, p99) of uncached answers in ms."""
    latencies = []
    for question, context in asked:
        index._cached_answer.cache_clear()  # time the work, not the cache
        started = time.perf_counter()
        index.answer(question, context=context)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return statistics.median(latencies), latencies[
        min(len(latencies) - 1, len(latencies) * 99 // 100)
    ]


def line(title: str, p50_p99: tuple[float, float]) -> str:
    return f"  {title:<44} p50 {p50_p99[0]:6.2f} ms   p99 {p50_p99[1]:6.2f} ms"


def bundled() -> None:
    index = AnswerIndex(load_knowledge(REPO / "knowledge"))
    pairs = load_followups()
    print("bundled library, follow-ups (bench/eval/followups.jsonl):")
    for title, context in (("no context", False), ("context", True)):
        print("  " + score_followups(index, pairs, context=context).summary(title))
    questions = load_questions()
    for title, standalone in (
        ("standalone, no context", None),
        ("standalone, another page", "other"),
        ("standalone, own page", "same"),
    ):
        print("  " + score_standalone(index, questions, context=standalone).summary(title))
    contexts = [context_of(index, pair) for pair in pairs]
    others = standalone_contexts(index, questions, "other")
    runs: list[tuple[str, Callable[[], tuple[float, float]]]] = [
        ("follow-ups, no context", lambda: timed(index, [(p.q, None) for p in pairs])),
        (
            "follow-ups, context",
            lambda: timed(index, [(p.q, c) for p, c in zip(pairs, contexts, strict=True)]),
        ),
        ("standalone, no context", lambda: timed(index, [(q.q, None) for q in questions])),
        (
            "standalone, another page as context",
            lambda: timed(index, [(q.q, c) for q, c in zip(questions, others, strict=True)]),
        ),
    ]
    for title, run in runs:
        print(line(title, run()))


def generated(size: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        generate_library(folder, size)
        started = time.perf_counter()
        index = AnswerIndex(load_knowledge(folder))
        build = time.perf_counter() - started
    asked = []
    for slug in sorted(index.by_slug)[:: max(1, size // 300)]:
        for entry in index.by_slug[slug].page.faq[:2]:
            words = entry.question.split()
            asked.append((" ".join(words[len(words) // 2 :]), slug))  # the end of the question
    print(f"generated library, {size} pages (index built in {build:.1f} s), {len(asked)} asked:")
    print(line("half questions, no context", timed(index, [(q, None) for q, _ in asked])))
    print(line("half questions, context", timed(index, asked)))
    for title, with_context in (("no context", False), ("context", True)):
        right = sum(
            (result := index.answer(q, context=slug if with_context else None)).answer is not None
            and result.answer.slug == slug
            for q, slug in asked
        )
        print(f"  answered from the page asked about, {title}: {right / len(asked):.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[])
    args = parser.parse_args(argv)
    bundled()
    for size in args.sizes:
        generated(size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
