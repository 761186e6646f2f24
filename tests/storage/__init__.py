"""Tests of bot.storage: real SQLite files in tmp_path, no mocks of our own code."""
