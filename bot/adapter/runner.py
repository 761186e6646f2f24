"""`spotter run` and `spotter sync`: start the bot until a signal, or sync its commands.

Known failures (bad token, missing intent, no library, unusable database, unreachable
Discord) become a RunError with one line for the operator; the CLI prints it without a
traceback. The database is opened first, so its problems are found before any network.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from dataclasses import replace

import aiohttp
import discord
from discord import app_commands

from bot.adapter.client import create_bot
from bot.adapter.connection import GatewayUnreachable, current, describe_failure
from bot.adapter.library_keeper import LibraryUnavailable
from bot.config import Settings
from bot.storage import StorageError

log = logging.getLogger(__name__)

EXIT_FAILED, EXIT_USAGE = 1, 2


class RunError(Exception):
    """A failure the operator can fix; str() is the one line to show."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def not_about_voice(record: logging.LogRecord) -> bool:
    # Spotter never joins voice: discord.py's "PyNaCl is not installed" warnings are noise.
    return "voice will NOT be supported" not in record.getMessage()


RECONNECT_MESSAGES = ("Attempting a reconnect in", "Failed to connect for shard_id")


def _reconnects_in_one_line(record: logging.LogRecord) -> bool:
    # discord.py logs each failed gateway reconnect with a traceback; the reason is enough.
    error = record.exc_info[1] if record.exc_info else None
    if error is None or not str(record.msg).startswith(RECONNECT_MESSAGES):
        return True
    reason = describe_failure(error, "Discord's gateway")
    if reason is not None:
        record.msg, record.args = f"{record.getMessage()}: {reason}", None
        record.exc_info, record.exc_text = None, None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
    return True


def configure_logging(level_name: str) -> None:
    level = logging.getLevelNamesMapping().get(level_name.upper())
    if level is None:
        raise RunError(f"log_level {level_name!r} is not a logging level (try INFO)", EXIT_USAGE)
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("discord.client").addFilter(not_about_voice)
    for name in ("discord.client", "discord.shard"):
        logging.getLogger(name).addFilter(_reconnects_in_one_line)


def explain_failure(error: BaseException) -> RunError | None:
    """One clear line for the failures an operator can fix; None for real bugs."""
    if isinstance(error, discord.LoginFailure):
        return RunError(
            "Discord rejected the token in DISCORD_TOKEN; copy it again from the Developer "
            "Portal (Bot > Reset Token)"
        )
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return RunError(
            "Discord refused a privileged intent (message content): enable it in the Developer "
            "Portal (Bot > Privileged Gateway Intents), or turn auto-answer off"
        )
    if isinstance(error, LibraryUnavailable):
        return RunError(str(error), EXIT_USAGE)
    if isinstance(error, StorageError):
        fallback = "or set database_failure: continue to run without it"
        return RunError(f"cannot use the database: {error}; {fallback}")
    if isinstance(error, GatewayUnreachable):
        return RunError(str(error))
    if isinstance(error, discord.ConnectionClosed):
        return RunError(describe_failure(error, "Discord's gateway") or str(error))
    if isinstance(error, aiohttp.ClientError | OSError):
        where = f"Discord's API at {current()[0]}"  # the gateway's failures are caught above
        return RunError(describe_failure(error, where) or f"cannot reach {where}: {error}")
    if isinstance(error, discord.HTTPException):
        return RunError(f"Discord refused a request: {error}")
    return None


async def run(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM; then shut down gracefully (`SpotterBot.close`): the
    interactions already accepted are finished within the grace period, the question log is
    written. A second signal ends the grace period at once."""
    bot = create_bot(settings)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def on_signal() -> None:
        if not stop.is_set():
            stop.set()
            return
        log.warning("second signal: not waiting for the interactions in flight any longer")
        bot.stop_waiting()

    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows' default loop
            loop.add_signal_handler(signum, on_signal)
    try:
        async with bot:
            await bot.open_store()  # before connecting: a broken file fails fast, offline
            if settings.shard_count is not None:
                log.info("this process runs %s", settings.shards_summary)
            started = asyncio.create_task(bot.start(settings.token or ""), name="spotter-start")
            stopping = asyncio.create_task(stop.wait(), name="spotter-stop")
            await asyncio.wait({started, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not started.done():
                log.info("shutting down")
                await bot.close()
            await started  # raises what made start() fail
    except Exception as error:
        explained = explain_failure(error)
        if explained is None:
            raise
        raise explained from None
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(signum)
    log.info("stopped")


def describe(command: app_commands.AppCommand) -> str:
    if command.type is discord.AppCommandType.chat_input:
        return f"/{command.name}"
    return command.name


async def sync(settings: Settings, guild_id: int | None) -> list[str]:
    """Log in (no gateway), sync the command tree globally or to one guild, log out."""
    quiet = replace(settings, sync_on_start=False, watch_knowledge=False)
    bot = create_bot(quiet, serving=False)  # not one of the bot's processes
    try:
        async with bot:
            await bot.login(settings.token or "")  # runs setup_hook: the cogs fill the tree
            synced = await bot.sync_commands(guild_id)
    except discord.Forbidden as error:
        where = "globally" if guild_id is None else f"to guild {guild_id} (is the bot in it?)"
        raise RunError(f"Discord refused to sync {where}: {error.text}") from None
    except Exception as error:
        explained = explain_failure(error)
        if explained is None:
            raise
        raise explained from None
    return [describe(command) for command in synced]
