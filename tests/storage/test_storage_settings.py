"""Per-guild settings: defaults, validated updates, the in-memory cache, reset."""

from __future__ import annotations

import pytest

from bot.storage import GuildSettings, Store

GUILD = 4242


async def test_unknown_guild_gets_defaults(database):
    async with Store.open(database) as store:
        settings = await store.guild_settings(GUILD)
    assert settings == GuildSettings()
    assert settings.min_confidence is None and settings.auto_answer_channels == ()


async def test_update_persists_and_merges(database, query):
    async with Store.open(database) as store:
        first = await store.update_guild_settings(
            GUILD, min_confidence=0.6, ask_visibility="private", auto_answer_channels=[5, 3, 5]
        )
        assert first.min_confidence == 0.6 and first.auto_answer_channels == (5, 3)
        second = await store.update_guild_settings(GUILD, cooldown_seconds=10)
        assert second == GuildSettings(
            min_confidence=0.6,
            ask_visibility="private",
            cooldown_seconds=10.0,
            auto_answer_channels=(5, 3),
        )
        cleared = await store.update_guild_settings(GUILD, min_confidence=None)
        assert cleared.min_confidence is None and cleared.cooldown_seconds == 10.0
        assert await store.guild_settings(GUILD + 1) == GuildSettings()

    async with Store.open(database) as store:
        assert await store.guild_settings(GUILD) == cleared
    assert query(database, "SELECT auto_answer_channels FROM guild_settings") == [("[5, 3]",)]


async def test_reads_come_from_memory(database, query):
    async with Store.open(database) as store:
        await store.update_guild_settings(GUILD, exercise_visibility="public")
        # Change the row behind the store's back: the cached value is what the bot uses.
        query(database, "UPDATE guild_settings SET exercise_visibility = 'private'")
        cached = await store.guild_settings(GUILD)
        assert cached.exercise_visibility == "public"
        assert await store.guild_settings(GUILD) is cached


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_confidnce": 0.5}, "unknown guild setting.*min_confidnce.*known settings are"),
        ({"min_confidence": 1.5}, "min_confidence must be between 0.0 and 1.0"),
        ({"min_confidence": "high"}, "min_confidence must be a number"),
        ({"auto_answer_min_confidence": True}, "must be a number"),
        ({"ask_visibility": "secret"}, "ask_visibility must be 'public' or 'private'"),
        ({"cooldown_seconds": -1}, "cooldown_seconds must be between 0 and 3600"),
        ({"cooldown_seconds": float("inf")}, "finite"),
        ({"auto_answer_channels": "123"}, "list of channel ids"),
        ({"auto_answer_channels": [1, -2]}, "positive integer channel ids"),
        ({"auto_answer_channels": list(range(1, 60))}, "at most 50"),
    ],
)
async def test_bad_updates_raise_clear_value_errors(database, query, changes, message):
    async with Store.open(database) as store:
        await store.update_guild_settings(GUILD, cooldown_seconds=5)
        with pytest.raises(ValueError, match=message):
            await store.update_guild_settings(GUILD, **changes)
        assert await store.guild_settings(GUILD) == GuildSettings(cooldown_seconds=5)
    assert query(database, "SELECT cooldown_seconds FROM guild_settings") == [(5.0,)]


async def test_bad_guild_id(database):
    async with Store.open(database) as store:
        with pytest.raises(ValueError, match="guild id"):
            await store.update_guild_settings(0, cooldown_seconds=1)


async def test_reset(database, query):
    async with Store.open(database) as store:
        await store.update_guild_settings(GUILD, min_confidence=0.3, auto_answer_channels=[1])
        await store.update_guild_settings(GUILD + 1, min_confidence=0.4)
        assert await store.reset_guild_settings(GUILD) == GuildSettings()
        assert await store.guild_settings(GUILD) == GuildSettings()
        assert (await store.guild_settings(GUILD + 1)).min_confidence == 0.4
    assert query(database, "SELECT guild_id FROM guild_settings") == [(GUILD + 1,)]
    async with Store.open(database) as store:
        assert await store.guild_settings(GUILD) == GuildSettings()
