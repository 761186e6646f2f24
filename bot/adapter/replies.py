"""Replies: the few ways Spotter sends something back, each pinging nobody and never raising
for a channel it may not write in."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.core.render import escape_user_text

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]

SOMETHING_WENT_WRONG = "Something went wrong on my side. Please try again in a moment."


async def reply_privately(interaction: Interaction, text: str) -> None:
    """An ephemeral message, whether or not the interaction was answered already."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell user %s: %s", interaction.user.id, text)


async def only_for(interaction: Interaction, user_id: int, refusal: str) -> bool:
    """True for that user; anyone else is told why, privately."""
    if interaction.user.id == user_id:
        return True
    await reply_privately(interaction, refusal)
    return False


async def reply_to(message: discord.Message, **fields: Any) -> discord.Message | None:
    """A reply that pings nobody; a channel we may not write in is logged, not raised."""
    try:
        return await message.reply(mention_author=False, **fields)
    except discord.Forbidden:
        log.info("no permission to reply in channel %s", message.channel.id)
    except discord.HTTPException as error:
        log.warning("could not reply to message %s: %s", message.id, error)
    return None


async def send_response(
    interaction: Interaction,
    *,
    embed: discord.Embed,
    view: discord.ui.View | None = None,
    ephemeral: bool = False,
    content: str | None = None,
) -> None:
    """Answer the interaction (a follow-up when it was deferred); a view with nothing to
    click is left out."""
    extra: dict[str, Any] = {"view": view} if view is not None and view.children else {}
    if interaction.response.is_done():  # deferred under load: the answer is a follow-up
        await interaction.followup.send(
            content or discord.utils.MISSING, embed=embed, ephemeral=ephemeral, **extra
        )
        return
    await interaction.response.send_message(content, embed=embed, ephemeral=ephemeral, **extra)


def is_private(interaction: Interaction) -> bool:
    """Was the clicked message ephemeral (seen by the one who asked for it only)?"""
    message = interaction.message
    return message is not None and message.flags.ephemeral


def quote(text: str, limit: int = 300) -> str:
    """Someone's message shown back as a quote, safe to post."""
    return "> " + escape_user_text(text, limit)
