"""The question log: round trip, batching, close, retention, concurrency, a full buffer.
Throughput and event-loop lag are measured by `python -m bench.loop_stalls`."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage import QuestionRecord, Store
from tests.storage.helpers import columns, wait_for


def test_question_record_validates_and_generates_ids():
    record = QuestionRecord.new("how deep?", source="mention", score=1, latency_ms=3)
    assert len(record.id) == 32 and int(record.id, 16) >= 0
    assert record.id != QuestionRecord.new("how deep?", source="mention").id
    assert record.created_at.tzinfo is not None and record.score == 1.0
    with pytest.raises(ValueError, match="source"):
        QuestionRecord.new("x", source="dm")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timezone-aware"):
        QuestionRecord.new("x", source="cli", created_at=datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="finite"):
        QuestionRecord.new("x", source="cli", score=float("nan"))


async def test_round_trip_keeps_every_field(database, query):
    when = datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC)
    record = QuestionRecord.new(
        "How far down should a push-up go?",
        source="context_menu",
        guild_id=111,
        channel_id=222,
        slug="push-up",
        section="form",
        heading="Range of motion",
        score=0.83,
        answered=True,
        latency_ms=14.25,
        created_at=when,
    )
    async with Store.open(database) as store:
        store.log_question(record)
        assert store.pending == 1
        assert await store.flush() == 1
        assert store.pending == 0
        assert await store.flush() == 0

    (row,) = query(database, "SELECT * FROM questions")
    assert row == (
        record.id,
        111,
        222,
        "How far down should a push-up go?",
        "context_menu",
        "push-up",
        "form",
        "Range of motion",
        0.83,
        1,
        14.25,
        when.timestamp(),
        None,  # reply_ms: not measured
    )


async def test_no_user_id_column_exists(database, query):
    async with Store.open(database):
        pass
    names = columns(database, "questions")
    assert "question" in names
    assert not {c for c in names if "user" in c or "author" in c}


async def test_batch_size_triggers_a_background_flush(database, query):
    async with Store.open(database, flush_interval=3600, batch_size=50) as store:
        for i in range(49):
            store.log_question(QuestionRecord.new(f"q{i}", source="cli"))
        await asyncio.sleep(0.2)
        assert query(database, "SELECT count(*) FROM questions") == [(0,)]
        store.log_question(QuestionRecord.new("q49", source="cli"))
        await wait_for(lambda: store.pending == 0)
        assert query(database, "SELECT count(*) FROM questions") == [(50,)]


async def test_flush_interval_writes_without_being_asked(database, query):
    async with Store.open(database, flush_interval=0.05) as store:
        for i in range(3):
            store.log_question(QuestionRecord.new(f"q{i}", source="cli"))
        await wait_for(lambda: store.pending == 0)
        assert query(database, "SELECT count(*) FROM questions") == [(3,)]


async def test_flush_writes_in_batches_and_counts_rows(database, query):
    async with Store.open(database, flush_interval=3600, batch_size=7) as store:
        for i in range(100):
            store.log_question(QuestionRecord.new(f"q{i}", source="cli"))
        assert await store.flush() == 100
    assert query(database, "SELECT count(*) FROM questions") == [(100,)]


async def test_close_flushes_what_is_pending(database, query):
    store = await Store.open(database, flush_interval=3600)
    for i in range(10):
        store.log_question(QuestionRecord.new(f"q{i}", source="slash"))
    await store.close()
    await store.close()  # closing twice is harmless
    store.log_question(QuestionRecord.new("late", source="slash"))  # dropped, no raise
    assert query(database, "SELECT count(*) FROM questions") == [(10,)]


async def test_purge_deletes_old_questions_and_their_votes(database, query):
    now = datetime.now(UTC)
    old = QuestionRecord.new("old", source="cli", created_at=now - timedelta(days=40))
    recent = QuestionRecord.new("recent", source="cli", created_at=now - timedelta(days=5))
    async with Store.open(database) as store:
        store.log_question(old)
        store.log_question(recent)
        await store.record_vote(old.id, 1, True)
        await store.record_vote(recent.id, 1, True)
        await store.flush()
        assert await store.purge(30) == 1
        assert await store.purge(30) == 0
    assert query(database, "SELECT question FROM questions") == [("recent",)]
    assert query(database, "SELECT question_id FROM votes") == [(recent.id,)]


async def test_retention_purges_at_start(database, query):
    now = datetime.now(UTC)
    async with Store.open(database) as store:
        for age in (1, 10, 100, 200):
            store.log_question(
                QuestionRecord.new(f"{age}", source="cli", created_at=now - timedelta(days=age))
            )
    async with Store.open(database, retention_days=30):
        await wait_for(lambda: query(database, "SELECT count(*) FROM questions") == [(2,)])
    assert sorted(query(database, "SELECT question FROM questions")) == [("1",), ("10",)]


async def test_thousand_concurrent_questions_are_all_logged(database, query):
    # How long the store holds the event loop meanwhile: `python -m bench.loop_stalls`.
    async with Store.open(database) as store:

        async def ask(i: int) -> None:
            await asyncio.sleep(random.random() * 0.2)
            record = QuestionRecord.new(
                f"question number {i}", source="slash", guild_id=1, answered=i % 2 == 0
            )
            store.log_question(record)
            if i % 5 == 0:
                vote = await store.record_vote(record.id, 10_000 + i, helpful=i % 10 == 0)
                assert vote.status == "new"

        await asyncio.gather(*(ask(i) for i in range(1000)))
        await store.flush()
    assert query(database, "SELECT count(*), count(DISTINCT id) FROM questions") == [(1000, 1000)]
    assert query(database, "SELECT count(*) FROM votes") == [(200,)]


async def test_one_flush_writes_a_full_buffer(database, query):
    n = 20_000
    async with Store.open(database, flush_interval=3600, max_buffer=n) as store:
        for i in range(n):
            store.log_question(
                QuestionRecord.new(f"how do I do exercise {i}?", source="slash", latency_ms=i)
            )
        assert await store.flush() == n
    assert query(database, "SELECT count(*) FROM questions") == [(n,)]


async def test_a_question_is_found_by_id_buffered_written_and_after_reopening(database):
    when = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    record = QuestionRecord.new(
        "rdl form?",
        source="slash",
        guild_id=1,
        slug="romanian-deadlift",
        section="how_to",
        heading="How to perform",
        score=0.9,
        answered=True,
        latency_ms=1.5,
        created_at=when,
    )
    absent = QuestionRecord.new("never logged", source="slash").id
    async with Store.open(database, flush_interval=60) as store:
        store.log_question(record)
        assert await store.question(record.id) == record  # still in memory
        await store.flush()
        assert await store.question(record.id) == record  # from the file
        assert await store.question(absent) is None
        with pytest.raises(ValueError, match="32 lowercase hex"):
            await store.question("not-an-id")
    async with Store.open(database) as store:
        assert await store.question(record.id) == record
        await store.purge(older_than_days=1)
        assert await store.question(record.id) is None  # deleted by retention
