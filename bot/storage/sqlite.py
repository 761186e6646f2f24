"""The SQLite backend: one aiosqlite connection to the file, the checks at open
(quick_check, a test write, the schema version), migrations, SQLite's own dialect (PRAGMAs,
``BEGIN IMMEDIATE``, ``user_version``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.database import Database, Transaction
from bot.storage.records import StorageError
from bot.storage.schema import check_version, load_migrations

log = logging.getLogger("spotter.storage")


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
    # Checked before anything writes (journal_mode=WAL rewrites the header).
    version = await _scalar(db, "PRAGMA user_version")
    check_version(path, version, other="file")
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
    await _migrate(db, path, version)


async def _migrate(db: aiosqlite.Connection, path: Path, version: int) -> None:
    """Apply the migrations past ``version``, each in its own transaction."""
    for migration in load_migrations():
        if migration.version <= version:
            continue
        await _run(db, "BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            version = await _scalar(db, "PRAGMA user_version")
            check_version(path, version, other="file")
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
