"""The Fleet: this process among the bot's processes sharing one database (shards split
across processes or machines, on PostgreSQL).

Each process keeps its row in the Store's table of processes (its shards, the version of the
library it answers from, when it loaded it) up to date: at start, after every load and every
HEARTBEAT_SECONDS; it deletes the row when it stops. A moderator's reload (/kb reload, a
change from Discord) is announced, and every other process reloads its own library when it
hears it, so /kb status can show them all at the new version. On a database only this
process uses (SQLite) none of this happens: the bot behaves as a single process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

from bot.adapter.library_keeper import LibraryKeeper
from bot.config import Settings
from bot.core.library import ReloadReport, library_snapshot
from bot.storage import ProcessRecord, ReloadNotice, StorageError, Store

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30.0  # between rewrites of this process's row
# A process unheard of for this long is left out of /kb status (it stopped without a word).
SEEN_WITHIN_SECONDS = 3 * HEARTBEAT_SECONDS


def process_name() -> str:
    """This process, as /kb status names it: unique among running processes."""
    return f"{socket.gethostname()} pid {os.getpid()}"


class Fleet:
    def __init__(self, settings: Settings, store: Store, keeper: LibraryKeeper) -> None:
        self.settings = settings
        self.store = store
        self.keeper = keeper
        self.name = process_name()
        self.started_at = datetime.now(UTC)
        self._heartbeat: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()  # reloads and records under way
        self._stopped = False
        self._recorded = False  # start has written this process's row
        self._failing = False  # the last write of this process's row failed

    @property
    def active(self) -> bool:
        """Does this process share its database with others (so has a row and hears them)?"""
        return self.store.shared and not self._stopped

    async def start(self) -> None:
        """Record this process, listen for the others' reloads, keep the row fresh. Call
        after the first library load. Nothing on a database no other process shares."""
        self.keeper.after_load = self._loaded
        if not self.active:
            return
        self._recorded = True
        await self._record()
        await self.store.listen_for_library_reloads(self._heard, self._catch_up)
        self._heartbeat = asyncio.create_task(self._beat(), name="spotter-fleet-heartbeat")

    async def stop(self) -> None:
        """Stop beating and heeding the others (the store's closing ends the listening),
        cancel the reloads and writes under way, delete this process's row."""
        if self._stopped:
            return
        was_recorded = self._recorded
        self._stopped = True
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if was_recorded:
            try:
                await self.store.forget_process(self.name)
            except StorageError as error:
                log.warning("%s", error)

    async def processes(self) -> list[ProcessRecord]:
        """The bot's processes seen lately (this one included), by name. Raises StorageError;
        empty on a database no other process shares."""
        if not self.active:
            return []
        return await self.store.processes(seen_within=SEEN_WITHIN_SECONDS)

    # -- what happens here ---------------------------------------------------------------

    async def _loaded(self, report: ReloadReport, everywhere: bool) -> None:
        """After each load: the row says the new version; a moderator's reload is passed on.
        In the background: the moderator's answer does not wait for the database."""
        if self.active:
            self._track(self._pass_on(report, everywhere), "spotter-fleet-loaded")

    async def _pass_on(self, report: ReloadReport, everywhere: bool) -> None:
        await self._record()
        if not everywhere:
            return
        try:
            await self.store.announce_library_reload(
                ReloadNotice(process=self.name, by=report.loaded_by)
            )
        except StorageError as error:
            log.warning("the other processes were not told to reload: %s", error)

    async def _record(self) -> None:
        library = self.keeper.library
        now = datetime.now(UTC)
        record = ProcessRecord(
            name=self.name,
            shards=self.settings.shards_summary,
            library_version=library.version,
            library_loaded_at=library.loaded_at,
            started_at=self.started_at,
            last_seen=now,
        )
        try:
            await self.store.record_process(record)
        except StorageError as error:
            # Once per outage: the heartbeat would repeat it every HEARTBEAT_SECONDS.
            log.log(logging.DEBUG if self._failing else logging.WARNING, "%s", error)
            self._failing = True
        else:
            self._failing = False

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            await self._record()

    # -- what the others do ----------------------------------------------------------------

    def _heard(self, notice: ReloadNotice) -> None:
        if notice.process == self.name or not self.active:
            return  # our own announcement, or shutting down
        log.info("%s reloaded the library (asked by %s): reloading here", notice.process, notice.by)
        loaded_by = f"{notice.by} via {notice.process}"
        self._in_background(self.keeper.reload_library(loaded_by=loaded_by))

    async def _catch_up(self) -> None:
        """The listening connection was lost and is back: a reload may have gone unheard.
        Reload if the files differ from those of the last load."""
        folder = self.settings.knowledge_dir
        current = await asyncio.to_thread(library_snapshot, folder)
        if current != self.keeper.library_files and self.active:
            self._in_background(self.keeper.reload_library(loaded_by="catching up"))

    def _in_background(self, reload: Coroutine[Any, Any, ReloadReport]) -> None:
        self._track(self._quietly(reload), "spotter-fleet-reload")

    def _track(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _quietly(reload: Coroutine[Any, Any, ReloadReport]) -> None:
        try:
            await reload  # the keeper logs what it loaded
        except Exception:
            log.exception("reloading the library as another process did failed")
