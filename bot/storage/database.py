"""The database as the rest of storage sees it: ``Database`` (one transaction at a time) and
``Transaction``, and how a target names its backend (a SQLite path or ``sqlite:///`` URL, or a
``postgresql://`` URL).

The backends, ``sqlite.SQLiteDatabase`` and ``postgres.PostgresDatabase``, are the only code
holding a connection or catching a driver's errors (they become one-line ``StorageError``s);
``backends.open_database`` picks one. The statements other modules run are plain SQL with
``?`` parameters, translated by the backend's ``Dialect``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from os import PathLike
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bot.storage.dialect import SQLITE, Dialect
from bot.storage.records import StorageError

SQLITE_URL = "sqlite:///"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
DATABASE_URL_PREFIXES = (SQLITE_URL, *POSTGRES_SCHEMES)  # how a database_url may begin
SETTINGS_CHANNEL = "spotter_settings"  # PostgreSQL: NOTIFY'd when a guild's settings change
LIBRARY_CHANNEL = "spotter_library"  # PostgreSQL: NOTIFY'd when a moderator reloads the library


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
    # Do other processes use this database at once, and hear what this one NOTIFYs?
    shared = False

    def __init__(self, location: str, *, backend: str, unusable: str | None = None) -> None:
        self.location = location  # a file path or a URL without its password: for messages
        self.backend = backend
        self.unusable = unusable  # why the database could not be used at all, if it could not

    @classmethod
    def unavailable(cls, target: str | PathLike[str], reason: str) -> Database:
        if is_postgres_url(target):
            return cls(without_password(str(target)), backend="PostgreSQL", unusable=reason)
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


def without_password(url: str) -> str:
    """A PostgreSQL URL fit for logs and /kb status: no password, no query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
