"""Auto-answer: in the channels a server chose, reply by itself to new messages that read as
exercise questions, when the answer is sure enough. Otherwise it stays silent: no "I don't
know", no cooldown warning, nothing for bots, and nothing for mentions (the Ask cog's).

Loaded only when the config says `auto_answer: true`, because reading messages nobody
addressed to the bot needs the privileged Message Content intent.

Where: a configured text channel's own messages (not its threads: those are conversations),
and in a configured forum each new post, which is a thread whose first message has the
thread's id (replies inside the post are conversation too).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.core.questions import looks_like_question, question_text

if TYPE_CHECKING:
    from bot.adapter.services import BotServices

log = logging.getLogger(__name__)

# Plain messages and replies; not joins, pins, thread-created notices and the like.
ANSWERABLE_TYPES = frozenset({discord.MessageType.default, discord.MessageType.reply})


def in_auto_answer_channel(message: discord.Message, channels: tuple[int, ...]) -> bool:
    channel = message.channel
    if isinstance(channel, discord.Thread):
        return (
            channel.parent_id in channels
            and isinstance(channel.parent, discord.ForumChannel)
            and message.id == channel.id  # the post itself, not a reply in it
        )
    return channel.id in channels


class AutoAnswerCog(commands.Cog, name="AutoAnswer"):
    def __init__(self, bot: BotServices) -> None:
        self.bot = bot
        self.asking = bot.asking

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        try:
            await self.consider(message)
        except Exception:
            # One bad message must not stop the others: log it and carry on.
            log.exception("auto-answer failed for message %s", message.id)

    async def consider(self, message: discord.Message) -> None:
        bot = self.bot
        me = bot.user
        if me is None or message.guild is None:
            return  # DMs are the Ask cog's
        if message.author.bot or message.webhook_id is not None:
            return  # never answer bots, ourselves included
        if message.type not in ANSWERABLE_TYPES or me in message.mentions:
            return  # a mention is a question to us: the Ask cog answers it
        policy = await self.asking.policy(message.guild.id)
        if not in_auto_answer_channel(message, policy.auto_answer_channels):
            return
        if not looks_like_question(message.content):
            return
        # Tracked for a graceful shutdown only now: most messages in a channel are not for us.
        if not bot.admit_message():
            return  # shutting down
        text = question_text(message.content)
        await self.asking.ask_in_message(message, text, source="auto_answer", policy=policy)


async def setup(bot: BotServices) -> None:
    await bot.add_cog(AutoAnswerCog(bot))
