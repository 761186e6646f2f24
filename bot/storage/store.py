"""The Store: Spotter's one SQLite file (question log, feedback votes, guild settings).

All SQL lives here. aiosqlite runs every statement on its own thread; this module only
moves small batches of tuples across, so the event loop is never held up by storage.
One connection, one asyncio lock: at most one operation uses it at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import math
import os
import re
import secrets
import sqlite3
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import chain
from os import PathLike
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

from bot.storage.clustering import GapRow, cluster_gaps
from bot.storage.records import (
    Gap,
    GuildSettings,
    LibraryChange,
    QuestionRecord,
    Stats,
    StorageError,
    StoreHealth,
    StoreState,
    Vote,
    VoteStatus,
    check_setting_names,
    is_question_id,
    whole_number,
)
from bot.storage.schema import load_migrations

log = logging.getLogger("spotter.storage")

DEFAULT_MAX_BUFFER = 10_000
PURGE_INTERVAL = 6 * 3600.0  # seconds between retention purges
MAX_BACKOFF = 60.0  # longest wait between retries of a failing question-log write
PURGE_CHUNK = 5_000  # questions deleted per transaction, so a big purge never stalls flushes
MAX_WINDOW_DAYS = 3_660
MAX_GAP_ROWS = 20_000  # newest gap questions considered by gaps()
TOP_N = 5

_DEFAULT_SETTINGS = GuildSettings()
_PRAGMA_NAME = re.compile(r"[a-z_]+")
_PRAGMA_VALUE = re.compile(r"-?[A-Za-z0-9_]+")

_QUESTION_COLUMNS = (
    "id, guild_id, channel_id, question, source, slug, section, heading, "
    "score, answered, latency_ms, created_at, reply_ms"
)
_INSERT_QUESTION = (
    f"INSERT OR IGNORE INTO questions ({_QUESTION_COLUMNS}) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SET_REPLY_TIME = "UPDATE questions SET reply_ms = ? WHERE id = ?"
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
        db: aiosqlite.Connection | None,
        path: Path,
        *,
        salt: bytes,
        settings: dict[int, GuildSettings],
        flush_interval: float,
        batch_size: int,
        max_buffer: int,
    ) -> None:
        """Private: use ``Store.open``."""
        self._db: aiosqlite.Connection | None = db
        self._path = path
        self._salt = salt
        self._settings = settings
        self._flush_interval = flush_interval
        self._batch_size = batch_size
        self._max_buffer = max_buffer

        self._lock = asyncio.Lock()  # one operation on the connection at a time
        self._flush_lock = asyncio.Lock()  # one flush at a time, so batches stay in order
        self._buffer: deque[QuestionRecord] = deque()
        # Reply times of questions already written, for the next flush to add.
        self._reply_times: dict[str, float] = {}
        self._wakeup = asyncio.Event()  # a full batch is waiting
        self._stopping = asyncio.Event()
        self._closed = False
        self._failures = 0  # consecutive failed question-log writes
        self._retry_at = 0.0  # loop time of the next background retry while failing
        self._writing: list[QuestionRecord] = []  # the batch on its way to the file
        self._written = 0
        self._dropped = 0
        self._drop_warned = False
        self._late_warned = False
        self._tasks: list[asyncio.Task[None]] = []
        self._unusable: str | None = None  # why the file could not be used (Store.unavailable)
        self._failure: str | None = None  # why question-log writes fail right now
        self._failing_since: datetime | None = None

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        path: str | PathLike[str],
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
        """Open (creating if needed) the database at ``path`` and migrate it to the latest
        schema. ``await Store.open(...)`` or ``async with Store.open(...) as store``.

        retention_days: delete questions older than this (at start, then every 6 h);
            None keeps them forever.
        flush_interval / batch_size: the question log is written every flush_interval
            seconds, or as soon as batch_size records wait.
        max_buffer: unwritten records kept in memory while the disk is unavailable;
            past that the oldest are dropped.
        busy_timeout: seconds to wait for another process's lock on the file.
        pragmas: extra ``PRAGMA name = value`` settings for the connection (advanced:
            e.g. cache_size; tests use max_page_count to simulate a full disk).
        create: False refuses (StorageError) a missing or empty file instead of creating
            a new database: for readers such as the CLI reports.
        health_check: run PRAGMA quick_check and a test write before anything else, so a
            damaged or read-only file is refused at open, not found out at the first
            question. Readers that only report may skip it (False).

        Raises StorageError if the file cannot be used (not a database, damaged, a newer
        schema, read-only, ...), its message one line naming the path and the reason, and
        ValueError for bad arguments.
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
        return _Opening(
            functools.partial(
                cls._open,
                Path(path),
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
        cls, path: str | PathLike[str], reason: str, *, max_buffer: int = DEFAULT_MAX_BUFFER
    ) -> Store:
        """A store for a database that could not be opened: nothing is read or written,
        questions are counted as dropped, reads and votes raise StorageError(reason), guild
        settings are the defaults. For running on when the file is broken (health says so)."""
        store = cls(
            None,
            Path(path),
            salt=secrets.token_bytes(32),
            settings={},
            flush_interval=1.0,
            batch_size=1,
            max_buffer=max_buffer,
        )
        store._unusable = reason
        return store

    @classmethod
    async def _open(
        cls,
        path: Path,
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
        if path.is_dir():
            raise StorageError(f"database path {path} is a directory, not a file")
        # An empty file is what SQLite would turn into a new database: as good as missing.
        if not create and (not path.is_file() or path.stat().st_size == 0):
            raise StorageError(f"no Spotter database at {path}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the folder for database {path}: {exc}") from exc
        try:
            db = await aiosqlite.connect(path, isolation_level=None, timeout=busy_timeout)
        except sqlite3.Error as exc:
            raise StorageError(_describe(path, exc)) from exc
        try:
            await _prepare(db, path, busy_timeout, pragmas, health_check=health_check)
            salt = await _load_salt(db)
            settings = await _load_settings(db)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                await db.close()
            if isinstance(exc, sqlite3.Error):
                raise StorageError(_describe(path, exc)) from exc
            raise
        store = cls(
            db,
            path,
            salt=salt,
            settings=settings,
            flush_interval=flush_interval,
            batch_size=batch_size,
            max_buffer=max_buffer,
        )
        store._tasks.append(asyncio.create_task(store._flush_loop(), name="spotter-storage-flush"))
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
        self._wakeup.set()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        try:
            await self.flush()
            if self._buffer:
                log.warning(
                    "closing %s with %d question record(s) that could not be written; "
                    "they are lost",
                    self._path,
                    len(self._buffer),
                )
        finally:
            db, self._db = self._db, None
            if db is not None:
                async with self._lock:
                    await db.close()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def pending(self) -> int:
        """Question records logged but not yet written."""
        return len(self._buffer) + len(self._writing)

    @property
    def written(self) -> int:
        """Question records written since the store was opened."""
        return self._written

    @property
    def dropped(self) -> int:
        """Question records dropped because the buffer overflowed while writes failed, or
        because the store is unavailable."""
        return self._dropped

    @property
    def health(self) -> StoreHealth:
        """Whether the database is in use and writable, and what waits to be written."""
        if self._unusable is not None:
            state, reason = StoreState.UNAVAILABLE, self._unusable
        elif self._failures:
            state, reason = StoreState.FAILING, self._failure
        else:
            state, reason = StoreState.OK, None
        return StoreHealth(
            state=state,
            path=str(self._path),
            reason=reason,
            since=self._failing_since if state is StoreState.FAILING else None,
            pending=self.pending,
            capacity=self._max_buffer,
            written=self._written,
            dropped=self._dropped,
        )

    # ------------------------------------------------------------ question log

    def log_question(self, record: QuestionRecord) -> None:
        """Queue a question for writing. Never blocks, never raises for storage faults."""
        if not isinstance(record, QuestionRecord):
            raise TypeError(f"log_question takes a QuestionRecord, not {type(record).__name__}")
        if self._closed:
            if not self._late_warned:
                self._late_warned = True
                log.warning("a question was logged after the store was closed; dropping it")
            return
        if self._unusable is not None:
            self._dropped += 1  # said once, loudly, when the store was made unavailable
            return
        self._buffer.append(record)
        self._trim()
        if len(self._buffer) >= self._batch_size and not self._failures:
            self._wakeup.set()

    async def flush(self) -> int:
        """Write everything logged so far, in batches of batch_size, one transaction
        each; return how many rows reached the file while this call ran (a background
        flush it had to wait for included).

        A storage fault does not raise: the records stay buffered (see ``pending``) and
        one warning is logged until a later write succeeds.
        """
        written_before = self._written
        async with self._flush_lock:  # waits for a background flush already under way
            todo = len(self._buffer)
            while todo > 0 and self._buffer and self._db is not None:
                size = min(self._batch_size, todo, len(self._buffer))
                batch = [self._buffer.popleft() for _ in range(size)]
                self._writing = batch
                todo -= size
                rows = [_question_row(record) for record in batch]
                try:
                    async with (
                        self._transaction() as db,
                        db.executemany(_INSERT_QUESTION, rows) as cursor,
                    ):
                        inserted = max(cursor.rowcount, 0)
                except sqlite3.Error as exc:
                    self._requeue(batch)
                    self._write_failed(exc)
                    break
                except BaseException:
                    self._requeue(batch)  # e.g. cancelled; INSERT OR IGNORE makes a rewrite safe
                    raise
                finally:
                    self._writing = []
                self._written += inserted
                self._write_succeeded()
            if not self._failures:
                await self._write_reply_times()
        return self._written - written_before

    async def question(self, question_id: str) -> QuestionRecord | None:
        """One logged question, written or still buffered; None if there is none (never
        logged, dropped, or deleted by retention). Raises StorageError if the file cannot
        be read, ValueError for a malformed id."""
        if not is_question_id(question_id):
            raise ValueError(f"question id must be 32 lowercase hex digits, not {question_id!r}")
        record = self._buffered(question_id)
        if record is not None:
            return record
        # Neither buffered nor in the batch being written: in the file, or nowhere. (A click
        # does not wait for a whole flush, only for the transaction under way.)
        try:
            async with self._transaction(write=False) as db:
                rows = await _rows(
                    db,
                    f"SELECT {_QUESTION_COLUMNS} FROM questions WHERE id = ?",
                    (question_id,),
                )
        except sqlite3.Error as exc:
            raise StorageError(f"could not read a question from {self._path}: {exc}") from exc
        return _question_record(rows[0]) if rows else None

    def record_reply_time(self, question_id: str, reply_ms: float) -> None:
        """How long the asker of a logged question waited for the reply. Kept with the
        question: at once while it is still buffered, else by the next flush. Never blocks,
        never raises for storage faults (a question no longer kept just has none)."""
        if not is_question_id(question_id):
            raise ValueError(f"question id must be 32 lowercase hex digits, not {question_id!r}")
        reply_ms = max(float(reply_ms), 0.0)  # a clock a little behind Discord's
        buffer = self._buffer
        for index in range(len(buffer) - 1, -1, -1):  # usually the last one logged
            if buffer[index].id == question_id:
                buffer[index] = replace(buffer[index], reply_ms=reply_ms)
                return
        if self._closed or self._unusable is not None:
            return  # nothing will write it
        self._reply_times[question_id] = reply_ms
        while len(self._reply_times) > self._max_buffer:
            del self._reply_times[next(iter(self._reply_times))]

    async def _write_reply_times(self) -> None:
        """Reply times of questions written before their reply was sent, in one transaction."""
        if not self._reply_times or self._db is None:
            return
        times, self._reply_times = self._reply_times, {}
        buffered = {record.id for record in self._buffer}  # e.g. put back after a failed write
        rows = []
        for question_id, reply_ms in times.items():
            if question_id in buffered:
                self.record_reply_time(question_id, reply_ms)
            else:
                rows.append((reply_ms, question_id))
        if not rows:
            return
        try:
            async with self._transaction() as db:
                await db.executemany(_SET_REPLY_TIME, rows)
        except (sqlite3.Error, StorageError) as exc:
            log.debug("could not write %d reply time(s): %s", len(rows), exc)

    def _buffered(self, question_id: str) -> QuestionRecord | None:
        """The record if it is buffered or in the batch being written."""
        return next(
            (r for r in chain(reversed(self._buffer), self._writing) if r.id == question_id),
            None,
        )

    def _trim(self) -> None:
        while len(self._buffer) > self._max_buffer:
            self._buffer.popleft()
            self._dropped += 1
            if not self._drop_warned:
                self._drop_warned = True
                log.warning(
                    "question log buffer is full (%d records) because %s cannot be written; "
                    "dropping the oldest unwritten records",
                    self._max_buffer,
                    self._path,
                )

    def _requeue(self, batch: list[QuestionRecord]) -> None:
        self._buffer.extendleft(reversed(batch))
        self._trim()

    def _write_failed(self, exc: BaseException) -> None:
        if not self._failures:
            self._failing_since = datetime.now(UTC)
        self._failure = _describe(self._path, exc) if isinstance(exc, sqlite3.Error) else str(exc)
        self._failures += 1
        ceiling = max(MAX_BACKOFF, self._flush_interval)
        delay = min(self._flush_interval * 2 ** min(self._failures - 1, 20), ceiling)
        self._retry_at = asyncio.get_running_loop().time() + delay
        if self._failures == 1:
            log.warning(
                "cannot write the question log: %s; keeping %d record(s) in memory "
                "(at most %d) and retrying with backoff",
                self._failure,
                len(self._buffer),
                self._max_buffer,
            )
        else:
            log.debug("question log write failed again (%d): %s", self._failures, exc)

    def _write_succeeded(self) -> None:
        if self._failures:
            log.info(
                "question log is writable again (%s) after %d failed attempt(s); "
                "%d record(s) dropped so far",
                self._path,
                self._failures,
                self._dropped,
            )
            self._failures = 0
            self._failure = self._failing_since = None
            self._drop_warned = False

    async def _flush_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._stopping.is_set():
            if self._failures:
                delay = max(self._retry_at - loop.time(), 0.0)
            else:
                delay = self._flush_interval
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wakeup.wait()
            self._wakeup.clear()
            if self._stopping.is_set():
                return
            if self._failures and loop.time() < self._retry_at:
                continue
            if self._buffer or self._reply_times:
                try:
                    await self.flush()
                except Exception:
                    log.exception("unexpected error while writing the question log")
                    self._write_failed(RuntimeError("unexpected error"))

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
        deleted = 0
        try:
            while True:
                async with self._transaction() as db:
                    await _run(
                        db,
                        f"DELETE FROM votes WHERE question_id IN ({oldest})",
                        (cutoff, PURGE_CHUNK),
                    )
                    count = await _run(
                        db, f"DELETE FROM questions WHERE id IN ({oldest})", (cutoff, PURGE_CHUNK)
                    )
                deleted += count
                if count < PURGE_CHUNK or self._stopping.is_set():
                    break
            # Votes whose question never reached the file (or is long gone).
            async with self._transaction() as db:
                await _run(db, "DELETE FROM votes WHERE created_at < ?", (cutoff,))
        except sqlite3.Error as exc:
            raise StorageError(f"could not purge old questions from {self._path}: {exc}") from exc
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
        if not is_question_id(question_id):
            raise ValueError(f"question id must be 32 lowercase hex digits, not {question_id!r}")
        whole_number("user id", user_id)
        helpful = bool(helpful)
        voter = self._voter(user_id)
        now = time.time()
        try:
            async with self._transaction() as db:
                previous = await _scalar(
                    db,
                    "SELECT helpful FROM votes WHERE question_id = ? AND voter = ?",
                    (question_id, voter),
                )
                if previous is None:
                    await _run(
                        db,
                        "INSERT INTO votes (question_id, voter, helpful, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (question_id, voter, int(helpful), now, now),
                    )
                    status = VoteStatus.NEW
                elif bool(previous) == helpful:
                    status = VoteStatus.UNCHANGED
                else:
                    await _run(
                        db,
                        "UPDATE votes SET helpful = ?, updated_at = ? "
                        "WHERE question_id = ? AND voter = ?",
                        (int(helpful), now, question_id, voter),
                    )
                    status = VoteStatus.CHANGED
        except sqlite3.Error as exc:
            raise StorageError(f"could not record the vote in {self._path}: {exc}") from exc
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
        try:
            async with self._transaction() as db:
                settings = replace(self._settings.get(guild_id, _DEFAULT_SETTINGS), **changes)
                await _run(db, _UPSERT_SETTINGS, (guild_id, *_settings_row(settings), time.time()))
        except sqlite3.Error as exc:
            raise StorageError(f"could not save guild settings in {self._path}: {exc}") from exc
        self._settings[guild_id] = settings
        return settings

    async def reset_guild_settings(self, guild_id: int) -> GuildSettings:
        """Forget a guild's overrides; return the (default) settings now in force."""
        whole_number("guild id", guild_id)
        try:
            async with self._transaction() as db:
                await _run(db, "DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,))
        except sqlite3.Error as exc:
            raise StorageError(f"could not reset guild settings in {self._path}: {exc}") from exc
        self._settings.pop(guild_id, None)
        return _DEFAULT_SETTINGS

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
        _first, start, end = _window(days, now)
        where, params = _scope(start, end, guild_id)
        sql = (
            "SELECT q.question, q.created_at, q.answered = 0 "
            "FROM questions q LEFT JOIN votes v ON v.question_id = q.id "
            f"WHERE {where} GROUP BY q.id "
            "HAVING q.answered = 0 "
            "OR coalesce(sum(1 - v.helpful), 0) > coalesce(sum(v.helpful), 0) "
            "ORDER BY q.created_at DESC LIMIT ?"
        )
        await self._flush_before_reading()
        try:
            async with self._transaction(write=False) as db:
                rows = await _rows(db, sql, (*params, MAX_GAP_ROWS))
        except sqlite3.Error as exc:
            raise StorageError(f"could not read questions from {self._path}: {exc}") from exc
        return await asyncio.to_thread(_cluster_rows, rows, limit)

    async def stats(
        self, days: int = 7, guild_id: int | None = None, *, now: datetime | None = None
    ) -> Stats:
        """Usage numbers for the last ``days`` UTC days (today included).
        Raises StorageError if the database cannot be read."""
        first, start, end = _window(days, now)
        where, params = _scope(start, end, guild_id)
        await self._flush_before_reading()
        try:
            async with self._transaction(write=False) as db:
                ((total, answered),) = await _rows(
                    db,
                    f"SELECT count(*), coalesce(sum(q.answered), 0) FROM questions q WHERE {where}",
                    params,
                )
                day_rows = await _rows(
                    db,
                    "SELECT CAST((q.created_at - ?) / 86400 AS INTEGER) AS day, count(*) "
                    f"FROM questions q WHERE {where} GROUP BY day",
                    (start, *params),
                )
                ((helpful, not_helpful),) = await _rows(
                    db,
                    "SELECT coalesce(sum(v.helpful), 0), coalesce(sum(1 - v.helpful), 0) "
                    f"FROM votes v JOIN questions q ON q.id = v.question_id WHERE {where}",
                    params,
                )
                exercises = await _rows(db, _top_sql("slug", where), params)
                sections = await _rows(db, _top_sql("section", where), params)
                sources = await _rows(
                    db,
                    f"SELECT q.source, count(*) AS n FROM questions q WHERE {where} "
                    "GROUP BY q.source ORDER BY n DESC, q.source",
                    params,
                )
                p50, p95, p99 = [
                    await _percentile(db, where, params, total, fraction)
                    for fraction in (0.50, 0.95, 0.99)
                ]
                measured = f"{where} AND q.reply_ms IS NOT NULL"
                replies = await _scalar(
                    db, f"SELECT count(*) FROM questions q WHERE {measured}", params
                )
                reply_p50, reply_p95 = [
                    await _percentile(db, measured, params, replies, fraction, "reply_ms")
                    for fraction in (0.50, 0.95)
                ]
        except sqlite3.Error as exc:
            raise StorageError(f"could not read statistics from {self._path}: {exc}") from exc
        counts = {int(day): n for day, n in day_rows}
        return Stats(
            days=days,
            since=first,
            guild_id=guild_id,
            total=total,
            answered=answered,
            helpful=helpful,
            not_helpful=not_helpful,
            per_day=tuple((first + timedelta(days=i), counts.get(i, 0)) for i in range(days)),
            top_exercises=_pairs(exercises),
            top_sections=_pairs(sections),
            latency_p50_ms=p50,
            latency_p99_ms=p99,
            by_source=_pairs(sources),
            reply_p50_ms=reply_p50,
            reply_p95_ms=reply_p95,
            latency_p95_ms=p95,
        )

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
        try:
            async with self._transaction() as db:
                await _run(
                    db,
                    "INSERT INTO library_changes "
                    "(guild_id, user_id, user_name, action, pages, summary, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
        except sqlite3.Error as exc:
            raise StorageError(f"could not record a library change in {self._path}: {exc}") from exc

    async def library_changes(self, limit: int = 5) -> list[LibraryChange]:
        """The latest library changes, newest first. The library is the bot's, not a
        server's: changes from every server are listed. Raises StorageError."""
        whole_number("limit", limit)
        try:
            async with self._transaction(write=False) as db:
                rows = await _rows(
                    db,
                    "SELECT guild_id, user_id, user_name, action, pages, summary, created_at "
                    "FROM library_changes ORDER BY created_at DESC, id DESC LIMIT ?",
                    (limit,),
                )
        except sqlite3.Error as exc:
            raise StorageError(f"could not read library changes from {self._path}: {exc}") from exc
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

    # ---------------------------------------------------------------- plumbing

    async def _flush_before_reading(self) -> None:
        """Include what was just logged, unless writes are failing (the file can still be
        read then, and a write attempt could wait busy_timeout for nothing)."""
        if not self._failures:
            await self.flush()

    @asynccontextmanager
    async def _transaction(self, *, write: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """Hold the connection for one transaction; roll back if anything goes wrong."""
        async with self._lock:
            db = self._db
            if db is None:
                raise StorageError(self._unusable or f"the store for {self._path} is closed")
            await _run(db, "BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield db
                await _run(db, "COMMIT")
            except BaseException:
                await _rollback(db)
                raise


# -------------------------------------------------------------------- helpers


async def _run(db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()) -> int:
    async with db.execute(sql, tuple(params)) as cursor:
        return cursor.rowcount


async def _scalar(db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()) -> Any:
    async with db.execute(sql, tuple(params)) as cursor:
        row = await cursor.fetchone()
    return None if row is None else row[0]


async def _rows(
    db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()
) -> list[tuple[Any, ...]]:
    rows = await db.execute_fetchall(sql, tuple(params))  # plain tuples: no row_factory
    return rows if isinstance(rows, list) else list(rows)


async def _rollback(db: aiosqlite.Connection) -> None:
    with contextlib.suppress(sqlite3.Error, ValueError):
        await _run(db, "ROLLBACK")


def _describe(path: Path, exc: sqlite3.Error) -> str:
    """One line naming the file and what is wrong with it, SQLite's own words included."""
    code = getattr(exc, "sqlite_errorcode", -1) & 0xFF  # the primary code of an extended one
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return (
            f"{path} is not a SQLite database, or it is damaged ({exc}); restore a backup, "
            "or move it away to start a new one"
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return f"{path} cannot be written: {_unwritable_because(path)} ({exc})"
    if code == sqlite3.SQLITE_FULL:
        return f"the disk holding {path} is full ({exc})"
    return f"cannot use database {path}: {exc}"


def _unwritable_because(path: Path) -> str:
    """The likely reason, from the file system (os.access checks as this process)."""
    folder = path.parent
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return "the file is read-only for this user, check its owner and mode"
    if not os.access(folder, os.W_OK | os.X_OK):
        # WAL journaling creates <name>-wal and <name>-shm next to the file.
        return f"its folder {folder} is not writable for this user, check its owner and mode"
    return "the file system refused the write (mounted read-only?)"


async def _quick_check(db: aiosqlite.Connection, path: Path) -> None:
    rows = [str(row[0]) for row in await _rows(db, "PRAGMA quick_check(3)")]
    if rows != ["ok"]:
        # A row may hold several lines, the first naming the schema ("*** in database main").
        problems = [
            line.strip()
            for row in rows
            for line in row.splitlines()
            if line.strip() and not line.startswith("***")
        ]
        raise StorageError(
            f"{path} is damaged (PRAGMA quick_check: {'; '.join(problems[:3])[:300]}); "
            "restore a backup, or move it away to start a new one"
        )


async def _test_write(db: aiosqlite.Connection) -> None:
    """Rewrite the schema version with itself: a real committed write, on any schema."""
    await _run(db, "BEGIN IMMEDIATE")
    try:
        version = await _scalar(db, "PRAGMA user_version")  # as of now, inside the lock
        await _run(db, f"PRAGMA user_version = {int(version)}")
        await _run(db, "COMMIT")
    except BaseException:
        await _rollback(db)
        raise


async def _prepare(
    db: aiosqlite.Connection,
    path: Path,
    busy_timeout: float,
    pragmas: dict[str, int | str],
    *,
    health_check: bool,
) -> None:
    """Check the file is ours, not too new, intact and writable; configure the connection,
    migrate."""
    await _run(db, f"PRAGMA busy_timeout = {round(busy_timeout * 1000)}")
    migrations = load_migrations()
    latest = migrations[-1].version
    # Checked before anything writes (journal_mode=WAL rewrites the header).
    version = await _scalar(db, "PRAGMA user_version")
    _check_version(path, version, latest)
    if version == 0 and await _scalar(db, "SELECT count(*) FROM sqlite_master"):
        raise StorageError(
            f"{path} is a SQLite database but not a Spotter one (it has tables but no "
            "Spotter schema version); refusing to change it, use another file"
        )
    if health_check:
        # Before WAL and migrations: those write too, and would fail less clearly.
        await _quick_check(db, path)
        await _test_write(db)
    mode = await _scalar(db, "PRAGMA journal_mode = WAL")
    if str(mode).lower() != "wal":
        log.warning("database %s could not use WAL journaling (got %r)", path, mode)
    await _run(db, "PRAGMA synchronous = NORMAL")
    await _run(db, "PRAGMA foreign_keys = ON")
    for name, value in pragmas.items():
        await _run(db, f"PRAGMA {name} = {value}")

    for migration in migrations:
        if migration.version <= version:
            continue
        await _run(db, "BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            version = await _scalar(db, "PRAGMA user_version")
            _check_version(path, version, latest)
            if version < migration.version:
                for statement in migration.statements:
                    await _run(db, statement)
                await _run(db, f"PRAGMA user_version = {migration.version}")
            await _run(db, "COMMIT")
        except sqlite3.Error as exc:
            await _rollback(db)
            raise StorageError(
                f"migration {migration.name} failed on {path} ({exc}); "
                f"the database was left unchanged at schema version {version}"
            ) from exc
        except BaseException:
            await _rollback(db)
            raise
        if version < migration.version:
            log.info("database %s: applied schema migration %s", path, migration.name)
        version = max(version, migration.version)


def _check_version(path: Path, version: int, latest: int) -> None:
    if version > latest:
        raise StorageError(
            f"database {path} is at schema version {version} but this Spotter knows only "
            f"up to {latest}; upgrade Spotter or use another file"
        )


async def _load_salt(db: aiosqlite.Connection) -> bytes:
    select = "SELECT value FROM meta WHERE key = 'voter_salt'"
    value = await _scalar(db, select)
    if value is None:
        await _run(
            db,
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('voter_salt', ?)",
            (secrets.token_hex(32),),
        )
        value = await _scalar(db, select)
    return bytes.fromhex(value)


async def _load_settings(db: aiosqlite.Connection) -> dict[int, GuildSettings]:
    settings: dict[int, GuildSettings] = {}
    for guild_id, *values in await _rows(
        db, f"SELECT guild_id, {_SETTINGS_COLUMNS} FROM guild_settings"
    ):
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


def _question_row(record: QuestionRecord) -> tuple[Any, ...]:
    return (
        record.id,
        record.guild_id,
        record.channel_id,
        record.question,
        record.source,
        record.slug,
        record.section,
        record.heading,
        record.score,
        int(record.answered),
        record.latency_ms,
        record.created_at.timestamp(),
        record.reply_ms,
    )


def _question_record(row: tuple[Any, ...]) -> QuestionRecord:
    """The inverse of _question_row."""
    *leading, answered, latency_ms, created_at, reply_ms = row
    return QuestionRecord(
        *leading,
        answered=bool(answered),
        latency_ms=latency_ms,
        created_at=datetime.fromtimestamp(created_at, UTC),
        reply_ms=reply_ms,
    )


def _window(days: int, now: datetime | None) -> tuple[date, float, float]:
    """The first date and [start, end) epoch seconds of the last ``days`` UTC days."""
    whole_number("days", days, high=MAX_WINDOW_DAYS)
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime")
    first = now.astimezone(UTC).date() - timedelta(days=days - 1)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp()
    return first, start, start + days * 86400.0


def _scope(start: float, end: float, guild_id: int | None) -> tuple[str, tuple[Any, ...]]:
    where = "q.created_at >= ? AND q.created_at < ?"
    if guild_id is None:
        return where, (start, end)
    return f"{where} AND q.guild_id = ?", (start, end, guild_id)


async def _percentile(
    db: aiosqlite.Connection,
    where: str,
    params: tuple[Any, ...],
    total: int,
    fraction: float,
    column: str = "latency_ms",
) -> float | None:
    """Nearest-rank percentile of a time column over the `total` rows `where` selects,
    sorted inside SQLite."""
    if not total:
        return None
    offset = max(math.ceil(fraction * total), 1) - 1
    return await _scalar(
        db,
        f"SELECT q.{column} FROM questions q WHERE {where} ORDER BY q.{column} LIMIT 1 OFFSET ?",
        (*params, offset),
    )


def _top_sql(column: str, where: str) -> str:
    """The most frequent non-null values of ``column`` among answered questions."""
    return (
        f"SELECT q.{column}, count(*) AS n FROM questions q "
        f"WHERE {where} AND q.answered = 1 AND q.{column} IS NOT NULL "
        f"GROUP BY q.{column} ORDER BY n DESC, q.{column} LIMIT {TOP_N}"
    )


def _pairs(rows: list[tuple[Any, ...]]) -> tuple[tuple[str, int], ...]:
    return tuple((str(name), int(count)) for name, count in rows)


def _cluster_rows(rows: list[tuple[Any, ...]], limit: int) -> list[Gap]:
    """Runs in a worker thread: turning rows into gaps may take a while."""
    return cluster_gaps(
        [GapRow(question, created_at, bool(abstained)) for question, created_at, abstained in rows],
        limit=limit,
    )
