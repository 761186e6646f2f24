"""Scores an answer engine on labelled questions: `python -m bench.eval.scoring [--split tune]`.

Shared by the quality test, the benchmark and anyone tuning the engine, so that every number
about answer quality is computed one way.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.search import Match, Result

QUESTIONS_FILE = Path(__file__).with_name("questions.jsonl")
# A small library of ours named the way data sets name exercises, with its own questions.
REALISTIC_SLICE = Path(__file__).with_name("realistic")


@dataclass(frozen=True)
class Labelled:
    id: str
    q: str
    slug: str | None
    section: str | None
    heading: str | None
    accept: tuple[str, ...]
    kind: str
    split: str

    @property
    def in_scope(self) -> bool:
        return self.slug is not None

    def right_exercise(self, match: Match | None) -> bool:
        return match is not None and (match.slug == self.slug or match.slug in self.accept)

    def right_passage(self, match: Match | None) -> bool:
        if not self.right_exercise(match) or match is None or match.section != self.section:
            return False
        # An accepted variant's FAQ counts when it is the same question ("How many reps ...").
        return self.section != "faq" or match.heading == self.heading


def load_questions(path: Path = QUESTIONS_FILE, split: str | None = None) -> list[Labelled]:
    return parse_questions(path.read_text(encoding="utf-8").splitlines(), split)


def parse_questions(lines: Iterable[str], split: str | None = None) -> list[Labelled]:
    """Labelled questions from JSON lines (blank lines skipped), of one split or all."""
    questions = []
    for line in lines:
        if not line.strip():
            continue
        row = json.loads(line)
        item = Labelled(
            id=row["id"],
            q=row["q"],
            slug=row.get("slug"),
            section=row.get("section"),
            heading=row.get("heading"),
            accept=tuple(row.get("accept") or ()),
            kind=row.get("kind", ""),
            split=row.get("split", "tune"),
        )
        if split is None or item.split == split:
            questions.append(item)
    return questions


@dataclass
class Report:
    total: int = 0
    in_scope: int = 0
    out_of_scope: int = 0
    exercise_right: int = 0
    passage_right: int = 0
    reciprocal_ranks: float = 0.0
    abstained_out_of_scope: int = 0
    wrong_confident: int = 0
    misses: list[tuple[Labelled, Result]] = field(default_factory=list)
    by_kind: Counter[str] = field(default_factory=Counter)
    by_kind_right: Counter[str] = field(default_factory=Counter)

    @property
    def metrics(self) -> dict[str, float]:
        def ratio(part: float, whole: int) -> float:
            return part / whole if whole else 0.0

        return {
            "top1_exercise": ratio(self.exercise_right, self.in_scope),
            "top1_exercise_section": ratio(self.passage_right, self.in_scope),
            "mrr5": ratio(self.reciprocal_ranks, self.in_scope),
            "abstention_recall": ratio(self.abstained_out_of_scope, self.out_of_scope),
            "wrong_confident": ratio(self.wrong_confident, self.total),
        }

    def summary(self, title: str = "") -> str:
        metrics = self.metrics
        head = f"{title}: " if title else ""
        return head + (
            f"{self.total} questions ({self.out_of_scope} out of scope) | "
            f"exercise {metrics['top1_exercise']:.3f} | exercise+section "
            f"{metrics['top1_exercise_section']:.3f} | MRR@5 {metrics['mrr5']:.3f} | "
            f"abstained OOS {metrics['abstention_recall']:.3f} | "
            f"wrong-confident {metrics['wrong_confident']:.3f}"
        )


def evaluate(answer: Callable[[str], Result], questions: Iterable[Labelled]) -> Report:
    return tally((item, answer(item.q)) for item in questions)


def tally(answered: Iterable[tuple[Labelled, Result]]) -> Report:
    """The report on labelled questions and the results they got."""
    report = Report()
    for item, result in answered:
        report.total += 1
        report.by_kind[item.kind] += 1
        if not item.in_scope:
            report.out_of_scope += 1
            if result.answer is None:
                report.abstained_out_of_scope += 1
                report.by_kind_right[item.kind] += 1
            else:
                report.wrong_confident += 1
                report.misses.append((item, result))
            continue
        report.in_scope += 1
        ranked = ([result.answer] if result.answer else []) + list(result.alternatives)
        for rank, match in enumerate(ranked[:5], 1):
            if item.right_exercise(match):
                report.reciprocal_ranks += 1 / rank
                break
        if item.right_exercise(result.answer):
            report.exercise_right += 1
        elif result.answer is not None:
            report.wrong_confident += 1
        if item.right_passage(result.answer):
            report.passage_right += 1
            report.by_kind_right[item.kind] += 1
        else:
            report.misses.append((item, result))
    return report


def _describe(result: Result) -> str:
    if result.answer is None:
        return "abstained" + (
            f" (suggested {', '.join(m.slug for m in result.alternatives)})"
            if result.alternatives
            else ""
        )
    answer = result.answer
    return f"{answer.slug} / {answer.section} / {answer.heading} ({answer.score:.2f})"


def main() -> None:
    from bot.core.loader import load_knowledge
    from bot.core.search import AnswerIndex

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=["tune", "holdout"], help="score one half only")
    parser.add_argument("--knowledge", default="knowledge")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    index = AnswerIndex(load_knowledge(args.knowledge))
    splits = [args.split] if args.split else ["tune", "holdout", None]
    for split in splits:
        report = evaluate(index.answer, load_questions(split=split))
        print(report.summary(split or "all"))
        if args.misses and split == splits[-1]:
            for item, result in report.misses:
                want = (
                    f"{item.slug} / {item.section} / {item.heading}" if item.in_scope else "abstain"
                )
                print(
                    f"  [{item.kind}] {item.q!r}\n      want {want}\n      got  {_describe(result)}"
                )
    if not args.split:
        report = evaluate(index.answer, load_questions())
        print(
            "by kind: "
            + ", ".join(
                f"{k} {report.by_kind_right[k]}/{n}" for k, n in sorted(report.by_kind.items())
            )
        )


if __name__ == "__main__":
    main()
