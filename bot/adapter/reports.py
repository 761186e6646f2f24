"""/kb gaps, /kb stats and the database part of /kb status as cards: the storage layer's
Gap, Stats and StoreHealth records, shown within Discord's limits. No discord import (the
cog turns a Card into an embed); the CLI prints the same records with storage.report instead."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from bot.core.library import counted
from bot.core.model import SECTION_TITLES
from bot.core.render import (
    FIELD_VALUE_LIMIT,
    Card,
    CardField,
    escape_user_text,
    fit,
)
from bot.storage import Gap, Stats, StoreHealth, StoreState

# Rows of the per-day chart: a longer window is summed into buckets of several days.
CHART_ROWS = 14
BAR_WIDTH = 16
SOURCE_NAMES = {
    "slash": "/ask",
    "mention": "mentions",
    "context_menu": "Find answer",
    "auto_answer": "auto-answer",
    "cli": "CLI",
}


def window(days: int) -> str:
    return "today (UTC)" if days == 1 else f"last {days} days"


def _in_window(days: int) -> str:
    return "today (UTC)" if days == 1 else f"in the last {days} days"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} ms"


def gaps_card(gaps: Sequence[Gap], days: int, *, limit: int) -> Card:
    """The answer to /kb gaps: what to write next, most asked first."""
    title = f"Unanswered questions · {window(days)}"
    if not gaps:
        return fit(
            Card(
                title=title,
                description=(
                    f"Nothing to do: no question {_in_window(days)} went unanswered or was "
                    "voted not helpful."
                ),
            )
        )
    fields = []
    for number, gap in enumerate(gaps, 1):
        reasons = []
        if gap.abstained:
            reasons.append(f"no answer {gap.abstained}")
        if gap.not_helpful:
            reasons.append(f"not helpful {gap.not_helpful}")
        lines = [f"{' · '.join(reasons)} · last asked <t:{int(gap.last_asked.timestamp())}:R>"]
        if gap.other_phrasings:
            others = ", ".join(f"“{escape_user_text(p, 80)}”" for p in gap.other_phrasings)
            lines.append(f"Also asked as: {others}")
        name = f"{number}. {gap.count}× “{escape_user_text(gap.example, 200)}”"
        fields.append(CardField(name, "\n".join(lines)))
    asked = sum(gap.count for gap in gaps)
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
            footer=f"{len(gaps)} groups{more}, {asked} questions · this server",
        )
    )


def stats_card(stats: Stats, days: int, *, page_name: Callable[[str], str]) -> Card:
    """The answer to /kb stats. page_name turns a slug into the exercise's name."""
    title = f"Question stats · {window(days)}"
    footer = f"This server · since {stats.since.isoformat()} (UTC)"
    if not stats.total:
        return fit(
            Card(title=title, description=f"No questions {_in_window(days)}.", footer=footer)
        )
    lines = [
        f"**Questions:** {stats.total} · answered {stats.answered} ({_percent(stats.answer_rate)})",
        f"**Feedback:** {stats.helpful} helpful, {stats.not_helpful} not helpful "
        f"({_percent(stats.helpful_ratio)} helpful)",
        f"**Reply time:** p50 {_ms(stats.reply_p50_ms)} · p95 {_ms(stats.reply_p95_ms)} "
        "(from the question to the reply sent)",
        f"**Engine time:** p50 {_ms(stats.latency_p50_ms)} · p95 {_ms(stats.latency_p95_ms)}",
    ]
    if stats.by_source:
        sources = " · ".join(f"{SOURCE_NAMES.get(s, s)} {n}" for s, n in stats.by_source)
        lines.append(f"**Asked through:** {sources}")
    fields = [CardField("Questions per day" if days <= CHART_ROWS else "Questions", _chart(stats))]
    if stats.top_exercises:
        top = [f"{page_name(slug)} · {n}" for slug, n in stats.top_exercises]
        fields.append(CardField("Top exercises", _numbered(top), inline=True))
    if stats.top_sections:
        top = [f"{SECTION_TITLES.get(s, s)} · {n}" for s, n in stats.top_sections]
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
    peak = max(n for _, n in rows) or 1
    width = len(str(peak))
    lines = [
        f"{label}  {n:>{width}}  {'█' * math.ceil(n / peak * BAR_WIDTH) if n else ''}".rstrip()
        for label, n in rows
    ]
    text = "```\n" + "\n".join(lines) + "\n```"
    return text if len(text) <= FIELD_VALUE_LIMIT else "```\n" + "\n".join(lines[-10:]) + "\n```"


def _label(first: date, last: date) -> str:
    # Rows are in order, so month-day is enough even across a new year.
    return first.strftime("%a %m-%d") if first == last else f"{first:%m-%d}–{last:%m-%d}"


def with_database(card: Card, health: StoreHealth) -> Card:
    """/kb status with a "Database" field: in use or not, failing writes, rows waiting."""
    return fit(replace(card, fields=(*card.fields, database_field(health))))


NO_DATABASE = (
    "The database could not be used when the bot started ({reason}), so nothing is saved or "
    "logged. The bot's operator needs to fix it and restart the bot; /kb status shows it."
)


def storage_trouble(health: StoreHealth, passing: str) -> str:
    """What a member is told when the store refused a read or write: `passing` (a "try again")
    for a passing fault, or the truth when the database is not in use at all."""
    if health.state is StoreState.UNAVAILABLE:  # "try again" would never come true
        return NO_DATABASE.format(reason=escape_user_text(health.reason or "unknown", 600))
    return passing


def database_field(health: StoreHealth) -> CardField:
    reason = escape_user_text(health.reason or "unknown", 600)
    if health.state is StoreState.UNAVAILABLE:
        text = (
            f"⛔ **Not in use:** {reason}\n"
            "Questions are not logged; votes and /settings changes are not saved. "
            "Fix the file, then restart the bot."
        )
    elif health.state is StoreState.FAILING:
        since = f" since <t:{int(health.since.timestamp())}:R>" if health.since else ""
        text = (
            f"⚠️ **Writes failing**{since}: {reason}\n"
            f"{_questions(health.pending)} kept in memory (at most {health.capacity}) "
            "and retried"
        )
    else:
        waiting = health.pending
        text = f"OK · {_questions(waiting)} waiting to be written" if waiting else "OK"
    if health.dropped and health.state is not StoreState.UNAVAILABLE:
        text += f"\n{_questions(health.dropped)} dropped since start (the memory was full)"
    elif health.dropped:
        text += f"\n{_questions(health.dropped)} not logged since start"
    return CardField("Database", text)


def _questions(count: int) -> str:
    return counted(count, "question")
