"""Loading a library next to the one being served, without stalling the event loop.

A library is hundreds of thousands of objects, so building one next to the one being served
can pause the event loop in three ways, each handled here:

- Full garbage collections: while a build allocates, CPython now and then walks every tracked
  object in the process holding the GIL (0.4 s at 10,000 pages). Builds pause full collections
  (the young generations are still collected), and a finished build moves everything alive
  into the permanent generation (`gc.freeze`), so later collections skip both libraries.
  (Cyclic garbage alive at that moment is frozen too, until `close()` unfreezes: a little
  per reload, and reloads are rare.)
- Freeing the old library: dropping the last reference frees it in one cascade of C calls
  (0.13 s at 10,000 pages). `release_gradually` frees it one object at a time in a thread, so
  the event loop gets the GIL in between; then `malloc_trim` hands the memory back to the OS.
- A build that never ends: it runs in its own thread and is abandoned after a time limit. A
  thread cannot be killed, so "abandoned" means: its result will be discarded, it is asked to
  stop (it checks between files and before the index), the previous library stays, and the
  caller's lock is free at once. Until it has stopped, the next reload is refused with a
  clear reason, so abandoned builds never pile up. A subprocess could be killed, but its
  library would have to be unpickled here, one long GIL-holding call and a second copy.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import MappingProxyType

from bot.core.library import (
    Library,
    ReloadOutcome,
    Snapshot,
    kept_outcome,
    library_snapshot,
    load_library,
)
from bot.core.loader import DEFAULT_LIMITS, LoadCancelled, LoadLimits
from bot.core.search import DEFAULT_MIN_CONFIDENCE

NO_FULL_COLLECTIONS = 1 << 30  # a generation-2 threshold that is never reached
IN_USE_WAIT = 5.0  # seconds an old library may stay in use (an answer running) before release


class _Build:
    """One build in its thread, as the event loop sees it."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.stop = threading.Event()
        self.snapshot: Snapshot | None = None  # the files as the build found them
        self.abandoned_at: datetime | None = None  # set: its outcome will be discarded
        self.result: asyncio.Future[ReloadOutcome] = loop.create_future()
        self.finished: asyncio.Future[None] = loop.create_future()
        # Full collections stay off until the build ends or is abandoned: a build stuck for
        # good (a hung network disk) must not keep them off for good.
        self.pause = FULL_COLLECTIONS.hold()
        self.thread: threading.Thread | None = None


class Reloader:
    """Builds libraries in their own threads, each within a time limit, and retires old ones."""

    def __init__(self) -> None:
        self._abandoned: _Build | None = None
        self._retiring: set[threading.Thread] = set()

    @property
    def stopping(self) -> bool:
        """An abandoned build is still running."""
        return self._abandoned is not None

    async def load(
        self,
        root: str | os.PathLike[str],
        *,
        previous: Library | None,
        timeout: float | None,
        policy: str = "partial",
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        limits: LoadLimits = DEFAULT_LIMITS,
        loaded_by: str = "startup",
    ) -> ReloadOutcome:
        """load_library in a thread of its own; after `timeout` seconds, the previous library
        and a report saying why. Raises what load_library raises."""
        started = time.perf_counter()

        def kept(why: str, snapshot: Snapshot | None) -> ReloadOutcome:
            return kept_outcome(
                root,
                why=why,
                policy=policy,
                previous=previous,
                loaded_by=loaded_by,
                seconds=time.perf_counter() - started,
                snapshot=snapshot,
            )

        abandoned = self._abandoned
        if abandoned is not None:
            when = abandoned.abandoned_at or datetime.now(UTC)  # set when abandoned
            return kept(
                f"the reload abandoned at {when:%H:%M:%S} UTC is still stopping; "
                "try again in a minute",
                abandoned.snapshot,
            )

        build = _Build(asyncio.get_running_loop())

        def work() -> ReloadOutcome | None:
            build.snapshot = library_snapshot(root)
            try:
                return load_library(
                    root,
                    policy=policy,
                    previous=previous,
                    min_confidence=min_confidence,
                    loaded_by=loaded_by,
                    limits=limits,
                    stop=build.stop,
                    snapshot=build.snapshot,
                )
            except LoadCancelled:
                return None

        thread = build.thread = threading.Thread(
            target=self._run, args=(build, work), name="spotter-library-build", daemon=True
        )
        try:
            thread.start()
        except RuntimeError:  # no thread to be had
            build.pause.end()
            raise
        try:
            return await asyncio.wait_for(asyncio.shield(build.result), timeout)
        except TimeoutError:
            self._abandon(build)
            return kept(
                f"the reload took longer than {timeout:g} s (reload_timeout_seconds) and was "
                "abandoned",
                build.snapshot,
            )
        except asyncio.CancelledError:
            self._abandon(build)
            raise

    def _abandon(self, build: _Build) -> None:
        build.stop.set()
        build.abandoned_at = datetime.now(UTC)
        build.pause.end()
        self._abandoned = build

    def _run(self, build: _Build, work: Callable[[], ReloadOutcome | None]) -> None:
        """The build thread: build with full collections paused, freeze what it built, and
        hand the outcome to the event loop."""
        outcome: ReloadOutcome | None = None
        error: BaseException | None = None
        try:
            outcome = work()
        except BaseException as raised:  # handed to whoever awaits the build
            error = raised
        if outcome is not None and not outcome.report.kept_old and not build.stop.is_set():
            gc.collect(1)  # young garbage goes now; what is left is the library
            gc.freeze()
        build.pause.end()
        return_memory_to_os()  # what the build needed only while it ran
        with contextlib.suppress(RuntimeError):  # a closed event loop: nobody waits any more
            build.loop.call_soon_threadsafe(self._finished, build, outcome, error)

    def _finished(
        self, build: _Build, outcome: ReloadOutcome | None, error: BaseException | None
    ) -> None:
        """On the event loop: deliver the outcome, or retire it if it came too late."""
        if build.abandoned_at is not None:
            if outcome is not None and not outcome.report.kept_old and outcome.library:
                self.retire(outcome.library)
            if self._abandoned is build:
                self._abandoned = None
        elif error is not None:
            build.result.set_exception(error)
        else:
            # Not abandoned means not stopped, so the build ran to the end.
            assert outcome is not None
            build.result.set_result(outcome)
        build.finished.set_result(None)

    def retire(self, library: Library) -> None:
        """Free a library that is no longer served, a little at a time, in a thread. The caller
        must drop its own references to it."""
        box: list[object] = [library]
        del library
        thread = threading.Thread(
            target=self._release, args=(box,), name="spotter-library-release", daemon=True
        )
        self._retiring.add(thread)
        thread.start()

    def _release(self, box: list[object]) -> None:
        try:
            release_gradually(box)
            return_memory_to_os()
        finally:
            self._retiring.discard(threading.current_thread())

    async def settled(self) -> None:
        """Wait until no abandoned build is running and every old library has been freed."""
        while (abandoned := self._abandoned) is not None:
            await abandoned.finished
            if abandoned.thread is not None:
                await asyncio.to_thread(abandoned.thread.join)
        for thread in list(self._retiring):
            await asyncio.to_thread(thread.join)

    def close(self) -> None:
        """Give frozen objects back to the collector: the bot is done with its libraries."""
        gc.unfreeze()


# -- garbage collection --------------------------------------------------------------------------


class _Pauses:
    """Full collections are off while at least one pause is held (builds may overlap: one
    abandoned but still stopping, and the next)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held = 0
        self.saved: tuple[int, int, int] = gc.get_threshold()

    def hold(self) -> _Pause:
        with self.lock:
            if self.held == 0:
                self.saved = gc.get_threshold()
                young, middle, _ = self.saved
                gc.set_threshold(young, middle, NO_FULL_COLLECTIONS)
            self.held += 1
        return _Pause(self)

    def let_go(self) -> None:
        with self.lock:
            self.held -= 1
            if self.held == 0:
                gc.set_threshold(*self.saved)


class _Pause:
    """One hold on full collections; ending it twice ends it once."""

    def __init__(self, pauses: _Pauses) -> None:
        self._pauses: _Pauses | None = pauses
        self._lock = threading.Lock()

    def end(self) -> None:
        with self._lock:
            pauses, self._pauses = self._pauses, None
        if pauses is not None:
            pauses.let_go()


FULL_COLLECTIONS = _Pauses()


# -- freeing a large object graph ----------------------------------------------------------------

# What release_gradually walks into: containers and the library's own objects. Never types,
# modules or functions, which lead to the rest of the program.
_CONTAINERS = (dict, list, tuple, set, frozenset, MappingProxyType)


def _walks_into(thing: object) -> bool:
    return isinstance(thing, _CONTAINERS) or type(thing).__module__.startswith("bot.core.")


def _referenced_once() -> int:
    """What sys.getrefcount says, inside the walk below, of an object with one referrer."""
    probe: list[object] = [object()]
    for child in gc.get_referents(probe):
        return sys.getrefcount(child)
    raise AssertionError("unreachable")


def release_gradually(box: list[object]) -> int:
    """Free the object in box (its only reference: pass a one-item list) one object at a time.

    Dropping the last reference to a large graph frees all of it in one uninterruptible
    cascade. Instead: list the graph's containers parents first, holding a reference to each;
    drop the root; then drop the list's references in order. Each step then frees one object,
    its children being still held by the list, and between steps other threads (the event
    loop) can take the GIL. Returns how many objects were listed.
    """
    root = box.pop()
    once = _referenced_once()
    order: list[object] = [root]
    shared: set[int] = set()  # ids of listed objects with several referrers, listed once
    position = 0
    while position < len(order):
        for child in gc.get_referents(order[position]):
            if not _walks_into(child):
                continue
            if sys.getrefcount(child) > once:
                if id(child) in shared:
                    continue
                shared.add(id(child))
            order.append(child)
        position += 1
    del root, shared
    # The root still in use (an answer running on the old library): wait a little, or its
    # last user would free it all in one go.
    waited = 0.0
    while sys.getrefcount(order[0]) > 2 and waited < IN_USE_WAIT:
        time.sleep(0.01)
        waited += 0.01
    for position in range(len(order)):
        order[position] = None
    return len(order)


def return_memory_to_os() -> None:
    """glibc keeps freed memory for reuse; malloc_trim gives what it can back to the OS."""
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return
    trim(0)
