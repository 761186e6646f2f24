"""The insight queries: the SQL behind ``Store.gaps`` and ``Store.stats``, over whole UTC days."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.core.insights import MAX_REPORT_DAYS, Gap, Stats
from bot.storage.clustering import GapRow, cluster_gaps
from bot.storage.database import Database, Transaction
from bot.storage.records import whole_number

MAX_GAP_ROWS = 20_000  # newest gap questions considered by gaps()
TOP_N = 5


@dataclass(frozen=True, slots=True)
class Window:
    """The last ``days`` UTC days, today included: [start, end) in epoch seconds."""

    days: int
    first: date
    start: float
    end: float

    @classmethod
    def last_days(cls, days: int, now: datetime | None = None) -> Window:
        whole_number("days", days, high=MAX_REPORT_DAYS)
        if now is None:
            now = datetime.now(UTC)
        elif now.tzinfo is None:
            raise ValueError("now must be a timezone-aware datetime")
        first = now.astimezone(UTC).date() - timedelta(days=days - 1)
        start = datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp()
        return cls(days, first, start, start + days * 86400.0)

    def where(self, guild_id: int | None) -> tuple[str, tuple[Any, ...]]:
        """The condition selecting questions ``q`` in the window (and guild), its parameters."""
        where = "q.created_at >= ? AND q.created_at < ?"
        if guild_id is None:
            return where, (self.start, self.end)
        return f"{where} AND q.guild_id = ?", (self.start, self.end, guild_id)


async def read_gaps(
    database: Database, window: Window, guild_id: int | None, limit: int
) -> list[Gap]:
    """Questions abstained on, or voted more not helpful than helpful, grouped."""
    where, params = window.where(guild_id)
    sql = (
        "SELECT q.question, q.created_at, q.answered = 0 "
        "FROM questions q LEFT JOIN votes v ON v.question_id = q.id "
        f"WHERE {where} GROUP BY q.id "
        "HAVING q.answered = 0 "
        "OR coalesce(sum(1 - v.helpful), 0) > coalesce(sum(v.helpful), 0) "
        "ORDER BY q.created_at DESC LIMIT ?"
    )
    async with database.transaction("could not read questions from", write=False) as tx:
        rows = await tx.rows(sql, (*params, MAX_GAP_ROWS))
    return await asyncio.to_thread(_cluster_rows, rows, limit)


async def read_stats(database: Database, window: Window, guild_id: int | None) -> Stats:
    where, params = window.where(guild_id)
    async with database.transaction("could not read statistics from", write=False) as tx:
        ((total, answered),) = await tx.rows(
            f"SELECT count(*), coalesce(sum(q.answered), 0) FROM questions q WHERE {where}",
            params,
        )
        # Day numbers from the window's start (the dialect's: PostgreSQL's CAST rounds).
        day = database.dialect.day_number("q.created_at - ?")
        day_rows = await tx.rows(
            f"SELECT {day} AS day, count(*) FROM questions q WHERE {where} GROUP BY day",
            (window.start, *params),
        )
        ((helpful, not_helpful),) = await tx.rows(
            "SELECT coalesce(sum(v.helpful), 0), coalesce(sum(1 - v.helpful), 0) "
            f"FROM votes v JOIN questions q ON q.id = v.question_id WHERE {where}",
            params,
        )
        exercises = await tx.rows(_top_sql("slug", where), params)
        sections = await tx.rows(_top_sql("section", where), params)
        sources = await tx.rows(
            f"SELECT q.source, count(*) AS n FROM questions q WHERE {where} "
            "GROUP BY q.source ORDER BY n DESC, q.source",
            params,
        )
        p50, p95, p99 = [
            await _percentile(tx, where, params, total, fraction) for fraction in (0.50, 0.95, 0.99)
        ]
        measured = f"{where} AND q.reply_ms IS NOT NULL"
        replies = await tx.scalar(f"SELECT count(*) FROM questions q WHERE {measured}", params)
        reply_p50, reply_p95 = [
            await _percentile(tx, measured, params, replies, fraction, "reply_ms")
            for fraction in (0.50, 0.95)
        ]
    counts = {int(day): n for day, n in day_rows}
    first = window.first
    return Stats(
        days=window.days,
        since=first,
        guild_id=guild_id,
        total=int(total),
        answered=int(answered),  # PostgreSQL's sum() of integers is a Decimal
        helpful=int(helpful),
        not_helpful=int(not_helpful),
        per_day=tuple((first + timedelta(days=i), counts.get(i, 0)) for i in range(window.days)),
        top_exercises=_pairs(exercises),
        top_sections=_pairs(sections),
        latency_p50_ms=p50,
        latency_p99_ms=p99,
        by_source=_pairs(sources),
        reply_p50_ms=reply_p50,
        reply_p95_ms=reply_p95,
        latency_p95_ms=p95,
    )


async def _percentile(
    tx: Transaction,
    where: str,
    params: tuple[Any, ...],
    total: int,
    fraction: float,
    column: str = "latency_ms",
) -> float | None:
    """Nearest-rank percentile of a time column over the `total` rows `where` selects,
    sorted by the database."""
    if not total:
        return None
    offset = max(math.ceil(fraction * total), 1) - 1
    return await tx.scalar(
        f"SELECT q.{column} FROM questions q WHERE {where} ORDER BY q.{column} LIMIT 1 OFFSET ?",
        (*params, offset),
    )


def _top_sql(column: str, where: str) -> str:
    """The most frequent non-null values of ``column`` among answered questions."""
    return (
        f"SELECT q.{column}, count(*) AS n FROM questions q "
        f"WHERE {where} AND q.answered = 1 AND q.{column} IS NOT NULL "
        f"GROUP BY q.{column} ORDER BY n DESC, q.{column} LIMIT {TOP_N}"
    )


def _pairs(rows: list[tuple[Any, ...]]) -> tuple[tuple[str, int], ...]:
    return tuple((str(name), int(count)) for name, count in rows)


def _cluster_rows(rows: list[tuple[Any, ...]], limit: int) -> list[Gap]:
    """Runs in a worker thread: turning rows into gaps may take a while."""
    return cluster_gaps(
        [GapRow(question, created_at, bool(abstained)) for question, created_at, abstained in rows],
        limit=limit,
    )
