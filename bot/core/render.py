"""Answers and pages -> message parts (cards) that always fit Discord's limits.

Pure: no discord import. The adapter turns a Card into a discord.Embed one to one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from bot.core.model import Link, Page
from bot.core.search import Match, Result
from bot.core.search.result import SECTION_TITLES

# Discord's documented limits.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
# Answers are read in a chat: keep them shorter than the hard limit.
ANSWER_DESCRIPTION_LIMIT = 1800
LINKS_SHOWN = 5
ELLIPSIS = "…"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MARKDOWN_SPECIALS = re.compile(r"([\\*_`~|>#\[\]()-])")
_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")


@dataclass(frozen=True, slots=True)
class CardField:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Card:
    title: str
    description: str = ""
    url: str | None = None
    fields: tuple[CardField, ...] = ()
    footer: str = ""

    @property
    def total_length(self) -> int:
        return (
            len(self.title)
            + len(self.description)
            + len(self.footer)
            + sum(len(f.name) + len(f.value) for f in self.fields)
        )


@dataclass(frozen=True, slots=True)
class ExerciseView:
    """An exercise as a set of cards: the overview first, then one card per section."""

    overview: Card
    sections: dict[str, Card] = field(default_factory=dict)


def shorten(text: str, limit: int, more_url: str | None = None) -> str:
    """Fits text in `limit`: cut at a list item, else a sentence, else a word; links the rest."""
    if len(text) <= limit:
        return text
    tail = f"\n{ELLIPSIS} [Read the full page]({more_url})" if more_url else f" {ELLIPSIS}"
    if len(tail) * 2 > limit:
        tail = ELLIPSIS
    budget = limit - len(tail)
    head = text[:budget]
    cut = head.rfind("\n")
    if cut <= budget // 3:
        ends = [m.start() for m in _SENTENCE_END.finditer(head)]
        cut = ends[-1] if ends else -1
    if cut <= budget // 3:
        space = head.rfind(" ")
        cut = space if space > budget // 2 else budget
    return head[:cut].rstrip() + tail


def escape_user_text(text: str, limit: int = 200) -> str:
    """Someone's words shown back: no Markdown tricks, no mentions, one line, bounded."""
    flat = " ".join(text.split())
    flat = _MENTION.sub(lambda m: m.group(0).replace("@", "@\u200b"), flat)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", shorten(flat, limit))


def links_text(links: tuple[Link, ...]) -> str:
    shown = [f"[{link.title}]({link.url})" for link in links[:LINKS_SHOWN]]
    return shorten(" · ".join(shown), FIELD_VALUE_LIMIT)


def fit(card: Card) -> Card:
    """Enforces every per-part limit, then the 6000-character total (description gives first)."""
    card = replace(
        card,
        title=shorten(card.title, TITLE_LIMIT),
        description=shorten(card.description, DESCRIPTION_LIMIT, card.url),
        footer=shorten(card.footer, FOOTER_LIMIT),
        fields=tuple(
            CardField(
                shorten(f.name, FIELD_NAME_LIMIT) or "-",
                shorten(f.value, FIELD_VALUE_LIMIT) or "-",
                f.inline,
            )
            for f in card.fields[:FIELD_LIMIT]
        ),
    )
    excess = card.total_length - EMBED_TOTAL_LIMIT
    if excess > 0:
        keep = max(len(card.description) - excess, 100)
        card = replace(card, description=shorten(card.description, keep, card.url))
    while card.total_length > EMBED_TOTAL_LIMIT and card.fields:
        card = replace(card, fields=card.fields[:-1])
    return card


def answer_card(result: Result, related: tuple[Page, ...] = ()) -> Card:
    """The reply to a question: the passage, where it came from, links and related exercises."""
    answer = result.answer
    if answer is None:
        return no_answer_card(result)
    title = (
        "Exercises that match"
        if answer.section == "related"
        else f"{answer.exercise}: {answer.heading}"
    )
    page_url = _page_url(answer)
    fields: list[CardField] = []
    if answer.links:
        fields.append(CardField("Links", links_text(answer.links)))
    if related:
        names = ", ".join(page.name for page in related[:LINKS_SHOWN])
        fields.append(CardField("Related exercises", names))
    if result.alternatives and answer.section != "related":
        others = ", ".join(
            dict.fromkeys(m.exercise for m in result.alternatives if m.slug != answer.slug)
        )
        if others:
            fields.append(CardField("Did you mean another variant?", others))
    section = SECTION_TITLES.get(answer.section, "FAQ")
    footer = f"Matched {answer.exercise} · {section} · confidence {answer.score:.0%}"
    return fit(
        Card(
            title=title,
            description=shorten(answer.text, ANSWER_DESCRIPTION_LIMIT, page_url),
            url=page_url,
            fields=tuple(fields),
            footer=footer,
        )
    )


def no_answer_card(result: Result) -> Card:
    if result.alternatives:
        names = "\n".join(f"- {m.exercise}" for m in result.alternatives)
        text = f"I'm not sure I have the answer to that. Did you mean one of these?\n{names}"
    else:
        text = (
            "I don't have an answer for that in the exercise library. "
            "Try naming the exercise, e.g. *how many reps for goblet squats*."
        )
    return fit(
        Card(
            title="No confident answer",
            description=text,
            footer="Asked: " + escape_user_text(result.question),
        )
    )


def _page_url(match: Match) -> str | None:
    own = [link.url for link in match.links if link.title == match.exercise]
    return own[0] if own else None


def exercise_view(page: Page) -> ExerciseView:
    """The full card for /exercise: overview with attributes, then each section on its own."""
    attributes = "\n".join(f"**{label}:** {value}" for label, value in page.attributes.labelled())
    fields = [CardField("Attributes", attributes)] if attributes else []
    if page.links:
        fields.append(CardField("Links", links_text(page.links)))
    overview = fit(
        Card(
            title=page.name,
            description=shorten(
                page.summary or "No overview yet.", ANSWER_DESCRIPTION_LIMIT, page.url or None
            ),
            url=page.url or None,
            fields=tuple(fields),
            footer=_footer(page),
        )
    )
    sections: dict[str, Card] = {}
    listings = (
        ("how_to", "\n".join(f"{n}. {item.text}" for n, item in enumerate(page.steps, 1))),
        ("tips", "\n".join(f"- {item.text}" for item in page.tips)),
        ("mistakes", "\n".join(f"- {item.text}" for item in page.mistakes)),
    )
    for key, text in listings:
        if text:
            sections[key] = fit(
                Card(
                    f"{page.name}: {SECTION_TITLES[key]}",
                    text,
                    page.url or None,
                    footer=_footer(page),
                )
            )
    if page.faq:
        faq_fields = tuple(CardField(entry.question, entry.answer) for entry in page.faq)
        sections["faq"] = fit(
            Card(f"{page.name}: FAQ", "", page.url or None, faq_fields, _footer(page))
        )
    return ExerciseView(overview, sections)


def _footer(page: Page) -> str:
    return f"{page.name} · {page.slug}"
