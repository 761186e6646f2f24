"""The kind of answer a question wants, read the same way from members' questions and from
an FAQ's questions (query.answer_kind)."""

from __future__ import annotations

import pytest

from bot.core.search import AnswerIndex
from bot.core.search.query import answer_kind, intent_strengths
from bot.core.search.text import Normaliser, default_vocabulary


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Where should the dumbbells be during the lift?", "place"),
        ("on db sldl where do the dumbbells go, in front or at my sides", "place"),
        ("How many sets and reps should I do?", "amount"),
        ("how far down should the bar go", "degree"),
        ("how bent over should i be on rows", "degree"),
        ("how narrow is a close grip", "degree"),
        ("how soon can i train legs again", "time"),
        ("How often should I train calves?", "frequency"),
        ("How do I set up a wrist curl?", "manner"),
        # "How come" and "how does that make sense" ask why.
        ("how come my leg press is so much higher than my squat", "reason"),
        ("i rack pull 260 but deadlift 200, how does that even make sense", "reason"),
        ("leg press 250 but squat 90, how is that possible", "reason"),
        ("arnold press with kettlebells, how does that work", "manner"),  # how it is done
        ("why do hang cleans instead of cleaning from the floor", "reason"),
        ("What muscles does the leg press work?", "thing"),
        ("whats the point of the adductor machine", "reason"),  # asks why, as "why" does
        ("What is the benefit of bands over straight weight?", "reason"),
        ("What can I use instead of a barbell?", "thing"),
        ("Is it okay to rotate my torso?", "yes_no"),
        ("seated db laterals, should the dumbbells rest on the bench", "yes_no"),
        # Whether it is worth doing at all asks why it is done ...
        ("is the hip adductor machine worth it or a waste of time", "reason"),
        ("is there any point doing face pulls", "reason"),
        ("single arm rows take twice as long, is there any actual benefit?", "reason"),
        ("is there a reason to shrug with dumbbells instead of a barbell?", "reason"),
        # ... worth it for a goal, or against another, is still a yes or a no.
        ("Is it worth doing for a stronger bench lockout?", "yes_no"),
        ("are smith machine squats a waste compared to back squats", "yes_no"),
        ("Should my toes point out?", "yes_no"),
        ("deadlift tips?", None),
        ("", None),
    ],
)
def test_the_question_word_says_what_kind_of_answer_is_wanted(
    question: str, kind: str | None
) -> None:
    assert answer_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("My knees hurt on squats, should I stop?", "yes_no"),  # a later clause asks
        ("Squats hurt my knees. Is that normal?", "yes_no"),
        ("how meny reps shud i do", "amount"),  # typos corrected first
        ("wher do my hands go on a deadlift", "place"),
        ("wtf is a landmine press", "thing"),
        ("hwo do i set up the pec deck", "manner"),  # little words with letters swapped
        ("whre do my feet go on leg press", "place"),
    ],
)
def test_a_members_question_is_read_for_its_kind_with_typos_corrected_and_clauses_kept(
    index: AnswerIndex, question: str, kind: str
) -> None:
    assert index.reader.read(question).asks == kind


def test_how_and_a_size_asks_for_the_size_not_the_steps() -> None:
    """ "how wide should my hands be" keeps a bare "how" (the vocabulary has no phrase for
    it), but it asks for a width: the steps are a weaker fit than for "how do I do it"."""
    vocabulary = default_vocabulary()
    normaliser = Normaliser(vocabulary)

    def how_to(question: str) -> float:
        tokens = normaliser.tokens(question)
        return intent_strengths(tokens, vocabulary, answer_kind(question))["how_to"]

    assert how_to("how do i do lat pulldowns") == 1.0
    assert how_to("how wide should my hands be on lat pulldowns") < 1.0
    assert how_to("how close should my hands be") < 1.0
    assert how_to("how come my leg press is so much higher than my squat") < 1.0


def test_why_instead_asks_for_a_reason_not_for_something_else() -> None:
    """ "instead" points at other exercises, unless the question asks why: "why do hang cleans
    instead of cleans from the floor" wants the reason, not the related list."""
    vocabulary = default_vocabulary()
    normaliser = Normaliser(vocabulary)

    def related(question: str) -> float:
        tokens = normaliser.tokens(question)
        return intent_strengths(tokens, vocabulary, answer_kind(question))["related"]

    assert related("what can i do instead of hang cleans") > 0
    assert related("why do hang cleans instead of cleans from the floor") == 0


@pytest.mark.parametrize(
    ("question", "asking"),
    [
        # A story, then the question: its words are what is asked.
        (
            "been doing face pulls for 2 months. where should i pull the rope to?",
            {"pull", "rop"},
        ),
        # One sentence, or every sentence asking: the whole message is the question.
        ("where should i pull the rope on face pulls", set()),
        ("face pulls? where does the rope go?", set()),
        # "is that normal?" says too little of its own: the story says what it is about.
        ("my back rounds at the bottom of rdls. is that normal?", set()),
        ("my back rounds at the bottom of rdls. how do i fix that?", set()),
    ],
)
def test_the_sentences_that_ask_are_read_apart_from_a_story_before_them(
    index: AnswerIndex, question: str, asking: set[str]
) -> None:
    assert index.reader.read(question).asking == asking
