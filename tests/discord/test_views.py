"""Views time out into disabled buttons; errors answer instead of failing silently."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from tests.discord.helpers import REPS_QUESTION, components, is_ephemeral


def all_disabled(message) -> bool:
    parts = components(message)
    return bool(parts) and all(part["disabled"] for part in parts)


async def test_buttons_disable_on_timeout(start_spotter) -> None:
    async with start_spotter(view_timeout_seconds=0.3) as spot:
        fake = spot.fake
        answer = await spot.answer(REPS_QUESTION)
        card = await (
            await fake.invoke_slash("exercise", {"name": "plank"}, user=spot.member)
        ).wait_for_message()
        await fake.post_message(REPS_QUESTION, author=spot.member, mention_bot=True)
        reply = await fake.wait_for_message(channel=spot.channel)
        # The deleted one must not break the others' timeouts.
        doomed = await spot.answer(REPS_QUESTION)
        delete = next(c for c in components(doomed) if c["label"] == "Delete")
        await (await fake.click(doomed, delete["custom_id"], user=spot.member)).response()

        messages = [fake.world.messages[int(m["id"])] for m in (answer, card, reply)]
        await fake.wait_for(lambda: all(all_disabled(m) for m in messages), timeout=5)
    assert is_ephemeral(messages[1])  # an ephemeral card is edited through its interaction


async def test_command_errors_are_answered(spotter_bot, caplog) -> None:
    spot = spotter_bot

    @app_commands.command(name="boom", description="Fails on purpose")
    async def boom(interaction: discord.Interaction) -> None:
        raise RuntimeError("kaboom")

    spot.bot.tree.add_command(boom)
    await spot.bot.tree.sync()
    caplog.set_level(logging.ERROR, logger="bot.adapter.client")
    inter = await spot.fake.invoke_slash("boom", user=spot.member)
    reply = await inter.wait_for_message()
    assert is_ephemeral(reply)
    assert reply["content"].startswith("Something went wrong")
    (record,) = [r for r in caplog.records if r.name == "bot.adapter.client"]
    assert record.exc_info and "kaboom" in str(record.exc_info[1])

    # And the bot carries on.
    assert (await spot.answer(REPS_QUESTION))["embeds"]
