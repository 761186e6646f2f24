"""/kb upload, /kb page and /kb remove: moderators change the exercise library from Discord
(the changes themselves: adapter/library_editing.py).

The subcommands join the /kb group of the Knowledge cog (one /kb in Discord): load this
extension after bot.adapter.cogs.knowledge.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.checks import moderator_only
from bot.adapter.embeds import to_embed
from bot.adapter.library_editing import (
    ADD_FAQ_MODAL,
    LIBRARY_ADMIN_COG,
    LIBRARY_COMPONENTS,
    PENDING_SECONDS,
    RECENT_CHANGES,
    LibraryEditor,
    RemoveButton,
    UploadButton,
    add_faq,
    choice_view,
    no_such_exercise,
    page_named,
    still_moderator,
)
from bot.adapter.replies import SOMETHING_WENT_WRONG, reply_privately
from bot.adapter.views import CHOICE_TEXT, exercise_autocomplete
from bot.core.library_cards import remove_card, upload_preview_card
from bot.core.loader import size_text
from bot.core.render import MESSAGE_TEXT_LIMIT, escape_markdown, shorten
from bot.core.uploads import (
    MAX_TOTAL_BYTES,
    MAX_ZIP_BYTES,
    PAGE_SUFFIX,
    UploadRefused,
    collect_uploads,
    plan_upload,
    relative_to_root,
)
from bot.storage import StorageError

if TYPE_CHECKING:
    from bot.adapter.services import BotServices

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
MAX_SENT_PAGE_BYTES = 8 * 1024 * 1024  # below Discord's smallest attachment limit


# -- the commands ----------------------------------------------------------------------------


class LibraryCommands(app_commands.Group):
    """/kb upload, page and remove. Never added to the tree itself: LibraryAdminCog moves its
    commands into /kb, so Discord shows one group."""

    def __init__(self, bot: BotServices, editor: LibraryEditor) -> None:
        super().__init__(name="kb", description="Manage the exercise library")
        self.bot = bot
        self.editor = editor

    @app_commands.command(
        name="upload", description="Add or replace exercise pages: attach .md files or a .zip"
    )
    @app_commands.describe(
        file="A Markdown page (.md) or a .zip of pages",
        file2="Another page or .zip",
        file3="Another page or .zip",
        file4="Another page or .zip",
        file5="Another page or .zip",
    )
    @moderator_only()
    async def upload(
        self,
        interaction: Interaction,
        file: discord.Attachment,
        file2: discord.Attachment | None = None,
        file3: discord.Attachment | None = None,
        file4: discord.Attachment | None = None,
        file5: discord.Attachment | None = None,
    ) -> None:
        # Downloading and linting can take longer than Discord's 3 s.
        await interaction.response.defer(ephemeral=True, thinking=True)
        attachments = [a for a in (file, file2, file3, file4, file5) if a is not None]
        try:
            page_limit = self.bot.settings.max_page_bytes  # what the loader would accept
            named = [(a.filename, await download(a, page_limit)) for a in attachments]
            uploads = collect_uploads(named, page_limit=page_limit)
        except UploadRefused as error:
            text = f"Upload refused: {error}. Nothing was written."
            await interaction.followup.send(shorten(text, MESSAGE_TEXT_LIMIT), ephemeral=True)
            return
        plan = await asyncio.to_thread(
            plan_upload, self.editor.root, self.bot.library.kb.pages, uploads
        )
        preview = upload_preview_card(plan, expires_minutes=PENDING_SECONDS // 60)
        extra: dict[str, Any] = {}
        if plan.to_write:
            token = self.editor.hold(interaction.user.id, plan)
            extra["view"] = choice_view(
                UploadButton("confirm", token, interaction.user.id),
                UploadButton("cancel", token, interaction.user.id),
            )
        if preview.file_text is not None:
            data = io.BytesIO(preview.file_text.encode("utf-8"))
            extra["file"] = discord.File(data, filename=preview.file_name)
        await interaction.followup.send(embed=to_embed(preview.card), ephemeral=True, **extra)

    @app_commands.command(name="page", description="Get an exercise page's Markdown file to edit")
    @app_commands.describe(exercise="Start typing an exercise name")
    @moderator_only()
    async def page(
        self, interaction: Interaction, exercise: app_commands.Range[str, 1, CHOICE_TEXT]
    ) -> None:
        page, closest = page_named(self.bot.library, exercise)
        if page is None:
            await reply_privately(interaction, no_such_exercise(exercise, closest))
            return
        relative = relative_to_root(self.editor.root, page.path)
        try:
            data = await asyncio.to_thread(Path(page.path).read_bytes)
        except OSError as error:
            reason = error.strerror or str(error)
            await reply_privately(interaction, f"I couldn't read `{relative}`: {reason}.")
            return
        if len(data) > MAX_SENT_PAGE_BYTES:
            await reply_privately(interaction, f"`{relative}` is too large to send in Discord.")
            return
        text = (
            f"**{escape_markdown(page.name)}**: `{relative}`. Edit it and send it back with "
            "/kb upload; you will see what changes before anything is written."
        )
        file = discord.File(io.BytesIO(data), filename=Path(page.path).name)
        await interaction.response.send_message(text, file=file, ephemeral=True)

    @app_commands.command(
        name="remove", description="Move an exercise page to the library's trash (restorable)"
    )
    @app_commands.describe(exercise="Start typing an exercise name")
    @moderator_only()
    async def remove(
        self, interaction: Interaction, exercise: app_commands.Range[str, 1, CHOICE_TEXT]
    ) -> None:
        library = self.bot.library
        page, closest = page_named(library, exercise)
        if page is None:
            await reply_privately(interaction, no_such_exercise(exercise, closest))
            return
        relative = relative_to_root(self.editor.root, page.path)
        card = remove_card(page, relative, expires_minutes=PENDING_SECONDS // 60)
        owner = interaction.user.id
        view = choice_view(
            RemoveButton("confirm", owner, page.slug), RemoveButton("cancel", owner, page.slug)
        )
        await interaction.response.send_message(embed=to_embed(card), view=view, ephemeral=True)

    @page.autocomplete("exercise")
    @remove.autocomplete("exercise")
    async def exercise_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return exercise_autocomplete(self.bot.library, current)


async def download(attachment: discord.Attachment, page_limit: int) -> bytes:
    """An attachment's bytes, refused before downloading when its name or size is wrong (a
    page over `page_limit` bytes)."""
    name = attachment.filename
    is_zip = name.lower().endswith(".zip")
    if not is_zip and not name.lower().endswith(PAGE_SUFFIX):
        raise UploadRefused(f"'{name}' is not a Markdown page (.md) or a .zip of pages")
    # A page's own limit is a setting: never more than an upload may hold in all.
    limit = MAX_ZIP_BYTES if is_zip else min(page_limit, MAX_TOTAL_BYTES)
    if attachment.size > limit:
        raise UploadRefused(f"'{name}' is {size_text(attachment.size)}; at most {size_text(limit)}")
    try:
        return await attachment.read()
    except discord.HTTPException as error:
        raise UploadRefused(
            f"I couldn't download '{name}' from Discord ({error.status}); try again"
        ) from None
    except (aiohttp.ClientError, TimeoutError) as error:
        raise UploadRefused(
            f"I couldn't download '{name}' from Discord ({error}); try again"
        ) from None


# -- the cog ---------------------------------------------------------------------------------


class LibraryAdminCog(commands.Cog, name=LIBRARY_ADMIN_COG):
    def __init__(self, bot: BotServices) -> None:
        self.bot = bot
        self.editor = LibraryEditor(bot)
        self.group = LibraryCommands(bot, self.editor)

    async def cog_load(self) -> None:
        kb = self.bot.tree.get_command("kb")
        if not isinstance(kb, app_commands.Group):
            raise RuntimeError("the library commands join /kb: load the Knowledge cog first")
        for command in self.group.commands:
            kb.add_command(command)
        try:
            self.editor.recent = await self.bot.store.library_changes(RECENT_CHANGES)
        except StorageError as error:  # the database's state is reported by /kb status
            log.info("no library changes read at start: %s", error)

    async def cog_unload(self) -> None:
        kb = self.bot.tree.get_command("kb")
        if isinstance(kb, app_commands.Group):
            for command in self.group.commands:
                kb.remove_command(command.name)

    @commands.Cog.listener("on_interaction")
    async def on_add_faq(self, interaction: Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Mapping[str, object] = interaction.data or {}
        if data.get("custom_id") != ADD_FAQ_MODAL:
            return
        if not await self.bot.admit(interaction):
            return  # shutting down: told to ask again in a moment
        try:
            if await still_moderator(interaction):
                await add_faq(self.editor, interaction)
        except Exception:
            log.exception("error in Add FAQ")
            await reply_privately(interaction, SOMETHING_WENT_WRONG)


async def setup(bot: BotServices) -> None:
    bot.add_dynamic_items(*LIBRARY_COMPONENTS)
    await bot.add_cog(LibraryAdminCog(bot))
