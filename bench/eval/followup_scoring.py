"""Follow-up questions scored with and without their context:
`python -m bench.eval.followup_scoring [--misses]`.

Each pair in followups.jsonl is a first question and a follow-up with its label. The context
of a follow-up is the page the engine answered the first question from, as in Discord. The
standalone questions (questions.jsonl) are scored with a context too, to show that it never
costs a question that stands on its own: once with another exercise's page as the context,
once with the page the question is about.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.eval.scoring import Labelled, Report, _describe, load_questions, tally
from bot.core.search import AnswerIndex

FOLLOWUPS_FILE = Path(__file__).with_name("followups.jsonl")


@dataclass(frozen=True)
class FollowUp(Labelled):
    first: str = ""  # the question answered before this one


def load_followups(path: Path = FOLLOWUPS_FILE) -> list[FollowUp]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        pairs.append(
            FollowUp(
                id=row["id"],
                q=row["q"],
                slug=row.get("slug"),
                section=row.get("section"),
                heading=row.get("heading"),
                accept=tuple(row.get("accept") or ()),
                kind=row["kind"],
                split="tune",
                first=row["first"],
            )
        )
    return pairs


def context_of(index: AnswerIndex, pair: FollowUp) -> str | None:
    """The page of the answer to the first question, or none when it was not answered."""
    answer = index.answer(pair.first).answer
    return answer.slug if answer else None


def score_followups(index: AnswerIndex, pairs: Iterable[FollowUp], *, context: bool) -> Report:
    return tally(
        (pair, index.answer(pair.q, context=context_of(index, pair) if context else None))
        for pair in pairs
    )


def score_standalone(
    index: AnswerIndex, questions: list[Labelled], *, context: str | None
) -> Report:
    """Standalone questions asked right after an answer: `context` "other" takes another
    exercise's page (each question a different one), "same" the question's own page (or,
    for a question the library cannot answer, another one); None asks without context."""
    pages = standalone_contexts(index, questions, context)
    return tally(
        (item, index.answer(item.q, context=page))
        for item, page in zip(questions, pages, strict=True)
    )


def standalone_contexts(
    index: AnswerIndex, questions: list[Labelled], context: str | None
) -> list[str | None]:
    """The context page each standalone question is asked with (see score_standalone)."""
    slugs = sorted(index.by_slug)

    def page(number: int, item: Labelled) -> str | None:
        if context is None:
            return None
        if context == "same" and item.slug is not None:
            return item.slug
        other = slugs[(number * 7) % len(slugs)]
        if other == item.slug or other in item.accept:
            other = slugs[(number * 7 + 1) % len(slugs)]
        return other

    return [page(number, item) for number, item in enumerate(questions)]


def by_kind(report: Report) -> str:
    return ", ".join(
        f"{kind} {report.by_kind_right[kind]}/{count}"
        for kind, count in sorted(report.by_kind.items())
    )


def main() -> None:
    from bot.core.loader import load_knowledge

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--knowledge", default="knowledge")
    parser.add_argument("--misses", action="store_true", help="list every miss with context")
    args = parser.parse_args()
    index = AnswerIndex(load_knowledge(args.knowledge))
    pairs = load_followups()
    for title, context in (("follow-ups, no context", False), ("follow-ups, context", True)):
        report = score_followups(index, pairs, context=context)
        print(report.summary(title))
        print("    by kind: " + by_kind(report))
    questions = load_questions()
    for title, standalone in (
        ("standalone, no context", None),
        ("standalone, another page as context", "other"),
        ("standalone, own page as context", "same"),
    ):
        print(score_standalone(index, questions, context=standalone).summary(title))
    if args.misses:
        first = {pair.id: pair.first for pair in pairs}
        for pair, result in score_followups(index, pairs, context=True).misses:
            want = f"{pair.slug} / {pair.section} / {pair.heading}" if pair.in_scope else "abstain"
            print(
                f"  [{pair.kind}] {first[pair.id]!r} -> {pair.q!r}\n"
                f"      want {want}\n      got  {_describe(result)}"
            )


if __name__ == "__main__":
    main()
