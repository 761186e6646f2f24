"""A graceful shutdown (`SpotterBot.close`): no new work, the accepted interactions finished or,
after the grace period, told to ask again; the question log written. (The signals of
`spotter run` are tested in test_cli_run.py.)"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3

from bot.adapter.inflight import RESTARTING
from fakediscord import FakeDiscord, Hold
from tests.adapter.helpers import (
    REPS_QUESTION,
    button,
    embed,
    is_answer_followup,
    is_ephemeral,
)


def stuck_answers(fake: FakeDiscord) -> Hold:
    """Discord never takes an answer follow-up: whoever waits for one waits forever."""
    return fake.hold(is_answer_followup)


async def test_after_the_grace_period_members_are_told_to_ask_again(start_spotter) -> None:
    async with start_spotter(shutdown_grace_seconds=0.2) as spot:
        hold = stuck_answers(spot.fake)
        stuck = await spot.ask(REPS_QUESTION, created_ago=1.5)  # deferred at once
        await spot.fake.wait_for(lambda: hold.held, what="the answer to be held")
    # Leaving the block closed the bot: the grace period ran out with the answer stuck.
    notice = await stuck.wait_for_message()
    assert notice["content"] == RESTARTING
    with contextlib.closing(sqlite3.connect(spot.database)) as db:
        assert db.execute("SELECT count(*) FROM questions").fetchone() == (1,)


async def test_while_shutting_down_new_work_is_refused(start_spotter) -> None:
    async with start_spotter(shutdown_grace_seconds=3600) as spot:
        fake = spot.fake
        earlier = await spot.answer(REPS_QUESTION)  # an answer with buttons, from before
        hold = stuck_answers(fake)
        stuck = await spot.ask(REPS_QUESTION, user=spot.other, created_ago=1.5)
        await fake.wait_for(lambda: hold.held, what="the answer to be held")
        closing = asyncio.create_task(spot.bot.close())
        await fake.wait_for(lambda: spot.bot.shutting_down, what="the shutdown to begin")

        sent = len(fake.sent_messages)
        await fake.post_message(REPS_QUESTION, author=spot.member, mention_bot=True)
        late = await spot.ask(REPS_QUESTION, user=spot.moderator)
        refusal = await late.wait_for_message()
        section = button(earlier, "How to perform")["custom_id"]
        refused_click = await (
            await fake.click(earlier, section, user=spot.member)
        ).wait_for_message()

        assert not closing.done()  # still waiting for the stuck answer
        spot.bot.stop_waiting()  # what a second signal does
        await closing
    for message in (refusal, refused_click):
        assert message["content"] == RESTARTING and is_ephemeral(message)
    assert len(fake.sent_messages) == sent  # the mention was not taken up
    assert (await stuck.wait_for_message())["content"] == RESTARTING
    assert embed(earlier)["title"]
