"""Helpers shared by the storage tests: another process's write lock, waiting for the
background flusher, a table's columns and rows on either backend."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bot.storage.copying import COPIED_TABLES


@contextlib.contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another connection holds SQLite's write lock, as another process could."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")


async def wait_for(predicate: Callable[[], object], timeout: float = 10.0) -> None:
    """Until `predicate()` is true; a generous timeout, never a timing assertion."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


def columns(target: str | Path, table: str) -> set[str]:
    """A table's column names, on either backend."""
    from tests.storage.conftest import _query

    if isinstance(target, str) and target.startswith("postgresql://"):
        sql = "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
        return {name for (name,) in _query(target, sql, (table,))}
    return {row[1] for row in _query(target, f"PRAGMA table_info({table})")}


# The tables `spotter db copy` copies, by name.
COPIED_TABLE_NAMES = [table.name for table in COPIED_TABLES]


def table_rows(target: str | Path, table: str) -> list[tuple[Any, ...]]:
    """A table's rows, every column, in key order (what `spotter db copy` must reproduce)."""
    from tests.storage.conftest import _query

    (copied,) = [t for t in COPIED_TABLES if t.name == table]
    names = sorted(columns(target, table))
    rows = _query(
        target, f"SELECT {', '.join(names)} FROM {table} ORDER BY {', '.join(copied.key)}"
    )
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
