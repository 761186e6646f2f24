"""The bundled library's answer index, built once for every search test that reads it."""

from pathlib import Path

import pytest

from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"


@pytest.fixture(scope="session")
def index() -> AnswerIndex:
    """Read only: tests that change an index build their own."""
    return AnswerIndex(load_knowledge(KNOWLEDGE))
