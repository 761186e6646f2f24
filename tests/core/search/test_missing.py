"""Questions about well-known exercises the library lacks: silence, not a sibling's answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex
from bot.core.search.missing import NOTHING_MISSING

REPO = Path(__file__).resolve().parents[3]
KNOWLEDGE = REPO / "knowledge"


@pytest.fixture(scope="module")
def planks(tmp_path_factory: pytest.TempPathFactory) -> AnswerIndex:
    """Plank and push-up pages only; the plank page speaks of side planks in one FAQ."""
    folder = tmp_path_factory.mktemp("planks")
    shutil.copy(KNOWLEDGE / "push-up.md", folder)
    plank = (KNOWLEDGE / "plank.md").read_text()
    plank = plank.replace(
        "## FAQ\n",
        "## FAQ\n\n### Should I do side planks too?\n\n"
        "Yes: a side plank trains the obliques, which the front plank barely reaches.\n",
        1,
    )
    (folder / "plank.md").write_text(plank)
    return AnswerIndex(load_knowledge(folder))


@pytest.mark.parametrize(
    "question",
    [
        "how do i do a copenhagen plank",
        "copenhagen plank how long should i hold it",
        "rkc plank vs normal plank, which is harder",  # a comparison with a missing side
        "archer push ups, how do i progress to them",
        "are good mornings bad for your back",  # an everyday phrase written as a noun
    ],
)
def test_a_missing_exercise_is_not_answered_from_its_relative(planks, question):
    result = planks.answer(question)
    assert result.answer is None, result
    assert not result.ambiguous


def test_the_relative_is_suggested(planks):
    result = planks.answer("how do i do a copenhagen plank")
    assert [m.slug for m in result.alternatives] == ["plank"]


def test_a_page_that_names_the_missing_exercise_answers(planks):
    result = planks.answer("are side planks worth doing")
    assert result.answer is not None
    assert result.answer.heading == "Should I do side planks too?"


def test_everyday_phrases_name_no_exercise(planks):
    # "good morning" is a greeting here, "chin up" a cue: neither is the missing exercise.
    result = planks.answer("good morning all, how long should i hold a plank?")
    assert result.answer is not None and result.answer.slug == "plank"
    assert planks.missing.named("keep your chin up in a plank?") == NOTHING_MISSING
    assert planks.missing.named("chin-ups or pull ups?").exercises


def test_every_everyday_name_written_as_a_noun_is_found(planks):
    named = planks.missing.named("good mornings or chin-ups first?")
    assert len(named.exercises) == 2
    assert planks.missing.named("Good-Mornings?").exercises


def test_a_question_that_also_names_a_page_is_answered_when_it_compares_nothing(planks):
    result = planks.answer("never did rkc planks, how do i do a normal plank")
    assert result.answer is not None and result.answer.slug == "plank"


def test_an_exercise_the_library_has_under_another_name_is_not_missing(tmp_path):
    # "pec deck" goes by "butterfly" too: a library with a Butterfly page has it.
    (tmp_path / "butterfly.md").write_text(
        "# Butterfly\n\n## FAQ\n\n### How far back should the handles go?\n\n"
        "Until your elbows line up with your chest, not behind it.\n"
    )
    index = AnswerIndex(load_knowledge(tmp_path))
    assert not index.missing.named("pec deck how far back").exercises
    assert index.missing.named("how do i do a copenhagen plank").exercises


def test_a_missing_exercise_is_no_follow_up(index):
    # Right after a crunch answer, "muscle up" is another exercise, not a question about crunches.
    assert index.answer("muscle up progression pls", context="crunch").answer is None
    assert index.answer("are good mornings bad for your back", context="crunch").answer is None
    assert index.answer("any tips for it?", context="crunch").answer.slug == "crunch"
