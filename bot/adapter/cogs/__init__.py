"""Cogs: one area of the bot each (asking, exercises, the library)."""
