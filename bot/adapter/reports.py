"""The database part of /kb status, and what a member is told when the store refuses: the
storage layer's StoreHealth in words. (/kb gaps and /kb stats are worded by core/insights.py,
for the CLI too.) No discord import: the cog turns a Card into an embed."""

from __future__ import annotations

from dataclasses import replace

from bot.core.library import counted
from bot.core.render import Card, CardField, escape_user_text, fit
from bot.storage import StoreHealth, StoreState


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
        # Which backend: failing and unavailable reasons name the file or server already.
        text = f"OK · {health.backend}"
        if waiting:
            text += f" · {_questions(waiting)} waiting to be written"
    if health.dropped and health.state is not StoreState.UNAVAILABLE:
        text += f"\n{_questions(health.dropped)} dropped since start (the memory was full)"
    elif health.dropped:
        text += f"\n{_questions(health.dropped)} not logged since start"
    return CardField("Database", text)


def _questions(count: int) -> str:
    return counted(count, "question")
