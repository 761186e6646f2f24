"""SpotterBot: the discord.py client, its resources and the questions it answers.

Resources are built in setup_hook (database, library, cogs), never in __init__, so creating a
bot is cheap and does no I/O. close() shuts down gracefully: no new work, the accepted
interactions finished (or, after the grace period, told to ask again), then the resources are
released in reverse.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.adapter.checks import QuestionCooldown
from bot.adapter.cogs.ask import AskCog
from bot.adapter.cogs.autoanswer import AutoAnswerCog
from bot.adapter.cogs.exercise import ExerciseCog
from bot.adapter.cogs.knowledge import KnowledgeCog
from bot.adapter.cogs.library_admin import LIBRARY_COMPONENTS, LibraryAdminCog
from bot.adapter.cogs.settings import SettingsCog
from bot.adapter.inflight import InFlight, LoopLag, tell_to_ask_again
from bot.adapter.views import SOMETHING_WENT_WRONG, register_components, reply_privately
from bot.config import Settings, load_settings
from bot.core.followups import RecentAnswers
from bot.core.library import Library, ReloadOutcome, ReloadReport, Snapshot
from bot.core.model import Level
from bot.core.reloader import Reloader
from bot.core.search import Result
from bot.core.search.tuning import MAX_QUESTION_CHARS
from bot.storage import GuildSettings, QuestionRecord, Source, StorageError, Store

log = logging.getLogger(__name__)

# After the grace period: how long the last "ask again" notices may take.
NOTICE_SECONDS = 3.0
UNKNOWN_INTERACTION = 10062  # Discord's error code for an interaction past its 3 s
HTTP_CONNECTIONS = 64  # to Discord's API, kept open and reused; further requests queue


class LibraryUnavailable(Exception):
    """The library could not be loaded at startup: there is nothing to answer from."""


@dataclass(frozen=True, slots=True)
class Policy:
    """The settings in force where a question was asked: the guild's, else the defaults."""

    min_confidence: float
    ask_public: bool
    exercise_public: bool
    cooldown_seconds: float
    auto_answer_min_confidence: float = 1.0
    auto_answer_channels: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Answered:
    question_id: str
    result: Result
    record: QuestionRecord


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
    def __init__(self, settings: Settings, **client_kwargs: Any) -> None:
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
        self.cooldown = QuestionCooldown(settings.cooldown_rate)
        self.in_flight = InFlight()
        self.loop_lag = LoopLag()
        self.shutting_down = False
        self._may_reply = True  # False once the connection is about to close
        self._closing: asyncio.Task[None] | None = None
        # The page of each conversation's last answer, for follow-ups (adapter/followups.py).
        self.recent_answers = RecentAnswers(settings.followup_minutes * 60)
        self.last_reload: ReloadReport | None = None
        # The files as of the last load attempt, good or bad: the watcher compares against it.
        self.library_files: Snapshot = {}
        self._library: Library | None = None
        self._store: Store | None = None
        self._reload_lock = asyncio.Lock()
        self.reloader = Reloader()

    # -- resources ---------------------------------------------------------------------------

    @property
    def library(self) -> Library:
        if self._library is None:
            raise RuntimeError("the library is loaded in setup_hook")
        return self._library

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the store is opened in setup_hook")
        return self._store

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
        await self.open_store()
        outcome = await self.reloader.load(
            settings.knowledge_dir,
            previous=None,
            timeout=None,  # nothing to serve meanwhile: the first load takes what it takes
            policy=settings.reload_policy,
            min_confidence=settings.min_confidence,
            limits=settings.load_limits,
            loaded_by="startup",
        )
        if outcome.library is None:
            raise LibraryUnavailable(f"cannot load the exercise library: {outcome.report.why}")
        self._swap(outcome)
        cogs: list[commands.Cog] = [
            AskCog(self),
            ExerciseCog(self),
            KnowledgeCog(self),
            LibraryAdminCog(self),  # joins /kb: after KnowledgeCog
            SettingsCog(self),
        ]
        if settings.auto_answer:
            cogs.append(AutoAnswerCog(self))
        for cog in cogs:
            await self.add_cog(cog)
        # Buttons and menus of every message, sent before or not.
        register_components(self, *LIBRARY_COMPONENTS)
        if settings.sync_on_start:
            synced = await self.sync_commands(settings.sync_guild)
            log.info("synced %d application commands", len(synced))

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
        for name in list(self.cogs):
            await self.remove_cog(name)  # cog_unload stops background tasks (the watcher)
        self.loop_lag.stop()
        await super().close()
        store, self._store = self._store, None
        if store is not None:
            await store.close()  # writes the question log still buffered
        self.reloader.close()

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

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        if event_name == "interaction":
            # Counted on arrival, before any handler runs: bursts and shutdowns see them all.
            self.in_flight.accept(args[0])
        super().dispatch(event_name, *args, **kwargs)

    async def admit(self, interaction: discord.Interaction[SpotterBot]) -> bool:
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

    async def sync_commands(self, guild_id: int | None = None) -> list[app_commands.AppCommand]:
        """Sync globally, or copy every command to one guild and sync only there."""
        if guild_id is None:
            return await self.tree.sync()
        guild = discord.Object(guild_id)
        self.tree.copy_global_to(guild=guild)
        return await self.tree.sync(guild=guild)

    # -- the library -------------------------------------------------------------------------

    def _swap(self, outcome: ReloadOutcome) -> None:
        if outcome.library is not None:
            self._library = outcome.library  # one assignment: never half a library
        self.library_files = outcome.snapshot
        self.last_reload = outcome.report
        report = outcome.report
        level = logging.WARNING if report.kept_old else logging.INFO
        log.log(level, "library: %s", report.summary())
        for d in sorted(report.diagnostics, key=lambda d: (d.path, d.line)):
            level = logging.WARNING if d.level is Level.ERROR else logging.INFO
            log.log(level, "%s:%d: %s: %s", report.relative(d.path), d.line, d.level, d.message)

    async def reload_library(self, *, loaded_by: str) -> ReloadReport:
        """Load the folder again in a thread; questions keep being answered meanwhile."""
        settings = self.settings
        async with self._reload_lock:  # /kb reload and the watcher take turns
            outcome = await self.reloader.load(
                settings.knowledge_dir,
                previous=self._library,
                timeout=settings.reload_timeout_seconds,
                policy=settings.reload_policy,
                min_confidence=settings.min_confidence,
                limits=settings.load_limits,
                loaded_by=loaded_by,
            )
            old = self._library
            self._swap(outcome)
            if old is not None and old is not outcome.library:
                self.reloader.retire(old)  # freed in pieces, off the event loop
            return outcome.report

    # -- questions ---------------------------------------------------------------------------

    async def policy(self, guild_id: int | None) -> Policy:
        settings = self.settings
        overrides = GuildSettings()
        if guild_id is not None:
            overrides = await self.store.guild_settings(guild_id)
        # The index abstains below the configured threshold already; a guild may only be
        # stricter than that.
        min_confidence = max(settings.min_confidence, overrides.min_confidence or 0.0)
        ask = overrides.ask_visibility or settings.ask_visibility
        exercise = overrides.exercise_visibility or settings.exercise_visibility
        cooldown = overrides.cooldown_seconds
        auto = overrides.auto_answer_min_confidence
        if auto is None:
            auto = settings.auto_answer_min_confidence
        return Policy(
            min_confidence=min_confidence,
            ask_public=ask == "public",
            exercise_public=exercise == "public",
            cooldown_seconds=settings.cooldown_seconds if cooldown is None else cooldown,
            # Unprompted replies are never less sure than answers people asked for.
            auto_answer_min_confidence=max(auto, min_confidence),
            auto_answer_channels=overrides.auto_answer_channels,
        )

    def answer(
        self,
        question: str,
        *,
        source: Source,
        guild_id: int | None,
        channel_id: int | None,
        min_confidence: float,
        log_now: bool = True,
        context: str | None = None,
    ) -> Answered:
        """Answer from the current library and log the question (never who asked it).
        With log_now=False the caller logs `Answered.record` only if it replies. `context`:
        the page of the answer the question may follow up on."""
        question = question[:MAX_QUESTION_CHARS]
        library = self.library
        started = time.perf_counter()
        result = library.answer(question, min_confidence, context)
        latency_ms = (time.perf_counter() - started) * 1000
        answer = result.answer
        best = answer or (result.alternatives[0] if result.alternatives else None)
        record = QuestionRecord.new(
            question,
            source=source,
            guild_id=guild_id,
            channel_id=channel_id,
            slug=answer.slug if answer else None,
            section=answer.section if answer else None,
            heading=answer.heading if answer else None,
            score=best.score if best else 0.0,
            answered=answer is not None,
            latency_ms=latency_ms,
        )
        if log_now:
            self.store.log_question(record)
        return Answered(record.id, result, record)


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
    """The same bot over several gateway connections, for large deployments."""


def create_bot(settings: Settings | None = None, **client_kwargs: Any) -> SpotterBot:
    """A bot for these settings (default: config.yaml + environment); not started yet."""
    settings = settings or load_settings()
    if settings.shard_count:
        client_kwargs.setdefault("shard_count", settings.shard_count)
        return ShardedSpotterBot(settings, **client_kwargs)
    return SpotterBot(settings, **client_kwargs)
