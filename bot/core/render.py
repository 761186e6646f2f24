"""Answers and pages -> message parts (cards) that always fit Discord's limits.

Pure: no discord import. The adapter turns a Card into a discord.Embed one to one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from urllib.parse import quote, urlsplit

from bot.core.library import Library, ReloadReport, counted
from bot.core.model import SECTION_TITLES, Link, Page
from bot.core.related import url_target
from bot.core.search import Match, Result
from bot.core.versions import are_versions, distinguishing_words

# Discord's documented limits.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
MESSAGE_LIMIT = 2000  # a message's content
# A message's own text (a refusal, an error): under MESSAGE_LIMIT, with room to spare.
MESSAGE_TEXT_LIMIT = MESSAGE_LIMIT - 100
# Answers are read in a chat: keep them shorter than the hard limit.
ANSWER_DESCRIPTION_LIMIT = 1800
LINKS_SHOWN = 5
ALTERNATIVES_SHOWN = 4  # one row of buttons under the answer, beside nothing else
FAQ_PER_CARD = 10  # FAQ entries on one card: a screenful, well under Discord's 25 fields
FAQ_DESCRIPTION_ROOM = 40  # "Questions 11–20 of 40" above a card's entries
ELLIPSIS = "…"
SURE_CONFIDENCE = 0.8  # the default of the sure_confidence setting
LIKELY_INTRO = "This is probably what you're after:"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MARKDOWN_SPECIALS = re.compile(r"([\\*_`~|>#\[\]()-])")
_FENCE_START = re.compile(r"`(?=``)")  # a backtick that two more follow
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
    kept = head[:cut].rstrip()
    if (len(kept) - len(kept.rstrip("\\"))) % 2:  # a cut escape would escape the ellipsis
        kept = kept[:-1]
    return kept + tail


def plain_user_text(text: str, limit: int = 200) -> str:
    """Someone's words shown back where Discord shows text as it is (footers, labels): one
    line, bounded, nothing escaped (a backslash there would be shown)."""
    return shorten(" ".join(text.split()), limit)


def escape_markdown(text: str) -> str:
    """Plain text (a name, a heading, someone's words) put where Discord renders Markdown
    (titles, descriptions, fields, message content): shown as written, no formatting, no
    mentions."""
    text = _MENTION.sub(lambda m: m.group(0).replace("@", "@\u200b"), text)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def escape_user_text(text: str, limit: int = 200) -> str:
    """Someone's words shown back where Markdown renders: one line, bounded, as written."""
    return escape_markdown(plain_user_text(text, limit))


def link_markdown(title: str, url: str) -> str:
    """A Markdown link that shows its title as written and survives brackets in the URL."""
    safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{escape_markdown(title)}]({safe})"


def distinct_links(links: tuple[Link, ...], skip_url: str | None = None) -> tuple[Link, ...]:
    """Each target once, each title once (two "More Chest Exercises" links read as one), and
    not the page's own link when it is already the title's."""
    seen_targets = {url_target(skip_url)} if skip_url else set()
    seen_titles: set[str] = set()
    kept: list[Link] = []
    for link in links:
        target, title = url_target(link.url), " ".join(link.title.casefold().split())
        if target in seen_targets or title in seen_titles:
            continue
        seen_targets.add(target)
        seen_titles.add(title)
        kept.append(link)
    return tuple(kept)


def links_text(links: tuple[Link, ...], skip_url: str | None = None) -> str:
    """One line per distinct link."""
    shown = [link_markdown(link.title, link.url) for link in distinct_links(links, skip_url)]
    return shorten("\n".join(shown[:LINKS_SHOWN]), FIELD_VALUE_LIMIT)


def own_page_url(page: Page, pattern: str | None = None) -> str | None:
    """The exercise's own web page: the page's front matter url, else the library's pattern
    (`page_url` setting, with {slug}), else a link on the page whose address ends in its slug."""
    if page.url:
        return page.url
    if pattern:
        return pattern.replace("{slug}", quote(page.slug))
    for link in page.related:
        if urlsplit(link.url).path.rstrip("/").rsplit("/", 1)[-1] == page.slug:
            return link.url
    return None


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


class Band(StrEnum):
    """How sure an answer is, as a member reads it."""

    SURE = "sure"  # answered plainly
    LIKELY = "likely"  # answered, introduced as "probably", with what else it could be
    UNSURE = "unsure"  # no answer: suggestions, or "which one?"


@dataclass(frozen=True, slots=True)
class AnswerStyle:
    """How answers and exercise cards are worded and linked: the bot's settings. A new card
    setting goes here, and every card that needs it has it."""

    sure_confidence: float = SURE_CONFIDENCE
    page_url: str | None = None  # the library's own pages: "https://.../{slug}"


@dataclass(frozen=True, slots=True)
class Alternative:
    match: Match
    version_of_answer: bool
    label: str  # a version by what tells it apart ("Seated"), anything else by its name


NO_PAGES: Mapping[str, Page] = MappingProxyType({})


def band(result: Result, sure_confidence: float = SURE_CONFIDENCE) -> Band:
    if result.answer is None:
        return Band.UNSURE
    return Band.SURE if result.answer.score >= sure_confidence else Band.LIKELY


def percent(score: float) -> str:
    """A chance as people say it: rounded down, and never "100%" (nothing is certain)."""
    return f"{min(99, int(round(score * 100, 6)))}%"


def alternatives_shown(
    result: Result,
    pages: Mapping[str, Page] = NO_PAGES,
    style: AnswerStyle = AnswerStyle(),
) -> tuple[Alternative, ...]:
    """What an answer offers besides itself: below "sure", the other exercises it could be;
    when sure, only other versions of the same exercise (a seated beside a standing calf
    raise), never an unrelated exercise that merely shares a word."""
    answer = result.answer
    if answer is None or answer.section == "related":  # a list is its own alternatives
        return ()
    page = pages.get(answer.slug)
    unsure = band(result, style.sure_confidence) is not Band.SURE
    shown: list[Alternative] = []
    for match in dict((m.slug, m) for m in result.alternatives).values():
        other = pages.get(match.slug)
        if match.slug == answer.slug:
            continue
        version = page is not None and other is not None and are_versions(page, other)
        if version or unsure:
            label = distinguishing_words(match.exercise, answer.exercise) if version else ""
            shown.append(Alternative(match, version, label or match.exercise))
    return tuple(shown[:ALTERNATIVES_SHOWN])


def answer_card(
    result: Result,
    related: tuple[Page, ...] = (),
    *,
    pages: Mapping[str, Page] = NO_PAGES,
    style: AnswerStyle = AnswerStyle(),
    chosen: bool = False,
) -> Card:
    """The reply to a question: the passage worded as sure as the engine is, where it came
    from, the exercise's own page as the title link, other versions or other exercises it
    could be, links and related exercises. `chosen`: the member picked this exercise."""
    answer = result.answer
    if answer is None:
        return no_answer_card(result)
    listing = answer.section == "related"
    page = pages.get(answer.slug)
    page_url = own_page_url(page, style.page_url) if page else _own_link(answer)
    if listing:  # a list is about several exercises: its title links to none of them
        page_url = None
    title = (
        "Exercises that match"
        if listing
        else f"{escape_markdown(answer.exercise)}: {escape_markdown(answer.heading)}"
    )
    likely = not chosen and band(result, style.sure_confidence) is Band.LIKELY
    intro = f"{LIKELY_INTRO}\n\n" if likely else ""
    text = intro + shorten(answer.text, ANSWER_DESCRIPTION_LIMIT - len(intro), page_url)
    fields: list[CardField] = []
    shown = () if chosen else alternatives_shown(result, pages, style)
    versions = [alt.label for alt in shown if alt.version_of_answer]
    others = [alt.match.exercise for alt in shown if not alt.version_of_answer]
    if versions:
        fields.append(CardField("Other versions", ", ".join(map(escape_markdown, versions))))
    if others:
        fields.append(
            CardField("Not it? Maybe one of these", ", ".join(map(escape_markdown, others)))
        )
    links = links_text(page.related if page else answer.links, page_url)
    if links:
        fields.append(CardField("Links", links))
    if related:
        names = ", ".join(escape_markdown(other.name) for other in related[:LINKS_SHOWN])
        fields.append(CardField("Related exercises", names))
    return fit(
        Card(
            title=title,
            description=text,
            url=page_url,
            fields=tuple(fields),
            footer=_answer_footer(answer, chosen=chosen),
        )
    )


def _answer_footer(answer: Match, *, chosen: bool) -> str:
    """Where the answer comes from and how sure it is, in plain words (footers show text as
    it is: nothing escaped)."""
    if answer.section == "related":
        return f"Exercises from the library · {percent(answer.score)} sure"
    section = SECTION_TITLES.get(answer.section, "FAQ")
    how_sure = "your pick" if chosen else f"{percent(answer.score)} sure"
    return f"Answered from {answer.exercise} › {section} · {how_sure}"


def _own_link(match: Match) -> str | None:
    """Without the page at hand: the link named after the exercise (its front matter url)."""
    own = [link.url for link in match.links if link.title == match.exercise]
    return own[0] if own else None


def no_answer_card(result: Result) -> Card:
    if result.ambiguous:
        return which_one_card(result)
    if result.alternatives:
        names = "\n".join(f"- {escape_markdown(m.exercise)}" for m in result.alternatives)
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
            footer="Asked: " + plain_user_text(result.question),
        )
    )


def which_one_card(result: Result) -> Card:
    """Several versions of one exercise fit and the question does not say which."""
    names = "\n".join(f"- {escape_markdown(m.exercise)}" for m in result.alternatives)
    return fit(
        Card(
            title="Which one do you mean?",
            description=f"A few versions of this exercise fit your question:\n{names}\n\n"
            "Pick one below and I'll answer from it.",
            footer="Asked: " + plain_user_text(result.question),
        )
    )


LISTED_SECTIONS = ("how_to", "tips", "mistakes")  # sections a card shows as a list


@dataclass(frozen=True, slots=True)
class ExerciseTab:
    """One tab of an exercise card, built without the others (a tab click shows one)."""

    card: Card
    cut: bool  # the card shows part of its text
    tabs: tuple[str, ...]  # the tabs the exercise has, in order
    faq_card: int  # the FAQ card shown (0 off the FAQ tab), within those there are
    faq_cards: int  # how many cards the FAQ takes (0 off the FAQ tab)


def exercise_tabs(page: Page) -> tuple[str, ...]:
    """The overview, each listed section the page has, and the FAQ if it has one."""
    listed = tuple(key for key in LISTED_SECTIONS if _listing(page, key))
    return ("overview", *listed, *(("faq",) if page.faq else ()))


def exercise_tab(
    page: Page,
    tab: str,
    faq_card: int = 0,
    *,
    related: tuple[Page, ...] = (),
    style: AnswerStyle = AnswerStyle(),
) -> ExerciseTab:
    """The card /exercise shows on `tab` (the FAQ's card `faq_card`, kept within those there
    are); a tab the page lacks says so. Text cut to fit links to the exercise's own web page
    when it has one (`own_page_url`, with the style's `page_url` as answers use it); `cut`
    says the tab lost text, so the adapter can offer the rest another way."""
    url = own_page_url(page, style.page_url)
    tabs = exercise_tabs(page)
    if tab == "overview":
        card, cut = _overview_card(page, related, url, style)
        return ExerciseTab(card, cut, tabs, 0, 0)
    if tab == "faq" and page.faq:
        layout = faq_layout(page, url)
        shown = min(faq_card, len(layout) - 1)
        card, cut = _faq_card(page, layout, shown, url)
        return ExerciseTab(card, cut, tabs, shown, len(layout))
    listed = _listing_card(page, tab, url) if tab in LISTED_SECTIONS else None
    card, cut = listed or (_missing_section_card(page, tab, url), False)
    return ExerciseTab(card, cut, tabs, 0, 0)


def _overview_card(
    page: Page, related: tuple[Page, ...], url: str | None, style: AnswerStyle
) -> tuple[Card, bool]:
    """The overview with attributes, links and related exercises; and whether it was cut."""
    attributes = "\n".join(f"**{label}:** {value}" for label, value in page.attributes.labelled())
    fields = [CardField("Attributes", attributes)] if attributes else []
    links = links_text(page.links, url)  # not the page's own link again: the title is it
    if links:
        fields.append(CardField("Links", links))
    if related:
        fields.append(CardField("Related exercises", related_text(related, style)))
    summary = page.summary or "No overview yet."
    overview = fit(
        Card(
            title=escape_markdown(page.name),
            description=shorten(summary, ANSWER_DESCRIPTION_LIMIT, url),
            url=url,
            fields=tuple(fields),
            footer=_footer(page),
        )
    )
    return overview, overview.description != summary


def _listing_card(page: Page, section: str, url: str | None) -> tuple[Card, bool] | None:
    """A listed section's card and whether it was cut; None when the page lacks it."""
    text = _listing(page, section)
    if not text:
        return None
    title = f"{escape_markdown(page.name)}: {SECTION_TITLES[section]}"
    card = fit(Card(title, text, url, footer=_footer(page)))
    return card, card.description != text


def related_text(related: tuple[Page, ...], style: AnswerStyle = AnswerStyle()) -> str:
    """Related exercises by name, linked to their own web page when they have one."""
    names = []
    for other in related[:LINKS_SHOWN]:
        url = own_page_url(other, style.page_url)
        names.append(link_markdown(other.name, url) if url else escape_markdown(other.name))
    return shorten(", ".join(names), FIELD_VALUE_LIMIT)


def _listing(page: Page, section: str) -> str:
    """Steps numbered, tips and mistakes as bullets: a section's text as cards show it."""
    if section == "how_to":
        return "\n".join(f"{n}. {item.text}" for n, item in enumerate(page.steps, 1))
    items = page.tips if section == "tips" else page.mistakes if section == "mistakes" else ()
    return "\n".join(f"- {item.text}" for item in items)


def faq_layout(page: Page, url: str | None = None) -> list[list[int]]:
    """The page's FAQ entries (by index) on cards: at most FAQ_PER_CARD a card, and as many
    as fit Discord's 6000 characters beside the title, description and footer. `url`: where
    a cut entry links to."""
    budget = EMBED_TOTAL_LIMIT - TITLE_LIMIT - FAQ_DESCRIPTION_ROOM - len(_footer(page))
    cards: list[list[int]] = []
    used = 0
    for index in range(len(page.faq)):
        name, value = _faq_field(page, index, url)
        size = len(name) + len(value)
        if not cards or len(cards[-1]) >= FAQ_PER_CARD or used + size > budget:
            cards.append([])
            used = 0
        cards[-1].append(index)
        used += size
    return cards


def _faq_field(page: Page, index: int, url: str | None) -> tuple[str, str]:
    entry = page.faq[index]
    return (
        shorten(entry.question, FIELD_NAME_LIMIT),
        shorten(entry.answer, FIELD_VALUE_LIMIT, url),
    )


def _faq_card(
    page: Page, layout: list[list[int]], number: int, url: str | None
) -> tuple[Card, bool]:
    """FAQ card `number` of `layout`, and whether an entry on it was cut to fit."""
    indexes = layout[number]
    fields = tuple(CardField(*_faq_field(page, i, url)) for i in indexes)
    total = len(page.faq)
    where = f"Questions {indexes[0] + 1}–{indexes[-1] + 1} of {total}" if len(layout) > 1 else ""
    card = fit(Card(f"{escape_markdown(page.name)}: FAQ", where, url, fields, _footer(page)))
    entries_cut = any(_faq_is_cut(page, i, url) for i in indexes)
    return card, entries_cut or len(card.fields) < len(indexes)


def rest_cards(page: Page, part: str, *, style: AnswerStyle = AnswerStyle()) -> tuple[Card, ...]:
    """The whole text of a part of the page that a card had to cut, as cards that cut
    nothing: "overview", "how_to", "tips", "mistakes", "faq<N>" (the cut entries of FAQ card
    N) or "entry<N>" (FAQ entry N). Empty when the page has no such part (any more)."""
    url = own_page_url(page, style.page_url)
    texts: list[tuple[str, str]] = []  # (title, text)
    if part == "overview" and page.summary:
        texts.append((escape_markdown(page.name), page.summary))
    elif part in LISTED_SECTIONS and _listing(page, part):
        texts.append(
            (f"{escape_markdown(page.name)}: {SECTION_TITLES[part]}", _listing(page, part))
        )
    elif (number := _numbered(part, "faq")) is not None:
        layout = faq_layout(page, url)
        if number < len(layout):
            texts += [_faq_text(page, i) for i in layout[number] if _faq_is_cut(page, i, url)]
    elif (number := _numbered(part, "entry")) is not None and number < len(page.faq):
        texts.append(_faq_text(page, number))
    cards: list[Card] = []
    for title, text in texts:
        chunks = split_text(text, DESCRIPTION_LIMIT)
        for n, chunk in enumerate(chunks, 1):
            numbered = f" ({n}/{len(chunks)})" if len(chunks) > 1 else ""
            head = shorten(title, TITLE_LIMIT - len(numbered)) + numbered
            cards.append(Card(head, chunk, url, footer=_footer(page)))
    return tuple(cards)


def _numbered(part: str, prefix: str) -> int | None:
    digits = part.removeprefix(prefix)
    return int(digits) if part.startswith(prefix) and digits.isdigit() else None


def _faq_is_cut(page: Page, index: int, url: str | None) -> bool:
    entry = page.faq[index]
    return _faq_field(page, index, url) != (entry.question, entry.answer)


def _faq_text(page: Page, index: int) -> tuple[str, str]:
    entry = page.faq[index]
    if len(entry.question) <= TITLE_LIMIT:
        return entry.question, entry.answer
    return f"{escape_markdown(page.name)}: FAQ", f"**{entry.question}**\n\n{entry.answer}"


def split_text(text: str, limit: int) -> list[str]:
    """Text in pieces of at most `limit` characters, cut at a line, else a sentence, else a
    word; nothing is left out."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        head = rest[:limit]
        cut = head.rfind("\n")
        if cut <= limit // 3:
            ends = [m.start() for m in _SENTENCE_END.finditer(head)]
            cut = ends[-1] if ends else -1
        if cut <= limit // 3:
            cut = head.rfind(" ")
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def _footer(page: Page) -> str:
    return f"{page.name} · {page.slug}"


# -- single sections, lookups, moderator reports -----------------------------------------------

REPORT_LIST_LIMIT = 400  # page names per report field: the list itself goes in the file
REPORT_DIAGNOSTICS_LIMIT = 2500  # what fits beside the rest of the report in one embed
REPORT_FILE_NAME = "reload-report.txt"


@dataclass(frozen=True, slots=True)
class CardWithFile:
    """A card, and the full text as a file when the card could only show part of it."""

    card: Card
    file_text: str | None = None
    file_name: str = REPORT_FILE_NAME


def section_card(page: Page, section: str, *, style: AnswerStyle = AnswerStyle()) -> Card:
    """One section of an exercise ("How to perform", "Common mistakes", ...) as its own card:
    the exercise card's tab."""
    return exercise_tab(page, section, style=style).card


def _missing_section_card(page: Page, section: str, url: str | None) -> Card:
    name = SECTION_TITLES.get(section, section)
    return fit(
        Card(
            f"{escape_markdown(page.name)}: {name}",
            f"This exercise has no {name if name.isupper() else name.lower()} yet.",
            url,
            footer=_footer(page),
        )
    )


def exercise_not_found_card(name: str, closest: tuple[Page, ...]) -> Card:
    asked = escape_user_text(name, 100)
    if closest:
        names = "\n".join(f"- {escape_markdown(page.name)}" for page in closest)
        text = (
            f"I couldn't find an exercise called **{asked}**. Did you mean one of these?\n{names}"
        )
    else:
        text = (
            f"I couldn't find an exercise called **{asked}**. "
            "Start typing a name and pick one of the suggestions."
        )
    return fit(Card(title="Exercise not found", description=text))


def which_exercise_card(name: str, shown: tuple[Page, ...], total: int) -> Card:
    """/exercise with a name that fits several exercises ("calf"): pick one."""
    asked = escape_user_text(name, 100)
    names = "\n".join(f"- {escape_markdown(page.name)}" for page in shown)
    more = (
        f"\n\nThe first {len(shown)} of {total} are listed: type more of the name to find "
        "the others."
        if total > len(shown)
        else ""
    )
    return fit(
        Card(
            title="Which exercise do you mean?",
            description=f"**{asked}** fits {total} exercises:\n{names}{more}\n\n"
            "Choose one in the menu below.",
        )
    )


def _names(names: tuple[str, ...]) -> tuple[str, bool]:
    text = ", ".join(names)
    short = shorten(text, REPORT_LIST_LIMIT)
    return short, short != text


def unfenced(text: str) -> str:
    """Text to put inside a code block: no run of three backticks ("```" or longer) is left to
    end it early (a zero-width space after each backtick that two more follow)."""
    return _FENCE_START.sub("`\u200b", text)


def code_block(lines: Sequence[str], limit: int) -> tuple[str, int]:
    """As many whole lines as fit in a code block of `limit` characters; and how many did not."""
    shown: list[str] = []
    used = len("```\n```")
    for line in lines:
        safe = shorten(unfenced(line), 300)
        if used + len(safe) + 1 > limit:
            break
        shown.append(safe)
        used += len(safe) + 1
    if not shown:
        return "", len(lines)
    return "```\n" + "\n".join(shown) + "\n```", len(lines) - len(shown)


def _changes(report: ReloadReport) -> list[tuple[str, tuple[str, ...]]]:
    return [
        ("Added", report.added),
        ("Removed", report.removed),
        ("Changed", report.changed),
        ("Kept previous version (has errors)", report.kept_previous),
        ("Not loaded (has errors)", report.skipped),
    ]


def report_text(report: ReloadReport) -> str:
    """The whole report as plain text: the attachment when the card is not enough."""
    lines = [report.summary(), ""]
    for label, names in _changes(report):
        if names:
            lines += [f"{label}:", *(f"  {name}" for name in names), ""]
    lines += ["Diagnostics:", *report.diagnostic_lines()] if report.diagnostics else []
    return "\n".join(lines).rstrip() + "\n"


def reload_card(report: ReloadReport) -> CardWithFile:
    """The answer to /kb reload: what changed, and every diagnostic (in a file if too many)."""
    if report.kept_old:
        title = "Reload failed: still serving the previous library"
    else:
        title = "Library reloaded"
    counts = (
        f" ({len(report.added)} added, {len(report.removed)} removed, "
        f"{len(report.changed)} changed)"
        if not report.kept_old
        else ""
    )
    lines = [
        f"**Pages:** {report.pages_before} → {report.pages_after}{counts}",
        f"**FAQ entries:** {report.faq_before} → {report.faq_after}",
        "**Diagnostics:** "
        + f"{counted(report.errors, 'error')}, {counted(report.warnings, 'warning')}",
    ]
    if report.kept_old:
        lines.insert(0, f"**Why:** {shorten(report.why, 500)}")
    fields: list[CardField] = []
    cut_any = False
    for label, names in _changes(report):
        if names:
            text, cut = _names(names)
            cut_any = cut_any or cut
            fields.append(CardField(label, text))
    block, hidden = code_block(report.diagnostic_lines(), REPORT_DIAGNOSTICS_LIMIT)
    if block:
        lines += ["", block]
    if hidden:
        lines.append(f"{ELLIPSIS} and {hidden} more: see the attached {REPORT_FILE_NAME}.")
    elif cut_any:
        lines.append(f"The full lists are in the attached {REPORT_FILE_NAME}.")
    footer = f"{report.loaded_by} · policy {report.policy} · {report.seconds:.2f} s"
    card = fit(Card(title=title, description="\n".join(lines), fields=tuple(fields), footer=footer))
    return CardWithFile(card, report_text(report) if hidden or cut_any else None)


def _when(moment: datetime) -> str:
    """A Discord timestamp: every reader sees it in their own time zone."""
    seconds = int(moment.timestamp())
    return f"<t:{seconds}:f> (<t:{seconds}:R>)"


def status_card(
    library: Library, last: ReloadReport | None, *, policy: str, watching: bool
) -> Card:
    """The answer to /kb status."""
    errors = len(library.kb.errors)
    warnings = len(library.kb.diagnostics) - errors
    fields = [
        CardField("Pages", str(library.page_count), inline=True),
        CardField("FAQ entries", str(library.faq_entries), inline=True),
        CardField(
            "Diagnostics",
            f"{counted(errors, 'error')}, {counted(warnings, 'warning')}",
            inline=True,
        ),
        CardField(
            "Loaded",
            f"{_when(library.loaded_at)} by {escape_user_text(library.loaded_by, 100)} "
            f"in {library.seconds:.2f} s",
        ),
    ]
    if last is not None and last.kept_old:
        fields.append(
            CardField(
                "Last reload attempt failed",
                f"{_when(last.finished_at)} by {escape_user_text(last.loaded_by, 100)}: "
                f"{shorten(last.why, 500)}",
            )
        )
    reloads = f"Reload policy: **{policy}**" + (" · reloads when files change" if watching else "")
    return fit(
        Card(
            title="Exercise library",
            description=reloads,
            fields=tuple(fields),
            footer="Reload with /kb reload",
        )
    )
