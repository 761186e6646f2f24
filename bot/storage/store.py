"""The Store: Spotter's one public face on its database (question log, feedback votes,
guild settings, the library audit, insights), a SQLite file or a PostgreSQL server.

The parts live beside it: ``database`` (which database, the connection, checks at open,
migrations; ``postgres`` for a server), ``question_log`` (the batched writer),
``insight_queries`` (gaps and stats). aiosqlite runs every statement on its own thread and
asyncpg on the event loop's sockets; only small batches of tuples cross to either, so the
event loop is never held up by storage.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from os import PathLike
from types import TracebackType
from typing import Any, Self

from bot.core.insights import Gap, Stats
from bot.storage.backends import open_database
from bot.storage.database import (
    LIBRARY_CHANNEL,
    SETTINGS_CHANNEL,
    Database,
    Transaction,
    is_postgres_url,
    sqlite_path,
)
from bot.storage.insight_queries import Window, read_gaps, read_stats
from bot.storage.question_log import DEFAULT_MAX_BUFFER, QuestionLog
from bot.storage.records import (
    GuildSettings,
    LibraryChange,
    ProcessRecord,
    QuestionRecord,
    ReloadNotice,
    StorageError,
    StoreHealth,
    StoreState,
    Vote,
    VoteStatus,
    check_setting_names,
    is_question_id,
    whole_number,
)

log = logging.getLogger("spotter.storage")

PURGE_INTERVAL = 6 * 3600.0  # seconds between retention purges
PURGE_CHUNK = 5_000  # questions deleted per transaction, so a big purge never stalls flushes
PROCESS_KEPT_SECONDS = 86400.0  # a process row unseen this long (the process died) is deleted

_DEFAULT_SETTINGS = GuildSettings()
_PRAGMA_NAME = re.compile(r"[a-z_]+")
_PRAGMA_VALUE = re.compile(r"-?[A-Za-z0-9_]+")

_GUILD_LOCK_SALT = 0x5370_0000_0000_0000  # guild settings' lock keys, apart from other keys

_SETTINGS_COLUMNS = (
    "min_confidence, ask_visibility, exercise_visibility, cooldown_seconds, "
    "auto_answer_channels, auto_answer_min_confidence"
)
_UPSERT_SETTINGS = (
    f"INSERT INTO guild_settings (guild_id, {_SETTINGS_COLUMNS}, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (guild_id) DO UPDATE SET "
    "min_confidence = excluded.min_confidence, "
    "ask_visibility = excluded.ask_visibility, "
    "exercise_visibility = excluded.exercise_visibility, "
    "cooldown_seconds = excluded.cooldown_seconds, "
    "auto_answer_channels = excluded.auto_answer_channels, "
    "auto_answer_min_confidence = excluded.auto_answer_min_confidence, "
    "updated_at = excluded.updated_at"
)


class _Opening:
    """What ``Store.open`` returns: ``await`` it, or use it in ``async with``."""

    __slots__ = ("_factory", "_store")

    def __init__(self, factory: Callable[[], Awaitable[Store]]) -> None:
        self._factory = factory
        self._store: Store | None = None

    def __await__(self) -> Generator[Any, None, Store]:
        return self._factory().__await__()

    async def __aenter__(self) -> Store:
        self._store = await self._factory()
        return self._store

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._store is not None:
            await self._store.close()


class Store:
    """Spotter's storage. Make one with ``await Store.open(path)``; close it when done."""

    def __init__(
        self,
        database: Database,
        *,
        salt: bytes,
        question_log: QuestionLog,
    ) -> None:
        """Private: use ``Store.open``."""
        self._database = database
        self._salt = salt
        self._settings: dict[int, GuildSettings] = {}  # every guild's, read at open
        self._log = question_log
        self._stopping = asyncio.Event()
        self._closed = False
        self._tasks: list[asyncio.Task[None]] = []
        self._reload_lock = asyncio.Lock()  # settings reloads land in the order they were heard
        self._reloads: set[asyncio.Task[None]] = set()

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        database: str | PathLike[str],
        *,
        retention_days: int | None = None,
        flush_interval: float = 1.0,
        batch_size: int = 200,
        max_buffer: int = DEFAULT_MAX_BUFFER,
        busy_timeout: float = 5.0,
        pragmas: Mapping[str, int | str] | None = None,
        create: bool = True,
        health_check: bool = True,
    ) -> _Opening:
        """Open (creating if needed) the database and migrate it to the latest schema.
        ``await Store.open(...)`` or ``async with Store.open(...) as store``.

        database: a SQLite file, as a path or ``sqlite:///relative/path`` (four slashes for
            an absolute one), or a PostgreSQL database, ``postgresql://user:password@host:port/
            name`` (needs the ``postgres`` extra: asyncpg). Both behave the same; on
            PostgreSQL, guild settings another process changes reach this one (LISTEN/NOTIFY).

        retention_days: delete questions older than this (at start, then every 6 h);
            None keeps them forever.
        flush_interval / batch_size: the question log is written every flush_interval
            seconds, or as soon as batch_size records wait.
        max_buffer: unwritten records kept in memory while the disk is unavailable (ten
            times as many in a burst while writes succeed); past that the oldest are dropped.
        busy_timeout: seconds to wait for another process's lock (PostgreSQL: lock_timeout).
        pragmas: extra ``PRAGMA name = value`` settings for a SQLite connection (advanced:
            e.g. cache_size; tests use max_page_count to simulate a full disk).
        create: False refuses (StorageError) a missing or empty file, or a PostgreSQL
            database without Spotter's tables, instead of creating them: for readers such
            as the CLI reports.
        health_check: run the checks (SQLite: PRAGMA quick_check) and a test write before
            anything else, so a damaged or read-only database is refused at open, not found
            out at the first question. Readers that only report may skip it (False).

        Raises StorageError if the database cannot be used (not a database, damaged, a newer
        schema, read-only, unreachable, ...), its message one line naming the file or server
        and the reason, and ValueError for bad arguments.
        """
        if retention_days is not None:
            whole_number("retention_days", retention_days)
        if not flush_interval > 0:
            raise ValueError(f"flush_interval must be > 0 seconds, not {flush_interval!r}")
        whole_number("batch_size", batch_size)
        whole_number("max_buffer", max_buffer)
        if not busy_timeout >= 0:
            raise ValueError(f"busy_timeout must be >= 0 seconds, not {busy_timeout!r}")
        extra = dict(pragmas or {})
        for name, value in extra.items():
            if not _PRAGMA_NAME.fullmatch(name) or not _PRAGMA_VALUE.fullmatch(str(value)):
                raise ValueError(f"bad pragma {name!r} = {value!r}")
        if not is_postgres_url(database):
            sqlite_path(database)  # a bad URL is a ValueError now, not at the await
        return _Opening(
            functools.partial(
                cls._open,
                database,
                retention_days=retention_days,
                flush_interval=float(flush_interval),
                batch_size=batch_size,
                max_buffer=max_buffer,
                busy_timeout=float(busy_timeout),
                pragmas=extra,
                create=bool(create),
                health_check=bool(health_check),
            )
        )

    @classmethod
    def unavailable(
        cls, database: str | PathLike[str], reason: str, *, max_buffer: int = DEFAULT_MAX_BUFFER
    ) -> Store:
        """A store for a database that could not be opened: nothing is read or written,
        questions are counted as dropped, reads and votes raise StorageError(reason), guild
        settings are the defaults. For running on when the file is broken (health says so)."""
        unusable = Database.unavailable(database, reason)
        question_log = QuestionLog(
            unusable, flush_interval=1.0, batch_size=1, max_buffer=max_buffer
        )
        return cls(unusable, salt=secrets.token_bytes(32), question_log=question_log)

    @classmethod
    async def _open(
        cls,
        target: str | PathLike[str],
        *,
        retention_days: int | None,
        flush_interval: float,
        batch_size: int,
        max_buffer: int,
        busy_timeout: float,
        pragmas: dict[str, int | str],
        create: bool,
        health_check: bool,
    ) -> Store:
        database = await open_database(
            target,
            busy_timeout=busy_timeout,
            pragmas=pragmas,
            create=create,
            health_check=health_check,
        )
        try:
            salt = await _load_salt(database)
        except BaseException:
            with contextlib.suppress(Exception):
                await database.close()
            raise
        question_log = QuestionLog(
            database, flush_interval=flush_interval, batch_size=batch_size, max_buffer=max_buffer
        )
        store = cls(database, salt=salt, question_log=question_log)
        try:
            # Listening first (PostgreSQL: settings changed by other processes), then one read
            # of every guild's settings: nothing changed in between is missed.
            await database.listen(SETTINGS_CHANNEL, store._settings_changed, store._reload_settings)
            await store._reload_settings()
        except BaseException:
            with contextlib.suppress(Exception):
                await database.close()
            raise
        store._tasks.append(asyncio.create_task(question_log.run(), name="spotter-storage-flush"))
        if retention_days is not None:
            store._tasks.append(
                asyncio.create_task(store._purge_loop(retention_days), name="spotter-storage-purge")
            )
        return store

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop the background tasks, write what is still buffered, close the file."""
        if self._closed:
            return
        self._closed = True
        self._stopping.set()
        self._log.stop()
        await asyncio.gather(*self._tasks, *self._reloads, return_exceptions=True)
        try:
            await self._log.finish()
        finally:
            await self._database.close()

    @property
    def location(self) -> str:
        """The database file's path, or the server's URL without its password."""
        return self._database.location

    @property
    def backend(self) -> str:
        """ "SQLite" or "PostgreSQL"."""
        return self._database.backend

    @property
    def shared(self) -> bool:
        """Do other processes use this database at once, and hear this one's news (library
        reloads, settings changes)? True on PostgreSQL."""
        return self._database.shared

    @property
    def pending(self) -> int:
        """Question records logged but not yet written."""
        return self._log.pending

    @property
    def written(self) -> int:
        """Question records written since the store was opened."""
        return self._log.written

    @property
    def dropped(self) -> int:
        """Question records dropped because the buffer overflowed while writes failed, or
        because the store is unavailable."""
        return self._log.dropped

    @property
    def health(self) -> StoreHealth:
        """Whether the database is in use and writable, and what waits to be written."""
        unusable, failure = self._database.unusable, self._log.failure
        if unusable is not None:
            state, reason = StoreState.UNAVAILABLE, unusable
        elif failure is not None:
            state, reason = StoreState.FAILING, failure
        else:
            state, reason = StoreState.OK, None
        return StoreHealth(
            state=state,
            backend=self.backend,
            location=self.location,
            reason=reason,
            since=self._log.failing_since if state is StoreState.FAILING else None,
            pending=self._log.pending,
            capacity=self._log.capacity,
            written=self._log.written,
            dropped=self._log.dropped,
        )

    # ------------------------------------------------------------ question log

    def log_question(self, record: QuestionRecord) -> None:
        """Queue a question for writing. Never blocks, never raises for storage faults."""
        if not isinstance(record, QuestionRecord):
            raise TypeError(f"log_question takes a QuestionRecord, not {type(record).__name__}")
        self._log.add(record)

    async def flush(self) -> int:
        """Write everything logged so far, in batches of batch_size, one transaction
        each; return how many rows reached the file while this call ran (a background
        flush it had to wait for included).

        A storage fault does not raise: the records stay buffered (see ``pending``) and
        one warning is logged until a later write succeeds.
        """
        return await self._log.flush()

    async def question(self, question_id: str) -> QuestionRecord | None:
        """One logged question, written or still buffered; None if there is none (never
        logged, dropped, or deleted by retention). Raises StorageError if the file cannot
        be read, ValueError for a malformed id."""
        _check_question_id(question_id)
        return await self._log.find(question_id)

    def record_reply_time(self, question_id: str, reply_ms: float) -> None:
        """How long the asker of a logged question waited for the reply. Kept with the
        question: at once while it is still buffered, else by the next flush. Never blocks,
        never raises for storage faults (a question no longer kept just has none)."""
        _check_question_id(question_id)
        # max: a clock a little behind Discord's
        self._log.record_reply_time(question_id, max(float(reply_ms), 0.0))

    # --------------------------------------------------------------- retention

    async def purge(self, older_than_days: float) -> int:
        """Delete questions (and their votes) older than this many days; return how many
        questions were deleted. Raises StorageError if the database cannot be written."""
        if isinstance(older_than_days, bool) or not isinstance(older_than_days, int | float):
            raise ValueError(f"older_than_days must be a number, not {older_than_days!r}")
        if not older_than_days >= 0:
            raise ValueError(f"older_than_days must be >= 0, not {older_than_days!r}")
        cutoff = time.time() - older_than_days * 86400.0
        oldest = "SELECT id FROM questions WHERE created_at < ? ORDER BY created_at, id LIMIT ?"
        failure = "could not purge old questions from"
        deleted = 0
        while True:
            async with self._database.transaction(failure) as tx:
                await tx.run(
                    f"DELETE FROM votes WHERE question_id IN ({oldest})", (cutoff, PURGE_CHUNK)
                )
                count = await tx.run(
                    f"DELETE FROM questions WHERE id IN ({oldest})", (cutoff, PURGE_CHUNK)
                )
            deleted += count
            if count < PURGE_CHUNK or self._stopping.is_set():
                break
        # Votes whose question never reached the file (or is long gone).
        async with self._database.transaction(failure) as tx:
            await tx.run("DELETE FROM votes WHERE created_at < ?", (cutoff,))
        return deleted

    async def _purge_loop(self, retention_days: int) -> None:
        while not self._stopping.is_set():
            try:
                deleted = await self.purge(retention_days)
                if deleted:
                    log.info("deleted %d question(s) older than %d days", deleted, retention_days)
            except StorageError as exc:
                log.warning("%s", exc)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(PURGE_INTERVAL):
                    await self._stopping.wait()

    # ------------------------------------------------------------------- votes

    async def record_vote(self, question_id: str, user_id: int, helpful: bool) -> Vote:
        """Record (or change) one user's helpful / not-helpful vote on an answer.

        Only a keyed hash of user_id is stored. The question need not be written yet:
        votes are joined to questions when read. Raises StorageError if the database
        cannot be written, ValueError for a malformed question id or user id.
        """
        _check_question_id(question_id)
        whole_number("user id", user_id)
        helpful = bool(helpful)
        voter = self._voter(user_id)
        now = time.time()
        async with self._database.transaction("could not record the vote in") as tx:
            # Insert, else change: two clicks at once (two processes) cannot both be new.
            if await tx.run(
                "INSERT INTO votes (question_id, voter, helpful, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (question_id, voter) DO NOTHING",
                (question_id, voter, int(helpful), now, now),
            ):
                status = VoteStatus.NEW
            elif await tx.run(
                "UPDATE votes SET helpful = ?, updated_at = ? "
                "WHERE question_id = ? AND voter = ? AND helpful <> ?",
                (int(helpful), now, question_id, voter, int(helpful)),
            ):
                status = VoteStatus.CHANGED
            else:
                status = VoteStatus.UNCHANGED
        return Vote(question_id=question_id, helpful=helpful, status=status)

    def _voter(self, user_id: int) -> bytes:
        return hashlib.blake2b(
            str(user_id).encode(), key=self._salt, digest_size=16, person=b"spotter.voter"
        ).digest()

    # ---------------------------------------------------------- guild settings

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        """A guild's settings. All settings are loaded at open, so this never touches
        the disk and never fails."""
        return self._settings.get(guild_id, _DEFAULT_SETTINGS)

    async def update_guild_settings(self, guild_id: int, **changes: Any) -> GuildSettings:
        """Change some of a guild's settings (None resets one to the global default).

        Raises ValueError naming the bad setting or value, StorageError if the database
        cannot be written.
        """
        whole_number("guild id", guild_id)
        check_setting_names(changes)
        replace(self._settings.get(guild_id, _DEFAULT_SETTINGS), **changes)  # validate first
        async with self._database.transaction("could not save guild settings in") as tx:
            # The stored row, not this process's copy: another may have just changed it.
            await tx.lock(_GUILD_LOCK_SALT ^ guild_id)
            stored = await _read_settings(tx, guild_id)
            settings = replace(stored.get(guild_id, _DEFAULT_SETTINGS), **changes)
            await tx.run(_UPSERT_SETTINGS, (guild_id, *_settings_row(settings), time.time()))
            await tx.notify(SETTINGS_CHANNEL, str(guild_id))
        self._settings[guild_id] = settings
        return settings

    async def reset_guild_settings(self, guild_id: int) -> GuildSettings:
        """Forget a guild's overrides; return the (default) settings now in force."""
        whole_number("guild id", guild_id)
        async with self._database.transaction("could not reset guild settings in") as tx:
            await tx.run("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,))
            await tx.notify(SETTINGS_CHANNEL, str(guild_id))
        self._settings.pop(guild_id, None)
        return _DEFAULT_SETTINGS

    def _settings_changed(self, payload: str) -> None:
        """Another process (or this one) changed a guild's settings: read them again."""
        try:
            guild_id = int(payload)
        except ValueError:
            log.warning("ignoring a settings notification %r", payload[:40])
            return
        task = asyncio.create_task(self._reload_settings(guild_id))
        self._reloads.add(task)
        task.add_done_callback(self._reloads.discard)

    async def _reload_settings(self, guild_id: int | None = None) -> None:
        """Read one guild's settings (or every guild's) again from the database."""
        async with self._reload_lock:
            try:
                async with self._database.transaction(write=False) as tx:
                    stored = await _read_settings(tx, guild_id)
            except StorageError as exc:
                if guild_id is None:
                    raise
                log.warning("could not read guild %s's changed settings: %s", guild_id, exc)
                return
            if guild_id is None:
                self._settings = stored
            elif guild_id in stored:
                self._settings[guild_id] = stored[guild_id]
            else:
                self._settings.pop(guild_id, None)

    # ---------------------------------------------------------------- insights

    async def gaps(
        self,
        days: int = 7,
        guild_id: int | None = None,
        limit: int = 10,
        *,
        now: datetime | None = None,
    ) -> list[Gap]:
        """Groups of similar questions the bot abstained on, or whose answer got more
        not-helpful than helpful votes, in the last ``days`` UTC days (today included).
        Raises StorageError if the database cannot be read."""
        whole_number("limit", limit)
        window = Window.last_days(days, now)
        await self._log.catch_up()
        return await read_gaps(self._database, window, guild_id, limit)

    async def stats(
        self, days: int = 7, guild_id: int | None = None, *, now: datetime | None = None
    ) -> Stats:
        """Usage numbers for the last ``days`` UTC days (today included).
        Raises StorageError if the database cannot be read."""
        window = Window.last_days(days, now)
        await self._log.catch_up()
        return await read_stats(self._database, window, guild_id)

    # ---------------------------------------------------------- library audit

    async def record_library_change(self, change: LibraryChange) -> None:
        """Remember who changed the library from Discord, and how.
        Raises StorageError if the database cannot be written."""
        row = (
            change.guild_id,
            change.user_id,
            change.user_name,
            change.action,
            json.dumps(list(change.pages)),
            change.summary,
            change.created_at.timestamp(),
        )
        async with self._database.transaction("could not record a library change in") as tx:
            await tx.run(
                "INSERT INTO library_changes "
                "(guild_id, user_id, user_name, action, pages, summary, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )

    async def library_changes(self, limit: int = 5) -> list[LibraryChange]:
        """The latest library changes, newest first. The library is the bot's, not a
        server's: changes from every server are listed. Raises StorageError."""
        whole_number("limit", limit)
        failure = "could not read library changes from"
        async with self._database.transaction(failure, write=False) as tx:
            rows = await tx.rows(
                "SELECT guild_id, user_id, user_name, action, pages, summary, created_at "
                "FROM library_changes ORDER BY created_at DESC, id DESC LIMIT ?",
                (limit,),
            )
        changes = []
        for guild_id, user_id, user_name, action, pages, summary, created_at in rows:
            try:
                changes.append(
                    LibraryChange(
                        guild_id=guild_id,
                        user_id=user_id,
                        user_name=user_name,
                        action=action,
                        pages=tuple(json.loads(pages)),
                        summary=summary,
                        created_at=datetime.fromtimestamp(created_at, UTC),
                    )
                )
            except (ValueError, TypeError) as exc:
                log.warning("ignoring a bad library change row: %s", exc)
        return changes

    # ---------------------------------------------------------------- processes

    async def record_process(self, process: ProcessRecord) -> None:
        """Write (or rewrite) this process's row in the table of the bot's processes, and
        delete rows of processes unseen for a day (they died without a word).
        Raises StorageError if the database cannot be written."""
        row = (
            process.name,
            process.shards,
            process.library_version,
            process.library_loaded_at.timestamp(),
            process.started_at.timestamp(),
            process.last_seen.timestamp(),
        )
        async with self._database.transaction("could not record this process in") as tx:
            await tx.run(
                "INSERT INTO processes (name, shards, library_version, library_loaded_at, "
                "started_at, last_seen) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET shards = excluded.shards, "
                "library_version = excluded.library_version, "
                "library_loaded_at = excluded.library_loaded_at, "
                "started_at = excluded.started_at, last_seen = excluded.last_seen",
                row,
            )
            await tx.run(
                "DELETE FROM processes WHERE last_seen < ?",
                (process.last_seen.timestamp() - PROCESS_KEPT_SECONDS,),
            )

    async def processes(self, seen_within: float) -> list[ProcessRecord]:
        """The processes that wrote their row within the last ``seen_within`` seconds, by
        name. Raises StorageError if the database cannot be read."""
        cutoff = time.time() - seen_within
        async with self._database.transaction("could not read processes from", write=False) as tx:
            rows = await tx.rows(
                "SELECT name, shards, library_version, library_loaded_at, started_at, "
                "last_seen FROM processes WHERE last_seen >= ? ORDER BY name",
                (cutoff,),
            )
        return [
            ProcessRecord(
                name=name,
                shards=shards,
                library_version=version,
                library_loaded_at=datetime.fromtimestamp(loaded_at, UTC),
                started_at=datetime.fromtimestamp(started_at, UTC),
                last_seen=datetime.fromtimestamp(last_seen, UTC),
            )
            for name, shards, version, loaded_at, started_at, last_seen in rows
        ]

    async def forget_process(self, name: str) -> None:
        """Delete a process's row (it is stopping). Raises StorageError."""
        async with self._database.transaction("could not remove this process from") as tx:
            await tx.run("DELETE FROM processes WHERE name = ?", (name,))

    async def announce_library_reload(self, notice: ReloadNotice) -> None:
        """Tell the other processes (PostgreSQL: NOTIFY) that a moderator reloaded the
        library here, so they reload theirs. Nobody hears it on SQLite. Raises StorageError."""
        payload = json.dumps({"process": notice.process, "by": notice.by})
        async with self._database.transaction("could not announce the reload in") as tx:
            await tx.notify(LIBRARY_CHANNEL, payload)

    async def listen_for_library_reloads(
        self,
        on_reload: Callable[[ReloadNotice], None],
        on_missed: Callable[[], Awaitable[None]],
    ) -> None:
        """Call ``on_reload`` for each reload any process announces (this one's too), and
        ``on_missed`` after the listening connection was lost and is back (a reload may have
        gone unheard meanwhile). Nothing is heard on SQLite."""

        def heard(payload: str) -> None:
            try:
                data = json.loads(payload)
                notice = ReloadNotice(process=str(data["process"]), by=str(data["by"]))
            except (ValueError, TypeError, KeyError):
                log.warning("ignoring a library reload notification %r", payload[:80])
                return
            on_reload(notice)

        await self._database.listen(LIBRARY_CHANNEL, heard, on_missed)


# -------------------------------------------------------------------- helpers


def _check_question_id(question_id: str) -> None:
    if not is_question_id(question_id):
        raise ValueError(f"question id must be 32 lowercase hex digits, not {question_id!r}")


async def _load_salt(database: Database) -> bytes:
    select = "SELECT value FROM meta WHERE key = 'voter_salt'"
    async with database.transaction(write=False) as tx:
        value = await tx.scalar(select)
    if value is None:
        async with database.transaction() as tx:
            await tx.run(
                "INSERT INTO meta (key, value) VALUES ('voter_salt', ?) "
                "ON CONFLICT (key) DO NOTHING",
                (secrets.token_hex(32),),
            )
            value = await tx.scalar(select)
    return bytes.fromhex(value)


async def _read_settings(tx: Transaction, guild_id: int | None = None) -> dict[int, GuildSettings]:
    """Every guild's stored settings, or one guild's (an empty dict: the defaults)."""
    select = f"SELECT guild_id, {_SETTINGS_COLUMNS} FROM guild_settings"
    if guild_id is None:
        rows = await tx.rows(select)
    else:
        rows = await tx.rows(f"{select} WHERE guild_id = ?", (guild_id,))
    settings: dict[int, GuildSettings] = {}
    for guild_id, *values in rows:
        (min_conf, ask_vis, exercise_vis, cooldown, channels, auto_conf) = values
        try:
            settings[guild_id] = GuildSettings(
                min_confidence=min_conf,
                ask_visibility=ask_vis,
                exercise_visibility=exercise_vis,
                cooldown_seconds=cooldown,
                auto_answer_channels=tuple(json.loads(channels)),
                auto_answer_min_confidence=auto_conf,
            )
        except (ValueError, TypeError) as exc:
            log.warning("ignoring bad stored settings for guild %s: %s", guild_id, exc)
    return settings


def _settings_row(settings: GuildSettings) -> tuple[Any, ...]:
    return (
        settings.min_confidence,
        settings.ask_visibility,
        settings.exercise_visibility,
        settings.cooldown_seconds,
        json.dumps(list(settings.auto_answer_channels)),
        settings.auto_answer_min_confidence,
    )
