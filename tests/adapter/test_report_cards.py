"""The /kb gaps and /kb stats cards stay within Discord's embed limits whatever the data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.adapter.embeds import to_embed
from bot.core.insights import gaps_card, stats_card
from bot.storage import Gap, Stats
from fakediscord.validation import check_embeds

LONG = "why does my " + "really " * 300 + "<@123> @everyone **bold** squat hurt?"


def problems(card) -> list:
    return check_embeds([to_embed(card).to_dict()])


def test_gaps_card_with_ten_huge_groups_fits() -> None:
    gap = Gap(
        count=12345,
        example=LONG,
        other_phrasings=(LONG, LONG, LONG),
        last_asked=datetime.now(UTC),
        abstained=12000,
        not_helpful=345,
    )
    card = gaps_card([gap] * 10, 365, limit=10)
    assert problems(card) == []
    assert card.footer == "10 groups (the most frequent), 123450 questions · this server"

    tricky = Gap(1, "<@123> @everyone **bold** squat?", (), datetime.now(UTC), 1, 0)
    one = gaps_card([tricky], 7, limit=10)
    assert one.footer == "1 group, 1 question · this server"
    (field,) = one.fields
    assert field.name == "1. 1× “<@\u200b123\\> @\u200beveryone \\*\\*bold\\*\\* squat?”"


def test_stats_card_for_a_year_fits_and_buckets_days() -> None:
    today = date(2026, 11, 24)
    per_day = tuple((today - timedelta(days=364 - i), 10_000 + i) for i in range(365))
    stats = Stats(
        days=365,
        since=per_day[0][0],
        guild_id=1,
        total=5_000_000,
        answered=4_000_000,
        helpful=100,
        not_helpful=300,
        per_day=per_day,
        top_exercises=tuple(("x" * 300, 9) for _ in range(5)),
        top_sections=(("faq", 7), ("how_to", 2)),
        latency_p50_ms=1.25,
        latency_p99_ms=40.0,
        by_source=(("slash", 3), ("auto_answer", 2), ("mention", 1)),
        reply_p50_ms=180.0,
        reply_p95_ms=950.5,
        latency_p95_ms=6.0,
    )
    card = stats_card(stats, 365, page_name=lambda slug: slug.upper())
    assert problems(card) == []
    chart = dict((f.name, f.value) for f in card.fields)["Questions"]
    assert chart.count("\n") - 1 == 14  # 365 days in 14 rows of 27 days
    assert chart.splitlines()[1].startswith("11-25–12-21  ")
    assert "**Asked through:** /ask 3 · auto-answer 2 · mentions 1" in card.description
    assert "**Feedback:** 100 helpful, 300 not helpful (25% helpful)" in card.description
    assert "**Reply time:** p50 180.0 ms · p95 950.5 ms" in card.description
    assert "**Engine time:** p50 1.2 ms · p95 6.0 ms" in card.description
