"""Follow-ups in Discord: which conversations a question belongs to, the page it follows up
on, and remembering the page of each answer (`bot.recent_answers`, core/followups.py).

A question follows the answer it replies to, else the last answer in its thread, else the
asker's last answer in that channel (or DM) within `followup_minutes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.followups import Conversation, answer_message, member_in, thread
from bot.core.search import Result

if TYPE_CHECKING:
    from bot.adapter.client import SpotterBot


def conversations(channel: object, channel_id: int | None, user_id: int) -> list[Conversation]:
    """The thread (anyone in it), then the member in the channel."""
    found: list[Conversation] = []
    if isinstance(channel, discord.Thread):
        found.append(thread(channel.id))
    if channel_id is not None:
        found.append(member_in(channel_id, user_id))
    return found


def of_message(message: discord.Message) -> list[Conversation]:
    return conversations(message.channel, message.channel.id, message.author.id)


def of_interaction(interaction: discord.Interaction[SpotterBot]) -> list[Conversation]:
    return conversations(interaction.channel, interaction.channel_id, interaction.user.id)


def context_of(
    bot: SpotterBot, where: list[Conversation], message: discord.Message | None = None
) -> str | None:
    """The page the question follows up on: the answer a message replies to comes first."""
    reference = message.reference if message is not None else None
    replied = [answer_message(reference.message_id)] if reference and reference.message_id else []
    return bot.recent_answers.recall([*replied, *where])


def remember(bot: SpotterBot, result: Result, where: list[Conversation]) -> None:
    """These conversations are now about the answer's page (none: its follow-ups end).
    Called before the answer is sent, so that the asker's next question finds it."""
    bot.recent_answers.remember(result.answer.slug if result.answer else None, where)


def remember_sent(bot: SpotterBot, result: Result, sent: discord.Message | None) -> None:
    """A reply to the answer message `sent` will be about its page."""
    if sent is not None and result.answer is not None:
        bot.recent_answers.remember(result.answer.slug, [answer_message(sent.id)], expires=False)
