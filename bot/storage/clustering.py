"""Group similar unanswered questions into gaps. Pure functions, no I/O.

Questions are normalised with rapidfuzz's ``default_process`` (lowercase, punctuation
to spaces, trimmed), identical normalised texts are counted together, then a greedy
pass takes the most frequent remaining text as a seed and pulls in every remaining
text whose ``token_set_ratio`` with it is at least ``threshold``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.core.insights import Gap

DEFAULT_THRESHOLD = 80.0
# Distinct normalised phrasings compared at most (the most frequent ones); the greedy
# pass is quadratic in the worst case, and rarer phrasings would rank last anyway.
MAX_DISTINCT = 2000
MAX_OTHER_PHRASINGS = 3


@dataclass(frozen=True, slots=True)
class GapRow:
    """One question that counts as a gap: abstained on, or voted net not-helpful."""

    question: str
    created_at: float
    abstained: bool


@dataclass(slots=True)
class _Phrasing:
    count: int = 0
    last: float = 0.0
    abstained: int = 0
    raw: Counter[str] = field(default_factory=Counter)


def cluster_gaps(
    rows: list[GapRow],
    *,
    limit: int,
    threshold: float = DEFAULT_THRESHOLD,
    max_distinct: int = MAX_DISTINCT,
) -> list[Gap]:
    """Group rows into at most ``limit`` gaps, most frequent first (ties: most recent)."""
    phrasings: dict[str, _Phrasing] = {}
    for row in rows:
        text = " ".join(row.question.split())
        key = default_process(text) or text.lower()
        entry = phrasings.setdefault(key, _Phrasing())
        entry.count += 1
        entry.last = max(entry.last, row.created_at)
        entry.abstained += row.abstained
        entry.raw[text] += 1

    order = sorted(phrasings, key=lambda k: (-phrasings[k].count, -phrasings[k].last, k))
    remaining = dict.fromkeys(order[:max_distinct])
    gaps: list[Gap] = []
    for seed in order[:max_distinct]:
        if seed not in remaining:
            continue
        del remaining[seed]
        members = [seed]
        if remaining:
            matches = process.extract(
                seed,
                list(remaining),
                scorer=fuzz.token_set_ratio,
                processor=None,
                score_cutoff=threshold,
                limit=None,
            )
            for choice, _score, _index in matches:
                members.append(choice)
                del remaining[choice]
        gaps.append(_gap([phrasings[m] for m in members]))
    gaps.sort(key=lambda g: (-g.count, -g.last_asked.timestamp()))
    return gaps[:limit]


def _gap(members: list[_Phrasing]) -> Gap:
    members.sort(key=lambda p: (-p.count, -p.last))
    examples = [p.raw.most_common(1)[0][0] for p in members]
    count = sum(p.count for p in members)
    abstained = sum(p.abstained for p in members)
    return Gap(
        count=count,
        example=examples[0],
        other_phrasings=tuple(examples[1 : 1 + MAX_OTHER_PHRASINGS]),
        last_asked=datetime.fromtimestamp(max(p.last for p in members), UTC),
        abstained=abstained,
        not_helpful=count - abstained,
    )
