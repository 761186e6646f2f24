"""The PostgreSQL backend (asyncpg, the ``postgres`` extra): a small pool of connections, the
checks at open, the same migrations as SQLite, transactions, LISTEN for other processes' news.

Like ``sqlite.SQLiteDatabase`` for a file, the only code holding a PostgreSQL connection or
catching asyncpg's errors; each becomes a one-line ``StorageError`` naming the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from bot.storage.database import Database, Transaction, without_password
from bot.storage.dialect import POSTGRESQL
from bot.storage.records import StorageError
from bot.storage.schema import check_version, load_migrations

log = logging.getLogger("spotter.storage")

POOL_SIZE = 4  # connections per process: a vote need not wait for a question-log write
CONNECT_TIMEOUT = 10.0  # seconds to reach the server before saying it cannot be reached
STATEMENT_TIMEOUT = 30.0  # seconds before a statement that hangs (a lost server) gives up
LISTEN_RETRY_MAX = 5.0  # longest wait between attempts to get the listening connection back
MAX_PARAMETERS = 32_767  # PostgreSQL's limit on the parameters of one statement
MIGRATION_LOCK = (0x5370, 1)  # advisory lock key held while a process migrates

_SINGLE_ROW_VALUES = re.compile(r"\bVALUES\s*\(\s*\?(?:\s*,\s*\?)*\s*\)", re.IGNORECASE)
# What a lost server or connection raises, besides the server's own errors.
_CONNECTION_ERRORS = (asyncpg.InterfaceError, OSError, TimeoutError)
_DRIVER_ERRORS = (asyncpg.PostgresError, *_CONNECTION_ERRORS)


class PostgresTransaction(Transaction):
    __slots__ = ("_connection",)

    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def run(self, sql: str, params: Iterable[Any] = ()) -> int:
        status = await self._connection.execute(POSTGRESQL.statement(sql), *params)
        return _changed(status)

    async def run_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        batch = [tuple(row) for row in rows]
        if not batch:
            return 0
        single = _SINGLE_ROW_VALUES.search(sql)
        if single is None:  # e.g. an UPDATE per row: its own count each
            return sum([await self.run(sql, row) for row in batch])
        # An INSERT of one row -> of many rows in one statement, whose status counts the rows
        # it wrote (asyncpg's executemany does not say; ON CONFLICT DO NOTHING may skip some).
        width = len(batch[0])
        per_statement = max(MAX_PARAMETERS // width, 1)
        changed = 0
        for start in range(0, len(batch), per_statement):
            chunk = batch[start : start + per_statement]
            values = ", ".join(["(" + ", ".join("?" * width) + ")"] * len(chunk))
            statement = f"{sql[: single.start()]}VALUES {values}{sql[single.end() :]}"
            changed += await self.run(statement, [value for row in chunk for value in row])
        return changed

    async def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return await self._connection.fetchval(POSTGRESQL.statement(sql), *params)

    async def rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        records = await self._connection.fetch(POSTGRESQL.statement(sql), *params)
        return [tuple(record) for record in records]

    async def lock(self, key: int) -> None:
        await self._connection.execute("SELECT pg_advisory_xact_lock($1)", key)

    async def notify(self, channel: str, payload: str) -> None:
        await self._connection.execute("SELECT pg_notify($1, $2)", channel, payload)


class PostgresDatabase(Database):
    """A pool of connections to one database on a PostgreSQL server."""

    dialect = POSTGRESQL
    shared = True

    def __init__(self, pool: asyncpg.Pool, url: str, lock_timeout: float) -> None:
        """Private: use ``PostgresDatabase.open``."""
        super().__init__(without_password(url), backend="PostgreSQL")
        self._pool: asyncpg.Pool | None = pool
        self._url = url
        self._lock_timeout = lock_timeout
        self._listeners: list[asyncio.Task[None]] = []
        self._closing = asyncio.Event()

    @classmethod
    async def open(
        cls, url: str, *, busy_timeout: float, create: bool, health_check: bool
    ) -> PostgresDatabase:
        """Connect, check the database (see ``Store.open``) and migrate it. Raises
        StorageError."""
        location = without_password(url)
        settings = _session_settings(busy_timeout)
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=POOL_SIZE,
                timeout=CONNECT_TIMEOUT,
                command_timeout=STATEMENT_TIMEOUT,
                server_settings=settings,
            )
        except _DRIVER_ERRORS as exc:
            raise StorageError(describe(location, exc)) from exc
        except ValueError as exc:  # asyncpg's word for a malformed URL
            raise StorageError(f"bad PostgreSQL URL {location}: {exc}") from exc
        database = cls(pool, url, busy_timeout)
        try:
            async with pool.acquire() as connection:
                await _prepare(connection, location, create=create, health_check=health_check)
        except BaseException as exc:
            await database.close()
            if isinstance(exc, _DRIVER_ERRORS):
                raise StorageError(describe(location, exc)) from exc
            raise
        return database

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    @asynccontextmanager
    async def transaction(
        self, failure: str | None = None, *, write: bool = True
    ) -> AsyncIterator[Transaction]:
        pool = self._pool
        if pool is None:
            raise StorageError(f"the store for {self.location} is closed")
        try:
            async with pool.acquire(timeout=CONNECT_TIMEOUT) as connection:
                # A reader sees one moment of the database across its statements.
                isolation = "read_committed" if write else "repeatable_read"
                async with connection.transaction(isolation=isolation, readonly=not write):
                    yield PostgresTransaction(connection)
        except _DRIVER_ERRORS as exc:
            if failure is None:
                raise StorageError(describe(self.location, exc)) from exc
            raise StorageError(f"{failure} {self.location}: {_first_line(exc)}") from exc

    async def listen(
        self,
        channel: str,
        on_notify: Callable[[str], None],
        on_reconnect: Callable[[], Awaitable[None]],
    ) -> None:
        ready = asyncio.get_running_loop().create_future()
        task = asyncio.create_task(
            self._listen(channel, on_notify, on_reconnect, ready), name=f"spotter-listen-{channel}"
        )
        self._listeners.append(task)
        await ready  # listening: a change committed from now on is heard

    async def _listen(
        self,
        channel: str,
        on_notify: Callable[[str], None],
        on_reconnect: Callable[[], Awaitable[None]],
        ready: asyncio.Future[None],
    ) -> None:
        """Keep one connection listening; after losing it, get it back with backoff."""
        failures = 0
        while not self._closing.is_set():
            connection: asyncpg.Connection | None = None
            try:
                connection = await asyncpg.connect(self._url, timeout=CONNECT_TIMEOUT)
                lost = asyncio.Event()
                connection.add_termination_listener(lambda _connection, lost=lost: lost.set())
                await connection.add_listener(
                    channel, lambda _connection, _pid, _channel, payload: on_notify(payload)
                )
                if ready.done():
                    await on_reconnect()  # what changed while nobody listened
                else:
                    ready.set_result(None)
                if failures:
                    log.info("listening for changes on %s again", self.location)
                failures = 0
                await _first_of(lost, self._closing)
            except _DRIVER_ERRORS as exc:
                failures += 1
                if failures == 1:
                    log.warning(
                        "lost the connection listening on %s for other processes' changes "
                        "(%s); retrying",
                        channel,
                        describe(self.location, exc),
                    )
            except StorageError as exc:  # from on_reconnect's reads
                failures += 1
                log.debug("listener could not catch up: %s", exc)
            finally:
                if connection is not None:
                    with contextlib.suppress(*_DRIVER_ERRORS):
                        await connection.close(timeout=1.0)
            if not ready.done():  # the first connection failed: open still waits for it
                ready.set_result(None)
            if failures and not self._closing.is_set():
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(min(0.1 * 2 ** (failures - 1), LISTEN_RETRY_MAX)):
                        await self._closing.wait()

    async def close(self) -> None:
        self._closing.set()
        await asyncio.gather(*self._listeners, return_exceptions=True)
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                async with asyncio.timeout(STATEMENT_TIMEOUT):
                    await pool.close()
            except (*_DRIVER_ERRORS, TimeoutError):
                pool.terminate()


def describe(location: str, exc: BaseException) -> str:
    """One line naming the server and what is wrong, the driver's own words included."""
    words = _first_line(exc)
    if isinstance(exc, asyncpg.InvalidCatalogNameError):
        return f"no database at {location} ({words}); create it first (createdb)"
    if isinstance(
        exc, asyncpg.InvalidAuthorizationSpecificationError | asyncpg.InvalidPasswordError
    ):
        return f"PostgreSQL at {location} refused the login ({words}); check the user and password"
    if isinstance(exc, asyncpg.ReadOnlySQLTransactionError):
        return (
            f"{location} cannot be written: the database is read-only (a standby, or "
            f"default_transaction_read_only is on) ({words})"
        )
    if isinstance(exc, asyncpg.InsufficientPrivilegeError):
        return f"{location} cannot be written: this user lacks the privilege ({words})"
    if isinstance(exc, asyncpg.DiskFullError):
        return f"the disk holding {location} is full ({words})"
    if isinstance(exc, asyncpg.CannotConnectNowError | asyncpg.PostgresConnectionError):
        return f"cannot reach PostgreSQL at {location}: {words}"
    if isinstance(exc, _CONNECTION_ERRORS):
        what = "timed out" if isinstance(exc, TimeoutError) else words
        return f"cannot reach PostgreSQL at {location}: {what or type(exc).__name__}"
    return f"cannot use database {location}: {words}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _changed(status: str) -> int:
    """Rows a command changed, from its status ("INSERT 0 3", "UPDATE 2", "SELECT 1")."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _session_settings(busy_timeout: float) -> dict[str, str]:
    # busy_timeout is SQLite's wait for another writer's lock; PostgreSQL's is lock_timeout.
    return {"lock_timeout": f"{max(round(busy_timeout * 1000), 1)}ms"}


async def _first_of(*events: asyncio.Event) -> None:
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


# ------------------------------------------------------------------ opening


async def _prepare(
    connection: asyncpg.Connection, location: str, *, create: bool, health_check: bool
) -> None:
    """Check the database is ours, not too new and writable; migrate it."""
    async with connection.transaction():
        # Under the migration lock: another process migrating a new database at this moment
        # has either not begun or committed a version with its tables, never half of it.
        await connection.execute("SELECT pg_advisory_xact_lock($1, $2)", *MIGRATION_LOCK)
        version = await _schema_version(connection)
        others = await connection.fetchval(
            "SELECT count(*) FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename <> 'schema_version'"
        )
    check_version(location, version, other="database")
    if version == 0:
        if others:
            raise StorageError(
                f"{location} is a PostgreSQL database but not a Spotter one (it has tables but "
                "no Spotter schema version); refusing to change it, use another database"
            )
        if not create:
            raise StorageError(f"no Spotter database at {location}")
    if health_check or version == 0:
        await _test_write(connection)  # also creates the version table of a new database
    await _migrate(connection, location, version)


async def _schema_version(connection: asyncpg.Connection) -> int:
    """SQLite keeps it in ``PRAGMA user_version``; here, a one-row table."""
    if await connection.fetchval("SELECT to_regclass('schema_version')") is None:
        return 0
    return int(await connection.fetchval("SELECT max(version) FROM schema_version") or 0)


async def _test_write(connection: asyncpg.Connection) -> None:
    """Rewrite the schema version with itself: a real committed write."""
    async with connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock($1, $2)", *MIGRATION_LOCK)
        await connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT)")
        written = await connection.execute("UPDATE schema_version SET version = version")
        if _changed(written) == 0:
            await connection.execute("INSERT INTO schema_version (version) VALUES (0)")


async def _migrate(connection: asyncpg.Connection, location: str, version: int) -> None:
    """Apply the migrations past ``version`` (as read at open), each in its own transaction;
    none, not even a lock, when the database is current."""
    for migration in load_migrations():
        if migration.version <= version:
            continue
        async with connection.transaction():
            # Another process may be migrating: wait for it, then read where it left off.
            await connection.execute("SELECT pg_advisory_xact_lock($1, $2)", *MIGRATION_LOCK)
            version = await _schema_version(connection)
            check_version(location, version, other="database")
            if version >= migration.version:
                continue
            try:
                for statement in migration.statements:
                    await connection.execute(POSTGRESQL.schema(statement))
            except asyncpg.PostgresError as exc:
                raise StorageError(
                    f"migration {migration.name} failed on {location} ({_first_line(exc)}); "
                    f"the database was left unchanged at schema version {version}"
                ) from exc
            await connection.execute("UPDATE schema_version SET version = $1", migration.version)
        log.info("database %s: applied schema migration %s", location, migration.name)
