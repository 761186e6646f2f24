"""Fits the engine's confidence calibration: `python -m bench.calibrate [--blind]`.

The engine ranks by a raw fit score; what it reports is `sigmoid(a * raw + b)`, the chance that
the answer names the right exercise, fitted here by logistic regression (Platt scaling) on the
tune half of tests/eval (and, with --blind, on bench/blind over the dataset library as well).
Out-of-scope questions count as wrong answers. Paste the printed constants into
bot/core/search/engine.py; the holdout half is reported, never fitted.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterable
from pathlib import Path

from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex
from tests.eval.scoring import Labelled, load_questions

REPO = Path(__file__).resolve().parents[1]


def observations(index: AnswerIndex, questions: Iterable[Labelled]) -> list[tuple[float, int]]:
    """(raw score of the best answer, 1 if it names the right exercise) per question."""
    rows = []
    for item in questions:
        answer = index.raw_answer(item.q)
        raw = answer.score if answer else 0.0
        rows.append((raw, int(item.in_scope and item.right_exercise(answer))))
    return rows


def fit(rows: list[tuple[float, int]], iterations: int = 50) -> tuple[float, float]:
    """1-D logistic regression by Newton's method, with a little ridge for stability."""
    a, b = 1.0, 0.0
    for _ in range(iterations):
        ga = gb = haa = hab = hbb = 0.0
        for x, y in rows:
            p = 1 / (1 + math.exp(-(a * x + b)))
            ga += (p - y) * x
            gb += p - y
            w = p * (1 - p)
            haa += w * x * x
            hab += w * x
            hbb += w
        ga += 1e-3 * a
        haa += 1e-3
        det = haa * hbb - hab * hab
        if abs(det) < 1e-12:
            break
        a -= (hbb * ga - hab * gb) / det
        b -= (haa * gb - hab * ga) / det
    return a, b


def reliability(rows: list[tuple[float, int]], a: float, b: float) -> str:
    bins: dict[int, list[int]] = {}
    for x, y in rows:
        p = 1 / (1 + math.exp(-(a * x + b)))
        bins.setdefault(min(int(p * 10), 9), []).append(y)
    lines = ["  confidence  questions  right"]
    for key in sorted(bins):
        ys = bins[key]
        lines.append(
            f"  {key / 10:.1f}-{(key + 1) / 10:.1f}   {len(ys):9}  {sum(ys) / len(ys):.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--blind", action="store_true", help="fit on bench/blind too (needs ../shared)"
    )
    args = parser.parse_args()
    index = AnswerIndex(load_knowledge(REPO / "knowledge"))
    rows = observations(index, load_questions(split="tune"))
    if args.blind:
        import tempfile

        from bench.dataset_library import build_library

        with tempfile.TemporaryDirectory() as folder:
            build_library(Path(folder))
            blind = AnswerIndex(load_knowledge(folder))
            rows += observations(blind, load_questions(REPO / "bench/blind/questions.jsonl"))
    a, b = fit(rows)
    print(f"CALIBRATION = ({a:.3f}, {b:.3f})  # fitted on {len(rows)} questions")
    print("fitted:\n" + reliability(rows, a, b))
    holdout = observations(index, load_questions(split="holdout"))
    print("holdout (not fitted):\n" + reliability(holdout, a, b))


if __name__ == "__main__":
    main()
