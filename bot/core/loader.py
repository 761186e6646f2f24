"""A folder of Markdown pages -> KnowledgeBase. Bad files are reported; the rest loads.

Files are checked before they are opened: only regular files are read (a named pipe would block
the reader forever, a device like /dev/zero never ends), a symbolic link only when it resolves
inside the library folder, and at most `max_page_bytes + 1` bytes of any file.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from bot.core.model import Diagnostic, Level, Page, error_count
from bot.core.parsing import normalise_heading, parse_page

SYNONYMS_FILE = "synonyms.yaml"
# Files in the library folder that are not exercise pages.
NOT_PAGES = frozenset({"readme.md", "contributing.md", "index.md"})
DEFAULT_MAX_PAGE_BYTES = 1 << 20  # the longest real page is ~10 KiB
DEFAULT_MAX_PAGES = 20_000
READ_CHUNK = 64 * 1024
NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


class LibraryNotFound(Exception):
    """The library folder is missing or unreadable: nothing to load at all."""


class LoadCancelled(Exception):
    """The load was asked to stop (its reload was abandoned) and did, between two files."""


@dataclass(frozen=True, slots=True)
class LoadLimits:
    """What one load reads at most: bytes per file, and page files in all."""

    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    max_pages: int = DEFAULT_MAX_PAGES


DEFAULT_LIMITS = LoadLimits()


class SkippedFile(Exception):
    """A file the loader will not read; the message says why, for a diagnostic."""


@dataclass(frozen=True, slots=True)
class LoadStats:
    files: int = 0
    pages: int = 0
    faq_entries: int = 0
    steps: int = 0
    errors: int = 0
    warnings: int = 0
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """One file as parsed, by the digest of its bytes: the same bytes parse the same."""

    digest: bytes
    page: Page
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    root: str
    pages: Mapping[str, Page] = field(default_factory=lambda: MappingProxyType({}))
    diagnostics: tuple[Diagnostic, ...] = ()
    # Library-specific vocabulary from synonyms.yaml: what users type -> the library's words.
    synonyms: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    stats: LoadStats = LoadStats()
    # Every page file read, by path: the next load reuses what did not change.
    parsed: Mapping[str, ParsedFile] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.level is Level.ERROR)


def page_files(root: Path) -> list[Path]:
    """Every Markdown page below root, in a stable order; hidden and `_` files are skipped."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        found.extend(
            Path(folder, name)
            for name in sorted(files)
            if name.lower().endswith(".md")
            and not name.startswith((".", "_"))
            and name.lower() not in NOT_PAGES
        )
    return found


def size_text(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 1024:.0f} KiB"


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def read_library_file(path: Path, root: str, max_bytes: int) -> bytes:
    """The bytes of one file of the library at root (a real path), or SkippedFile saying why.

    Decided from lstat/stat before opening, so a named pipe or device is never opened; the
    open itself does not block (O_NONBLOCK) and is checked to be the file that was looked at,
    in case it was swapped in between. Reads at most max_bytes + 1 bytes, so a file that grows
    while it is read cannot fill memory.
    """
    try:
        info = os.lstat(path)
    except OSError as error:
        raise SkippedFile(f"cannot read file: {error.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        if not _inside(os.path.realpath(path), root):
            raise SkippedFile("symbolic link to outside the library folder; skipped")
        try:
            info = os.stat(path)
        except OSError as error:
            raise SkippedFile(f"symbolic link to nothing readable: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = NOT_REGULAR.get(stat.S_IFMT(info.st_mode), "not a file")
        raise SkippedFile(f"not a regular file ({kind}); skipped")
    if info.st_size > max_bytes:
        raise SkippedFile(
            f"file is {size_text(info.st_size)}, over the {size_text(max_bytes)} limit "
            "(max_page_bytes); skipped"
        )
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise SkippedFile(f"cannot read file: {error.strerror}") from None
    try:
        opened = os.fstat(descriptor)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise SkippedFile("file was replaced while it was read; skipped")
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(descriptor, min(READ_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise SkippedFile(f"cannot read file: {error.strerror}") from None
    finally:
        os.close(descriptor)
    if total > max_bytes:
        raise SkippedFile(
            f"file grew over the {size_text(max_bytes)} limit (max_page_bytes) while it was read; "
            "skipped"
        )
    return b"".join(chunks)


def load_knowledge(
    root: str | os.PathLike[str],
    limits: LoadLimits = DEFAULT_LIMITS,
    stop: threading.Event | None = None,
    reuse: Mapping[str, ParsedFile] | None = None,
) -> KnowledgeBase:
    """Loads every page below root. Raises LibraryNotFound only when root itself is unusable,
    and LoadCancelled when `stop` is set (checked between files).

    `reuse` is an earlier load's `parsed`: a file with the same bytes keeps its Page object,
    which spares parsing it again and lets the old and the new library share it in memory.
    """
    started = time.perf_counter()
    root_path = Path(root)
    if not root_path.is_dir():
        raise LibraryNotFound(f"knowledge folder not found: {root}")
    if not os.access(root_path, os.R_OK | os.X_OK):
        raise LibraryNotFound(f"knowledge folder is not readable: {root}")
    real_root = os.path.realpath(root_path)

    diagnostics: list[Diagnostic] = []
    pages: dict[str, Page] = {}
    names: dict[str, Page] = {}
    parsed: dict[str, ParsedFile] = {}
    files = page_files(root_path)
    found = len(files)
    if len(files) > limits.max_pages:
        over = files[limits.max_pages :]
        diagnostics.append(
            Diagnostic(
                str(over[0]),
                1,
                Level.ERROR,
                f"the library has {len(files):,} page files, over the limit of "
                f"{limits.max_pages:,} (max_pages): this file and the {len(over) - 1:,} after "
                "it (in name order) were not loaded",
            )
        )
        files = files[: limits.max_pages]
    for file in files:
        if stop is not None and stop.is_set():
            raise LoadCancelled(str(root))
        path = str(file)
        try:
            data = read_library_file(file, real_root, limits.max_page_bytes)
        except SkippedFile as skipped:
            diagnostics.append(Diagnostic(path, 1, Level.ERROR, str(skipped)))
            continue
        digest = hashlib.blake2b(data, digest_size=16).digest()
        earlier = reuse.get(path) if reuse is not None else None
        if earlier is None or earlier.digest != digest:
            page, found_problems = parse_page(data, path)
            earlier = ParsedFile(digest, page, tuple(found_problems))
        parsed[path] = earlier
        page = earlier.page
        diagnostics.extend(earlier.diagnostics)
        if page.slug in pages:
            first = pages[page.slug]
            diagnostics.append(
                Diagnostic(
                    path,
                    page.line,
                    Level.ERROR,
                    f"duplicate slug '{page.slug}' (also {first.path}); page skipped",
                )
            )
            continue
        name_key = normalise_heading(page.name)
        if name_key in names:
            other = names[name_key]
            diagnostics.append(
                Diagnostic(
                    path,
                    page.line,
                    Level.WARNING,
                    f"duplicate exercise name '{page.name}' (also {other.path})",
                )
            )
        else:
            names[name_key] = page
        pages[page.slug] = page

    synonyms = load_synonyms(root_path / SYNONYMS_FILE, diagnostics, real_root, limits)
    stats = LoadStats(
        files=found,
        pages=len(pages),
        faq_entries=sum(len(page.faq) for page in pages.values()),
        steps=sum(len(page.steps) for page in pages.values()),
        errors=error_count(diagnostics),
        warnings=sum(1 for d in diagnostics if d.level is Level.WARNING),
        seconds=time.perf_counter() - started,
    )
    return KnowledgeBase(
        root=str(root),
        pages=MappingProxyType(pages),
        diagnostics=tuple(diagnostics),
        synonyms=MappingProxyType(synonyms),
        stats=stats,
        parsed=MappingProxyType(parsed),
    )


def load_synonyms(
    path: Path, diagnostics: list[Diagnostic], real_root: str, limits: LoadLimits
) -> dict[str, str]:
    """Reads `term: meaning` pairs; anything else is reported with its line and skipped."""
    if not os.path.lexists(path):
        return {}
    where = str(path)
    try:
        data = read_library_file(path, real_root, limits.max_page_bytes)
    except SkippedFile as skipped:
        diagnostics.append(Diagnostic(where, 1, Level.ERROR, str(skipped)))
        return {}
    try:
        node = yaml.compose(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        # A YAML error's str() spans several lines (context, caret); a diagnostic is one line.
        detail = " ".join(str(getattr(error, "problem", None) or error).split())
        diagnostics.append(Diagnostic(where, line, Level.ERROR, f"cannot read synonyms: {detail}"))
        return {}
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        diagnostics.append(
            Diagnostic(where, 1, Level.ERROR, "synonyms must map a term to its meaning")
        )
        return {}
    synonyms: dict[str, str] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(value_node, yaml.ScalarNode) or not str(value_node.value).strip():
            diagnostics.append(
                Diagnostic(
                    where,
                    line,
                    Level.ERROR,
                    f"synonym '{key_node.value}' needs one phrase as its meaning",
                )
            )
            continue
        synonyms[str(key_node.value).strip().lower()] = str(value_node.value).strip().lower()
    return synonyms
