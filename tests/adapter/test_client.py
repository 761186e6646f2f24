"""The client itself: intents, the sharded variant, privileged intents refused, shutdown."""

from __future__ import annotations

import discord
import pytest
from discord.ext import commands

from bot.adapter.client import ShardedSpotterBot, SpotterBot, create_bot, intents_for
from bot.adapter.connection import point_at
from bot.adapter.runner import explain_failure
from fakediscord import FakeDiscord
from tests.adapter.helpers import REPS_QUESTION, embed, spotter_settings


def test_intents_leave_out_message_content(tmp_path) -> None:
    settings = spotter_settings(tmp_path)
    bot = create_bot(settings)
    assert type(bot) is SpotterBot
    assert not bot.intents.message_content
    assert bot.intents.guild_messages and bot.intents.dm_messages
    assert intents_for(auto_answer=True).message_content
    assert bot.allowed_mentions is not None
    assert bot.allowed_mentions.to_dict() == discord.AllowedMentions.none().to_dict()


async def test_sharded_bot_answers(start_spotter) -> None:
    async with start_spotter(shard_count=1) as spot:
        assert isinstance(spot.bot, ShardedSpotterBot)
        assert isinstance(spot.bot, commands.AutoShardedBot)
        assert embed(await spot.answer(REPS_QUESTION))["title"]


async def test_privileged_intent_refused(tmp_path) -> None:
    settings = spotter_settings(tmp_path, knowledge_dir=tmp_path)
    (tmp_path / "plank.md").write_text("# Plank\n\nHold a straight line.\n")
    async with FakeDiscord(allowed_privileged_intents=0) as fake:
        bot = create_bot(settings, intents=intents_for(auto_answer=True))
        point_at(fake.api_base, fake.gateway_url)
        try:
            async with bot:
                with pytest.raises(discord.PrivilegedIntentsRequired) as refused:
                    await bot.start(fake.token)
        finally:
            point_at(None, None)
    explained = explain_failure(refused.value)
    assert explained is not None and "Privileged Gateway Intents" in str(explained)
