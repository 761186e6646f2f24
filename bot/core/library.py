"""The library the bot answers from, and reloading it safely.

Pure of Discord: `load_library` reads the folder and builds the index (callers run it in a
thread) and returns either a new `Library` or the previous one, with a `ReloadReport` saying
what changed and why. The caller swaps libraries with one assignment, so a question is always
answered from one whole library, never a half-loaded one.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

from bot.core.loader import (
    DEFAULT_LIMITS,
    SYNONYMS_FILE,
    KnowledgeBase,
    LibraryNotFound,
    LoadCancelled,
    LoadLimits,
    load_knowledge,
    page_files,
)
from bot.core.model import Diagnostic, Level, Page, error_count
from bot.core.related import related_exercises
from bot.core.search import DEFAULT_MIN_CONFIDENCE, AnswerIndex, Result

POLICIES = ("partial", "strict")
RELATED_SHOWN = 3

# path -> (mtime in ns, size): enough to notice an edit, cheap to take every second.
Snapshot = Mapping[str, tuple[int, int]]


def counted(count: int, noun: str) -> str:
    """'1 error', '2 errors'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class Library:
    """One loaded library: the pages, their index, and where they came from."""

    kb: KnowledgeBase
    index: AnswerIndex
    loaded_at: datetime
    loaded_by: str
    seconds: float
    # A fingerprint of the files it was loaded from (`library_version`): processes that read
    # the same files show the same version in /kb status.
    version: str = ""
    # slug -> its related exercises' slugs, closest first (core/related.py), built once.
    related_slugs: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def page_count(self) -> int:
        return len(self.kb.pages)

    @property
    def faq_entries(self) -> int:
        return sum(len(page.faq) for page in self.kb.pages.values())

    def page(self, slug: str) -> Page | None:
        return self.kb.pages.get(slug)

    def related(
        self, slug: str, limit: int = RELATED_SHOWN, exclude: Iterable[str] = ()
    ) -> tuple[Page, ...]:
        """The page's related exercises, closest first: its own links to other pages, then
        its family ("squat"), then the same target muscle (see core/related.py)."""
        skip = {slug, *exclude}
        related = (self.kb.pages[s] for s in self.related_slugs.get(slug, ()) if s not in skip)
        return tuple(related)[:limit]

    def answer(
        self, question: str, min_confidence: float | None = None, context: str | None = None
    ) -> Result:
        """The index's answer at `min_confidence` (default: the library's threshold);
        `context`: the page of the answer this question follows up on, if any."""
        return self.index.answer(question, min_confidence, context)


def build_library(
    kb: KnowledgeBase,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    loaded_by: str = "startup",
    started: float | None = None,
) -> Library:
    index = AnswerIndex(kb, min_confidence=min_confidence)
    return Library(
        kb=kb,
        index=index,
        loaded_at=datetime.now(UTC),
        loaded_by=loaded_by,
        seconds=time.perf_counter() - started if started is not None else kb.stats.seconds,
        version=library_version(kb),
        related_slugs=related_exercises(kb.pages),
    )


def library_version(kb: KnowledgeBase) -> str:
    """Twelve hex digits naming the files a load read: each page file's place in the folder
    and its bytes (the digest the loader took), and the synonyms. The same files give the
    same version in every process, on any machine; any edit gives another."""
    fingerprint = hashlib.blake2b(digest_size=6, person=b"spotter.library")
    for path, parsed in sorted(kb.parsed.items()):
        name = os.path.relpath(path, kb.root).replace(os.sep, "/")
        fingerprint.update(name.encode("utf-8", "surrogateescape") + b"\0" + parsed.digest)
    for term, meaning in sorted(kb.synonyms.items()):
        fingerprint.update(f"\1{term}\0{meaning}".encode())
    return fingerprint.hexdigest()


@dataclass(frozen=True, slots=True)
class ReloadReport:
    """What a (re)load did, for the moderator who asked and for the log."""

    root: str
    policy: str
    loaded_by: str
    seconds: float
    kept_old: bool
    why: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    # Pages with errors: the previous version is still served / a new page was left out.
    kept_previous: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    pages_before: int = 0
    pages_after: int = 0
    faq_before: int = 0
    faq_after: int = 0
    diagnostics: tuple[Diagnostic, ...] = ()
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def errors(self) -> int:
        return error_count(self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.level is Level.WARNING)

    def relative(self, path: str) -> str:
        """A path as moderators know it: relative to the library folder."""
        try:
            return str(Path(path).relative_to(self.root))
        except ValueError:
            return path

    def diagnostic_lines(self) -> list[str]:
        """Every diagnostic as `path:line: level: message`, in file order."""
        ordered = sorted(self.diagnostics, key=lambda d: (d.path, d.line))
        return [f"{self.relative(d.path)}:{d.line}: {d.level}: {d.message}" for d in ordered]

    def summary(self) -> str:
        """One line for the log."""
        if self.kept_old:
            head = f"kept the previous library ({self.why})"
        else:
            head = (
                f"loaded {self.pages_after} pages (+{len(self.added)} -{len(self.removed)} "
                f"~{len(self.changed)}), FAQ {self.faq_before} -> {self.faq_after}"
            )
        return (
            f"{head}; {counted(self.errors, 'error')}, {counted(self.warnings, 'warning')}; "
            f"by {self.loaded_by} in {self.seconds:.2f}s"
        )


@dataclass(frozen=True, slots=True)
class ReloadOutcome:
    library: Library | None  # the new library, or the previous one kept (None: nothing to keep)
    report: ReloadReport
    # The files as they were when this load began: the watcher compares against it.
    snapshot: Snapshot = field(default_factory=lambda: MappingProxyType({}))


def library_snapshot(root: str | os.PathLike[str]) -> Snapshot:
    """mtime and size of every file a load would read; empty when the folder is missing."""
    root_path = Path(root)
    if not root_path.is_dir():
        return MappingProxyType({})
    found: dict[str, tuple[int, int]] = {}
    for path in [*page_files(root_path), root_path / SYNONYMS_FILE]:
        try:
            stat = path.stat()
        except OSError:
            continue
        found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return MappingProxyType(found)


def _base_report(
    root: str | os.PathLike[str], policy: str, loaded_by: str, previous: Library | None
) -> ReloadReport:
    before = previous.kb.pages if previous is not None else MappingProxyType({})
    return ReloadReport(
        root=str(root),
        policy=policy,
        loaded_by=loaded_by,
        seconds=0.0,
        kept_old=False,
        pages_before=len(before),
        pages_after=len(before),
        faq_before=_faq(before.values()),
        faq_after=_faq(before.values()),
    )


def kept_outcome(
    root: str | os.PathLike[str],
    *,
    why: str,
    policy: str,
    previous: Library | None,
    loaded_by: str,
    seconds: float,
    snapshot: Snapshot | None = None,
) -> ReloadOutcome:
    """A reload that changed nothing (abandoned, refused): the previous library, and why."""
    report = replace(
        _base_report(root, policy, loaded_by, previous), kept_old=True, why=why, seconds=seconds
    )
    return ReloadOutcome(previous, report, MappingProxyType({}) if snapshot is None else snapshot)


def load_library(
    root: str | os.PathLike[str],
    *,
    policy: str = "partial",
    previous: Library | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    loaded_by: str = "startup",
    limits: LoadLimits = DEFAULT_LIMITS,
    stop: threading.Event | None = None,
    snapshot: Snapshot | None = None,
) -> ReloadOutcome:
    """Load the folder at root under `policy` ("partial" or "strict").

    partial: pages without errors load; a page with errors keeps its previous version when
        there is one and is left out otherwise.
    strict: any error keeps the previous library.
    Either way a folder that is missing or yields no page keeps the previous library.
    Blocking (reads files, builds the index): run it in a thread. Raises LoadCancelled when
    `stop` is set, checked between files and before the index is built. `snapshot` is the
    folder's library_snapshot if the caller took it already.
    """
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {POLICIES}, not {policy!r}")
    started = time.perf_counter()
    if snapshot is None:
        snapshot = library_snapshot(root)
    before = previous.kb.pages if previous is not None else MappingProxyType({})
    base = _base_report(root, policy, loaded_by, previous)

    def keep(why: str, diagnostics: tuple[Diagnostic, ...] = ()) -> ReloadOutcome:
        report = replace(
            base,
            kept_old=True,
            why=why,
            diagnostics=diagnostics,
            seconds=time.perf_counter() - started,
        )
        return ReloadOutcome(previous, report, snapshot)

    try:
        kb = load_knowledge(root, limits, stop, previous.kb.parsed if previous else None)
    except LibraryNotFound as error:
        return keep(str(error))
    errors = kb.errors
    if policy == "strict" and errors:
        return keep(
            f"{counted(len(errors), 'error')} and the reload policy is strict", kb.diagnostics
        )

    # Partial: pages from files with errors are replaced by their previous version, if any.
    bad_paths = {d.path for d in errors}
    pages = {slug: page for slug, page in kb.pages.items() if page.path not in bad_paths}
    previous_by_path = {page.path: page for page in before.values()}
    synonyms_path = str(Path(root) / SYNONYMS_FILE)
    kept_previous: list[str] = []
    skipped: list[str] = []
    for path in sorted(bad_paths - {synonyms_path}):
        old = previous_by_path.get(path)
        if old is not None and old.slug not in pages:
            pages[old.slug] = old
            kept_previous.append(old.name)
        else:
            skipped.append(base.relative(path))
    if not pages:
        why = "every page has errors" if kb.pages else f"no exercise pages in {root}"
        return keep(why, kb.diagnostics)

    ordered = dict(sorted(pages.items()))
    kb = replace(
        kb,
        pages=MappingProxyType(ordered),
        stats=replace(
            kb.stats,
            pages=len(ordered),
            faq_entries=_faq(ordered.values()),
            steps=sum(len(page.steps) for page in ordered.values()),
        ),
    )
    if stop is not None and stop.is_set():
        raise LoadCancelled(str(root))
    try:
        library = build_library(
            kb, min_confidence=min_confidence, loaded_by=loaded_by, started=started
        )
    except Exception as error:  # an index bug must not take the bot's answers down with it
        return keep(f"could not build the index: {error!r}", kb.diagnostics)

    added = [ordered[s].name for s in ordered if s not in before]
    removed = [before[s].name for s in before if s not in ordered]
    changed = [
        ordered[s].name
        for s in ordered
        if s in before and _content(ordered[s]) != _content(before[s])
    ]
    report = replace(
        base,
        seconds=library.seconds,
        added=tuple(sorted(added)),
        removed=tuple(sorted(removed)),
        changed=tuple(sorted(changed)),
        kept_previous=tuple(kept_previous),
        skipped=tuple(skipped),
        pages_after=len(ordered),
        faq_after=library.faq_entries,
        diagnostics=kb.diagnostics,
    )
    return ReloadOutcome(library, report, snapshot)


def _faq(pages: Iterable[Page]) -> int:
    return sum(len(page.faq) for page in pages)


def _content(page: Page) -> tuple[object, ...]:
    """What a page says, without line numbers: moving text down a line is not a change."""
    return (
        page.name,
        page.summary,
        page.url,
        page.aliases,
        replace(page.attributes, line=0),
        tuple(item.text for item in page.steps),
        tuple(item.text for item in page.tips),
        tuple(item.text for item in page.mistakes),
        tuple((entry.question, entry.answer) for entry in page.faq),
        tuple((link.title, link.url) for link in page.related),
        tuple((section.heading, section.text) for section in page.other_sections),
    )
