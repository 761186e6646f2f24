"""A burst of /ask: every interaction gets its first response in time, deferring under load."""

from __future__ import annotations

import asyncio

from tests.discord.helpers import REPS_QUESTION, embed


async def test_a_burst_is_deferred_and_every_question_answered(start_spotter) -> None:
    async with start_spotter(cooldown_rate=1000) as spot:
        members = [await spot.fake.add_member(spot.guild, f"lifter{i}") for i in range(80)]
        inters = [await spot.ask(REPS_QUESTION, user=member) for member in members]
        messages = await asyncio.gather(*(inter.wait_for_message(timeout=20) for inter in inters))
        first = [await inter.response() for inter in inters]

    kinds = {body["type"] for body in first}
    assert kinds <= {4, 5} and 5 in kinds  # some answered at once, the rest deferred first
    assert all(
        embed(message)["title"].startswith("Band Single Leg Calf Raise") for message in messages
    )
    # the fake fails the test on any late or repeated first response
