"""Reply times: what askers waited, kept with their logged question, and their percentiles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.insights import stats_text
from bot.storage import QuestionRecord, Store
from bot.storage.records import new_question_id

NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)


def record(text: str, latency_ms: float = 1.0) -> QuestionRecord:
    return QuestionRecord.new(
        text, source="slash", guild_id=1, latency_ms=latency_ms, created_at=NOW
    )


async def test_a_reply_time_joins_its_question_before_or_after_it_is_written(
    database, query
) -> None:
    buffered, written, unknown = record("buffered"), record("written"), new_question_id()
    async with Store.open(database, flush_interval=3600) as store:
        store.log_question(written)
        assert await store.flush() == 1
        store.log_question(buffered)
        store.record_reply_time(buffered.id, 812.5)  # still in memory: set there
        store.record_reply_time(written.id, 95.0)  # in the file: set by the next flush
        store.record_reply_time(unknown, 10.0)  # purged or never logged: nothing to keep
        assert (await store.question(buffered.id)).reply_ms == 812.5
        assert await store.flush() == 1
        assert (await store.question(written.id)).reply_ms == 95.0
        with pytest.raises(ValueError, match="32 lowercase hex"):
            store.record_reply_time("not-an-id", 1.0)
    rows = query(database, "SELECT question, reply_ms FROM questions ORDER BY question")
    assert rows == [("buffered", 812.5), ("written", 95.0)]


async def test_a_clock_behind_discords_counts_as_no_wait(database, query) -> None:
    asked = record("early")
    async with Store.open(database) as store:
        store.log_question(asked)
        store.record_reply_time(asked.id, -3.0)
    assert query(database, "SELECT reply_ms FROM questions") == [(0.0,)]


async def test_reply_time_written_by_the_flush_on_close(database, query) -> None:
    asked = record("closing")
    async with Store.open(database, flush_interval=3600) as store:
        store.log_question(asked)
        await store.flush()
        store.record_reply_time(asked.id, 120.0)
    assert query(database, "SELECT reply_ms FROM questions") == [(120.0,)]


async def test_stats_give_reply_and_engine_percentiles(database) -> None:
    async with Store.open(database, flush_interval=3600) as store:
        for n in range(1, 21):
            asked = QuestionRecord.new(
                f"q{n}",
                source="slash",
                guild_id=1,
                latency_ms=float(n),
                created_at=NOW - timedelta(minutes=n),
            )
            store.log_question(asked)
            if n <= 10:  # half the replies were measured: 100, 200, ... 1000 ms
                store.record_reply_time(asked.id, 100.0 * n)
        stats = await store.stats(days=1, guild_id=1, now=NOW)
        unmeasured = await store.stats(days=1, guild_id=2, now=NOW)
    assert (stats.reply_p50_ms, stats.reply_p95_ms) == (500.0, 1000.0)
    assert (stats.latency_p50_ms, stats.latency_p95_ms, stats.latency_p99_ms) == (10, 19, 20)
    assert (unmeasured.reply_p50_ms, unmeasured.reply_p95_ms) == (None, None)
    text = stats_text(stats, 1)
    assert "Reply time  p50 500.0 ms, p95 1000.0 ms" in text
    assert "Engine time p50 10.0 ms, p95 19.0 ms" in text
