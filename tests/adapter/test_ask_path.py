"""The path of one question through the code: the cog hands it to the asking service, which
alone calls what answers and replies (ARCHITECTURE.md draws it hop by hop). Traced with
sys.setprofile in the task that handles the question, on the loopback Discord."""

from __future__ import annotations

import asyncio
import sys
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from types import CodeType, FrameType
from typing import Any

from tests.adapter.helpers import REPS_QUESTION


def _module(frame: FrameType) -> str:
    return str(frame.f_globals.get("__name__", ""))


def _caller(frame: FrameType) -> str:
    """The nearest module of ours up the stack (past contextlib, asyncio and the like)."""
    back = frame.f_back
    while back is not None and not _module(back).startswith("bot."):
        back = back.f_back
    return _module(back) if back is not None else ""


class Hops:
    """Each call from one of our modules into another (module -> callers -> functions),
    in the task that first runs `handler`; a coroutine resumed is not entered again."""

    def __init__(self, handler: CodeType) -> None:
        self.handler = handler
        self.task: asyncio.Task[Any] | None = None
        self.callers: dict[str, set[str]] = defaultdict(set)
        self.functions: dict[str, list[str]] = defaultdict(list)
        self._frames: list[FrameType] = []  # kept alive, so that ids are not reused
        self._seen: set[int] = set()

    def __call__(self, frame: FrameType, event: str, arg: object) -> None:
        if event != "call":
            return
        if self.task is None:
            if frame.f_code is not self.handler:
                return
            self.task = asyncio.current_task()
        if asyncio.current_task() is not self.task or id(frame) in self._seen:
            return
        self._seen.add(id(frame))
        self._frames.append(frame)
        module, caller = _module(frame), _caller(frame)
        if module.startswith("bot.") and module != caller:
            self.callers[module].add(caller)
            self.functions[module].append(frame.f_code.co_name)


@contextmanager
def tracing(hops: Hops) -> Iterator[Hops]:
    sys.setprofile(hops)
    try:
        yield hops
    finally:
        sys.setprofile(None)


async def traced(handler: CodeType, act: Callable[[], Awaitable[object]]) -> Hops:
    with tracing(Hops(handler)) as hops:
        await act()
    assert hops.task is not None, "the handler never ran"
    return hops


def assert_one_way_through(hops: Hops, cog: str) -> None:
    """The cog hands the question to the asking service; every module of the adapter is
    entered from one module only (no going back and forth); the bot class only admits the
    work (a shutdown waits for it); views are asked for the answer's message once."""
    functions = hops.functions
    assert set(functions.get("bot.adapter.client", [])) <= {"admit", "admit_message"}
    adapter = {m: c for m, c in hops.callers.items() if m.startswith("bot.adapter")}
    adapter.pop("bot.adapter.client", None)
    assert adapter.pop(cog) == {""}  # from discord.py
    assert adapter.pop("bot.adapter.asking") == {cog}
    assert functions["bot.adapter.asking"][0] in ("ask_in_interaction", "ask_in_message")
    assert adapter, "the asking service called nothing"
    assert {m: c for m, c in adapter.items() if len(c) != 1} == {}
    assert adapter["bot.adapter.views"] == {"bot.adapter.asking"}
    assert functions["bot.adapter.views"] == ["answer_message"]
    assert hops.callers["bot.storage.store"] == {"bot.adapter.asking"}
    assert hops.callers["bot.core.library"] <= {"bot.adapter.asking", "bot.adapter.views"}


async def test_an_ask_goes_one_way_through_the_asking_service(spotter_bot) -> None:
    spot = spotter_bot
    handler = spot.bot.get_cog("Ask").ask.callback.__code__
    hops = await traced(handler, lambda: spot.answer(REPS_QUESTION))
    assert_one_way_through(hops, "bot.adapter.cogs.ask")
    assert hops.functions["bot.adapter.replies"] == ["send_response"]


async def test_a_mention_goes_one_way_through_the_asking_service(spotter_bot) -> None:
    spot = spotter_bot
    handler = spot.bot.get_cog("Ask").on_message.__func__.__code__

    async def mention() -> object:
        posted = await spot.fake.post_message(REPS_QUESTION, author=spot.member, mention_bot=True)
        return await spot.fake.wait_for_message(
            lambda m: (m.get("message_reference") or {}).get("message_id") == posted["id"]
        )

    hops = await traced(handler, mention)
    assert_one_way_through(hops, "bot.adapter.cogs.ask")
    assert hops.functions["bot.adapter.replies"] == ["reply_to"]
