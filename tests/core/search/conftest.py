"""Answer indexes built once for every search test that reads them: the bundled library and
our realistic-style slice (pages named the way public exercise data names them)."""

from pathlib import Path

import pytest

from bench.eval.scoring import REALISTIC_SLICE
from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex

KNOWLEDGE = Path(__file__).resolve().parents[3] / "knowledge"


@pytest.fixture(scope="session")
def index() -> AnswerIndex:
    """Read only: tests that change an index build their own."""
    return AnswerIndex(load_knowledge(KNOWLEDGE))


@pytest.fixture(scope="session")
def slice_index() -> AnswerIndex:
    """Read only, as `index`."""
    return AnswerIndex(load_knowledge(REALISTIC_SLICE / "pages"))
