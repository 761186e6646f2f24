"""The settings in force where a question is asked: a server's own (/settings), else the
bot's config."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.storage import GuildSettings


@dataclass(frozen=True, slots=True)
class Policy:
    """The settings in force where a question was asked: the guild's, else the defaults."""

    min_confidence: float
    ask_public: bool
    exercise_public: bool
    cooldown_seconds: float
    auto_answer_min_confidence: float = 1.0
    auto_answer_channels: tuple[int, ...] = ()


def policy_for(settings: Settings, overrides: GuildSettings) -> Policy:
    # The index abstains below the configured threshold already; a guild may only be
    # stricter than that.
    min_confidence = max(settings.min_confidence, overrides.min_confidence or 0.0)
    ask = overrides.ask_visibility or settings.ask_visibility
    exercise = overrides.exercise_visibility or settings.exercise_visibility
    cooldown = overrides.cooldown_seconds
    auto = overrides.auto_answer_min_confidence
    if auto is None:
        auto = settings.auto_answer_min_confidence
    return Policy(
        min_confidence=min_confidence,
        ask_public=ask == "public",
        exercise_public=exercise == "public",
        cooldown_seconds=settings.cooldown_seconds if cooldown is None else cooldown,
        # Unprompted replies are never less sure than answers people asked for.
        auto_answer_min_confidence=max(auto, min_confidence),
        auto_answer_channels=overrides.auto_answer_channels,
    )
