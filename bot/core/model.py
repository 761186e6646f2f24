"""The knowledge model: what a parsed exercise page is. Plain, immutable data; no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class SectionKey(StrEnum):
    """The parts of an exercise page, as the parser, the engine, the cards and buttons name
    them (and as `spotter ask --json` prints them)."""

    QUICK = "quick"
    ATTRIBUTES = "attributes"
    HOW_TO = "how_to"
    TIPS = "tips"
    MISTAKES = "mistakes"
    FAQ = "faq"
    RELATED = "related"


# The one table of section titles: headings the parser writes back, card titles, button labels.
SECTION_TITLES: Mapping[str, str] = MappingProxyType(
    {
        SectionKey.QUICK: "Quick answer",
        SectionKey.ATTRIBUTES: "Attributes",
        SectionKey.HOW_TO: "How to perform",
        SectionKey.TIPS: "Pro tips",
        SectionKey.MISTAKES: "Common mistakes",
        SectionKey.FAQ: "FAQ",
        SectionKey.RELATED: "Related exercises",
    }
)


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One thing a page (or the library as a whole) got wrong, compiler style."""

    path: str
    line: int
    level: Level
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


def error_count(diagnostics: Iterable[Diagnostic]) -> int:
    return sum(1 for d in diagnostics if d.level is Level.ERROR)


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Item:
    """A step, tip or mistake: one list item, wrapped lines joined."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class FaqEntry:
    question: str
    answer: str
    line: int


@dataclass(frozen=True, slots=True)
class Section:
    """A section the format does not name, kept so nothing a writer adds is lost."""

    heading: str
    text: str
    line: int


# Attribute keys as written on pages, mapped to Attributes field names.
KNOWN_ATTRIBUTES: Mapping[str, str] = MappingProxyType(
    {
        "body part": "body_part",
        "equipment": "equipment",
        "target muscle": "target_muscle",
        "secondary muscles": "secondary_muscles",
        "difficulty": "difficulty",
        "category": "category",
    }
)


@dataclass(frozen=True, slots=True)
class Attributes:
    body_part: str = ""
    equipment: str = ""
    target_muscle: str = ""
    secondary_muscles: tuple[str, ...] = ()
    difficulty: str = ""
    category: str = ""
    # Keys we do not know, kept as written: (key, value) pairs in page order.
    extra: tuple[tuple[str, str], ...] = ()
    line: int = 0

    def labelled(self) -> list[tuple[str, str]]:
        """The attributes as (label, value) pairs, in the page format's order, non-empty only."""
        pairs = [
            ("Body Part", self.body_part),
            ("Equipment", self.equipment),
            ("Target Muscle", self.target_muscle),
            ("Secondary Muscles", ", ".join(self.secondary_muscles)),
            ("Difficulty", self.difficulty),
            ("Category", self.category),
            *self.extra,
        ]
        return [(label, value) for label, value in pairs if value]

    def __len__(self) -> int:
        return len(self.labelled())


@dataclass(frozen=True, slots=True)
class Page:
    slug: str
    name: str
    path: str
    summary: str = ""
    attributes: Attributes = field(default_factory=Attributes)
    steps: tuple[Item, ...] = ()
    tips: tuple[Item, ...] = ()
    mistakes: tuple[Item, ...] = ()
    faq: tuple[FaqEntry, ...] = ()
    related: tuple[Link, ...] = ()
    other_sections: tuple[Section, ...] = ()
    aliases: tuple[str, ...] = ()
    url: str = ""
    # Source lines of the title and of each known section's heading (0 when absent).
    line: int = 1
    section_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # Links to show with an answer: the page's own url first, then its related links. Made
    # once (every answer reads them); not compared, as it follows from the fields above.
    links: tuple[Link, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        own = (Link(self.name, self.url),) if self.url else ()
        object.__setattr__(self, "links", own + self.related)  # frozen: set once, here
