"""/exercise: an exercise's card, with tabs for each section."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.asking import NO_DMS
from bot.adapter.replies import reply_privately, send_response
from bot.adapter.views import (
    CHOICE_TEXT,
    answer_style,
    exercise_autocomplete,
    exercise_card,
    exercise_choices,
    exercise_matches,
)

if TYPE_CHECKING:
    from bot.adapter.services import BotServices

Interaction = discord.Interaction[Any]


class ExerciseCog(commands.Cog, name="Exercise"):
    def __init__(self, bot: BotServices) -> None:
        self.bot = bot

    @app_commands.command(
        name="exercise", description="Show an exercise: how to do it, tips, mistakes and FAQ"
    )
    @app_commands.describe(name="Start typing an exercise name")
    async def exercise(
        self, interaction: Interaction, name: app_commands.Range[str, 1, CHOICE_TEXT]
    ) -> None:
        bot = self.bot
        in_guild = interaction.guild_id is not None
        if not in_guild and not bot.settings.allow_dms:
            await reply_privately(interaction, NO_DMS)
            return
        policy = await bot.asking.policy(interaction.guild_id)
        public = policy.exercise_public
        owner_id = interaction.user.id
        library = bot.library
        found = library.index.find(name)
        if found.page is not None:
            embed, view = exercise_card(
                library,
                found.page,
                style=answer_style(bot.settings),
                owner_id=owner_id,
                shareable=in_guild and not public,
            )
        elif found.matches:  # "calf": every calf raise, in a menu
            embed, view = exercise_matches(name, found.matches, owner_id=owner_id)
        else:
            # Not an error: offer the nearest names, if any, as buttons.
            embed, view = exercise_choices(name, found.nearest, owner_id=owner_id)
        await send_response(interaction, embed=embed, view=view, ephemeral=not public)

    @exercise.autocomplete("name")
    async def exercise_name(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return exercise_autocomplete(self.bot.library, current)


async def setup(bot: BotServices) -> None:
    await bot.add_cog(ExerciseCog(bot))
