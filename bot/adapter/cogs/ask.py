"""Questions: /ask, @mentions (and DMs), and the "Find answer" message menu. What to ask comes
from here; how it is answered, from adapter/asking.py."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.replies import quote, reply_privately, reply_to

if TYPE_CHECKING:
    from bot.adapter.services import BotServices

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]

# The most Discord's form lets a member type into /ask: a quick question, not a story.
ASK_OPTION_CHARS = 500
NO_TEXT = "That message has no text I can answer."


def hint(me: discord.abc.User) -> str:
    example = f"{me.mention} how many reps for goblet squats"
    return f"Ask me about an exercise, like *{example}*, or use /ask."


def strip_mentions(text: str, user_id: int) -> str:
    """The question without our mention(s), and without the comma people put after one."""
    without = re.sub(rf"<@!?{user_id}>", " ", text)
    return without.strip().lstrip(",:;").strip()


class AskCog(commands.Cog, name="Ask"):
    def __init__(self, bot: BotServices) -> None:
        self.bot = bot
        self.asking = bot.asking
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
        self, interaction: Interaction, question: app_commands.Range[str, 1, ASK_OPTION_CHARS]
    ) -> None:
        await self.asking.ask_in_interaction(interaction, question, source="slash")

    async def find_answer(self, interaction: Interaction, message: discord.Message) -> None:
        me = self.bot.user
        question = strip_mentions(message.content, me.id) if me else message.content.strip()
        if not question:
            await reply_privately(interaction, NO_TEXT)
            return
        # Says whose question this answers; allowed_mentions none keeps it from pinging them.
        content = f"Answering {message.author.mention} ({message.jump_url}):\n{quote(question)}"
        await self.asking.ask_in_interaction(
            interaction, question, source="context_menu", content=content
        )

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
            question = strip_mentions(message.content, me.id)
            if not question:
                await reply_to(message, content=hint(me))
                return
            await self.asking.ask_in_message(message, question, source="mention")
        except Exception:
            # One bad message must not stop the others: log it and carry on.
            log.exception("could not answer message %s", message.id)


async def setup(bot: BotServices) -> None:
    await bot.add_cog(AskCog(bot))
