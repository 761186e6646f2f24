"""/settings: moderators see and change this server's settings (stored per guild).

A change applies to the next question at once: the bot reads the guild's settings (kept in
memory by the Store) on every question. A value left unset follows the bot's config.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.checks import moderator_group, moderator_only
from bot.adapter.embeds import to_embed
from bot.adapter.replies import reply_privately
from bot.adapter.reports import storage_trouble
from bot.core.render import Card, CardField, fit
from bot.storage import GuildSettings, StorageError
from bot.storage.records import COOLDOWN_RANGE, MAX_AUTO_ANSWER_CHANNELS

if TYPE_CHECKING:
    from bot.adapter.services import BotServices

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
AutoChannel = discord.TextChannel | discord.ForumChannel

ACTION = "change Spotter's settings"
MAX_COOLDOWN = int(COOLDOWN_RANGE[1])
CANNOT_SAVE = "I couldn't save that right now. Please try again in a minute."
# /settings reset <setting>: the name people see -> the GuildSettings field.
RESETTABLE = {
    "threshold": "min_confidence",
    "ask-visibility": "ask_visibility",
    "exercise-visibility": "exercise_visibility",
    "cooldown": "cooldown_seconds",
    "autoanswer-channels": "auto_answer_channels",
    "autoanswer-threshold": "auto_answer_min_confidence",
}
ResetChoice = Literal[
    "all",
    "threshold",
    "ask-visibility",
    "exercise-visibility",
    "cooldown",
    "autoanswer-channels",
    "autoanswer-threshold",
]


def _source(override: object) -> str:
    return "default" if override is None else "set for this server"


def _confidence(value: float) -> str:
    return f"{value:.2f}"


class SettingsCog(commands.Cog, name="Settings"):
    settings = moderator_group("settings", "See and change Spotter's settings for this server")

    def __init__(self, bot: BotServices) -> None:
        self.bot = bot
        # Changes read, modify and write a guild's settings: one at a time, none lost.
        self._lock = asyncio.Lock()

    # -- show ----------------------------------------------------------------------------------

    @settings.command(name="show", description="Show this server's settings")
    @moderator_only(ACTION)
    async def show(self, interaction: Interaction) -> None:
        guild_id = self._guild_id(interaction)
        card = await self.settings_card(guild_id)
        await interaction.response.send_message(embed=to_embed(card), ephemeral=True)

    async def settings_card(self, guild_id: int) -> Card:
        bot = self.bot
        config = bot.settings
        own = await bot.store.guild_settings(guild_id)
        policy = await bot.asking.policy(guild_id)
        below_floor = own.min_confidence is not None and own.min_confidence < config.min_confidence
        threshold = f"**{_confidence(policy.min_confidence)}** · {_source(own.min_confidence)}"
        if below_floor:
            threshold += f" (this server's {own.min_confidence:.2f} is below the bot's minimum)"
        ask = "public" if policy.ask_public else "private"
        exercise = "public" if policy.exercise_public else "private"
        cooldown = policy.cooldown_seconds
        window = (
            "off"
            if cooldown <= 0
            else f"{config.cooldown_rate} questions per {cooldown:g} s per member"
        )
        fields = [
            CardField("Answer threshold (/ask, mentions)", threshold),
            CardField("/ask replies", f"**{ask}** · {_source(own.ask_visibility)}", inline=True),
            CardField(
                "/exercise replies",
                f"**{exercise}** · {_source(own.exercise_visibility)}",
                inline=True,
            ),
            CardField("Cooldown", f"**{window}** · {_source(own.cooldown_seconds)}"),
            CardField("Auto-answer channels", self._channels_text(own.auto_answer_channels)),
            CardField(
                "Auto-answer threshold",
                f"**{_confidence(policy.auto_answer_min_confidence)}** · "
                f"{_source(own.auto_answer_min_confidence)} (never below the answer threshold)",
            ),
        ]
        return fit(
            Card(
                title="Spotter settings for this server",
                description=(
                    "Thresholds run from 0 to 1: the higher, the surer an answer must be. "
                    "*default* values follow the bot's config."
                ),
                fields=tuple(fields),
                footer="Change with /settings <setting> · /settings reset to use the defaults",
            )
        )

    def _channels_text(self, channels: tuple[int, ...]) -> str:
        text = ", ".join(f"<#{channel}>" for channel in channels) if channels else "none (off)"
        if channels and not self.bot.intents.message_content:
            text += f"\n⚠️ {self._no_intent_note()}"
        return text

    def _no_intent_note(self) -> str:
        return (
            "This bot runs without the Message Content intent (auto_answer is off in its "
            "config), so it cannot read those messages yet: whoever runs the bot must enable "
            "the intent in the Discord developer portal and set `auto_answer: true`."
        )

    # -- changes -------------------------------------------------------------------------------

    @settings.command(name="threshold", description="How sure an answer must be (0 to 1)")
    @app_commands.describe(value="For example 0.6; higher means fewer but surer answers")
    @moderator_only(ACTION)
    async def threshold(
        self, interaction: Interaction, value: app_commands.Range[float, 0.0, 1.0]
    ) -> None:
        floor = self.bot.settings.min_confidence
        if not floor <= value <= 1.0:
            await reply_privately(
                interaction,
                f"The answer threshold must be from {floor:.2f} to 1. {floor:.2f} is this bot's "
                "own minimum (min_confidence in its config): a server can make answers "
                "stricter, not looser.",
            )
            return
        if await self._update(interaction, min_confidence=float(value)):
            await reply_privately(
                interaction,
                f"Saved: I now answer when I'm at least {value:.2f} sure; below that I say I "
                "don't know and offer suggestions.",
            )

    @settings.command(name="visibility", description="Who sees answers: everyone, or the asker")
    @app_commands.describe(command="Which command's replies", mode="public or private")
    @moderator_only(ACTION)
    async def visibility(
        self,
        interaction: Interaction,
        command: Literal["ask", "exercise"],
        mode: Literal["public", "private"],
    ) -> None:
        if command not in ("ask", "exercise") or mode not in ("public", "private"):
            await reply_privately(
                interaction, "Choose `command` ask or exercise, and `mode` public or private."
            )
            return
        if await self._update(interaction, **{f"{command}_visibility": mode}):
            who = "everyone in the channel" if mode == "public" else "only the member who asked"
            await reply_privately(interaction, f"Saved: /{command} replies are now seen by {who}.")

    @settings.command(name="cooldown", description="Seconds a member waits between questions")
    @app_commands.describe(seconds=f"0 turns the cooldown off; at most {MAX_COOLDOWN}")
    @moderator_only(ACTION)
    async def cooldown(
        self, interaction: Interaction, seconds: app_commands.Range[int, 0, MAX_COOLDOWN]
    ) -> None:
        if not 0 <= seconds <= MAX_COOLDOWN:
            await reply_privately(
                interaction, f"The cooldown must be from 0 (off) to {MAX_COOLDOWN} seconds."
            )
            return
        if await self._update(interaction, cooldown_seconds=float(seconds)):
            rate = self.bot.settings.cooldown_rate
            text = (
                "Saved: the cooldown is off."
                if seconds == 0
                else f"Saved: each member may ask {rate} questions every {seconds} s."
            )
            await reply_privately(interaction, text)

    @settings.command(
        name="autoanswer-add", description="Answer questions by myself in a text or forum channel"
    )
    @app_commands.describe(channel="A text channel, or a forum (each new post is answered)")
    @moderator_only(ACTION)
    async def autoanswer_add(self, interaction: Interaction, channel: AutoChannel) -> None:
        guild_id = self._guild_id(interaction)
        own = await self.bot.store.guild_settings(guild_id)
        if channel.id in own.auto_answer_channels:
            text = f"Auto-answer is already on in {channel.mention}."
        elif len(own.auto_answer_channels) >= MAX_AUTO_ANSWER_CHANNELS:
            text = (
                f"Auto-answer can be on in at most {MAX_AUTO_ANSWER_CHANNELS} channels: "
                "remove one first with /settings autoanswer-remove."
            )
        else:
            saved = await self._update(
                interaction, auto_answer_channels=(*own.auto_answer_channels, channel.id)
            )
            if not saved:
                return
            policy = await self.bot.asking.policy(guild_id)
            where = "each new post" if isinstance(channel, discord.ForumChannel) else "new messages"
            text = (
                f"Saved: in {channel.mention} I now reply by myself to {where} that read as "
                f"exercise questions when I'm at least "
                f"{policy.auto_answer_min_confidence:.2f} sure; otherwise I stay quiet."
            )
        notes = []
        if not self.bot.intents.message_content:
            notes.append(self._no_intent_note())
        missing = self._missing_permissions(channel)
        if missing:
            notes.append(f"I'm missing permissions in {channel.mention}: {', '.join(missing)}.")
        await reply_privately(interaction, "\n".join([text, *(f"⚠️ {n}" for n in notes)]))

    @settings.command(name="autoanswer-remove", description="Stop answering by myself in a channel")
    @app_commands.describe(channel="A channel where auto-answer is on")
    @moderator_only(ACTION)
    async def autoanswer_remove(self, interaction: Interaction, channel: AutoChannel) -> None:
        own = await self.bot.store.guild_settings(self._guild_id(interaction))
        if channel.id not in own.auto_answer_channels:
            await reply_privately(interaction, f"Auto-answer is not on in {channel.mention}.")
            return
        kept = tuple(c for c in own.auto_answer_channels if c != channel.id)
        if await self._update(interaction, auto_answer_channels=kept):
            await reply_privately(interaction, f"Saved: auto-answer is off in {channel.mention}.")

    @settings.command(
        name="autoanswer-threshold", description="How sure an auto-answer must be (0 to 1)"
    )
    @app_commands.describe(value="For example 0.8; never below the answer threshold")
    @moderator_only(ACTION)
    async def autoanswer_threshold(
        self, interaction: Interaction, value: app_commands.Range[float, 0.0, 1.0]
    ) -> None:
        policy = await self.bot.asking.policy(self._guild_id(interaction))
        floor = policy.min_confidence
        if not floor <= value <= 1.0:
            await reply_privately(
                interaction,
                f"The auto-answer threshold must be from {floor:.2f} to 1: replies nobody asked "
                f"for must be at least as sure as the answer threshold here ({floor:.2f}).",
            )
            return
        if await self._update(interaction, auto_answer_min_confidence=float(value)):
            await reply_privately(
                interaction, f"Saved: I auto-answer only when I'm at least {value:.2f} sure."
            )

    @settings.command(name="reset", description="Go back to the defaults (all, or one setting)")
    @app_commands.describe(setting="Which setting (default: all of them)")
    @moderator_only(ACTION)
    async def reset(self, interaction: Interaction, setting: ResetChoice = "all") -> None:
        guild_id = self._guild_id(interaction)
        if setting != "all" and setting not in RESETTABLE:
            names = ", ".join(["all", *RESETTABLE])
            await reply_privately(interaction, f"Choose a setting to reset: {names}.")
            return
        try:
            async with self._lock:
                if setting == "all":
                    await self.bot.store.reset_guild_settings(guild_id)
                else:
                    await self.bot.store.update_guild_settings(
                        guild_id, **{RESETTABLE[setting]: None}
                    )
        except StorageError as error:
            log.warning("/settings reset: %s", error)
            await reply_privately(interaction, storage_trouble(self.bot.store.health, CANNOT_SAVE))
            return
        what = "all settings" if setting == "all" else f"`{setting}`"
        card = await self.settings_card(guild_id)
        await interaction.response.send_message(
            f"Reset {what} to the defaults.", embed=to_embed(card), ephemeral=True
        )

    # -- plumbing ------------------------------------------------------------------------------

    @staticmethod
    def _guild_id(interaction: Interaction) -> int:
        guild_id = interaction.guild_id
        if guild_id is None:  # guild_only: Discord never sends one from a DM
            raise app_commands.NoPrivateMessage()
        return guild_id

    async def _update(self, interaction: Interaction, **changes: Any) -> GuildSettings | None:
        """Save, or tell the moderator why not (None)."""
        guild_id = self._guild_id(interaction)
        try:
            async with self._lock:
                saved = await self.bot.store.update_guild_settings(guild_id, **changes)
        except ValueError as error:
            await reply_privately(interaction, f"That value can't be used: {error}.")
            return None
        except StorageError as error:
            log.warning("/settings: %s", error)
            await reply_privately(interaction, storage_trouble(self.bot.store.health, CANNOT_SAVE))
            return None
        log.info(
            "/settings in guild %s by %s: %s",
            guild_id,
            interaction.user.id,
            ", ".join(f"{name}={value!r}" for name, value in changes.items()),
        )
        return saved

    @staticmethod
    def _missing_permissions(channel: AutoChannel) -> list[str]:
        me = channel.guild.me
        if me is None:
            return []
        have = channel.permissions_for(me)
        forum = isinstance(channel, discord.ForumChannel)
        needed = {
            "View Channel": have.view_channel,
            "Send Messages in Threads" if forum else "Send Messages": (
                have.send_messages_in_threads if forum else have.send_messages
            ),
            "Read Message History": have.read_message_history,
            "Embed Links": have.embed_links,
        }
        return [name for name, ok in needed.items() if not ok]


async def setup(bot: BotServices) -> None:
    await bot.add_cog(SettingsCog(bot))
