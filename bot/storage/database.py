"""The database: which one (a SQLite file or a PostgreSQL server), connecting, the checks at
open, migrations, one transaction at a time.

``Database`` is the face the other modules use; ``SQLiteDatabase`` here and
``postgres.PostgresDatabase`` are the two backends, the only code holding a connection or
catching a driver's errors (they become one-line ``StorageError``s). This module speaks
SQLite's own dialect (PRAGMAs, ``BEGIN IMMEDIATE``, ``user_version``); the statements other
modules run are plain SQL with ``?`` parameters, translated by the backend's ``Dialect``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from os import PathLike
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiosqlite

from bot.storage.dialect import SQLITE, Dialect
from bot.storage.records import StorageError
from bot.storage.schema import load_migrations

log = logging.getLogger("spotter.storage")


SQLITE_URL = "sqlite:///"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
SETTINGS_CHANNEL = "spotter_settings"  # PostgreSQL: NOTIFY'd when a guild's settings change


def is_postgres_url(target: str | PathLike[str]) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def sqlite_path(target: str | PathLike[str]) -> Path:
    """The file a SQLite target names: a path, or ``sqlite:///relative/path`` or
    ``sqlite:////absolute/path``. Raises ValueError for another kind of URL."""
    if isinstance(target, str) and "://" in target:
        if not target.startswith(SQLITE_URL) or target == SQLITE_URL:
            raise ValueError(
                f"database {target!r}: expected sqlite:///path/to/file.sqlite3 or "
                "postgresql://user:password@host:port/database"
            )
        return Path(target.removeprefix(SQLITE_URL)).expanduser()
    return Path(target)


class Transaction:
    """The statements of one transaction (see ``Database.transaction``)."""

    async def run(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement; return how many rows it changed."""
        raise NotImplementedError

    async def run_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        """Run one statement per row of parameters; return how many rows they changed."""
        raise NotImplementedError

    async def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """The first column of the first row, or None if there is no row."""
        raise NotImplementedError

    async def rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    async def lock(self, key: int) -> None:
        """Until the end of the transaction, other processes' transactions that lock the same
        key wait. (SQLite's write transaction already holds the whole file.)"""

    async def notify(self, channel: str, payload: str) -> None:
        """Tell the other processes listening on ``channel``, once this transaction commits.
        (SQLite: nobody listens.)"""


class Database:
    """The face of both backends. This base is a database that could not be opened: every
    transaction raises StorageError(reason)."""

    dialect: Dialect = SQLITE

    def __init__(self, location: str, *, backend: str, unusable: str | None = None) -> None:
        self.location = location  # a file path or a URL without its password: for messages
        self.backend = backend
        self.unusable = unusable  # why the database could not be used at all, if it could not

    @classmethod
    def unavailable(cls, target: str | PathLike[str], reason: str) -> Database:
        if is_postgres_url(target):
            return cls(_without_password(str(target)), backend="PostgreSQL", unusable=reason)
        return cls(str(sqlite_path(target)), backend="SQLite", unusable=reason)

    @property
    def is_open(self) -> bool:
        return False

    @asynccontextmanager
    async def transaction(
        self, failure: str | None = None, *, write: bool = True
    ) -> AsyncIterator[Transaction]:
        """Hold a connection for one transaction; roll back if anything goes wrong.

        A database error becomes StorageError("<failure> <location>: <error>"), or without a
        failure, the one-line description of what is wrong with the database.
        """
        raise StorageError(self.unusable or f"the store for {self.location} is closed")
        yield Transaction()  # pragma: no cover - makes this a generator

    async def listen(
        self,
        channel: str,
        on_notify: Callable[[str], None],
        on_reconnect: Callable[[], Awaitable[None]],
    ) -> None:
        """Call ``on_notify(payload)`` for each notification on ``channel`` from any process,
        and ``on_reconnect()`` after a lost listening connection is back (what was said
        meanwhile was missed). Nothing happens on SQLite: it has no other processes' news."""

    async def close(self) -> None:
        """Close the connection(s) once the transactions under way are done."""


async def open_database(
    target: str | PathLike[str],
    *,
    busy_timeout: float,
    pragmas: dict[str, int | str],
    create: bool,
    health_check: bool,
) -> Database:
    """Connect to a SQLite file (a path or ``sqlite:///`` URL) or a PostgreSQL server (a
    ``postgresql://`` URL), check it and migrate it. Raises StorageError."""
    if is_postgres_url(target):
        if pragmas:
            raise ValueError("pragmas are SQLite settings; a PostgreSQL database takes none")
        try:
            from bot.storage.postgres import PostgresDatabase
        except ImportError as exc:
            raise StorageError(
                f"cannot use PostgreSQL at {_without_password(str(target))}: the asyncpg driver "
                f'is not installed ({exc}); install Spotter with pip install ".[postgres]"'
            ) from exc
        return await PostgresDatabase.open(
            str(target), busy_timeout=busy_timeout, create=create, health_check=health_check
        )
    return await SQLiteDatabase.open(
        sqlite_path(target),
        busy_timeout=busy_timeout,
        pragmas=pragmas,
        create=create,
        health_check=health_check,
    )


def _without_password(url: str) -> str:
    """A PostgreSQL URL fit for logs and /kb status: no password, no query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class SQLiteTransaction(Transaction):
    __slots__ = ("_connection",)

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def run(self, sql: str, params: Iterable[Any] = ()) -> int:
        return await _run(self._connection, sql, params)

    async def run_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        async with self._connection.executemany(sql, [tuple(row) for row in rows]) as cursor:
            return max(cursor.rowcount, 0)

    async def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return await _scalar(self._connection, sql, params)

    async def rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        return await _rows(self._connection, sql, params)


class SQLiteDatabase(Database):
    """One connection to the file, one asyncio lock: one transaction uses it at a time."""

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        """Private: use ``SQLiteDatabase.open``."""
        super().__init__(str(path), backend="SQLite")
        self._connection: aiosqlite.Connection | None = connection
        self._lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        busy_timeout: float,
        pragmas: dict[str, int | str],
        create: bool,
        health_check: bool,
    ) -> SQLiteDatabase:
        """Connect, check the file (see ``Store.open``) and migrate it. Raises StorageError."""
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
            connection = await aiosqlite.connect(path, isolation_level=None, timeout=busy_timeout)
        except sqlite3.Error as exc:
            raise StorageError(describe(path, exc)) from exc
        try:
            await _prepare(connection, path, busy_timeout, pragmas, health_check=health_check)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                await connection.close()
            if isinstance(exc, sqlite3.Error):
                raise StorageError(describe(path, exc)) from exc
            raise
        return cls(connection, path)

    @property
    def is_open(self) -> bool:
        return self._connection is not None

    @asynccontextmanager
    async def transaction(
        self, failure: str | None = None, *, write: bool = True
    ) -> AsyncIterator[Transaction]:
        async with self._lock:
            connection = self._connection
            if connection is None:
                raise StorageError(f"the store for {self.path} is closed")
            try:
                await _run(connection, "BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield SQLiteTransaction(connection)
                    await _run(connection, "COMMIT")
                except BaseException:
                    await _rollback(connection)
                    raise
            except sqlite3.Error as exc:
                if failure is None:
                    raise StorageError(describe(self.path, exc)) from exc
                raise StorageError(f"{failure} {self.path}: {exc}") from exc

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            async with self._lock:
                await connection.close()


def describe(path: Path, exc: sqlite3.Error) -> str:
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


# ------------------------------------------------------------------ opening


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
    await _migrate(db, path, version, latest)


async def _migrate(db: aiosqlite.Connection, path: Path, version: int, latest: int) -> None:
    """Apply the migrations past ``version``, each in its own transaction."""
    for migration in load_migrations():
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


# ------------------------------------------------------------------ statements


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
    return [tuple(row) for row in rows]


async def _rollback(db: aiosqlite.Connection) -> None:
    with contextlib.suppress(sqlite3.Error, ValueError):
        await _run(db, "ROLLBACK")
