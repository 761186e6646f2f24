"""Shared helpers for the storage tests: real SQLite files in tmp_path, no mocks."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Query = Callable[..., list[tuple[Any, ...]]]


def _query(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the file with a plain sqlite3 connection of its own (as another process would)."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "spotter.sqlite3"


@pytest.fixture
def query() -> Query:
    return _query
