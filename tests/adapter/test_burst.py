"""Bursts of /ask: deferring is decided by each interaction's own age (Discord's 3 s run from
its snowflake time) and the event loop's lag, and "thinking..." goes out before answers."""

from __future__ import annotations

import asyncio
import logging
import time

from bot.adapter.asking import should_defer
from bot.adapter.inflight import LoopLag
from tests.adapter.helpers import REPS_QUESTION, embed


def answered_well(message: dict) -> bool:
    return embed(message)["title"].startswith("Band Single Leg Calf Raise")


async def test_a_burst_gets_every_first_response_in_time_and_every_answer(start_spotter) -> None:
    async with start_spotter(cooldown_rate=1000) as spot:
        members = [await spot.fake.add_member(spot.guild, f"lifter{i}") for i in range(80)]
        inters = [await spot.ask(REPS_QUESTION, user=member) for member in members]
        messages = await asyncio.gather(*(inter.wait_for_message(timeout=20) for inter in inters))
        first = [await inter.response() for inter in inters]

    assert {body["type"] for body in first} <= {4, 5}
    assert all(answered_well(message) for message in messages)
    # the fake fails the test on any late or repeated first response


async def test_an_interaction_delivered_late_is_deferred_at_once(spotter_bot) -> None:
    fresh = await spotter_bot.ask(REPS_QUESTION)
    assert (await fresh.response())["type"] == 4  # young, quiet bot: one message

    late = await spotter_bot.ask(REPS_QUESTION, created_ago=2.0)
    assert (await late.response())["type"] == 5  # "thinking..." first
    assert answered_well(await late.wait_for_message())


async def test_deferred_answers_wait_for_earlier_first_responses(spotter_bot) -> None:
    fake = spotter_bot.fake
    # Discord is slow with the first interaction's response...
    hold = fake.hold(lambda r: r.path.endswith("/callback") and not hold.held)
    first = await spotter_bot.ask(REPS_QUESTION)
    await fake.wait_for(lambda: hold.held, what="the first response to be held")
    # ...while a second one, delivered late, is deferred: its answer waits its turn.
    second = await spotter_bot.ask(REPS_QUESTION, user=spotter_bot.other, created_ago=2.0)
    assert (await second.response())["type"] == 5
    in_flight = spotter_bot.bot.in_flight
    await fake.wait_for(lambda: in_flight.waiting_turns == 1, what="the answer to wait")
    assert not second.followups and not first.acknowledged
    hold.release()
    assert answered_well(await first.wait_for_message())
    assert answered_well(await second.wait_for_message())


async def test_an_interaction_discord_gave_up_on_costs_one_warning(spotter_bot, caplog) -> None:
    fake = spotter_bot.fake
    caplog.set_level(logging.WARNING)
    with fake.expect_violations(match="after the interaction was created"):
        expired = await spotter_bot.ask(REPS_QUESTION, created_ago=5.0)
        await fake.wait_for(
            lambda: any(
                r.getMessage().startswith("/ask: Discord had given up") for r in caplog.records
            )
        )
    # No traceback, no ERROR, and no second request to tell a member nobody can reach.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.path for r in fake.requests if str(expired.id) in r.path] == [
        f"/interactions/{expired.id}/{expired.token}/callback"
    ]
    assert (await spotter_bot.answer(REPS_QUESTION))["embeds"]  # and the bot carries on


def test_the_defer_decision_counts_age_and_lag() -> None:
    assert not should_defer(age=0.05, loop_lag=0.0)
    assert should_defer(age=2.0, loop_lag=0.0)  # delivered late
    assert should_defer(age=0.05, loop_lag=1.5)  # the loop is far behind
    assert not should_defer(age=-5.0, loop_lag=0.0)  # a clock behind Discord's: age 0


async def test_loop_lag_sees_a_blocked_loop() -> None:
    lag = LoopLag(interval=0.01)
    lag.start()
    try:
        await asyncio.sleep(0.02)  # the ticker is running
        time.sleep(0.2)  # blocks the loop: the ticker is overdue by at least 0.19 s
        assert lag.seconds() >= 0.15
    finally:
        lag.stop()
