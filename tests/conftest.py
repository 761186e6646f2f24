"""Shared pytest configuration; fixture logic lives in plugins."""

pytest_plugins = ["tests.fakediscord.pytest_plugin", "tests.postgres"]
