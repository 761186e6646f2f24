"""Shared pytest configuration; fixture logic lives in plugins."""

pytest_plugins = ["fakediscord.pytest_plugin", "tests.postgres"]
