"""The database and process parts of /kb status (the storage layer's StoreHealth, this
process's shards, the bot's processes and their library versions), and what a member is told
when the store refuses. (/kb gaps and /kb stats are worded by core/insights.py, for the CLI
too.) No discord import: the cog turns a Card into an embed."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from bot.core.library import counted
from bot.core.render import Card, CardField, escape_user_text, fit, plain_user_text
from bot.storage import ProcessRecord, StoreHealth, StoreState

PROCESSES_SHOWN = 10  # lines in the Processes field; the rest are counted


def with_fields(card: Card, *fields: CardField) -> Card:
    return fit(replace(card, fields=(*card.fields, *fields)))


def shards_field(summary: str, latencies: Sequence[tuple[int, float]]) -> CardField:
    """This process's share of the gateway and each shard's heartbeat latency."""
    each = " · ".join(f"shard {shard}: {_milliseconds(seconds)}" for shard, seconds in latencies)
    return CardField("Shards in this process", f"{summary}\n{each}" if each else summary)


def processes_field(processes: Sequence[ProcessRecord], this: str, version: str) -> CardField:
    """The bot's processes sharing the database, each with its shards and library version;
    a warning when they do not all answer from the same library."""
    versions = {process.library_version for process in processes} | {version}
    lines = []
    if len(versions) > 1:
        lines.append(
            "⚠️ Not all at the same library version (a reload is under way, or the "
            "folders differ): /kb reload loads it everywhere"
        )
    for process in processes[:PROCESSES_SHOWN]:
        # In a code span: host names keep their hyphens and dots as written.
        name = "`" + plain_user_text(process.name, 100).replace("`", "'") + "`"
        who = f"{name} (this process)" if process.name == this else name
        lines.append(
            f"{who} · {escape_user_text(process.shards, 100)} · library "
            f"`{process.library_version}` loaded <t:{int(process.library_loaded_at.timestamp())}:R>"
        )
    if len(processes) > PROCESSES_SHOWN:
        lines.append(f"and {len(processes) - PROCESSES_SHOWN} more")
    if not processes:
        lines.append("none recorded yet")
    return CardField(f"Processes ({len(processes)})", "\n".join(lines))


def _milliseconds(seconds: float) -> str:
    return "connecting" if not math.isfinite(seconds) else f"{seconds * 1000:.0f} ms"


def with_database(card: Card, health: StoreHealth) -> Card:
    """/kb status with a "Database" field: in use or not, failing writes, rows waiting."""
    return with_fields(card, database_field(health))


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
