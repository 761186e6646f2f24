"""What cogs and views need from the bot (`BotServices`), so that none imports the bot class.

`SpotterBot` (client.py) provides it; cogs get it in their extension's `setup(bot)`, views
through `services_of(interaction)`. Nothing here is imported at run time but discord.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

import discord
from discord import app_commands
from discord.ext import commands

if TYPE_CHECKING:
    from bot.adapter.fleet import Fleet
    from bot.adapter.library_keeper import LibraryKeeper
    from bot.adapter.policy import Policy
    from bot.config import Settings
    from bot.core.library import Library
    from bot.storage import Source, Store


class AskingService(Protocol):
    """What cogs need of the asking service (asking.py: Asking)."""

    async def policy(self, guild_id: int | None) -> Policy: ...

    async def ask_in_interaction(
        self,
        interaction: discord.Interaction[Any],
        text: str,
        *,
        source: Source,
        content: str | None = None,
    ) -> None:
        """/ask or "Find answer": answer and respond; `content` goes above the answer."""

    async def ask_in_message(
        self,
        message: discord.Message,
        text: str,
        *,
        source: Source,
        policy: Policy | None = None,
    ) -> None:
        """A mention, a DM or a message auto-answer picked up: answer and reply."""


class BotServices(Protocol):
    settings: Settings
    keeper: LibraryKeeper  # the library and its reloads

    @property
    def library(self) -> Library:
        """The library questions are answered from now (a reload swaps it)."""

    @property
    def store(self) -> Store: ...

    @property
    def asking(self) -> AskingService:
        """Policy, cooldown, answer and question log: one question from arrival to reply."""

    @property
    def fleet(self) -> Fleet:
        """This process among the bot's processes sharing the database (/kb status)."""

    def shard_latencies(self) -> list[tuple[int, float]]:
        """This process's gateway shards and their latencies in seconds (none: not sharded)."""

    # -- what discord.py's Bot has ----------------------------------------------------------

    @property
    def user(self) -> discord.ClientUser | None: ...

    @property
    def intents(self) -> discord.Intents: ...

    @property
    def tree(self) -> app_commands.CommandTree[Any]: ...

    def get_cog(self, name: str, /) -> commands.Cog | None: ...

    async def add_cog(self, cog: commands.Cog, /) -> None: ...

    def add_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None: ...

    # -- in flight: a graceful shutdown waits for what these admit ----------------------------

    async def admit(self, interaction: discord.Interaction[Any]) -> bool:
        """The first step of every command, button and modal: False while shutting down
        (the member was told to ask again)."""

    def admit_message(self) -> bool:
        """The first step of replying to a message: False while shutting down."""


def services_of(interaction: discord.Interaction[Any]) -> BotServices:
    """The bot behind an interaction. discord.py types it as any Client; Spotter's is always
    a SpotterBot, which provides BotServices (checked in client.py)."""
    return cast("BotServices", interaction.client)
