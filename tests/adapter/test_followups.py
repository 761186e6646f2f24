"""Follow-up questions on the loopback Discord: "and how many reps?" after an answer."""

from __future__ import annotations

from typing import Any

from bot.core.followups import answer_message
from fakediscord import ChannelType
from tests.adapter.helpers import embed, enable_autoanswer

FIRST = "how do I do a goblet squat?"
FOLLOW_UP = "and how many reps?"


class Clock:
    """Time that moves only when the test says so (RecentAnswers takes any clock)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def mention(spot, text: str, *, author=None, channel=None, reply_to=None) -> dict[str, Any]:
    """Post a question to the bot and wait for its reply to it."""
    posted = await spot.fake.post_message(
        text,
        author=author or spot.member,
        channel=channel or spot.channel,
        mention_bot=reply_to is None,  # a reply pings the bot by itself
        reply_to=reply_to,
    )
    return await spot.fake.wait_for_message(
        lambda m: (m.get("message_reference") or {}).get("message_id") == posted["id"]
    )


async def remembered(spot, answer: dict[str, Any]) -> None:
    """Wait until the bot, back from sending the answer, noted what a reply to it is about
    (a person takes seconds to reply; a test, none)."""
    key = [answer_message(int(answer["id"]))]
    await spot.fake.wait_for(lambda: spot.bot.asking.recent_answers.recall(key) is not None)


async def logged(spot, question: str) -> tuple[str | None, int]:
    """(page, answered) of the last time the question was logged."""
    rows = await spot.rows(
        "SELECT slug, answered FROM questions WHERE question = ? ORDER BY rowid", question
    )
    return rows[-1]


async def test_a_reply_to_an_answer_is_answered_about_its_exercise(spotter_bot) -> None:
    spot = spotter_bot
    answer = await mention(spot, FIRST)
    assert embed(answer)["title"].startswith("Goblet Squat")
    await remembered(spot, answer)

    reply = await mention(spot, FOLLOW_UP, reply_to=answer)
    assert embed(reply)["title"].startswith("Goblet Squat")
    assert await logged(spot, FOLLOW_UP) == ("goblet-squat", 1)
    assert reply["allowed_mentions"] == {"parse": [], "replied_user": False}

    # Without a reply too: the same member, the same channel, a moment later.
    tips = await mention(spot, "any tips for it?")
    assert embed(tips)["title"].startswith("Goblet Squat")
    # A reply names its answer, whoever replies.
    other = await mention(spot, "is it good for beginners?", author=spot.other, reply_to=answer)
    assert embed(other)["title"].startswith("Goblet Squat")


async def test_another_members_follow_up_is_not_about_the_first_ones_answer(spotter_bot):
    spot = spotter_bot
    await mention(spot, FIRST)
    await mention(spot, FOLLOW_UP, author=spot.other)
    assert await logged(spot, FOLLOW_UP) == (None, 0)
    # A question that names another exercise starts fresh; so do its follow-ups.
    await mention(spot, "how do i deadlift?")
    await mention(spot, FOLLOW_UP)
    assert await logged(spot, FOLLOW_UP) == ("deadlift", 1)


async def test_in_a_thread_anyone_follows_up(spotter_bot) -> None:
    spot = spotter_bot
    thread = await spot.fake.add_channel(
        spot.guild, "squat help", type=ChannelType.PUBLIC_THREAD, parent=spot.channel
    )
    await mention(spot, FIRST, channel=thread)
    reply = await mention(spot, FOLLOW_UP, author=spot.other, channel=thread)
    assert embed(reply)["title"].startswith("Goblet Squat")
    # The thread's conversation is its own: not the channel's.
    await mention(spot, "any tips for it?", author=spot.other)
    assert await logged(spot, "any tips for it?") == (None, 0)


async def test_a_follow_up_after_the_expiry_is_not_one(start_spotter) -> None:
    async with start_spotter(followup_minutes=5) as spot:
        clock = Clock()
        spot.bot.asking.recent_answers.clock = clock
        answer = await mention(spot, FIRST)
        await remembered(spot, answer)
        clock.now += 4 * 60
        await mention(spot, "any tips for it?")
        assert await logged(spot, "any tips for it?") == ("goblet-squat", 1)
        clock.now += 5 * 60 + 1  # five minutes after that answer
        await mention(spot, FOLLOW_UP)
        assert await logged(spot, FOLLOW_UP) == (None, 0)
        # An answer it could not give ends the follow-ups; a reply still names its answer.
        await mention(spot, FOLLOW_UP, reply_to=answer)
        assert await logged(spot, FOLLOW_UP) == ("goblet-squat", 1)


async def test_follow_ups_can_be_turned_off(start_spotter) -> None:
    async with start_spotter(followup_minutes=0) as spot:
        answer = await mention(spot, FIRST)
        await mention(spot, FOLLOW_UP, reply_to=answer)
        assert await logged(spot, FOLLOW_UP) == (None, 0)
        assert len(spot.bot.asking.recent_answers) == 0


async def test_slash_ask_follows_up(spotter_bot) -> None:
    spot = spotter_bot
    await spot.answer(FIRST)
    message = await spot.answer(FOLLOW_UP)
    assert embed(message)["title"].startswith("Goblet Squat")
    # Chat is no follow-up: it is answered (or not) as it is.
    await spot.answer("thanks!")
    assert await logged(spot, "thanks!") == (None, 0)


async def test_auto_answer_follows_up(start_spotter) -> None:
    async with start_spotter(auto_answer=True) as spot:
        await enable_autoanswer(spot, spot.channel)
        first = await spot.fake.post_message(FIRST, author=spot.member, channel=spot.channel)
        await spot.fake.wait_for_message(
            lambda m: (m.get("message_reference") or {}).get("message_id") == first["id"]
        )
        then = await spot.fake.post_message(FOLLOW_UP, author=spot.member, channel=spot.channel)
        reply = await spot.fake.wait_for_message(
            lambda m: (m.get("message_reference") or {}).get("message_id") == then["id"]
        )
        assert embed(reply)["title"].startswith("Goblet Squat")
