"""LibraryKeeper: the library questions are answered from, and its reloads.

A reload builds the new library in a thread (core/reloader.py) and swaps one attribute, so
questions keep being answered from the old library until the new one is complete.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.config import Settings
from bot.core.library import Library, ReloadOutcome, ReloadReport, Snapshot
from bot.core.model import Level
from bot.core.reloader import Reloader

log = logging.getLogger(__name__)


class LibraryUnavailable(Exception):
    """The library could not be loaded at startup: there is nothing to answer from."""


class LibraryKeeper:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.reloader = Reloader()
        self.last_reload: ReloadReport | None = None
        # The files as of the last load attempt, good or bad: the watcher compares against it.
        self.library_files: Snapshot = {}
        self._library: Library | None = None
        self._reload_lock = asyncio.Lock()
        # Told after each load (the first one too) and whether the other processes should
        # reload as well: the Fleet records the version and passes the word on.
        self.after_load: Callable[[ReloadReport, bool], Awaitable[None]] | None = None

    @property
    def library(self) -> Library:
        if self._library is None:
            raise RuntimeError("the library is loaded at startup (SpotterBot.setup_hook)")
        return self._library

    async def load_first(self) -> None:
        """The first load: nothing to serve meanwhile, so it takes what it takes.
        Raises LibraryUnavailable when no library came out of it."""
        outcome = await self._load(timeout=None, loaded_by="startup")
        if outcome.library is None:
            raise LibraryUnavailable(f"cannot load the exercise library: {outcome.report.why}")
        self._swap(outcome)
        if self.after_load is not None:
            await self.after_load(outcome.report, False)

    async def reload_library(self, *, loaded_by: str, everywhere: bool = False) -> ReloadReport:
        """Load the folder again in a thread; questions keep being answered meanwhile.
        `everywhere`: a moderator's reload, which the bot's other processes make too."""
        async with self._reload_lock:  # /kb reload and the watcher take turns
            outcome = await self._load(
                timeout=self.settings.reload_timeout_seconds, loaded_by=loaded_by
            )
            old = self._library
            self._swap(outcome)
            if old is not None and old is not outcome.library:
                self.reloader.retire(old)  # freed in pieces, off the event loop
        if self.after_load is not None:
            await self.after_load(outcome.report, everywhere)
        return outcome.report

    def close(self) -> None:
        self.reloader.close()

    async def _load(self, *, timeout: float | None, loaded_by: str) -> ReloadOutcome:
        settings = self.settings
        return await self.reloader.load(
            settings.knowledge_dir,
            previous=self._library,
            timeout=timeout,
            policy=settings.reload_policy,
            min_confidence=settings.min_confidence,
            limits=settings.load_limits,
            loaded_by=loaded_by,
        )

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
