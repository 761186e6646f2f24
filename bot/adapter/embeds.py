"""Card (pure, already within Discord's limits) -> discord.Embed."""

from __future__ import annotations

import discord

from bot.core.render import Card

COLOUR = discord.Colour(0x2E86AB)


def to_embed(card: Card) -> discord.Embed:
    embed = discord.Embed(
        title=card.title or None,
        description=card.description or None,
        url=card.url,
        colour=COLOUR,
    )
    for field in card.fields:
        embed.add_field(name=field.name, value=field.value, inline=field.inline)
    if card.footer:
        embed.set_footer(text=card.footer)
    return embed
