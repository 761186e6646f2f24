"""Questions: /ask, @mentions (and DMs), and the "Find answer" message menu."""

from __future__ import annotations

import logging
import re
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter import followups
from bot.adapter.checks import describe_wait
from bot.adapter.inflight import created_at
from bot.adapter.views import (
    answer_message,
    note_reply_time,
    quote,
    reply_privately,
    reply_to,
    reply_with_answer,
    send_response,
)
from bot.storage import Source

if TYPE_CHECKING:
    from bot.adapter.client import Answered, SpotterBot
    from bot.core.followups import Conversation

log = logging.getLogger(__name__)

Interaction = discord.Interaction["SpotterBot"]

QUESTION_MAX = 500
# Discord wants a first response within 3 s of creating the interaction. Answer in one message
# only while the interaction's age plus the event loop's lag is below this; else send
# "thinking..." first and the answer after it.
ANSWER_AT_ONCE_WITHIN = 0.5
NO_DMS = "I only answer questions in servers."
NO_TEXT = "That message has no text I can answer."


def hint(me: discord.abc.User) -> str:
    example = f"{me.mention} how many reps for goblet squats"
    return f"Ask me about an exercise, like *{example}*, or use /ask."


def slow_down(seconds: float) -> str:
    return f"Slow down a little: you can ask again in {describe_wait(seconds)}."


def should_defer(age: float, loop_lag: float) -> bool:
    """Defer when an answer in one message might miss Discord's 3 s: the interaction came in
    late (a lagging gateway, a queue of others before it) or the loop is behind."""
    return max(age, 0.0) + loop_lag >= ANSWER_AT_ONCE_WITHIN


def strip_mentions(text: str, user_id: int) -> str:
    """The question without our mention(s), and without the comma people put after one."""
    without = re.sub(rf"<@!?{user_id}>", " ", text)
    return without.strip().lstrip(",:;").strip()


class AskCog(commands.Cog, name="Ask"):
    def __init__(self, bot: SpotterBot) -> None:
        self.bot = bot
        # A context menu cannot be a cog method: build it here and add it to the tree.
        self.find_answer_menu = app_commands.ContextMenu(
            name="Find answer", callback=self.find_answer
        )
        bot.tree.add_command(self.find_answer_menu)

    async def cog_unload(self) -> None:
        menu = self.find_answer_menu
        self.bot.tree.remove_command(menu.name, type=menu.type)

    @app_commands.command(name="ask", description="Ask an exercise question")
    @app_commands.describe(question="For example: how many reps for goblet squats?")
    async def ask(
        self, interaction: Interaction, question: app_commands.Range[str, 1, QUESTION_MAX]
    ) -> None:
        await self.answer_interaction(interaction, question, source="slash")

    async def find_answer(self, interaction: Interaction, message: discord.Message) -> None:
        me = self.bot.user
        question = strip_mentions(message.content, me.id) if me else message.content.strip()
        if not question:
            await reply_privately(interaction, NO_TEXT)
            return
        # Says whose question this answers; allowed_mentions none keeps it from pinging them.
        content = f"Answering {message.author.mention} ({message.jump_url}):\n{quote(question)}"
        await self.answer_interaction(interaction, question, source="context_menu", content=content)

    async def answer_interaction(
        self,
        interaction: Interaction,
        question: str,
        *,
        source: Source,
        content: str | None = None,
    ) -> None:
        bot = self.bot
        if interaction.guild_id is None and not bot.settings.allow_dms:
            await reply_privately(interaction, NO_DMS)
            return
        policy = await bot.policy(interaction.guild_id)
        wait = bot.cooldown.hit(interaction.user.id, policy.cooldown_seconds)
        if wait:
            await reply_privately(interaction, slow_down(wait))
            return
        # "Find answer" answers someone else's message: not a follow-up of the user's own.
        where = followups.of_interaction(interaction) if source == "slash" else []
        asking = {
            "source": source,
            "guild_id": interaction.guild_id,
            "channel_id": interaction.channel_id,
            "min_confidence": policy.min_confidence,
            "context": followups.context_of(bot, where),
        }
        age = time.time() - created_at(interaction)
        if should_defer(age, bot.loop_lag.seconds()):
            await interaction.response.defer(ephemeral=not policy.ask_public, thinking=True)
            bot.in_flight.acknowledged(interaction)
            # Everyone's "thinking..." goes out before the answers do. On the loop, not in a
            # thread: a computing thread would hold the GIL against the loop's I/O.
            async with bot.in_flight.answer_turn():
                answered = bot.answer(question, **asking)
                await self.send_answer(interaction, answered, policy.ask_public, content, where)
        else:
            answered = bot.answer(question, **asking)
            await self.send_answer(interaction, answered, policy.ask_public, content, where)

    async def send_answer(
        self,
        interaction: Interaction,
        answered: Answered,
        public: bool,
        content: str | None,
        where: list[Conversation],
    ) -> None:
        bot = self.bot
        embed, view = answer_message(
            bot,
            answered.result,
            question_id=answered.question_id,
            asker_id=interaction.user.id,
            public=public,
        )
        followups.remember(bot, answered.result, where)
        await send_response(
            interaction, embed=embed, view=view, ephemeral=not public, content=content
        )
        note_reply_time(bot, answered.question_id, interaction.id)

    # -- mentions and DMs --------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if message.author.bot or me is None:
            return  # never answer bots, ourselves included
        in_dm = message.guild is None
        if in_dm and not self.bot.settings.allow_dms:
            return
        if not in_dm and me not in message.mentions:
            return
        if not self.bot.admit_message():
            return  # shutting down
        try:
            await self.answer_message(message, me, strip_mentions(message.content, me.id))
        except Exception:
            # One bad message must not stop the others: log it and carry on.
            log.exception("could not answer message %s", message.id)

    async def answer_message(
        self, message: discord.Message, me: discord.abc.User, question: str
    ) -> None:
        bot = self.bot
        if not question:
            await reply_to(message, content=hint(me))
            return
        guild_id = message.guild.id if message.guild else None
        policy = await bot.policy(guild_id)
        wait = bot.cooldown.hit(message.author.id, policy.cooldown_seconds)
        if wait:
            if bot.cooldown.should_warn(message.author.id, wait):
                await reply_to(message, content=slow_down(wait))
            return
        where = followups.of_message(message)
        answered = bot.answer(
            question,
            source="mention",
            guild_id=guild_id,
            channel_id=message.channel.id,
            min_confidence=policy.min_confidence,
            context=followups.context_of(bot, where, message),
        )
        followups.remember(bot, answered.result, where)
        sent = await reply_with_answer(bot, message, answered.question_id, answered.result)
        followups.remember_sent(bot, answered.result, sent)
        if sent:
            note_reply_time(bot, answered.question_id, message.id)
