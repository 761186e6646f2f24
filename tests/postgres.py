"""Pytest fixtures for a real PostgreSQL: ``postgres_server`` (one throwaway server for the
session, from `bench.pgserver`) and ``postgres_database`` (a fresh, empty place in it per call).

Without PostgreSQL or asyncpg the tests that use them skip, saying why; with the environment
variable CI set they fail instead, so CI cannot pass without having run them.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bench import pgserver

_schemas = itertools.count(1)


def postgres_unavailable() -> str | None:
    """Why no PostgreSQL test can run here, or None when they can."""
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        return 'the asyncpg driver is not installed (pip install ".[test,postgres]")'
    return pgserver.unavailable()


def require_postgres() -> None:
    """Skip the test (fail it under CI) when PostgreSQL cannot run here."""
    reason = postgres_unavailable()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the PostgreSQL tests, but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests need a local PostgreSQL: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[pgserver.Server]:
    """One throwaway server for the whole session (~2 s to start)."""
    require_postgres()
    with pgserver.throwaway_postgres() as server:
        yield server


@pytest.fixture
def postgres_database(postgres_server: pgserver.Server) -> Callable[[], str]:
    """Makes a fresh empty schema on the session's server and returns a URL that uses it
    (``?search_path=``): as good as a new database, and 1000 times quicker to make."""

    def make() -> str:
        schema = f"test_{os.getpid()}_{next(_schemas)}"
        run_sql(postgres_server.url, f"CREATE SCHEMA {schema}")
        return f"{postgres_server.url}?search_path={schema}"

    return make


def run_sql(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """One statement on its own connection (as another process would), from sync or async
    code alike: it runs on a thread with its own event loop. ``?`` parameters."""
    import asyncpg

    from bot.storage.dialect import numbered_parameters

    async def fetch() -> list[tuple[Any, ...]]:
        connection = await asyncpg.connect(url)
        try:
            return [tuple(row) for row in await connection.fetch(numbered_parameters(sql), *params)]
        finally:
            await connection.close()

    result: list[list[tuple[Any, ...]]] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(asyncio.run(fetch()))
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]
