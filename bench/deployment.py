"""A deployment's database filled through the real Store: questions (answered or not, with and
without a reply time), votes from three members, two guilds' settings and three library
changes. The tests of `spotter db copy` fill small ones; `bench.db_copy` fills large ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.storage import LibraryChange, QuestionRecord, Store

GUILD = 1_180_000_000_000_000_001  # Discord-sized ids: they need 64 bits
OTHER_GUILD = 1_180_000_000_000_000_002
CHANNEL = 1_180_000_000_000_000_101
MEMBERS = (1_180_000_000_000_000_201, 1_180_000_000_000_000_202, 1_180_000_000_000_000_203)
# Questions logged between flushes: under the Store's buffer, which drops the oldest past it.
FLUSH_EVERY = 2_000


@dataclass
class Deployment:
    questions: list[QuestionRecord]
    changes: list[LibraryChange]


async def fill_deployment(
    target: str | Path, questions: int = 30, *, voted_questions: int = 10
) -> Deployment:
    """`questions` questions, the first twelve with a reply time; votes on the first
    `voted_questions` from one to three members each; two guilds' settings; three library
    changes."""
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
    async with Store.open(target, batch_size=FLUSH_EVERY) as store:
        for number, record in enumerate(records, 1):
            store.log_question(record)
            if number % FLUSH_EVERY == 0:
                await store.flush()
        await store.flush()
        for number, record in enumerate(records[:12]):
            store.record_reply_time(record.id, 100.0 + number)
        await store.flush()
        for number, record in enumerate(records[:voted_questions]):
            for member in MEMBERS[: 1 + number % 3]:
                await store.record_vote(record.id, member, helpful=number % 2 == 0)
        await store.update_guild_settings(
            GUILD, min_confidence=0.6, ask_visibility="private", auto_answer_channels=(CHANNEL,)
        )
        await store.update_guild_settings(OTHER_GUILD, cooldown_seconds=12.5)
        for change in changes:
            await store.record_library_change(change)
    return Deployment(records, changes)
