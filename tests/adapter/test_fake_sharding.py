"""The loopback Discord shards like Discord: IDENTIFY with [shard_id, num_shards], each guild's
events only on its shard ((guild_id >> 22) % num_shards), DMs on shard 0, GET /gateway/bot.
Real discord.py auto-sharded clients, one shard each, as two processes would run them."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from bot.adapter.connection import point_at
from fakediscord import FakeDiscord
from fakediscord.gateway import shard_of


class ShardClient(discord.AutoShardedClient):
    """A client on some of the bot's shards that notes what reached it."""

    def __init__(self, shard_ids: list[int], shard_count: int) -> None:
        super().__init__(
            intents=discord.Intents.default(),
            shard_ids=shard_ids,
            shard_count=shard_count,
            guild_ready_timeout=0.05,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.tree = app_commands.CommandTree(self)
        self.answered: list[tuple[int | None, int | None]] = []  # (guild id, shard id)
        self.messages: list[int | None] = []  # their guild ids (None: a DM)

        @self.tree.command(name="where", description="Which shard answers")
        async def where(interaction: discord.Interaction) -> None:
            self.answered.append((interaction.guild_id, self._shard_of(interaction.guild_id)))
            await interaction.response.send_message(f"shards {shard_ids}")

    def _shard_of(self, guild_id: int | None) -> int | None:
        guild = self.get_guild(guild_id) if guild_id is not None else None
        return guild.shard_id if guild is not None else None

    async def on_message(self, message: discord.Message) -> None:
        self.messages.append(message.guild.id if message.guild else None)


async def test_each_guild_reaches_only_its_shard(fake_discord: FakeDiscord, running_bot) -> None:
    fake = fake_discord
    first = await fake.add_guild("Shard zero", shard=(0, 2))
    second = await fake.add_guild("Shard one", shard=(1, 2))
    assert (shard_of(first.id, 2), shard_of(second.id, 2)) == (0, 1)
    for guild in (first, second):
        await fake.add_channel(guild, "general")
    bob = fake.make_user("bob")
    zero, one = ShardClient([0], 2), ShardClient([1], 2)
    async with running_bot(fake, zero), running_bot(fake, one):
        await fake.wait_until_ready(shard_count=2)
        # READY and GUILD_CREATE: each client knows the guilds of its own shard only.
        assert [g.id for g in zero.guilds] == [first.id]
        assert [g.id for g in one.guilds] == [second.id]
        identified = [f["d"]["shard"] for f in fake.gateway.received if f.get("op") == 2]
        assert sorted(identified) == [[0, 2], [1, 2]]

        # A guild created later reaches its shard's client only.
        late = await fake.add_guild("Later", shard=(1, 2))
        await fake.add_channel(late, "general")
        await fake.wait_for(lambda: one.get_guild(late.id) is not None, what="GUILD_CREATE")
        assert zero.get_guild(late.id) is None

        await zero.tree.sync()
        for guild in (first, second, late):
            member = await fake.add_member(guild, bob)
            inter = await fake.invoke_slash("where", user=member)
            await inter.response(timeout=5)
        assert zero.answered == [(first.id, 0)]
        assert one.answered == [(second.id, 1), (late.id, 1)]

        # Messages too; a DM goes to shard 0 only.
        await fake.post_message("hello", author=bob, guild=second, mention_bot=True)
        await fake.post_message("hello in private", author=bob)
        await fake.wait_for(lambda: zero.messages and one.messages, what="the messages")
        assert zero.messages == [None]
        assert one.messages == [second.id]


async def test_an_invalid_shard_is_refused_with_4010(fake_discord: FakeDiscord) -> None:
    point_at(fake_discord.api_base, fake_discord.gateway_url)
    try:
        async with ShardClient([2], 2) as client:
            with pytest.raises(discord.ConnectionClosed) as closed:
                await client.start(fake_discord.token)
    finally:
        point_at(None, None)
    assert closed.value.code == 4010  # Invalid shard: there is no shard 2 of 2


async def test_gateway_bot_recommends_the_shards_required(fake_discord: FakeDiscord) -> None:
    fake_discord.gateway.shards_required = 3
    fake_discord.gateway.max_concurrency = 2
    point_at(fake_discord.api_base, fake_discord.gateway_url)
    try:
        async with discord.Client(intents=discord.Intents.default()) as client:
            await client.login(fake_discord.token)
            shards, url, limit = await client.http.get_bot_gateway()
    finally:
        point_at(None, None)
    assert (shards, url) == (3, fake_discord.gateway_url)
    assert limit["max_concurrency"] == 2
