"""Errors answer instead of failing silently (buttons across restarts: test_persistent.py)."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from tests.discord.helpers import REPS_QUESTION, is_ephemeral


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
