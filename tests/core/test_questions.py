"""looks_like_question: the form gate of auto-answer (the engine's confidence comes after)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.questions import (
    MAX_QUESTION_CHARS,
    _without_markup,
    clean_message,
    exclaims,
    looks_like_question,
    question_text,
)


@pytest.mark.parametrize(
    "text",
    [
        "rdl form?",
        "How deep should I squat",
        "how many reps for single leg calf raises",
        "what's the difference between a goblet squat and a front squat",
        "What’s a good warm up for deadlifts",  # curly apostrophe
        "hey guys, how do I keep my back straight on rows",
        "Quick question: should I lock out my elbows on push-ups",
        "is the plank good for beginners",
        "Can someone explain hip hinge",
        "any tips for pull ups",
        "not sure if my squat depth is ok",
        "incline or decline push ups for upper chest???",
        "Do I need a belt for heavy squats",
        "form check on my deadlift pls 🙏",
        "wondering whether calf raises need straps",
        "<@123456> is it bad to train legs twice a week",  # someone else mentioned: still asks
        "how deep? asking for my knees",
        "is squatting to parallel enough",  # no subject after "is": still asks
        "are rdls better than stiff leg deadlifts",
    ],
)
def test_questions(text: str) -> None:
    assert looks_like_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "?",
        "what?",  # one word: a reaction, not a question
        "lol",
        "good morning everyone!",
        "Just hit a new PR on squats today",
        "do 3 sets of 10 and then rest",  # an instruction
        "can confirm, face pulls fixed my shoulders",  # a reply
        "thanks, that helped a lot",
        "check this https://example.org/video?id=3",  # the '?' is in a link
        "> how many reps for squats?\nagreed",  # a quote of someone else's question
        "```how many?```",  # code
        "<:pepe:123456789012345678> <a:dance:123456789012345678>",
        "Leg day done. 5x5 squats at 100 kg, felt heavy but good.",
    ],
)
def test_not_questions(text: str) -> None:
    assert not looks_like_question(text)


def test_long_posts_are_not_quick_questions() -> None:
    story = "I squatted today and it went well. " * 20 + "how deep should I squat?"
    assert len(story) > MAX_QUESTION_CHARS
    assert not looks_like_question(story)


def test_clean_message_drops_noise_and_keeps_the_words() -> None:
    text = "> quoted\n<@1> how deep should I `front squat` ```log``` https://x.org <:e:1>"
    assert clean_message(text) == "how deep should I front squat"
    # A mention's possessive goes with it, not left behind as a word "s".
    assert clean_message("saw it in <@219384756102938475>'s log") == "saw it in log"
    assert clean_message("ask <@&55>’s coach, <#77>'s pinned post") == "ask coach, pinned post"


def test_a_greeting_to_the_channel_is_not_part_of_the_question() -> None:
    """ "good morning gang" greets; "good mornings" and "good morning form" ask."""
    assert question_text("good morning all ☀️ how deep should I squat?") == (
        "how deep should I squat?"
    )
    assert question_text("Morning everyone, rdl tips") == "rdl tips"
    assert question_text("gm lads. back extension form?") == "back extension form?"
    assert question_text("gm form?") == "gm form?"  # "gm" alone may be the good morning
    assert question_text("good morning all :muscle:") == ""  # a greeting asks nothing
    assert question_text("hey guys!") == ""
    assert question_text("hey guys, quick question: squat depth?") == "squat depth?"
    assert question_text("good mornings or rdls?") == "good mornings or rdls?"
    assert question_text("good morning form? my back hurts") == "good morning form? my back hurts"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("finally got my first pullup!!!", True),
        ("that pump from hammer curls tho 😤", True),
        ("rdl form?", False),
        ("how deep <:pepega:123456789012345678>", False),  # custom emoji are markup, gone
    ],
)
def test_exclaims(text: str, expected: bool) -> None:
    assert exclaims(text) is expected


@given(
    st.lists(
        st.sampled_from(
            [
                *("how", "deep", " ", "\n", "WWW.", "www.x", "http://a.b", "\u2019", "@here"),
                *"`>|[]()<@:#*_~!?.,-1",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_plain_text_is_cleaned_as_any_other(text: str) -> None:
    """Text without a markup character skips the patterns: it must come out the same."""
    assert clean_message(text) == _without_markup(text)
