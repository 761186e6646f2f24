"""The real discord.py client against the loopback FakeDiscord: login, READY, command sync,
slash commands, autocomplete, buttons, context menus, validation and a clean shutdown."""

from __future__ import annotations

import asyncio
import gc
import logging
from dataclasses import dataclass

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.adapter.connection import DEFAULT_API_BASE, DEFAULT_GATEWAY_URL, current
from fakediscord import (
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeMember,
    Perm,
    allows_mass_ping,
)

EXERCISES = ["push-up", "pull-up", "plank", "pike push-up", "push press"]


class VoteView(discord.ui.View):
    def __init__(self, bot: TinyBot) -> None:
        super().__init__(timeout=None)
        self.bot = bot

    @discord.ui.button(label="Helpful", style=discord.ButtonStyle.success, custom_id="vote:up")
    async def up(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.bot.clicks.append((interaction.user.id, button.custom_id))
        await interaction.response.send_message("Thanks for the vote!", ephemeral=True)


class TinyBot(commands.Bot):
    """A stand-in for Spotter: a few app commands exercising the interaction paths."""

    def __init__(self, *, intents: discord.Intents | None = None) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents or discord.Intents.default(),
            guild_ready_timeout=0.05,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.clicks: list[tuple[int, str | None]] = []
        self.errors: list[discord.HTTPException] = []
        self.seen_messages: list[discord.Message] = []

    async def setup_hook(self) -> None:
        tree = self.tree

        @tree.command(name="ping", description="Check that Spotter is alive")
        async def ping(interaction: discord.Interaction) -> None:
            embed = discord.Embed(title="Pong!", description="Spotter is up.")
            embed.add_field(name="Latency", value="fast")
            await interaction.response.send_message(embed=embed)

        @tree.command(name="vote", description="Post an answer with a vote button")
        async def vote(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Was this helpful?", view=VoteView(self))

        @tree.command(name="exercise", description="Look up an exercise")
        @app_commands.describe(name="Exercise name")
        async def exercise(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.edit_original_response(content=f"About {name}")

        @exercise.autocomplete("name")
        async def exercise_name(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [
                app_commands.Choice(name=e, value=e) for e in EXERCISES if current.lower() in e
            ][:25]

        @tree.command(name="long", description="Reply with an over-long embed")
        async def long(interaction: discord.Interaction) -> None:
            try:
                await interaction.response.send_message(embed=discord.Embed(description="x" * 5000))
            except discord.HTTPException as exc:
                self.errors.append(exc)

        @tree.command(name="twice", description="Acknowledge the same interaction twice")
        async def twice(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("first")
            # discord.py refuses a second response itself; forget that it answered, so the
            # second callback really reaches Discord (the fake) and gets Discord's error.
            interaction.response._response_type = None
            try:
                await interaction.response.send_message("second")
            except discord.HTTPException as exc:
                self.errors.append(exc)

        @tree.context_menu(name="Report answer")
        async def report(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_message(
                f"Reported message {message.id} ({len(message.content)} chars)", ephemeral=True
            )

    async def on_message(self, message: discord.Message) -> None:
        self.seen_messages.append(message)


@dataclass
class World:
    guild: FakeGuild
    channel: FakeChannel
    admin: FakeMember  # has Manage Server
    member: FakeMember  # @everyone's permissions only


@pytest.fixture
async def world(fake_discord: FakeDiscord) -> World:
    guild = await fake_discord.add_guild("Gym")
    return World(
        guild=guild,
        channel=await fake_discord.add_channel(guild, "general"),
        admin=await fake_discord.add_member(guild, "alice", manage_guild=True),
        member=await fake_discord.add_member(guild, "bob"),
    )


async def test_logs_in_and_reaches_ready(fake_discord, running_bot, world) -> None:
    async with running_bot(fake_discord, TinyBot()) as bot:
        assert current() == (fake_discord.api_base, fake_discord.gateway_url)
        assert bot.is_ready()
        assert bot.user is not None and bot.user.id == fake_discord.bot_user.id
        assert bot.application_id == fake_discord.application_id
        cached = bot.get_guild(world.guild.id)
        assert cached is not None and cached.name == "Gym"
        assert cached.default_role.id == world.guild.id
        assert cached.get_channel(world.channel.id) is not None
        assert cached.me is not None and cached.me.guild_permissions.send_messages
        assert fake_discord.intents == bot.intents.value
        paths = [(r.method, r.path) for r in fake_discord.requests]
        assert ("GET", "/users/@me") in paths
        assert ("GET", "/oauth2/applications/@me") in paths
    assert current() == (DEFAULT_API_BASE, DEFAULT_GATEWAY_URL)


async def test_syncs_valid_commands(fake_discord, running_bot, world) -> None:
    async with running_bot(fake_discord, TinyBot()) as bot:
        synced = await bot.tree.sync()
    names = {c["name"]: c for c in fake_discord.synced_commands()}
    assert set(names) == {"ping", "vote", "exercise", "long", "twice", "Report answer"}
    assert names["Report answer"]["type"] == 3
    assert names["Report answer"]["description"] == ""
    assert {c.id for c in synced} == {int(c["id"]) for c in names.values()}
    assert fake_discord.sync_count == 1


async def test_slash_command_answers_with_embed(fake_discord, running_bot, world) -> None:
    async with running_bot(fake_discord, TinyBot()) as bot:
        await bot.tree.sync()
        inter = await fake_discord.invoke_slash("ping", user=world.member, channel=world.channel)
        body = await inter.response(timeout=5)
    assert body["type"] == 4
    embed = body["data"]["embeds"][0]
    assert embed["title"] == "Pong!"
    assert embed["fields"] == [{"name": "Latency", "value": "fast", "inline": True}]
    assert inter.latency is not None and inter.latency < 3
    assert inter.original is not None and inter.original["interaction_metadata"]["id"] == str(
        inter.id
    )
    assert not allows_mass_ping(inter.original)


async def test_deferred_command_then_edit(fake_discord, running_bot, world) -> None:
    async with running_bot(fake_discord, TinyBot()) as bot:
        await bot.tree.sync()
        inter = await fake_discord.invoke_slash("exercise", {"name": "plank"}, user=world.member)
        message = await inter.wait_for_message(timeout=5)
    assert (await inter.response())["type"] == 5
    assert message["content"] == "About plank"
    assert inter.edits and inter.edits[0]["body"]["content"] == "About plank"


async def test_autocomplete_returns_choices(fake_discord, running_bot, world) -> None:
    async with running_bot(fake_discord, TinyBot()) as bot:
        await bot.tree.sync()
        choices = await fake_discord.autocomplete(
            "exercise", {"name": "push"}, focused="name", user=world.member, timeout=5
        )
    assert [c["value"] for c in choices] == ["push-up", "pike push-up", "push press"]


async def test_button_click_reaches_view(fake_discord, running_bot, world) -> None:
    async with running_bot(fake_discord, TinyBot()) as bot:
        await bot.tree.sync()
        inter = await fake_discord.invoke_slash("vote", user=world.admin)
        message = await inter.wait_for_message(timeout=5)
        click = await fake_discord.click(message, "vote:up", user=world.member)
        body = await click.response(timeout=5)
        assert bot.clicks == [(world.member.id, "vote:up")]
    assert body["type"] == 4
    assert body["data"]["flags"] & 64  # ephemeral


async def test_message_context_menu(fake_discord, running_bot, world) -> None:
    async with running_bot(fake_discord, TinyBot()) as bot:
        await bot.tree.sync()
        posted = await fake_discord.post_message(
            "the bot got this wrong", author=world.member, channel=world.channel
        )
        inter = await fake_discord.context_menu("Report answer", posted, user=world.admin)
        body = await inter.response(timeout=5)
    assert body["data"]["content"] == f"Reported message {posted['id']} (22 chars)"


async def test_message_content_intent_is_honoured(fake_discord, running_bot, world) -> None:
    async with running_bot(fake_discord, TinyBot()) as bot:
        await fake_discord.post_message("plain words", author=world.member, channel=world.channel)
        await fake_discord.post_message(
            "hello there", author=world.member, channel=world.channel, mention_bot=True
        )
        await fake_discord.wait_for(lambda: len(bot.seen_messages) == 2, timeout=5)
    plain, mentioned = bot.seen_messages
    assert plain.content == ""  # no message content intent
    assert mentioned.content == f"<@{fake_discord.bot_user.id}> hello there"
    assert bot.user in mentioned.mentions


async def test_validator_rejects_over_long_embed(fake_discord, running_bot, world) -> None:
    async with running_bot(fake_discord, TinyBot()) as bot:
        await bot.tree.sync()
        with fake_discord.expect_violations(match=r"embeds\[0\]\.description") as caught:
            inter = await fake_discord.invoke_slash("long", user=world.member)
            await fake_discord.wait_for(lambda: bot.errors, timeout=5)
    (error,) = bot.errors
    assert error.status == 400 and error.code == 50035
    assert "4096" in caught[0].message
    assert not inter.callbacks  # an invalid callback does not acknowledge the interaction


async def test_double_acknowledge_gets_40060(fake_discord, running_bot, world) -> None:
    async with running_bot(fake_discord, TinyBot()) as bot:
        await bot.tree.sync()
        with fake_discord.expect_violations(match="answered twice"):
            inter = await fake_discord.invoke_slash("twice", user=world.member)
            await fake_discord.wait_for(lambda: bot.errors, timeout=5)
    (error,) = bot.errors
    assert error.status == 400 and error.code == 40060
    assert error.text == "Interaction has already been acknowledged."
    assert len(inter.callbacks) == 1


async def test_resumes_after_gateway_drop(fake_discord, running_bot, world) -> None:
    async with running_bot(fake_discord, TinyBot()) as bot:
        await bot.tree.sync()
        session = fake_discord.gateway.active
        await fake_discord.disconnect_bot(4000)
        await fake_discord.wait_for(lambda: session.resumes == 1 and session.ready, timeout=5)
        inter = await fake_discord.invoke_slash("ping", user=world.member)
        assert (await inter.response(timeout=5))["type"] == 4
    assert session.identifies == 1


async def test_admin_only_command_is_hidden_from_members(fake_discord, running_bot, world) -> None:
    bot = TinyBot()

    @bot.tree.command(name="config", description="Server settings")
    @app_commands.default_permissions(manage_guild=True)
    async def config(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("settings", ephemeral=True)

    async with running_bot(fake_discord, bot):
        await bot.tree.sync()
        synced = {c["name"]: c for c in fake_discord.synced_commands()}
        assert synced["config"]["default_member_permissions"] == str(int(Perm.MANAGE_GUILD))
        with pytest.raises(LookupError):
            await fake_discord.invoke_slash("config", user=world.member)
        inter = await fake_discord.invoke_slash("config", user=world.admin)
        assert (await inter.response(timeout=5))["data"]["content"] == "settings"


async def test_shuts_down_cleanly(fake_discord, running_bot, world, caplog) -> None:
    bot = TinyBot()  # built first: discord.py warns once per process that voice is unavailable
    caplog.clear()
    caplog.set_level(logging.WARNING, logger="discord")
    async with running_bot(fake_discord, bot):
        await bot.tree.sync()
        inter = await fake_discord.invoke_slash("vote", user=world.member)
        message = await inter.wait_for_message(timeout=5)
        click = await fake_discord.click(message, "vote:up", user=world.member)
        await click.response(timeout=5)
    assert bot.is_closed()
    await fake_discord.close()

    me = asyncio.current_task()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 2
    pending = [t for t in asyncio.all_tasks() if t is not me]
    while pending and loop.time() < deadline:  # let finished handlers unwind, bounded
        await asyncio.sleep(0.01)
        pending = [t for t in asyncio.all_tasks() if t is not me]
    assert pending == []
    gc.collect()  # an unclosed aiohttp session would now raise ResourceWarning (an error)
    warnings = [
        r for r in caplog.records if r.name.startswith("discord") and r.levelno >= logging.WARNING
    ]
    assert warnings == []
