"""Follow-ups in Discord: which conversations a question belongs to, the page it follows up
on, and remembering the page of each answer (`Asking.recent_answers`, core/followups.py).

A question follows the answer it replies to, else the last answer in its thread, else the
asker's last answer in that channel (or DM) within `followup_minutes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.core.followups import Conversation, RecentAnswers, answer_message, member_in, thread
from bot.core.search import Result


def conversations(
    channel: object, channel_id: int | None, user_id: int
) -> tuple[Conversation, ...]:
    """The thread (anyone in it), then the member in the channel."""
    found: list[Conversation] = []
    if isinstance(channel, discord.Thread):
        found.append(thread(channel.id))
    if channel_id is not None:
        found.append(member_in(channel_id, user_id))
    return tuple(found)


def of_message(message: discord.Message) -> tuple[Conversation, ...]:
    return conversations(message.channel, message.channel.id, message.author.id)


def of_interaction(interaction: discord.Interaction[Any]) -> tuple[Conversation, ...]:
    return conversations(interaction.channel, interaction.channel_id, interaction.user.id)


def context_of(
    recent: RecentAnswers, where: Sequence[Conversation], replies_to: int | None = None
) -> str | None:
    """The page the question follows up on: the answer a message replies to comes first."""
    replied = [answer_message(replies_to)] if replies_to else []
    return recent.recall([*replied, *where])


def remember(recent: RecentAnswers, result: Result, where: Sequence[Conversation]) -> None:
    """These conversations are now about the answer's page (none: its follow-ups end).
    Called before the answer is sent, so that the asker's next question finds it."""
    recent.remember(result.answer.slug if result.answer else None, where)


def remember_sent(recent: RecentAnswers, result: Result, sent_id: int | None) -> None:
    """A reply to the answer message `sent_id` will be about its page."""
    if sent_id is not None and result.answer is not None:
        recent.remember(result.answer.slug, [answer_message(sent_id)], expires=False)
