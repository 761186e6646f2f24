"""Spotter's test suite (a package so that ``tests.adapter`` never shadows discord.py)."""
