"""Shared fixtures for the storage tests: real databases, no mocks.

``database`` is a fresh database on each backend in turn: a SQLite file in tmp_path and a
schema on the session's throwaway PostgreSQL server (see tests/postgres.py). Tests of things
only one backend has (SQLite's files, PRAGMAs and locks) take ``db_path`` instead.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.storage.database import is_postgres_url
from tests.postgres import run_sql

Target = str | Path
Query = Callable[..., list[tuple[Any, ...]]]
BACKENDS = ("sqlite", "postgresql")


def _query(target: Target, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the database on a connection of its own (as another process would)."""
    if is_postgres_url(target):
        return run_sql(str(target), sql, params)
    with contextlib.closing(sqlite3.connect(target)) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "spotter.sqlite3"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def make_database(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> Callable[[], Target]:
    """Makes a fresh, empty database of this test's backend each call."""
    if backend == "postgresql":
        return request.getfixturevalue("postgres_database")
    numbers = itertools.count(1)
    return lambda: tmp_path / f"data{next(numbers)}" / "spotter.sqlite3"


@pytest.fixture
def database(make_database: Callable[[], Target]) -> Target:
    return make_database()


@pytest.fixture
def query() -> Query:
    return _query
