"""Copy a deployment's data from one database to another (``spotter db copy``): SQLite to
PostgreSQL when one process is no longer enough, or back for debugging.

Both databases are opened (and migrated) as the bot opens them; the source is read in one read
transaction, table by table in batches ordered by primary key, and written into the target in
one transaction: a failure anywhere leaves the target without a row of it. Ids are kept, so
buttons on old messages (which name question ids) keep working on the copy.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike

from bot.storage.backends import open_database
from bot.storage.database import Database, Transaction, is_postgres_url, sqlite_path
from bot.storage.records import StorageError

BATCH_ROWS = 2_000  # rows read and written at a time: memory stays flat however many there are
BUSY_TIMEOUT = 5.0  # seconds to wait for a running bot's write lock


@dataclass(frozen=True, slots=True)
class CopiedTable:
    name: str
    key: tuple[str, ...]  # the primary key: rows are read in its order, one batch after another
    identity: str | None = None  # a column the database numbers itself (its counter is moved on)
    must_be_empty: bool = True  # in the target, before the copy


# What is copied, in this order. Every table of the schema is either here or in NOT_COPIED
# (tests/storage/test_storage_copying.py checks it, so a new table needs a decision).
COPIED_TABLES = (
    CopiedTable("questions", ("id",)),  # the question log, ids as in old buttons' custom_ids
    CopiedTable("votes", ("question_id", "voter")),
    CopiedTable("guild_settings", ("guild_id",)),
    CopiedTable("library_changes", ("id",), identity="id"),  # the audit of library edits
    # The voter salt: votes hold keyed hashes of user ids, so without the same key a member's
    # old vote would not be recognised and they could vote twice. A target a bot has opened
    # already has a salt of its own; with no votes yet, nothing depends on it, so it is replaced.
    CopiedTable("meta", ("key",), must_be_empty=False),
)
NOT_COPIED = {
    # Runtime state: the bot processes running on a database now, rewritten every 30 s by each
    # live process. The source's processes do not run on the target.
    "processes": "runtime state of the processes running on a database",
}


class TargetNotEmpty(StorageError):
    """The target already holds Spotter data; copying into it would mix two deployments."""


class SameDatabase(ValueError):
    """The source and the target name one database."""


@dataclass(frozen=True, slots=True)
class CopyReport:
    source: str  # where from and to: a path, or a URL without its password
    target: str
    rows: dict[str, int]  # rows copied per table, in copying order
    seconds: float


async def copy_database(
    source: str | PathLike[str],
    target: str | PathLike[str],
    *,
    batch_rows: int = BATCH_ROWS,
) -> CopyReport:
    """Copy every table of COPIED_TABLES from ``source`` (which must exist) into ``target``
    (created if it is a missing SQLite file; a PostgreSQL database must exist), both first
    migrated to the latest schema. Raises TargetNotEmpty if the target already holds rows,
    StorageError (one line, no password) if either cannot be used or the copy fails (the
    target keeps none of it), SameDatabase or ValueError for bad targets."""
    if _same_database(source, target):
        raise SameDatabase("the source and the target are the same database")
    started = time.perf_counter()
    reader = await open_database(
        source, busy_timeout=BUSY_TIMEOUT, pragmas={}, create=False, health_check=False
    )
    try:
        writer = await open_database(
            target, busy_timeout=BUSY_TIMEOUT, pragmas={}, create=True, health_check=True
        )
        try:
            rows = await _copy(reader, writer, batch_rows)
        finally:
            await writer.close()
    finally:
        await reader.close()
    return CopyReport(
        source=reader.location,
        target=writer.location,
        rows=rows,
        seconds=time.perf_counter() - started,
    )


async def _copy(reader: Database, writer: Database, batch_rows: int) -> dict[str, int]:
    copied: dict[str, int] = {}
    failure = "could not copy into"
    async with (
        reader.transaction(f"could not read {reader.backend} database", write=False) as source,
        writer.transaction(failure) as target,
    ):
        await _check_empty(target, writer.location)
        for table in COPIED_TABLES:
            columns = await _columns(source, reader, table.name)
            theirs = await _columns(target, writer, table.name)
            if sorted(columns) != sorted(theirs):  # both are migrated: only a foreign schema
                raise StorageError(
                    f"table {table.name} has columns {', '.join(columns)} in the source but "
                    f"{', '.join(theirs)} in the target"
                )
            copied[table.name] = await _copy_table(source, target, table, columns, batch_rows)
            if table.identity is not None:
                statement = writer.dialect.after_explicit_ids(table.name, table.identity)
                if statement is not None:
                    await target.scalar(statement)
    return copied


async def _check_empty(target: Transaction, location: str) -> None:
    found = []
    for table in COPIED_TABLES:
        # EXISTS, not count(*): a big table need not be counted to know it is not empty.
        exists = f"SELECT EXISTS (SELECT 1 FROM {table.name})"
        if table.must_be_empty and await target.scalar(exists):
            found.append(table.name)
    if found:
        raise TargetNotEmpty(
            f"{location} already holds Spotter data ({', '.join(found)}); copy only into an "
            "empty database: create a new one (PostgreSQL: dropdb and createdb; SQLite: a new "
            "file name), or move this one away"
        )


async def _columns(tx: Transaction, database: Database, table: str) -> list[str]:
    return [name for (name,) in await tx.rows(database.dialect.columns(), (table,))]


async def _copy_table(
    source: Transaction,
    target: Transaction,
    table: CopiedTable,
    columns: Sequence[str],
    batch_rows: int,
) -> int:
    names = ", ".join(columns)
    keys = ", ".join(table.key)
    key_at = [columns.index(column) for column in table.key]
    first = f"SELECT {names} FROM {table.name} ORDER BY {keys} LIMIT ?"
    # Row values compare column by column: the rows after the last one read, in key order.
    after = ", ".join("?" * len(table.key))
    following = (
        f"SELECT {names} FROM {table.name} WHERE ({keys}) > ({after}) ORDER BY {keys} LIMIT ?"
    )
    insert = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})"
    if not table.must_be_empty:  # meta: the source's value wins over the target's own
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in table.key)
        insert += f" ON CONFLICT ({keys}) DO UPDATE SET {updates}"
    count = 0
    batch = await source.rows(first, (batch_rows,))
    while batch:
        await target.run_many(insert, batch)
        count += len(batch)
        if len(batch) < batch_rows:
            break
        last = batch[-1]
        batch = await source.rows(following, (*(last[i] for i in key_at), batch_rows))
    return count


def _same_database(source: str | PathLike[str], target: str | PathLike[str]) -> bool:
    if is_postgres_url(source) or is_postgres_url(target):
        return str(source) == str(target)
    return sqlite_path(source).resolve() == sqlite_path(target).resolve()
