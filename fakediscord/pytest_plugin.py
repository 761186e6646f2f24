"""Pytest fixtures: ``fake_discord`` (a fresh fake per test, strict about violations) and
``running_bot`` (run a discord.py client against it)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Generator
from typing import Any

import pytest

from .harness import running_bot as _running_bot
from .records import Violation
from .server import FakeDiscord

_FAKE = pytest.StashKey[FakeDiscord]()


def _report(violations: list[Violation]) -> str:
    lines = "\n".join(f"  - {v}" for v in violations)
    return (
        f"FakeDiscord recorded {len(violations)} violation(s); real Discord would refuse "
        f"these (use fake_discord.expect_violations() if a test provokes them on purpose):"
        f"\n{lines}"
    )


@pytest.fixture
async def fake_discord(request: pytest.FixtureRequest) -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord on 127.0.0.1; the test fails if it records any violation."""
    fake = FakeDiscord()
    await fake.start()
    request.node.stash[_FAKE] = fake
    try:
        yield fake
    finally:
        await fake.close()
    left = fake.take_violations()
    if left:
        pytest.fail(_report(left), pytrace=False)


@pytest.fixture
def running_bot() -> Callable[..., Any]:
    """``async with running_bot(fake_discord, bot) as bot: ...``"""
    return _running_bot


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    result = yield
    fake = item.stash.get(_FAKE, None)
    if fake is not None:
        found = fake.take_violations()
        if found:
            pytest.fail(_report(found), pytrace=False)
    return result
