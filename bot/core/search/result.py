"""What the answer engine returns: plain data, with the JSON shape other tools rely on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from bot.core.model import Link, SectionKey

SECTIONS = tuple(SectionKey)


class Match(NamedTuple):
    """One passage of one page, with the engine's confidence (0..1) that it answers.
    (Immutable as a tuple: made by the dozen per question, five times faster than a frozen
    dataclass.)"""

    slug: str
    exercise: str
    section: str
    heading: str
    text: str
    score: float
    links: tuple[Link, ...] = ()

    def to_json(self, *, with_text: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "slug": self.slug,
            "exercise": self.exercise,
            "section": self.section,
            "heading": self.heading,
        }
        if with_text:
            data["text"] = self.text
        data["score"] = round(self.score, 4)
        if with_text:
            data["links"] = [{"title": link.title, "url": link.url} for link in self.links]
        return data


@dataclass(frozen=True, slots=True)
class Result:
    question: str
    answer: Match | None
    # Other candidates, best first: variants to offer, or suggestions when answer is None.
    alternatives: tuple[Match, ...] = ()
    # Versions of one exercise that fit about equally (answer is None): "which one?".
    ambiguous: tuple[str, ...] = ()
    # Other passages of the answer's page that may be what was asked, best first: given when
    # the page fits well but no one of its passages stands out.
    also: tuple[Match, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "q": self.question,
            "answer": self.answer.to_json() if self.answer else None,
            "alternatives": [alt.to_json(with_text=False) for alt in self.alternatives],
        }
        if self.ambiguous:
            data["ambiguous"] = list(self.ambiguous)
        if self.also:
            data["also"] = [match.to_json(with_text=False) for match in self.also]
        return data
