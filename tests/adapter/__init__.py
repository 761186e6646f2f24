"""Tests that run the real discord.py client against the loopback FakeDiscord."""
