"""What the fake records: requests, violations, and a change signal tests can wait on."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

POLL_INTERVAL = 0.01
POLL_INTERVAL_MAX = 0.25


@dataclass(frozen=True)
class Violation:
    """One thing the bot did that real Discord would refuse (or punish)."""

    route: str  # e.g. "POST /channels/123/messages" or "gateway"
    where: str  # e.g. "embeds[0].description"
    message: str
    code: str = ""

    def __str__(self) -> str:
        return f"{self.route}: {self.where}: {self.message}"


@dataclass
class RecordedRequest:
    """One REST request the bot made (path is relative to ``/api/v10``)."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    files: list[dict[str, Any]] = field(default_factory=list)
    status: int = 0
    at: float = field(default_factory=time.monotonic)

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


class ChangeSignal:
    """Wakes waiters whenever the fake records something, so tests never sleep blindly.

    `poll` is how often a waiter looks again anyway, for what no signal announces (the bot's
    own state); it backs off to `poll_max`, so a thousand waiters do not keep the loop busy.
    """

    def __init__(self, poll: float = POLL_INTERVAL, poll_max: float = POLL_INTERVAL_MAX) -> None:
        self.poll = poll
        self.poll_max = poll_max
        self._changed: asyncio.Future[None] | None = None

    def bump(self) -> None:
        changed, self._changed = self._changed, None
        if changed is not None and not changed.done():
            changed.set_result(None)

    def _next_change(self) -> asyncio.Future[None]:
        if self._changed is None:
            self._changed = asyncio.get_running_loop().create_future()
        return self._changed

    async def wait_for(
        self, predicate: Callable[[], T], timeout: float, describe: Callable[[], str]
    ) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        poll = self.poll
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(describe())
            await asyncio.wait({self._next_change()}, timeout=min(remaining, poll))
            poll = min(poll * 2, self.poll_max)


class Hold:
    """REST requests that match wait (unanswered) until ``release()``: a Discord that is slow
    on some requests. ``held`` lists the requests that were made to wait."""

    def __init__(self, matches: Callable[[RecordedRequest], bool]) -> None:
        self.matches = matches
        self.held: list[RecordedRequest] = []
        self._released = asyncio.Event()

    @property
    def released(self) -> bool:
        return self._released.is_set()

    def release(self) -> None:
        self._released.set()

    async def wait(self, request: RecordedRequest) -> None:
        self.held.append(request)
        await self._released.wait()
