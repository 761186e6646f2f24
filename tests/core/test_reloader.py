"""Reloader: builds in their own thread within a time limit, abandoned builds that stop, old
libraries freed by reference counting (never waiting for a full garbage collection)."""

from __future__ import annotations

import gc
import shutil
import threading
import weakref
from pathlib import Path

import pytest

from bench.generate import generate_library
from bot.core.library import load_library
from bot.core.reloader import FULL_COLLECTIONS, Reloader, release_gradually

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    return root


@pytest.fixture
def no_collections() -> object:
    """Only reference counting frees anything while the test runs."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_a_library_nobody_uses_is_freed_at_once(folder: Path, no_collections: object) -> None:
    library = load_library(folder).library
    assert library is not None
    library.answer("how many reps for goblet squats")  # fills the answer cache
    index = weakref.ref(library.index)
    gc.collect()  # whatever loading left behind, so that what follows is the library alone
    del library
    assert index() is None  # no reference cycle kept it for the collector
    assert gc.collect() == 0  # and nothing of it was left in cycles


def test_release_gradually_frees_everything_it_was_given(no_collections: object) -> None:
    class Leaf:
        pass

    shared = [Leaf()]  # two parents in the graph
    graph = {"a": (shared, [Leaf() for _ in range(3)]), "b": [shared, {"c": frozenset({1})}]}
    watched = [weakref.ref(leaf) for leaf in (*shared, *graph["a"][1])]
    box: list[object] = [graph]
    del graph, shared
    assert release_gradually(box) >= 6  # dict, tuple, lists, inner dict, frozenset
    assert box == [] and all(ref() is None for ref in watched)


async def test_a_retired_library_is_freed_off_the_event_loop(folder: Path) -> None:
    reloader = Reloader()
    try:
        first = await reloader.load(folder, previous=None, timeout=None)
        old = first.library
        assert old is not None
        second = await reloader.load(folder, previous=old, timeout=60)
        assert second.library is not None and second.library is not old
        index = weakref.ref(old.index)
        reloader.retire(old)
        del old, first
        await reloader.settled()
        assert index() is None
        assert second.library.answer("how many reps for goblet squats").answer is not None
    finally:
        reloader.close()


async def test_a_build_past_its_time_is_abandoned_and_stops(tmp_path: Path) -> None:
    generate_library(tmp_path / "big", 1000, seed=3)  # seconds to build, far past 1 ms
    reloader = Reloader()
    threshold = gc.get_threshold()
    try:
        started = await reloader.load(tmp_path / "big", previous=None, timeout=None)
        previous = started.library
        assert previous is not None and previous.page_count == 1000
        abandoned = await reloader.load(tmp_path / "big", previous=previous, timeout=0.001)
        assert abandoned.library is previous
        assert abandoned.report.kept_old
        assert abandoned.report.why == (
            "the reload took longer than 0.001 s (reload_timeout_seconds) and was abandoned"
        )
        assert gc.get_threshold() == threshold  # full collections are back on at once
        # Still stopping: the next reload is refused rather than started beside it.
        refused = await reloader.load(tmp_path / "big", previous=previous, timeout=60)
        assert refused.library is previous and reloader.stopping
        assert refused.report.why.endswith("is still stopping; try again in a minute")

        await reloader.settled()
        assert not reloader.stopping
        assert not [t for t in threading.enumerate() if t.name == "spotter-library-build"]
        done = await reloader.load(tmp_path / "big", previous=previous, timeout=600)
        assert not done.report.kept_old and done.library is not previous
        assert gc.get_threshold() == threshold
    finally:
        reloader.close()


def test_full_collections_pause_nests() -> None:
    threshold = gc.get_threshold()
    first = FULL_COLLECTIONS.hold()
    second = FULL_COLLECTIONS.hold()
    assert gc.get_threshold()[:2] == threshold[:2] and gc.get_threshold()[2] > 10**6
    first.end()
    first.end()  # ending one twice does not end the other
    assert gc.get_threshold()[2] > 10**6
    second.end()
    assert gc.get_threshold() == threshold
