"""What the question log says, in words: the gaps and stats reports as plain text (for
`spotter gaps` and `spotter stats`) and as cards (for /kb gaps and /kb stats).

The numbers are ``Gap`` and ``Stats`` records, defined here and filled by the Store's insight
queries. One wording for both: percentages, times, source and section names, the reasons a
gap is listed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.library import counted
from bot.core.model import SECTION_TITLES
from bot.core.render import FIELD_VALUE_LIMIT, Card, CardField, escape_user_text, fit

SOURCE_NAMES = {
    "slash": "/ask",
    "mention": "mentions",
    "context_menu": "Find answer",
    "auto_answer": "auto-answer",
    "cli": "CLI",
}
MAX_REPORT_DAYS = 365  # the longest window gaps and stats cover (CLI, /kb and the Store)
# Rows of the card's per-day chart: a longer window is summed into buckets of several days.
CHART_ROWS = 14
CARD_BAR_WIDTH = 16
TEXT_BAR_WIDTH = 30
TEXT_CLIP = 80
TEXT_WINDOW = ("the ", " (UTC, today included)")  # the words around a window in plain text


# ---------------------------------------------------------------- the records


@dataclass(frozen=True, slots=True)
class Gap:
    """A group of similar questions the bot could not answer well."""

    count: int
    example: str
    other_phrasings: tuple[str, ...]
    last_asked: datetime
    abstained: int
    not_helpful: int


@dataclass(frozen=True, slots=True)
class Stats:
    """Usage numbers for a window of whole UTC days ending today."""

    days: int
    since: date
    guild_id: int | None
    total: int
    answered: int
    helpful: int
    not_helpful: int
    per_day: tuple[tuple[date, int], ...]
    top_exercises: tuple[tuple[str, int], ...]
    top_sections: tuple[tuple[str, int], ...]
    latency_p50_ms: float | None
    latency_p99_ms: float | None
    by_source: tuple[tuple[str, int], ...]
    # What askers waited (see QuestionRecord.reply_ms), over the replies that were measured.
    reply_p50_ms: float | None = None
    reply_p95_ms: float | None = None
    latency_p95_ms: float | None = None

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.total if self.total else None

    @property
    def helpful_ratio(self) -> float | None:
        votes = self.helpful + self.not_helpful
        return self.helpful / votes if votes else None


# ---------------------------------------------------------------- one wording


def percent(value: float | None) -> str:
    """A whole percent; never a rounded 0% or 100% (999 answered of 1000 is ">99%")."""
    if value is None:
        return "n/a"
    if 0 < value < 0.005:
        return "<1%"
    if 0.995 <= value < 1:
        return ">99%"
    return f"{value:.0%}"


def milliseconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} ms"


def source_name(source: str) -> str:
    """How a member reaches the bot, as they know it: "/ask", "mentions", ..."""
    return SOURCE_NAMES.get(source, source)


def section_title(section: str) -> str:
    return SECTION_TITLES.get(section, section)


def gap_reasons(gap: Gap) -> list[str]:
    """Why a group of questions is listed: abstentions, and answers voted not helpful."""
    reasons = []
    if gap.abstained:
        reasons.append(f"no answer {gap.abstained}")
    if gap.not_helpful:
        reasons.append(f"voted not helpful {gap.not_helpful}")
    return reasons


def bar(count: int, peak: int, width: int, mark: str) -> str:
    """``count`` of ``peak`` as a bar of ``width`` marks; any question shows at least one."""
    return mark * -(-count * width // peak) if count and peak else ""  # ceil, in integers


def window(days: int, before: str = "", after: str = "") -> str:
    """A report's window in words: "today (UTC)", or "last 7 days" with words around it."""
    return "today (UTC)" if days == 1 else f"{before}last {days} days{after}"


# ---------------------------------------------------------------- plain text


def _clip(text: str, width: int = TEXT_CLIP) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def gaps_text(gaps: Sequence[Gap], days: int) -> str:
    """`spotter gaps`: a numbered list of question groups the bot could not answer well."""
    when = window(days, *TEXT_WINDOW)
    if not gaps:
        return f"No unanswered or unhelpful questions in {when}."
    lines = [f"Questions Spotter could not answer well, {when}:", ""]
    width = len(str(len(gaps)))
    indent = " " * (width + 2)
    for number, gap in enumerate(gaps, 1):
        lines.append(f'{number:>{width}}. {gap.count}× "{_clip(gap.example)}"')
        last = gap.last_asked.strftime("%Y-%m-%d %H:%M UTC")
        lines.append(f"{indent}{', '.join(gap_reasons(gap))}; last asked {last}")
        if gap.other_phrasings:
            others = ", ".join(f'"{_clip(p, 40)}"' for p in gap.other_phrasings)
            lines.append(f"{indent}also asked as: {others}")
    return "\n".join(lines)


def stats_text(stats: Stats, days: int) -> str:
    """`spotter stats`: totals, feedback, reply and engine times, per-day counts, top lists."""
    scope = "all servers" if stats.guild_id is None else f"server {stats.guild_id}"
    lines = [
        f"Spotter stats for {scope}, {window(days, *TEXT_WINDOW)}:",
        "",
        f"Questions   {stats.total} (answered {stats.answered}, {percent(stats.answer_rate)})",
        f"Feedback    {stats.helpful} helpful, {stats.not_helpful} not helpful "
        f"({percent(stats.helpful_ratio)} helpful)",
        f"Reply time  p50 {milliseconds(stats.reply_p50_ms)}, "
        f"p95 {milliseconds(stats.reply_p95_ms)} (from the question to the reply sent)",
        f"Engine time p50 {milliseconds(stats.latency_p50_ms)}, "
        f"p95 {milliseconds(stats.latency_p95_ms)}, p99 {milliseconds(stats.latency_p99_ms)}",
    ]
    if stats.by_source:
        sources = ", ".join(f"{source_name(name)} {count}" for name, count in stats.by_source)
        lines.append(f"By source   {sources}")
    if stats.per_day:
        lines += ["", "Per day"]
        peak = max(count for _, count in stats.per_day)
        width = len(str(peak))
        for day, count in stats.per_day:
            line = f"  {day.isoformat()}  {count:>{width}}  {bar(count, peak, TEXT_BAR_WIDTH, '#')}"
            lines.append(line.rstrip())
    for title, pairs in (
        ("Top exercises", stats.top_exercises),
        ("Top sections", tuple((section_title(s), n) for s, n in stats.top_sections)),
    ):
        if pairs:
            lines += ["", title]
            width = max(len(name) for name, _ in pairs)
            lines += [f"  {name:<{width}}  {count}" for name, count in pairs]
    return "\n".join(lines)


# ---------------------------------------------------------------- cards


def gaps_card(gaps: Sequence[Gap], days: int, *, limit: int) -> Card:
    """/kb gaps: what to write next, most asked first."""
    title = f"Unanswered questions · {window(days)}"
    if not gaps:
        return fit(
            Card(
                title=title,
                description=(
                    f"Nothing to do: no question {window(days, 'in the ')} went unanswered or was "
                    "voted not helpful."
                ),
            )
        )
    fields = []
    for number, gap in enumerate(gaps, 1):
        asked = f"last asked <t:{int(gap.last_asked.timestamp())}:R>"
        lines = [" · ".join([*gap_reasons(gap), asked])]
        if gap.other_phrasings:
            others = ", ".join(f"“{escape_user_text(p, 80)}”" for p in gap.other_phrasings)
            lines.append(f"Also asked as: {others}")
        name = f"{number}. {gap.count}× “{escape_user_text(gap.example, 200)}”"
        fields.append(CardField(name, "\n".join(lines)))
    asked_total = sum(gap.count for gap in gaps)
    more = " (the most frequent)" if len(gaps) >= limit else ""
    return fit(
        Card(
            title=title,
            description=(
                "Questions I had no confident answer for, or whose answer was voted not "
                "helpful, grouped by similarity, most frequent first: the to-do list for the "
                "next pages and FAQ entries."
            ),
            fields=tuple(fields),
            footer=f"{counted(len(gaps), 'group')}{more}, {counted(asked_total, 'question')}"
            " · this server",
        )
    )


def stats_card(stats: Stats, days: int, *, page_name: Callable[[str], str]) -> Card:
    """/kb stats. page_name turns a slug into the exercise's name."""
    title = f"Question stats · {window(days)}"
    footer = f"This server · since {stats.since.isoformat()} (UTC)"
    if not stats.total:
        return fit(
            Card(title=title, description=f"No questions {window(days, 'in the ')}.", footer=footer)
        )
    lines = [
        f"**Questions:** {stats.total} · answered {stats.answered} ({percent(stats.answer_rate)})",
        f"**Feedback:** {stats.helpful} helpful, {stats.not_helpful} not helpful "
        f"({percent(stats.helpful_ratio)} helpful)",
        f"**Reply time:** p50 {milliseconds(stats.reply_p50_ms)} · "
        f"p95 {milliseconds(stats.reply_p95_ms)} (from the question to the reply sent)",
        f"**Engine time:** p50 {milliseconds(stats.latency_p50_ms)} · "
        f"p95 {milliseconds(stats.latency_p95_ms)}",
    ]
    if stats.by_source:
        sources = " · ".join(f"{source_name(s)} {n}" for s, n in stats.by_source)
        lines.append(f"**Asked through:** {sources}")
    fields = [CardField("Questions per day" if days <= CHART_ROWS else "Questions", _chart(stats))]
    if stats.top_exercises:
        top = [f"{page_name(slug)} · {n}" for slug, n in stats.top_exercises]
        fields.append(CardField("Top exercises", _numbered(top), inline=True))
    if stats.top_sections:
        top = [f"{section_title(s)} · {n}" for s, n in stats.top_sections]
        fields.append(CardField("Top sections", _numbered(top), inline=True))
    return fit(Card(title=title, description="\n".join(lines), fields=tuple(fields), footer=footer))


def _numbered(items: list[str]) -> str:
    return "\n".join(f"{n}. {escape_user_text(item, 100)}" for n, item in enumerate(items, 1))


def _chart(stats: Stats) -> str:
    """A bar per day, or per few days for long windows, in a code block that fits a field."""
    size = max(1, math.ceil(len(stats.per_day) / CHART_ROWS))
    rows: list[tuple[str, int]] = []
    for start in range(0, len(stats.per_day), size):
        bucket = stats.per_day[start : start + size]
        rows.append((_label(bucket[0][0], bucket[-1][0]), sum(n for _, n in bucket)))
    peak = max(n for _, n in rows)
    width = len(str(peak))
    lines = [
        f"{label}  {n:>{width}}  {bar(n, peak, CARD_BAR_WIDTH, '█')}".rstrip() for label, n in rows
    ]
    text = "```\n" + "\n".join(lines) + "\n```"
    return text if len(text) <= FIELD_VALUE_LIMIT else "```\n" + "\n".join(lines[-10:]) + "\n```"


def _label(first: date, last: date) -> str:
    # Rows are in order, so month-day is enough even across a new year.
    return first.strftime("%a %m-%d") if first == last else f"{first:%m-%d}–{last:%m-%d}"
