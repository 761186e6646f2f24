"""Which backend a target names, opened, checked and migrated: `open_database`."""

from __future__ import annotations

from os import PathLike

from bot.storage.database import Database, is_postgres_url, sqlite_path, without_password
from bot.storage.records import StorageError
from bot.storage.sqlite import SQLiteDatabase


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
                f"cannot use PostgreSQL at {without_password(str(target))}: the asyncpg driver "
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
