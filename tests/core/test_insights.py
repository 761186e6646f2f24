"""`spotter stats` / `spotter gaps` and the /kb stats / gaps cards word the same numbers the
same way (core/insights.py): percentages, source and section names, why a gap is listed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.insights import gaps_card, gaps_text, percent, stats_card, stats_text
from bot.storage import Gap, Stats

TODAY = date(2025, 5, 20)


def week(counts: list[int], **numbers) -> Stats:
    per_day = tuple((TODAY - timedelta(days=len(counts) - 1 - i), n) for i, n in enumerate(counts))
    fields = {
        "days": len(counts),
        "since": per_day[0][0],
        "guild_id": 7,
        "total": sum(counts),
        "answered": sum(counts),
        "helpful": 0,
        "not_helpful": 0,
        "per_day": per_day,
        "top_exercises": (),
        "top_sections": (),
        "latency_p50_ms": 1.0,
        "latency_p99_ms": 2.0,
        "by_source": (),
    }
    return Stats(**{**fields, **numbers})


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "n/a"),
        (0.0, "0%"),
        (0.004, "<1%"),
        (0.005, "0%"),  # Python rounds half to even; still not "<1%"
        (1 / 3, "33%"),
        (0.994, "99%"),
        (0.995, ">99%"),
        (999 / 1000, ">99%"),
        (1.0, "100%"),
    ],
)
def test_a_percentage_is_whole_but_never_a_rounded_0_or_100(value, shown) -> None:
    assert percent(value) == shown


def test_stats_read_the_same_in_the_cli_and_on_the_card() -> None:
    stats = week(
        [0, 0, 0, 0, 1, 0, 1000],
        answered=1000,
        helpful=1,
        not_helpful=2,
        by_source=(("slash", 900), ("auto_answer", 100), ("cli", 1)),
        top_sections=(("faq", 3), ("how_to", 2)),
    )
    text = stats_text(stats, 7)
    card = stats_card(stats, 7, page_name=str)
    description = card.description or ""
    values = {field.name: field.value for field in card.fields}

    assert "Questions   1001 (answered 1000, >99%)" in text
    assert "**Questions:** 1001 · answered 1000 (>99%)" in description
    assert "(33% helpful)" in text and "(33% helpful)" in description
    assert "By source   /ask 900, auto-answer 100, CLI 1" in text
    assert "**Asked through:** /ask 900 · auto-answer 100 · CLI 1" in description
    assert "Top sections\n  FAQ             3\n  How to perform  2" in text
    assert values["Top sections"] == "1. FAQ · 3\n2. How to perform · 2"
    # A day with one question of a thousand still shows a bar, in both.
    assert "  2025-05-18     1  #" in text.splitlines()
    assert "Sun 05-18     1  █" in values["Questions per day"].splitlines()


def test_a_gap_gives_the_same_reasons_in_the_cli_and_on_the_card() -> None:
    asked = datetime(2025, 5, 20, 9, 30, tzinfo=UTC)
    gap = Gap(3, "how deep should I squat", (), asked, abstained=2, not_helpful=1)
    text = gaps_text([gap], 7).splitlines()
    (field,) = gaps_card([gap], 7, limit=10).fields

    assert text[3] == "   no answer 2, voted not helpful 1; last asked 2025-05-20 09:30 UTC"
    assert field.value.startswith("no answer 2 · voted not helpful 1 · last asked <t:")
