"""/kb: moderators reload the library, see its state, what went unanswered (gaps) and how it
is used (stats); optionally, a file watcher."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.checks import moderator_group, moderator_only
from bot.adapter.embeds import to_embed
from bot.adapter.library_editing import add_faq_view, with_recent_changes
from bot.adapter.replies import reply_privately
from bot.adapter.reports import (
    processes_field,
    shards_field,
    storage_trouble,
    with_database,
    with_fields,
)
from bot.core.insights import MAX_REPORT_DAYS, gaps_card, stats_card
from bot.core.library import Snapshot, library_snapshot
from bot.core.render import Card, CardField, reload_card, status_card
from bot.storage import StorageError, StoreState

if TYPE_CHECKING:
    from bot.adapter.services import BotServices

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]

WATCH_INTERVAL = 1.0  # seconds between looks at the files, at most
GAPS_SHOWN = 10  # groups in one /kb gaps reply: one field each, well within an embed
CANNOT_READ = "I couldn't read the question log right now. Please try again in a minute."
OTHERS_RELOAD = "The bot's other processes reload too: /kb status shows their library versions."
PROCESSES_READ_SECONDS = 1.0  # /kb status answers without a defer: within Discord's 3 s


class KnowledgeCog(commands.Cog, name="Knowledge"):
    kb = moderator_group("kb", "Manage the exercise library")

    def __init__(self, bot: BotServices) -> None:
        self.bot = bot
        self._watcher: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        if self.bot.settings.watch_knowledge:
            self._watcher = asyncio.create_task(self.watch(), name="spotter-knowledge-watcher")

    async def cog_unload(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None

    @kb.command(name="reload", description="Reload the exercise library from its folder")
    @moderator_only()
    async def reload(self, interaction: Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        user = interaction.user
        log.info("/kb reload by %s (%s) in guild %s", user, user.id, interaction.guild_id)
        report = await self.bot.keeper.reload_library(loaded_by=user.name, everywhere=True)
        rendered = reload_card(report)
        files = []
        if rendered.file_text is not None:
            data = io.BytesIO(rendered.file_text.encode("utf-8"))
            files.append(discord.File(data, filename=rendered.file_name))
        # The other processes hear of it and reload their own folder (adapter/fleet.py).
        content = OTHERS_RELOAD if self.bot.fleet.active else discord.utils.MISSING
        await interaction.followup.send(
            content, embed=to_embed(rendered.card), files=files, ephemeral=True
        )

    @kb.command(name="status", description="Show what the exercise library holds")
    @moderator_only()
    async def status(self, interaction: Interaction) -> None:
        bot = self.bot
        card = status_card(
            bot.library,
            bot.keeper.last_reload,
            policy=bot.settings.reload_policy,
            watching=self._watcher is not None,
        )
        card = with_database(card, bot.store.health)
        card = with_recent_changes(card, bot)
        card = await self._with_processes(card)
        await interaction.response.send_message(embed=to_embed(card), ephemeral=True)

    async def _with_processes(self, card: Card) -> Card:
        """Sharded: this process's shards. On a shared database: every process and its
        library version (read within PROCESSES_READ_SECONDS, to answer in Discord's 3 s)."""
        bot, settings = self.bot, self.bot.settings
        fields: list[CardField] = []
        if settings.shard_count is not None:
            fields.append(shards_field(settings.shards_summary, bot.shard_latencies()))
        fleet = bot.fleet
        if fleet.active:
            try:
                async with asyncio.timeout(PROCESSES_READ_SECONDS):
                    processes = await fleet.processes()
            except (StorageError, TimeoutError) as error:
                reason = str(error) or "the database did not answer in time"
                fields.append(CardField("Processes", f"Could not read them: {reason}"))
            else:
                fields.append(processes_field(processes, fleet.name, bot.library.version))
        return with_fields(card, *fields) if fields else card

    @kb.command(name="gaps", description="Questions I could not answer well: what to write next")
    @app_commands.describe(days="How many days back, today included (default 7)")
    @moderator_only()
    async def gaps(
        self, interaction: Interaction, days: app_commands.Range[int, 1, MAX_REPORT_DAYS] = 7
    ) -> None:
        found = await self._read(interaction, days, "gaps")
        if found is not None:
            card = gaps_card(found, days, limit=GAPS_SHOWN)
            await self._send(interaction, card, add_faq_view(found))  # gaps -> FAQ entries

    @kb.command(name="stats", description="How members use the bot: questions, answers, feedback")
    @app_commands.describe(days="How many days back, today included (default 7)")
    @moderator_only()
    async def stats(
        self, interaction: Interaction, days: app_commands.Range[int, 1, MAX_REPORT_DAYS] = 7
    ) -> None:
        numbers = await self._read(interaction, days, "stats")
        if numbers is None:
            return
        library = self.bot.library

        def page_name(slug: str) -> str:
            page = library.page(slug)
            return page.name if page is not None else slug  # a page removed since

        await self._send(interaction, stats_card(numbers, days, page_name=page_name))

    async def _read(self, interaction: Interaction, days: int, report: str) -> Any:
        """Store.gaps or Store.stats for this server, or None after telling the moderator why."""
        if not await self._check_days(interaction, days):
            return None
        # Grouping thousands of questions can take longer than Discord's 3 s.
        await interaction.response.defer(ephemeral=True, thinking=True)
        store = self.bot.store
        try:
            if report == "gaps":
                return await store.gaps(days, interaction.guild_id, limit=GAPS_SHOWN)
            return await store.stats(days, interaction.guild_id)
        except StorageError as error:
            if store.health.state is not StoreState.UNAVAILABLE:
                log.warning("/kb %s: %s", report, error)
            text = storage_trouble(store.health, CANNOT_READ)
            await interaction.followup.send(text, ephemeral=True)
            return None

    @staticmethod
    async def _send(
        interaction: Interaction, card: Card, view: discord.ui.View | None = None
    ) -> None:
        await interaction.followup.send(
            embed=to_embed(card),
            ephemeral=True,
            view=view if view is not None else discord.utils.MISSING,
        )

    @staticmethod
    async def _check_days(interaction: Interaction, days: int) -> bool:
        # Discord's client enforces the range; this is for anything that does not.
        if 1 <= days <= MAX_REPORT_DAYS:
            return True
        await reply_privately(
            interaction, f"`days` must be a whole number from 1 to {MAX_REPORT_DAYS}."
        )
        return False

    # -- watching the folder -----------------------------------------------------------------

    async def watch(self) -> None:
        """Reload once the files changed and then stayed unchanged for the debounce time,
        so an editor saving several files (or one file twice) causes one reload."""
        settings = self.bot.settings
        debounce = settings.watch_debounce_seconds
        interval = min(WATCH_INTERVAL, max(debounce / 2, 0.05))
        loop = asyncio.get_running_loop()
        pending: Snapshot | None = None
        since = 0.0
        while True:
            await asyncio.sleep(interval)
            try:
                current = await asyncio.to_thread(library_snapshot, settings.knowledge_dir)
                if current == self.bot.keeper.library_files:
                    pending = None
                    continue
                if current != pending:
                    pending, since = current, loop.time()
                    continue
                if loop.time() - since < debounce:
                    continue
                pending = None
                report = await self.bot.keeper.reload_library(loaded_by="file watcher")
                log.info("files changed in %s: %s", settings.knowledge_dir, report.summary())
            except Exception:
                log.exception("the knowledge watcher failed; it keeps watching")


async def setup(bot: BotServices) -> None:
    await bot.add_cog(KnowledgeCog(bot))
