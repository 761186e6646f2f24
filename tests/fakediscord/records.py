"""What the fake records: requests, violations, and a change signal tests can wait on."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

POLL_INTERVAL = 0.01


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
    """Wakes waiters whenever the fake records something, so tests never sleep blindly."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def bump(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(
        self, predicate: Callable[[], T], timeout: float, describe: Callable[[], str]
    ) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(describe())
            event = self._event
            # Woken at once by the fake's own changes; polls briefly for anything else
            # (e.g. a predicate over the bot's state).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, POLL_INTERVAL))


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
