"""A deployment's rows read back table by table, for the tests of ``spotter db copy`` (the
deployment itself: ``bench.deployment``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.storage.copying import COPIED_TABLES
from tests.storage.conftest import _query
from tests.storage.helpers import columns as table_columns


def table_rows(target: str | Path, table: str) -> list[tuple[Any, ...]]:
    """A table's rows, every column, in key order (what the copy must reproduce)."""
    (copied,) = [t for t in COPIED_TABLES if t.name == table]
    columns = sorted(table_columns(target, table))
    rows = _query(
        target, f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(copied.key)}"
    )
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
