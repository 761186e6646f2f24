"""Spotter on the loopback Discord: a started bot on a fresh database and library copy.

    async def test_x(spotter_bot):
        inter = await spotter_bot.ask("how many reps for goblet squats")
        message = await inter.wait_for_message()

Use ``start_spotter(**settings)`` for other settings or another library (``pages={...}``).
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.adapter.client import SpotterBot, create_bot
from fakediscord import (
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeMember,
    Interaction,
    running_bot,
)
from tests.adapter.helpers import spotter_settings

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"


@dataclass
class Spotter:
    fake: FakeDiscord
    bot: SpotterBot
    guild: FakeGuild
    channel: FakeChannel
    member: FakeMember  # @everyone's permissions only
    other: FakeMember  # a second plain member
    moderator: FakeMember  # has Manage Server
    knowledge: Path
    database: Path

    async def ask(
        self, question: str, *, user: FakeMember | None = None, **where: Any
    ) -> Interaction:
        return await self.fake.invoke_slash(
            "ask", {"question": question}, user=user or self.member, **where
        )

    async def answer(self, question: str, **kwargs: Any) -> dict[str, Any]:
        """The message /ask produced (its current state)."""
        inter = await self.ask(question, **kwargs)
        return await inter.wait_for_message()

    async def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows from the bot's database, after writing the buffered question log."""
        await self.bot.store.flush()
        with contextlib.closing(sqlite3.connect(self.database)) as db:
            return db.execute(sql, params).fetchall()

    def write_page(self, name: str, text: str) -> Path:
        path = self.knowledge / name
        path.write_text(text, encoding="utf-8")
        return path


StartSpotter = Callable[..., contextlib.AbstractAsyncContextManager[Spotter]]


@pytest.fixture
def start_spotter(fake_discord: FakeDiscord, tmp_path: Path) -> StartSpotter:
    """``async with start_spotter(pages=None, **settings) as spot``: pages (file name ->
    text) replace the bundled library, which is otherwise copied to tmp_path."""

    started = 0

    @contextlib.asynccontextmanager
    async def start(
        *, pages: Mapping[str, str] | None = None, **overrides: Any
    ) -> AsyncIterator[Spotter]:
        nonlocal started
        started += 1  # each bot of a test gets its own folder and database
        settings = spotter_settings(tmp_path / f"spotter-{started}", **overrides)
        knowledge = Path(settings.knowledge_dir)
        if pages is None:
            shutil.copytree(KNOWLEDGE, knowledge)
        else:
            knowledge.mkdir(parents=True)
            for name, text in pages.items():
                (knowledge / name).write_text(text, encoding="utf-8")
        fake = fake_discord
        own = settings.own_shards  # a sharded bot's guild is on one of its shards
        guild = await fake.add_guild(
            "Gym", shard=None if own is None else (own[0], settings.shard_count or 1)
        )
        channel = await fake.add_channel(guild, "general")
        member = await fake.add_member(guild, "bob")
        other = await fake.add_member(guild, "carol")
        moderator = await fake.add_member(guild, "alice", manage_guild=True)
        bot = create_bot(settings, guild_ready_timeout=0.05)
        async with running_bot(fake, bot):
            await bot.tree.sync()
            yield Spotter(
                fake=fake,
                bot=bot,
                guild=guild,
                channel=channel,
                member=member,
                other=other,
                moderator=moderator,
                knowledge=knowledge,
                database=Path(settings.database_path),
            )

    return start


@pytest.fixture
async def spotter_bot(start_spotter: StartSpotter) -> AsyncIterator[Spotter]:
    """A started Spotter with the bundled library, default settings (cooldown off)."""
    async with start_spotter() as spot:
        yield spot
