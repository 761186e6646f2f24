"""Work in flight: the interactions the bot accepted, which of them still wait for a first
response, the handlers still running, and how far behind the event loop runs.

Discord refuses a first response more than 3 s after it created an interaction (the time in
its snowflake id), however late the bot received it. Under a burst /ask defers, and deferred
answers take turns (`answer_turn`): none starts while an accepted interaction still waits for
its first response, they start one per pass of the event loop (so the gateway is read between
them), and only a few are under way at once (so first responses find free connections).
A shutdown waits until nothing is in flight (`settle`), then cuts the rest short and tells
those members to ask again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord

log = logging.getLogger(__name__)

# Discord's limit for the first response, counted from the interaction's creation.
FIRST_RESPONSE_SECONDS = 3.0
RESTARTING = "The bot is restarting: ask again in a moment."
# How often a shutdown looks again at what is in flight, besides being woken by changes.
SETTLE_POLL_SECONDS = 0.05
# Deferred answers under way at once (computing or sending): enough to overlap Discord's
# round trips, few enough to leave the connection pool to first responses.
ANSWERS_AT_ONCE = 16

Interaction = discord.Interaction[Any]


def created_at(interaction: Interaction) -> float:
    """Unix seconds when Discord created the interaction (the time in its snowflake id)."""
    return discord.utils.snowflake_time(interaction.id).timestamp()


@dataclass(eq=False)
class Accepted:
    """One interaction the bot received, and the task handling it once one started."""

    interaction: Interaction
    created: float
    task: asyncio.Task[Any] | None = None
    acknowledged: bool = False

    def awaits_first_response(self, now: float) -> bool:
        """No first response yet, and one can still come: Discord's 3 s are not over and no
        handler ended without giving one."""
        if self.acknowledged or self.interaction.response.is_done():
            return False
        if now - self.created > FIRST_RESPONSE_SECONDS:
            return False
        return self.task is None or not self.task.done()


class InFlight:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        # Interactions that may still await a first response, in the order they arrived.
        self._unanswered: OrderedDict[int, Accepted] = OrderedDict()
        # Handlers (and message replies) still running; the interaction, if any.
        self._running: dict[asyncio.Task[Any], Accepted | None] = {}
        # Deferred answers waiting their turn, and how many have one now.
        self._turns: deque[asyncio.Future[None]] = deque()
        self._answering = 0
        self._next_turn: asyncio.Handle | None = None
        self._expiry: asyncio.TimerHandle | None = None
        self._changed: asyncio.Future[None] | None = None
        self._stop_waiting = False

    # -- what arrives and what starts --------------------------------------------------------

    def accept(self, interaction: Interaction) -> None:
        """Count an interaction in as soon as it arrives, before any handler runs."""
        if interaction.id in self._unanswered:
            return
        entry = Accepted(interaction, created_at(interaction))
        self._unanswered[interaction.id] = entry

    def handling(self, interaction: Interaction) -> None:
        """The current task handles this interaction: a shutdown waits for it to end."""
        entry = self._unanswered.get(interaction.id)
        if entry is None:  # answered or too old already; still worth waiting for
            entry = Accepted(interaction, created_at(interaction))
        self._track(entry)

    def working(self) -> None:
        """The current task does other work (a reply to a message): a shutdown waits for it."""
        self._track(None)

    def acknowledged(self, interaction: Interaction) -> None:
        """Its first response went out: deferred answers waiting behind it may go."""
        entry = self._unanswered.get(interaction.id)
        if entry is not None:
            entry.acknowledged = True
            self._advance()

    def _track(self, entry: Accepted | None) -> None:
        task = asyncio.current_task()
        if task is None or task in self._running:
            return
        if entry is not None:
            entry.task = task
        self._running[task] = entry
        task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[Any]) -> None:
        self._running.pop(task, None)
        self._advance()

    # -- turns: first responses before answers ----------------------------------------------

    @property
    def waiting_turns(self) -> int:
        """Deferred answers waiting for their turn."""
        return sum(1 for wake in self._turns if not wake.done())

    @contextlib.asynccontextmanager
    async def answer_turn(self) -> AsyncIterator[None]:
        """Hold a turn to compute and send a deferred answer (see the module's docstring)."""
        wake = asyncio.get_running_loop().create_future()
        self._turns.append(wake)
        self._advance()
        try:
            await wake  # once granted, this turn is counted in self._answering
        except asyncio.CancelledError:
            if wake.done() and not wake.cancelled():  # granted, then cancelled
                self._end_turn()
            raise
        try:
            yield
        finally:
            self._end_turn()

    def _end_turn(self) -> None:
        self._answering -= 1
        self._advance()

    def _advance(self) -> None:
        now = self.clock()
        unanswered = self._unanswered
        while unanswered:
            first = next(iter(unanswered.values()))
            if first.awaits_first_response(now):
                break
            unanswered.popitem(last=False)
        oldest = next(iter(unanswered.values())) if unanswered else None
        if oldest is None:
            self._grant_turn()
        self._expire_later(oldest, now)
        self._notify()

    def _grant_turn(self) -> None:
        # One turn per pass of the loop: between two, the gateway is read and the first
        # responses of what it brought go first.
        if self._next_turn is not None or self._answering >= ANSWERS_AT_ONCE:
            return
        while self._turns:
            wake = self._turns.popleft()
            if not wake.done():  # a cancelled waiter gave its turn up
                wake.set_result(None)
                self._answering += 1
                break
        if self._turns:
            loop = asyncio.get_running_loop()
            self._next_turn = loop.call_soon(self._after_a_pass)

    def _after_a_pass(self) -> None:
        self._next_turn = None
        self._advance()

    def _expire_later(self, oldest: Accepted | None, now: float) -> None:
        # Nobody answers an interaction Discord has given up on: stop waiting for it then.
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        if oldest is not None and self._turns:
            delay = oldest.created + FIRST_RESPONSE_SECONDS - now + 0.001
            loop = asyncio.get_running_loop()
            self._expiry = loop.call_later(max(delay, 0.0), self._advance)

    # -- shutdown ---------------------------------------------------------------------------

    def busy(self) -> bool:
        """Is a handler still running, or an accepted interaction still without an answer?"""
        if self._running:
            return True
        now = self.clock()
        return any(entry.awaits_first_response(now) for entry in self._unanswered.values())

    async def settle(self, timeout: float) -> bool:
        """Wait (at most `timeout` s, or until `stop_waiting`) until nothing is in flight."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.busy():
            remaining = deadline - loop.time()
            if self._stop_waiting or remaining <= 0:
                return False
            if self._changed is None or self._changed.done():
                self._changed = loop.create_future()
            await asyncio.wait({self._changed}, timeout=min(remaining, SETTLE_POLL_SECONDS))
        return True

    def stop_waiting(self) -> None:
        self._stop_waiting = True
        self._notify()

    def _notify(self) -> None:
        if self._changed is not None and not self._changed.done():
            self._changed.set_result(None)

    def running(self) -> list[asyncio.Task[Any]]:
        return list(self._running)

    def cut_short(self) -> tuple[list[asyncio.Task[Any]], list[Interaction]]:
        """Cancel every running handler. Returns the cancelled tasks and the interactions
        whose members may still be waiting: theirs, and those no handler took up."""
        tasks = list(self._running)
        now = self.clock()
        waiting = {
            entry.interaction.id: entry.interaction
            for entry in self._unanswered.values()
            if entry.awaits_first_response(now)
        }
        for task, entry in self._running.items():
            task.cancel()
            if entry is not None:
                waiting[entry.interaction.id] = entry.interaction
        return tasks, list(waiting.values())


async def tell_to_ask_again(interaction: Interaction) -> bool:
    """Tell a member whose interaction will not be answered to ask again, if Discord still
    lets us: before its 3 s for a first response, or after a "thinking..." defer."""
    response = interaction.response
    try:
        if not response.is_done():
            if time.time() - created_at(interaction) > FIRST_RESPONSE_SECONDS:
                return False  # Discord already told them the application did not respond
            if interaction.type is discord.InteractionType.autocomplete:
                await response.autocomplete([])
            else:
                await response.send_message(RESTARTING, ephemeral=True)
            return True
        if response.type is discord.InteractionResponseType.deferred_channel_message:
            await interaction.followup.send(RESTARTING, ephemeral=True)
            return True
    except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
        log.warning("could not tell user %s to ask again: %s", interaction.user.id, error)
    return False  # it has a message already; nobody is left on "thinking..."


class LoopLag:
    """How far behind the event loop runs: a ticker due every `interval` seconds notes how
    late it woke, and while it is overdue, by how much."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self._late = 0.0
        self._due: float | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._tick(), name="spotter-loop-lag")

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def seconds(self) -> float:
        if self._due is None:
            return 0.0
        return max(self._late, time.monotonic() - self._due, 0.0)

    async def _tick(self) -> None:
        while True:
            self._due = time.monotonic() + self.interval
            await asyncio.sleep(self.interval)
            self._late = max(time.monotonic() - self._due, 0.0)
