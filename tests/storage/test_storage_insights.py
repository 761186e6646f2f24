"""gaps() and stats() on a small hand-made log, the text reports, and clustering laws."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.insights import gaps_text, stats_text
from bot.storage import QuestionRecord, Store
from bot.storage.clustering import GapRow, cluster_gaps

NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)  # window of 7 days: 2024-03-04 .. 2024-03-10

# text, days ago, answered, guild, slug, section, source, votes (True = helpful)
LOG = [
    ("How do I do a pistol squat?", 1, False, 1, None, None, "slash", []),
    ("How do I do a pistol squat?", 2, False, 1, None, None, "slash", []),
    ("pistol squat how do i do it", 0, False, 1, None, None, "slash", []),
    ("best stretches for lower back pain", 3, False, 1, None, None, "slash", []),
    ("Lower back pain stretches?", 1, False, 1, None, None, "slash", []),
    ("what is the weather today", 4, False, 1, None, None, "slash", []),
    (
        "how to do a pistol squat",
        0,
        True,
        1,
        "pistol-squat",
        "steps",
        "mention",
        [True, False, False],
    ),
    ("push up form", 2, True, 1, "push-up", "form", "mention", [True, False]),
    ("push up depth", 2, True, 1, "push-up", "form", "context_menu", []),
    ("calf raise reps", 6, True, 1, "calf-raise", "quick_answer", "auto_answer", [True, True]),
    ("How do I do a pistol squat?", 10, False, 1, None, None, "slash", []),  # outside window
    ("how do i do a pistol squat", 0, False, 2, None, None, "cli", []),  # another guild
]


@pytest.fixture
async def store(database):
    async with Store.open(database, flush_interval=3600) as store:
        user = 1
        for i, (text, ago, answered, guild, slug, section, source, votes) in enumerate(LOG):
            record = QuestionRecord.new(
                text,
                source=source,
                guild_id=guild,
                channel_id=guild * 10,
                slug=slug,
                section=section,
                heading=section and section.title(),
                score=0.9 if answered else 0.2,
                answered=answered,
                latency_ms=10.0 * (i + 1),
                created_at=NOW - timedelta(days=ago),
            )
            store.log_question(record)
            for helpful in votes:
                await store.record_vote(record.id, user, helpful)
                user += 1
        yield store


async def test_gaps_group_similar_questions_most_frequent_first(store):
    gaps = await store.gaps(days=7, guild_id=1, now=NOW)
    assert [(g.count, g.abstained, g.not_helpful) for g in gaps] == [
        (4, 3, 1),
        (2, 2, 0),
        (1, 1, 0),
    ]

    pistol, back, weather = gaps
    assert pistol.example == "How do I do a pistol squat?"
    assert set(pistol.other_phrasings) == {
        "pistol squat how do i do it",
        "how to do a pistol squat",
    }
    assert pistol.last_asked == NOW
    assert back.example == "Lower back pain stretches?"  # tie on count: the most recent
    assert back.other_phrasings == ("best stretches for lower back pain",)
    assert (weather.example, weather.other_phrasings) == ("what is the weather today", ())
    # Tied votes (push up form) and unvoted answers are not gaps.
    assert all("push up" not in g.example for g in gaps)


async def test_gaps_scope_window_and_limit(store):
    all_guilds = await store.gaps(days=7, now=NOW)
    assert all_guilds[0].count == 5  # the other guild's pistol squat joins in
    assert len(await store.gaps(days=7, guild_id=1, limit=2, now=NOW)) == 2
    assert [g.count for g in await store.gaps(days=1, guild_id=1, now=NOW)] == [2]
    assert await store.gaps(days=7, guild_id=3, now=NOW) == []
    long_ago = await store.gaps(days=30, guild_id=1, now=NOW)
    assert long_ago[0].count == 5  # the question 10 days ago is now inside
    with pytest.raises(ValueError, match="days"):
        await store.gaps(days=0)
    with pytest.raises(ValueError, match="limit"):
        await store.gaps(limit=0)


async def test_stats_numbers(store):
    stats = await store.stats(days=7, guild_id=1, now=NOW)
    assert (stats.total, stats.answered, stats.answer_rate) == (10, 4, 0.4)
    assert (stats.helpful, stats.not_helpful) == (4, 3)
    assert stats.helpful_ratio == pytest.approx(4 / 7)
    assert stats.since == date(2024, 3, 4)
    assert stats.per_day == (
        (date(2024, 3, 4), 1),
        (date(2024, 3, 5), 0),
        (date(2024, 3, 6), 1),
        (date(2024, 3, 7), 1),
        (date(2024, 3, 8), 3),
        (date(2024, 3, 9), 2),
        (date(2024, 3, 10), 2),
    )
    assert stats.top_exercises == (("push-up", 2), ("calf-raise", 1), ("pistol-squat", 1))
    assert stats.top_sections == (("form", 2), ("quick_answer", 1), ("steps", 1))
    # latencies 10..100 ms for the ten rows in scope: nearest-rank p50 = 50, p99 = 100
    assert (stats.latency_p50_ms, stats.latency_p99_ms) == (50.0, 100.0)
    assert stats.by_source == (
        ("slash", 6),
        ("mention", 2),
        ("auto_answer", 1),
        ("context_menu", 1),
    )


async def test_stats_for_all_guilds_and_empty_windows(store):
    everything = await store.stats(days=30, now=NOW)
    assert everything.total == len(LOG)
    assert len(everything.per_day) == 30
    empty = await store.stats(days=7, guild_id=99, now=NOW)
    assert (empty.total, empty.answer_rate, empty.helpful_ratio) == (0, None, None)
    assert (empty.latency_p50_ms, empty.top_exercises, empty.by_source) == (None, (), ())


async def test_text_reports(store):
    text = stats_text(await store.stats(days=7, guild_id=1, now=NOW), 7)
    assert "server 1" in text and "the last 7 days" in text
    assert "Questions   10 (answered 4, 40%)" in text
    assert "4 helpful, 3 not helpful (57% helpful)" in text
    assert "Engine time p50 50.0 ms, p95 100.0 ms, p99 100.0 ms" in text
    assert "Reply time  p50 n/a, p95 n/a" in text  # no reply measured
    assert "2024-03-08  3  ##############################" in text
    assert "  push-up       2" in text

    lines = gaps_text(await store.gaps(days=7, guild_id=1, now=NOW), 7).splitlines()
    assert lines[2] == '1. 4× "How do I do a pistol squat?"'
    assert lines[3] == "   no answer 3, voted not helpful 1; last asked 2024-03-10 12:00 UTC"
    assert "also asked as:" in lines[4]

    assert gaps_text([], 1) == "No unanswered or unhelpful questions in today (UTC)."
    empty = stats_text(await store.stats(days=1, guild_id=99, now=NOW), 1)
    assert "Questions   0 (answered 0, n/a)" in empty


WORDS = ["squat", "push", "up", "how", "deep", "knee", "pain", "form", "do", "i", "a"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(WORDS), min_size=0, max_size=5).map(" ".join),
            st.floats(min_value=0, max_value=1e9, allow_nan=False),
            st.booleans(),
        ),
        max_size=40,
    )
)
def test_clustering_accounts_for_every_row(rows):
    gap_rows = [GapRow(text, created, abstained) for text, created, abstained in rows]
    gaps = cluster_gaps(gap_rows, limit=len(gap_rows) + 1)
    assert sum(g.count for g in gaps) == len(gap_rows)
    assert sum(g.abstained for g in gaps) == sum(r.abstained for r in gap_rows)
    assert all(g.abstained + g.not_helpful == g.count for g in gaps)
    assert [g.count for g in gaps] == sorted((g.count for g in gaps), reverse=True)
    texts = {" ".join(r.question.split()) for r in gap_rows}
    assert all(g.example in texts and set(g.other_phrasings) <= texts for g in gaps)
    assert all(len(g.other_phrasings) <= 3 for g in gaps)
