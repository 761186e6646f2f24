"""SpotterBot: the discord.py client; it starts Spotter and shuts it down, nothing more.

Resources are built in setup_hook (database, library, the asking service, then the cogs,
loaded as extensions by module name), never in __init__, so creating a bot is cheap and does
no I/O. Cogs and views reach what they need through `BotServices` (services.py), which this
class provides. close() shuts down gracefully: no new work, the accepted interactions finished
(or, after the grace period, told to ask again), then the resources are released in reverse.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.asking import Asking
from bot.adapter.fleet import Fleet
from bot.adapter.inflight import InFlight, LoopLag, tell_to_ask_again
from bot.adapter.library_keeper import LibraryKeeper
from bot.adapter.replies import SOMETHING_WENT_WRONG, reply_privately
from bot.adapter.services import BotServices
from bot.adapter.views import COMPONENTS, ComponentType, answer_unknown_component
from bot.config import Settings, load_settings
from bot.core.library import Library
from bot.storage import StorageError, Store

log = logging.getLogger(__name__)

# After the grace period: how long the last "ask again" notices may take.
NOTICE_SECONDS = 3.0
UNKNOWN_INTERACTION = 10062  # Discord's error code for an interaction past its 3 s
HTTP_CONNECTIONS = 64  # to Discord's API, kept open and reused; further requests queue
# The cogs, loaded in this order (library_admin joins the /kb group knowledge creates).
EXTENSIONS = (
    "bot.adapter.cogs.ask",
    "bot.adapter.cogs.exercise",
    "bot.adapter.cogs.knowledge",
    "bot.adapter.cogs.library_admin",
    "bot.adapter.cogs.settings",
)
AUTO_ANSWER_EXTENSION = "bot.adapter.cogs.autoanswer"  # only with `auto_answer: true`


def intents_for(*, auto_answer: bool = False) -> discord.Intents:
    """Default intents without message content: mentions and DMs carry content anyway.
    Only auto-answer (reading questions nobody addressed to us) needs the privileged intent."""
    intents = discord.Intents.default()
    intents.message_content = auto_answer
    return intents


class SpotterTree(app_commands.CommandTree["SpotterBot"]):
    async def interaction_check(self, interaction: discord.Interaction[SpotterBot]) -> bool:
        return await interaction.client.admit(interaction)

    async def on_error(
        self, interaction: discord.Interaction[SpotterBot], error: app_commands.AppCommandError
    ) -> None:
        if isinstance(error, app_commands.CheckFailure):
            text = str(error) or "You can't use this command here."
        elif isinstance(error, app_commands.CommandNotFound):
            text = "That command is not available any more. Try again in a minute."
        elif isinstance(error, app_commands.TransformerError):
            # Discord's client normally prevents this (e.g. a channel of the wrong type).
            text = "That value can't be used for this option: pick one Discord offers."
        else:
            name = interaction.command.qualified_name if interaction.command else "?"
            original = getattr(error, "original", error)
            if isinstance(original, discord.NotFound) and original.code == UNKNOWN_INTERACTION:
                # Too late: Discord has told the member the application did not respond, and
                # refuses anything more. One line, no traceback, no doomed reply.
                log.warning("/%s: Discord had given up on interaction %s", name, interaction.id)
                return
            log.error("error in /%s", name, exc_info=original)
            text = SOMETHING_WENT_WRONG
        if interaction.type is discord.InteractionType.autocomplete:
            return  # an autocomplete cannot show a message
        await reply_privately(interaction, text)


class SpotterBot(commands.Bot):
    def __init__(self, settings: Settings, *, serving: bool = True, **client_kwargs: Any) -> None:
        """`serving`: the bot answers members (`spotter run`); False for `spotter sync`, which
        only logs in to fill and sync the command tree and is none of the bot's processes."""
        # Auto-answer reads every message: it alone turns the privileged intent on.
        client_kwargs.setdefault("intents", intents_for(auto_answer=settings.auto_answer))
        if "connector" not in client_kwargs and _in_event_loop():
            # discord.py's default opens a connection per concurrent request: in a burst,
            # setting up hundreds of them costs more than the requests. Reuse a pool.
            client_kwargs["connector"] = aiohttp.TCPConnector(limit=HTTP_CONNECTIONS)
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            tree_cls=SpotterTree,
            allowed_mentions=discord.AllowedMentions.none(),
            **client_kwargs,
        )
        self.settings = settings
        self.serving = serving
        self.keeper = LibraryKeeper(settings)
        self.in_flight = InFlight()
        self.loop_lag = LoopLag()
        self.shutting_down = False
        self._may_reply = True  # False once the connection is about to close
        self._closing: asyncio.Task[None] | None = None
        self._store: Store | None = None
        self._asking: Asking | None = None
        self._fleet: Fleet | None = None
        # Every component class registered: a click matching none gets a clear line.
        self._components: list[ComponentType] = []

    # -- what cogs and views use (BotServices) -----------------------------------------------

    @property
    def library(self) -> Library:
        return self.keeper.library

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the store is opened in setup_hook")
        return self._store

    @property
    def asking(self) -> Asking:
        if self._asking is None:
            raise RuntimeError("the asking service is made in setup_hook")
        return self._asking

    @property
    def fleet(self) -> Fleet:
        if self._fleet is None:
            raise RuntimeError("the fleet is made in setup_hook")
        return self._fleet

    def shard_latencies(self) -> list[tuple[int, float]]:
        """This process's gateway shards and each one's heartbeat latency in seconds (inf
        before the first heartbeat); empty when not sharded."""
        return []

    # -- start-up ----------------------------------------------------------------------------

    async def open_store(self) -> Store:
        """Open the database (checked: quick_check and a test write) unless it is open.

        A database that cannot be used raises StorageError, or with `database_failure:
        continue` is logged loudly and replaced by a store that writes nothing."""
        if self._store is None:
            settings = self.settings
            try:
                self._store = await Store.open(
                    settings.database, retention_days=settings.retention_days
                )
            except StorageError as error:
                if settings.database_failure != "continue":
                    raise
                log.error(
                    "DATABASE NOT IN USE: %s. Running without it (database_failure: continue): "
                    "questions are not logged, votes and /settings changes are not saved. "
                    "Fix it and restart.",
                    error,
                )
                self._store = Store.unavailable(settings.database, str(error))
        return self._store

    async def setup_hook(self) -> None:
        settings = self.settings
        self.loop_lag.start()
        if self.serving:
            store = await self.open_store()
        else:  # `spotter sync` only registers the commands: no database, no library to load
            store = self._store = Store.unavailable(settings.database, "not used by spotter sync")
        self._fleet = Fleet(settings, store, self.keeper)
        if self.serving:  # the fleet row after the first load: it names the library version
            await self.keeper.load_first()
            await self._fleet.start()
        self._asking = Asking(settings, store, self.keeper, self.in_flight, self.loop_lag)
        # Buttons and menus of every message, sent before or not; cogs add their own.
        self.add_dynamic_items(*COMPONENTS)
        extensions = [*EXTENSIONS, AUTO_ANSWER_EXTENSION] if settings.auto_answer else EXTENSIONS
        for name in extensions:
            await self.load_extension(name)
        if settings.sync_on_start:
            synced = await self.sync_commands(settings.sync_guild)
            log.info("synced %d application commands", len(synced))

    def add_dynamic_items(self, *items: ComponentType) -> None:
        super().add_dynamic_items(*items)
        self._components.extend(items)

    async def on_interaction(self, interaction: discord.Interaction[SpotterBot], /) -> None:
        await answer_unknown_component(interaction, self._components)

    async def sync_commands(self, guild_id: int | None = None) -> list[app_commands.AppCommand]:
        """Sync globally, or copy every command to one guild and sync only there."""
        if guild_id is None:
            return await self.tree.sync()
        guild = discord.Object(guild_id)
        self.tree.copy_global_to(guild=guild)
        return await self.tree.sync(guild=guild)

    # -- in flight ---------------------------------------------------------------------------

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        if event_name == "interaction":
            # Counted on arrival, before any handler runs: bursts and shutdowns see them all.
            self.in_flight.accept(args[0])
        super().dispatch(event_name, *args, **kwargs)

    async def admit(self, interaction: discord.Interaction[Any]) -> bool:
        """The first step of every command and button: a shutdown waits for this handler.
        While shutting down it is refused instead, with "ask again in a moment"."""
        self.in_flight.handling(interaction)
        if not self.shutting_down:
            return True
        if self._may_reply:
            await tell_to_ask_again(interaction)
        return False

    def admit_message(self) -> bool:
        """The first step of replying to a message: a shutdown waits for it. None is taken
        while shutting down."""
        if self.shutting_down:
            return False
        self.in_flight.working()
        return True

    async def on_message(self, message: discord.Message, /) -> None:
        """No text commands: a mention is a question, and the Ask cog answers it."""

    # -- shut-down ---------------------------------------------------------------------------

    async def close(self) -> None:
        """Stop taking new work; finish what was accepted, for at most the grace period (or
        until `stop_waiting`), telling whoever is left to ask again; then close the
        connection and the database (which writes the buffered question log)."""
        if self._closing is None:
            self._closing = asyncio.create_task(self._close_gracefully(), name="spotter-close")
        await asyncio.shield(self._closing)

    def stop_waiting(self) -> None:
        """End the grace period now (a second Ctrl-C or SIGTERM)."""
        self.in_flight.stop_waiting()

    async def _close_gracefully(self) -> None:
        self.shutting_down = True
        await self._finish_in_flight()
        for name in list(self.extensions):
            await self.unload_extension(name)  # cog_unload stops background tasks (the watcher)
        self.loop_lag.stop()
        await super().close()
        if self._fleet is not None:
            await self._fleet.stop()  # before the store closes: it deletes its row
        store, self._store = self._store, None
        if store is not None:
            await store.close()  # writes the question log still buffered
        self.keeper.close()

    async def _finish_in_flight(self) -> None:
        in_flight, grace = self.in_flight, self.settings.shutdown_grace_seconds
        if in_flight.busy():
            log.info("shutting down: finishing the interactions in flight (at most %g s)", grace)
        if not await in_flight.settle(grace):
            tasks, waiting = in_flight.cut_short()
            if tasks:
                await asyncio.wait(tasks, timeout=NOTICE_SECONDS)
            told = await _all_within(NOTICE_SECONDS, [tell_to_ask_again(i) for i in waiting])
            log.warning(
                "shutting down: cut %d interaction(s) short, told %d member(s) to ask again",
                len(waiting),
                told,
            )
        # Interactions arriving from now on go unanswered: the connection is about to close.
        # The "ask again" notices already on their way get a moment to arrive.
        self._may_reply = False
        last = in_flight.running()
        if last:
            _, late = await asyncio.wait(last, timeout=NOTICE_SECONDS)
            for task in late:
                task.cancel()


# Checked by mypy: SpotterBot gives cogs and views everything BotServices promises.
_PROVIDES: type[BotServices] = SpotterBot


def _in_event_loop() -> bool:
    """aiohttp connectors belong to a running loop; without one discord.py makes its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def _all_within(seconds: float, notices: list[Coroutine[Any, Any, bool]]) -> int:
    """Run the notices together for at most `seconds`; how many were delivered."""
    if not notices:
        return 0
    tasks = [asyncio.create_task(notice) for notice in notices]
    done, pending = await asyncio.wait(tasks, timeout=seconds)
    for task in pending:
        task.cancel()
    return sum(1 for task in done if not task.cancelled() and task.result())


class ShardedSpotterBot(SpotterBot, commands.AutoShardedBot):
    """The same bot over several gateway connections (its shards, or some of them: the rest
    run in other processes), for large deployments."""

    def __init__(self, settings: Settings, **client_kwargs: Any) -> None:
        super().__init__(settings, **client_kwargs)
        self._max_concurrency: int | None = None  # from GET /gateway/bot, at the first IDENTIFY
        self._identified: dict[int, float] = {}  # bucket -> when one of its shards identified

    def shard_latencies(self) -> list[tuple[int, float]]:
        return sorted(self.latencies)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Discord's rule, not discord.py's flat 5 s between shards: one shard of each bucket
        (shard id % max_concurrency) may IDENTIFY every 5 s, so a big bot's shards in other
        buckets connect at once. (Within this process: another process's IDENTIFYs are not
        known here.)"""
        if self._max_concurrency is None:
            try:
                limits = await self.fetch_session_start_limits()
                self._max_concurrency = max(int(limits.max_concurrency), 1)
            except (discord.HTTPException, discord.GatewayNotFound, aiohttp.ClientError, OSError):
                self._max_concurrency = 1  # Discord's least: one at a time
        loop = asyncio.get_running_loop()
        bucket = (shard_id or 0) % self._max_concurrency
        delay = identify_delay(self._identified.get(bucket), loop.time())
        if delay > 0:
            await asyncio.sleep(delay)
        self._identified[bucket] = loop.time()


IDENTIFY_INTERVAL = 5.0  # seconds: Discord lets each bucket of shards IDENTIFY once per this


def identify_delay(bucket_identified_at: float | None, now: float) -> float:
    """How long a shard waits before its IDENTIFY, given when its bucket last identified."""
    if bucket_identified_at is None:
        return 0.0
    return max(bucket_identified_at + IDENTIFY_INTERVAL - now, 0.0)


def create_bot(
    settings: Settings | None = None, *, serving: bool = True, **client_kwargs: Any
) -> SpotterBot:
    """A bot for these settings (default: config.yaml + environment); not started yet.
    `serving`: see SpotterBot."""
    settings = settings or load_settings()
    if settings.shard_count:
        client_kwargs.setdefault("shard_count", settings.shard_count)
        if settings.shards is not None:
            client_kwargs.setdefault("shard_ids", list(settings.shards))
        return ShardedSpotterBot(settings, serving=serving, **client_kwargs)
    return SpotterBot(settings, serving=serving, **client_kwargs)
