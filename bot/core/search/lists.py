"""Questions that name only muscles, body parts or equipment ("calfs with band", "chest
exercises with dumbbells") get a list of matching exercises. Lists are decided by rules, not by
the learned ranking: they are about several exercises, not one passage."""

from __future__ import annotations

import math

from bot.core.model import SECTION_TITLES, Link
from bot.core.search.entries import PageScore, Query, to_match
from bot.core.search.name_scoring import NameEvidence, NameScorer
from bot.core.search.result import Match
from bot.core.search.text import Normaliser
from bot.core.search.tuning import (
    LIST_CALIBRATION,
    LIST_NAME_COVERAGE,
    LIST_SIZE,
    LONG_QUESTION_WORDS,
    MAX_ALTERNATIVES,
    UNKNOWN_PENALTY,
)


def calibrated(raw: float) -> float:
    """A list answer's coverage -> a confidence (lists are decided by rules, not learned)."""
    if raw <= 0:
        return 0.0
    slope, intercept = LIST_CALIBRATION
    return 1 / (1 + math.exp(-(slope * raw + intercept)))


def list_penalty(query: Query) -> float:
    """Words nobody's page uses, and long rants, make a list less likely what was asked."""
    penalty = 1.0 - UNKNOWN_PENALTY * len(query.unknown) / len(query.content)
    return penalty * min(1.0, LONG_QUESTION_WORDS / len(query.content))


class ListAnswers:
    def __init__(self, names: NameScorer, normaliser: Normaliser) -> None:
        self.names = names
        self.attribute_weight = names.attribute_weight
        self.normaliser = normaliser
        self.vocabulary = normaliser.vocabulary

    def asks_for_list(self, query: Query, evidence: NameEvidence) -> bool:
        """True when the question names muscles, body parts or equipment but no exercise, and
        some page fits."""
        asked = self.names.exercise_words(query.content, query)
        by_attribute = [t for t in asked if t in self.attribute_weight]
        if not by_attribute or any(t not in self.attribute_weight for t in query.names):
            return False  # "db pullovers: chest or back exercise?" names an exercise
        pages = evidence.ranked  # (only now: most questions name an exercise)
        if not pages:
            return False
        wants_list = bool(set(query.content) & self.vocabulary.list_words)
        # Words of pages that are neither muscles, body parts, equipment nor everyday gym
        # words ask something of their own: "shin foam rolling before or after a workout".
        asks_more = any(
            t not in self.attribute_weight
            and t not in self.names.vocabulary_words
            and t not in query.unknown
            for t in query.content
        )
        # "calfs with band": nothing but muscles, body parts or equipment, and nothing asked.
        only_attributes = not query.intents and all(
            t in self.attribute_weight
            or t in self.vocabulary.stopwords
            or t in self.vocabulary.list_words
            for t in query.content
        )
        best_named = max((p.name_coverage for p in pages if p.score > 0), default=0.0)
        asked_for = (wants_list and not asks_more) or only_attributes
        return asked_for and best_named < LIST_NAME_COVERAGE

    def answer(self, query: Query, pages: list[PageScore]) -> list[Match]:
        ranked = sorted(pages, key=lambda s: (-s.list_coverage, -s.score, s.entry.page.slug))
        top_coverage = ranked[0].list_coverage
        top = [s for s in ranked if s.list_coverage >= 0.99 * top_coverage][:LIST_SIZE]
        penalty = list_penalty(query)
        confidence = calibrated(top_coverage * penalty)
        asked = set(query.content)
        lines = []
        links: list[Link] = []
        for item in top:
            page = item.entry.page
            attributes = page.attributes
            detail = ", ".join(v for v in (attributes.equipment, attributes.target_muscle) if v)
            lines.append(f"- **{page.name}**" + (f" ({detail})" if detail else ""))
            candidates = [Link(page.name, page.url)] if page.url else []
            candidates += [
                link for link in page.related if set(self.normaliser.tokens(link.title)) & asked
            ]
            links += [link for link in candidates if link.url not in {known.url for known in links}]
        best = top[0].entry.page
        answer = Match(
            slug=best.slug,
            exercise=best.name,
            section="related",
            heading=SECTION_TITLES["related"],
            text="\n".join(lines),
            score=confidence,
            links=tuple(links),
        )
        alternatives = [
            to_match(item.entry, item.entry.passages[0], calibrated(item.list_coverage * penalty))
            for item in top[1 : 1 + MAX_ALTERNATIVES]
            if item.entry.passages
        ]
        return [answer, *alternatives]
