"""A deployment's database filled through the real Store (questions, votes, settings, library
changes), and its rows read back table by table, for the tests of ``spotter db copy``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.storage import LibraryChange, QuestionRecord, Store
from bot.storage.copying import COPIED_TABLES
from tests.storage.conftest import _query
from tests.storage.helpers import columns as table_columns

GUILD = 1_180_000_000_000_000_001  # Discord-sized ids: they need 64 bits
OTHER_GUILD = 1_180_000_000_000_000_002
CHANNEL = 1_180_000_000_000_000_101
MEMBERS = (1_180_000_000_000_000_201, 1_180_000_000_000_000_202, 1_180_000_000_000_000_203)


@dataclass
class Deployment:
    questions: list[QuestionRecord]
    changes: list[LibraryChange]


async def fill_deployment(target: str | Path, questions: int = 30) -> Deployment:
    """Questions (answered or not, with and without a reply time), votes from three members,
    two guilds' settings and three library changes."""
    now = datetime.now(UTC)
    records = []
    for number in range(questions):
        answered = number % 3 != 0
        record = QuestionRecord.new(
            f"how many reps for exercise {number}? ünïcode ✓",
            source="slash" if number % 2 else "mention",
            guild_id=GUILD if number % 4 else None,
            channel_id=CHANNEL if number % 4 else None,
            slug="goblet-squat" if answered else None,
            section="faq" if answered else None,
            heading="How many reps?" if answered else None,
            score=0.1 + number / (questions * 1.7),
            answered=answered,
            latency_ms=1.25 + number,
            created_at=now - timedelta(minutes=number),
        )
        records.append(record)
    changes = [
        LibraryChange(
            guild_id=GUILD if number else None,
            user_id=MEMBERS[number],
            user_name=f"coach{number}",
            action=("upload", "remove", "add_faq")[number],
            pages=(f"page-{number}.md", "other.md")[: number + 1],
            summary=f"change {number}",
            created_at=now - timedelta(hours=3 - number),
        )
        for number in range(3)
    ]
    async with Store.open(target) as store:
        for record in records:
            store.log_question(record)
        await store.flush()
        for number, record in enumerate(records[:12]):
            store.record_reply_time(record.id, 100.0 + number)
        await store.flush()
        for number, record in enumerate(records[:10]):
            for member in MEMBERS[: 1 + number % 3]:
                await store.record_vote(record.id, member, helpful=number % 2 == 0)
        await store.update_guild_settings(
            GUILD, min_confidence=0.6, ask_visibility="private", auto_answer_channels=(CHANNEL,)
        )
        await store.update_guild_settings(OTHER_GUILD, cooldown_seconds=12.5)
        for change in changes:
            await store.record_library_change(change)
    return Deployment(records, changes)


def table_rows(target: str | Path, table: str) -> list[tuple[Any, ...]]:
    """A table's rows, every column, in key order (what the copy must reproduce)."""
    (copied,) = [t for t in COPIED_TABLES if t.name == table]
    columns = sorted(table_columns(target, table))
    rows = _query(
        target, f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(copied.key)}"
    )
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
