"""Finding the passage that answers a question; no Discord, no I/O per query."""

from bot.core.search.engine import DEFAULT_MIN_CONFIDENCE, AnswerIndex
from bot.core.search.result import SECTIONS, Match, Result

__all__ = ["DEFAULT_MIN_CONFIDENCE", "SECTIONS", "AnswerIndex", "Match", "Result"]
