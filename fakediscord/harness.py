"""Run a real discord.py client (Spotter's, with `spotter_settings`) against a ``FakeDiscord``."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypeVar

import discord

from bot.adapter.connection import point_at
from bot.config import Settings

from .server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)


async def _until_ready(
    fake: FakeDiscord, bot: discord.Client, task: asyncio.Task[None], timeout: float
) -> None:
    async def ready() -> None:
        await fake.wait_until_ready(timeout)
        await bot.wait_until_ready()  # on_ready: guild_ready_timeout after the last guild

    waiter = asyncio.create_task(ready(), name="running_bot:ready")
    done, _ = await asyncio.wait(
        {task, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
    )
    if waiter in done:
        waiter.result()
        return
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    if task in done:
        task.result()  # raises what made start() fail (LoginFailure, ConnectionClosed...)
        raise RuntimeError("bot.start() returned before the bot became ready")
    raise TimeoutError(
        f"the bot was not ready within {timeout}s (is guild_ready_timeout lowered for tests?)"
    )


async def _stop(bot: discord.Client, task: asyncio.Task[None], timeout: float) -> None:
    await asyncio.wait_for(bot.close(), timeout)
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        raise RuntimeError(f"bot.start() did not return within {timeout}s of close()")


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord, bot: ClientT, *, timeout: float = 10.0
) -> AsyncIterator[ClientT]:
    """Point discord.py at ``fake``, start ``bot`` and wait until both sides are ready.

    On exit: close the bot, wait for ``start()`` to return, and point discord.py back at
    the real Discord. Build test bots with a small ``guild_ready_timeout`` (e.g. 0.05):
    discord.py waits that long after the last GUILD_CREATE before ``on_ready``.
    """
    point_at(fake.api_base, fake.gateway_url)
    task = asyncio.create_task(bot.start(fake.token), name="running_bot:start")
    failed = False
    try:
        await _until_ready(fake, bot, task, timeout)
        yield bot
    except BaseException:
        failed = True
        raise
    finally:
        try:
            await _stop(bot, task, timeout)
        finally:
            point_at(None, None)
        if task.done() and not task.cancelled():
            error = task.exception()  # always retrieved; raised only if nothing else failed
            if error is not None and not failed:
                raise error


def spotter_settings(root: Path, **overrides: Any) -> Settings:
    """Settings for a bot under test; the cooldown is off unless a test turns it on."""
    values: dict[str, Any] = {
        "knowledge_dir": root / "knowledge",
        "database_path": root / "spotter.sqlite3",
        "cooldown_seconds": 0.0,
        **overrides,
    }
    return Settings(**values)
