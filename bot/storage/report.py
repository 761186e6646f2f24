"""Plain-text renderings of gaps and stats, for the CLI. Pure: no I/O, no Discord."""

from __future__ import annotations

from collections.abc import Sequence

from bot.storage.records import Gap, Stats

_MAX_TEXT = 80
_BAR_WIDTH = 30


def _clip(text: str, width: int = _MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} ms"


def _window(days: int) -> str:
    return "today (UTC)" if days == 1 else f"the last {days} days (UTC, today included)"


def format_gaps(gaps: Sequence[Gap], days: int) -> str:
    """Numbered list of question groups the bot could not answer well."""
    if not gaps:
        return f"No unanswered or unhelpful questions in {_window(days)}."
    lines = [f"Questions Spotter could not answer well, {_window(days)}:", ""]
    width = len(str(len(gaps)))
    indent = " " * (width + 2)
    for number, gap in enumerate(gaps, 1):
        lines.append(f'{number:>{width}}. {gap.count}× "{_clip(gap.example)}"')
        reasons = []
        if gap.abstained:
            reasons.append(f"no answer {gap.abstained}")
        if gap.not_helpful:
            reasons.append(f"voted not helpful {gap.not_helpful}")
        last = gap.last_asked.strftime("%Y-%m-%d %H:%M UTC")
        lines.append(f"{indent}{', '.join(reasons)}; last asked {last}")
        if gap.other_phrasings:
            others = ", ".join(f'"{_clip(p, 40)}"' for p in gap.other_phrasings)
            lines.append(f"{indent}also asked as: {others}")
    return "\n".join(lines)


def format_stats(stats: Stats, days: int) -> str:
    """A short report: totals, feedback, reply and engine times, per-day counts, top lists."""
    scope = "all servers" if stats.guild_id is None else f"server {stats.guild_id}"
    lines = [
        f"Spotter stats for {scope}, {_window(days)}:",
        "",
        f"Questions   {stats.total} (answered {stats.answered}, {_percent(stats.answer_rate)})",
        f"Feedback    {stats.helpful} helpful, {stats.not_helpful} not helpful "
        f"({_percent(stats.helpful_ratio)} helpful)",
        f"Reply time  p50 {_ms(stats.reply_p50_ms)}, p95 {_ms(stats.reply_p95_ms)} "
        "(from the question to the reply sent)",
        f"Engine time p50 {_ms(stats.latency_p50_ms)}, p95 {_ms(stats.latency_p95_ms)}, "
        f"p99 {_ms(stats.latency_p99_ms)}",
    ]
    if stats.by_source:
        sources = ", ".join(f"{name} {count}" for name, count in stats.by_source)
        lines.append(f"By source   {sources}")
    if stats.per_day:
        lines += ["", "Per day"]
        peak = max(count for _, count in stats.per_day) or 1
        width = len(str(peak))
        for day, count in stats.per_day:
            bar = "#" * round(count / peak * _BAR_WIDTH)
            lines.append(f"  {day.isoformat()}  {count:>{width}}  {bar}".rstrip())
    for title, pairs in (
        ("Top exercises", stats.top_exercises),
        ("Top sections", stats.top_sections),
    ):
        if pairs:
            lines += ["", title]
            width = max(len(name) for name, _ in pairs)
            lines += [f"  {name:<{width}}  {count}" for name, count in pairs]
    return "\n".join(lines)
