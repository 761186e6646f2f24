"""Follow-up questions: the answer engine with the page of the previous answer as context."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.loader import load_knowledge
from bot.core.search import AnswerIndex
from tests.core.search.pages import write_pages

REPO = Path(__file__).resolve().parents[3]


def answered(index: AnswerIndex, question: str, context: str | None) -> tuple[str, str, str]:
    result = index.answer(question, context=context)
    assert result.answer is not None, f"abstained on {question!r} after {context}: {result}"
    return result.answer.slug, result.answer.section, result.answer.heading


def test_a_follow_up_is_answered_about_the_previous_exercise(index):
    assert index.answer("and how many reps?").answer is None
    assert answered(index, "and how many reps?", "goblet-squat") == (
        "goblet-squat",
        "faq",
        "How heavy should a goblet squat be?",
    )
    assert answered(index, "any tips for it?", "goblet-squat")[:2] == ("goblet-squat", "tips")
    assert answered(index, "how long should i hold it?", "plank")[0] == "plank"


@pytest.mark.parametrize(
    ("context", "question", "version"),
    [
        ("barbell-curl", "what about with dumbbells?", "dumbbell-curl"),
        ("standing-calf-raise", "what about the seated version?", "seated-calf-raise"),
        ("push-up", "what about on an incline?", "incline-push-up"),
        ("plank", "what about on my side?", "side-plank"),
        ("romanian-deadlift", "can i do them with dumbbells?", "dumbbell-romanian-deadlift"),
    ],
)
def test_new_words_move_to_that_version_of_the_exercise(index, context, question, version):
    assert answered(index, question, context)[0] == version


def test_without_such_a_version_it_stays_on_the_page(index):
    # The library has no kettlebell goblet squat; the goblet squat page speaks of kettlebells.
    assert index.answer("what about with a kettlebell?").answer.slug == "kettlebell-swing"
    assert answered(index, "what about with a kettlebell?", "goblet-squat")[0] == "goblet-squat"


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("what about deadlifts?", "deadlift"),  # a whole name
        ("and lunges?", "walking-lunge"),  # a name word no squat has
        ("how many reps for burpees?", "burpee"),
    ],
)
def test_a_question_naming_another_exercise_starts_fresh(index, question, slug):
    assert index.answer(question, context="goblet-squat") == index.answer(question)
    assert answered(index, question, "goblet-squat")[0] == slug


def test_a_name_sharing_only_a_particle_is_no_version(index):
    """The Pull-Up shares only "up" with the Push-Up: after a push-up, a question that says
    "pull" names another exercise, not a version of the push-up."""
    question = "should i pull the dumbbell to my hip or chest when rowing"
    assert index.answer(question, context="push-up") == index.answer(question)
    assert answered(index, question, "push-up")[0] == "dumbbell-row"


def test_an_everyday_word_an_implement_names_names_an_exercise(index):
    """A dumbbell row is done on a bench, so "bench" alone may be the row's; said after an
    implement ("dumbbell bench"), it names the bench press, and the question starts fresh."""
    question = "barbell or dumbbell bench which one builds more chest"
    assert index.answer(question, context="dumbbell-row") == index.answer(question)
    assert answered(index, question, "dumbbell-row")[0] == "barbell-bench-press"


def test_a_muscle_said_before_an_implement_names_a_kind_of_exercise(index):
    """ "Which leg machines should I use" asks about leg machines, not the goblet squat."""
    question = "which leg machines should i use"
    assert index.answer(question, context="goblet-squat") == index.answer(question)


def test_a_comparison_keeps_the_context_as_one_side(index):
    assert answered(index, "is it better than squats for glutes?", "hip-thrust") == (
        "hip-thrust",
        "faq",
        "Is the hip thrust better than the squat for glutes?",
    )


@pytest.mark.parametrize(
    "chat",
    [
        "thanks!",
        "cool",
        "lol nice",
        "that makes sense",
        "what protein powder do you recommend?",
        "is creatine safe to take every day",  # not "cheating", as a typo
    ],
)
def test_chat_and_other_topics_are_no_follow_ups(index, chat):
    assert index.answer(chat, context="goblet-squat").answer is None


def test_an_exercise_the_library_lacks_is_not_read_as_the_context(index):
    assert index.answer("how do i do a zercher squat?", context="goblet-squat").answer is None


def test_standalone_questions_do_not_change(index):
    question = "how many reps for single leg calf raises"
    assert index.answer(question, context="deadlift") == index.answer(question)


def test_an_unknown_page_is_no_context(index):
    assert index.answer("and how many reps?", context="no-such-page").answer is None


def test_the_cache_keeps_answers_with_and_without_context_apart():
    fresh = AnswerIndex(load_knowledge(REPO / "knowledge"))
    with_context = fresh.answer("any tips for it?", context="plank")
    assert with_context.answer is not None and with_context.answer.slug == "plank"
    assert fresh.answer("any tips for it?").answer is None
    assert fresh.answer("any tips for it?", context="deadlift").answer.slug == "deadlift"
    assert fresh.answer("any tips for it?", context="plank") == with_context


def test_a_suggestion_click_reads_the_question_about_its_page(index):
    # "Find answer"/suggestion buttons show passage_for(question, page).
    match = index.passage_for("how long should i hold it?", "plank")
    assert match is not None and match.heading == "How long should you hold a plank?"


def test_a_name_sharing_only_an_implement_is_no_version(tmp_path):
    """After a barbell skull crusher, whose page speaks of dumbbells too, "dumbbell rows"
    name another exercise (none whole: the library has no dumbbell row). The Barbell Row
    shares only the implement with the skull crusher: it is no version of it to move to."""
    write_pages(
        tmp_path,
        {
            "Barbell Row": "Barbell",
            "Barbell Skull Crusher": "Barbell",
            "Cable Row": "Cable",
            "Dumbbell Curl": "Dumbbell",
        },
    )
    page = tmp_path / "barbell-skull-crusher.md"
    page.write_text(page.read_text() + "3. Or hold a dumbbell in each hand.\n")
    index = AnswerIndex(load_knowledge(tmp_path))
    context = index.by_slug["barbell-skull-crusher"]
    for question in ("and dumbbell rows?", "what about dumbbell rows"):
        query = index.reader.read(question)
        pages = index.names_scorer.score(query).ranked
        assert index.followups.read(query, pages, context, listing=False) is None, question
