"""Discord adapter: the glue between Spotter's core and discord.py."""
