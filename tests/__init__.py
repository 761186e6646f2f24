"""Spotter's test suite (a package so that ``tests.discord`` never shadows discord.py)."""
