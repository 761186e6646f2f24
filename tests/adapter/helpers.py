"""What adapter tests share: reading what Spotter sent, test settings (shared with bench: from
fakediscord), questions the library is unsure of, and steps several tests take."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.core.library import Library
from bot.core.search import Match, Result
from fakediscord import RecordedRequest
from fakediscord.harness import spotter_settings
from fakediscord.messages import button, components, custom_ids, embed, is_ephemeral

__all__ = [
    "REPS_QUESTION",
    "abstaining",
    "button",
    "components",
    "custom_ids",
    "embed",
    "enable_autoanswer",
    "first_question",
    "is_answer_followup",
    "is_ephemeral",
    "middling",
    "question_of",
    "spotter_settings",
    "versioned_question",
]

# The bundled library answers this with high confidence (an FAQ answer).
REPS_QUESTION = "how many reps for single leg calf raises"
# Answered surely from Band Single Leg Calf Raise, with the plain Single Leg Calf Raise as the
# runner-up: a version of it, offered as such (versioned_question finds one).
VERSIONED_QUESTIONS = (
    "how many sets and reps for single leg calf raises",
    "how many reps for single leg calf raises",
    "how many reps should i do for single leg calf raises",
)


def is_answer_followup(request: RecordedRequest) -> bool:
    """A follow-up carrying an answer (the "ask again" notice has none)."""
    body = request.body if isinstance(request.body, dict) else {}
    return request.path.startswith("/webhooks/") and bool(body.get("embeds"))


# Questions the bundled library has close candidates for, but no confident answer.
VAGUE_QUESTIONS = ("deep squat pain", "calf pain running", "squat knees hurt a bit")
MIDDLING_QUESTIONS = (
    *("squat", "rows", "curl grip", "calf raise on one leg with band maybe", "pull"),
    *("explain the hip thrust to me", "explain the bench press to me"),
)


def first_question(
    spot, questions: Sequence[str], fits: Callable[[Result], bool], wanted: str
) -> tuple[str, Result]:
    """The first of `questions` whose result `fits`, and that result. Found, not fixed: each
    refit of the ranking moves every answer's confidence a little."""
    for question in questions:
        result = spot.bot.library.answer(question)
        if fits(result):
            return question, result
    raise AssertionError(f"none of {questions} is {wanted}")


def versioned_question(spot) -> tuple[str, Result]:
    """A question answered surely from an FAQ, with another version of its exercise (and no
    other answer of its page) offered beside it."""

    def fits(result: Result) -> bool:
        answer = result.answer
        return (
            answer is not None
            and answer.section == "faq"
            and answer.score >= spot.bot.settings.sure_confidence
            and not result.also
            and any(m.exercise == "Single Leg Calf Raise" for m in result.alternatives)
        )

    return first_question(spot, VERSIONED_QUESTIONS, fits, "a sure FAQ answer with a version")


async def abstaining(spot) -> tuple[str, Result]:
    """A question the engine abstains on with suggestions. Tuning moves scores, so a few
    vague questions are tried; failing that, the guild's threshold is raised above the
    engine's best score (the adapter then builds the same abstention itself)."""
    try:
        return first_question(spot, VAGUE_QUESTIONS, _suggests_several, "abstained on")
    except AssertionError:
        pass
    question, best = middling(spot)
    await spot.bot.store.update_guild_settings(spot.guild.id, min_confidence=best.score + 0.01)
    return question, spot.bot.library.answer(question, best.score + 0.01)


def _suggests_several(result: Result) -> bool:
    return result.answer is None and len(result.alternatives) >= 2 and not result.ambiguous


def abstains(library: Library, question: str, threshold: float) -> bool:
    """At this threshold the question gets no confident answer: suggestions, not a "which
    one?"."""
    result = library.answer(question, threshold)
    return result.answer is None and not result.ambiguous


def middling(spot) -> tuple[str, Match]:
    """A question answered, but not with full confidence, and that a stricter threshold turns
    into suggestions rather than a "which one?"."""
    library = spot.bot.library
    for question in MIDDLING_QUESTIONS:
        answer = library.answer(question).answer
        if answer is None or answer.score >= 0.98:
            continue
        if abstains(library, question, answer.score + 0.01):
            return question, answer
    raise AssertionError("every question is answered with full confidence")


def question_of(message: dict[str, Any]) -> str:
    """The logged question's id, from the message's feedback buttons."""
    (question_id,) = {cid.rsplit(":", 1)[1] for cid in custom_ids(message) if ":vote:" in cid}
    return question_id


async def enable_autoanswer(spot, channel) -> str:
    """/settings autoanswer-add `channel`, by the moderator; what the bot said."""
    inter = await spot.fake.invoke_slash(
        "settings autoanswer-add", {"channel": channel}, user=spot.moderator
    )
    return (await inter.wait_for_message())["content"]
