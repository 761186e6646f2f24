"""A folder of Markdown pages -> KnowledgeBase. Bad files are reported; the rest loads."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from bot.core.model import Diagnostic, Level, Page
from bot.core.parsing import normalise_heading, parse_page

SYNONYMS_FILE = "synonyms.yaml"
# Files in the library folder that are not exercise pages.
NOT_PAGES = frozenset({"readme.md", "contributing.md", "index.md"})


class LibraryNotFound(Exception):
    """The library folder is missing or unreadable: nothing to load at all."""


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
class KnowledgeBase:
    root: str
    pages: Mapping[str, Page] = field(default_factory=lambda: MappingProxyType({}))
    diagnostics: tuple[Diagnostic, ...] = ()
    # Library-specific vocabulary from synonyms.yaml: what users type -> the library's words.
    synonyms: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    stats: LoadStats = LoadStats()

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


def load_knowledge(root: str | os.PathLike[str]) -> KnowledgeBase:
    """Loads every page below root. Raises LibraryNotFound only when root itself is unusable."""
    started = time.perf_counter()
    root_path = Path(root)
    if not root_path.is_dir():
        raise LibraryNotFound(f"knowledge folder not found: {root}")
    if not os.access(root_path, os.R_OK | os.X_OK):
        raise LibraryNotFound(f"knowledge folder is not readable: {root}")

    diagnostics: list[Diagnostic] = []
    pages: dict[str, Page] = {}
    names: dict[str, Page] = {}
    files = page_files(root_path)
    for file in files:
        path = str(file)
        try:
            data = file.read_bytes()
        except OSError as error:
            diagnostics.append(
                Diagnostic(path, 1, Level.ERROR, f"cannot read file: {error.strerror}")
            )
            continue
        page, page_diagnostics = parse_page(data, path)
        diagnostics.extend(page_diagnostics)
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

    synonyms = load_synonyms(root_path / SYNONYMS_FILE, diagnostics)
    stats = LoadStats(
        files=len(files),
        pages=len(pages),
        faq_entries=sum(len(page.faq) for page in pages.values()),
        steps=sum(len(page.steps) for page in pages.values()),
        errors=sum(1 for d in diagnostics if d.level is Level.ERROR),
        warnings=sum(1 for d in diagnostics if d.level is Level.WARNING),
        seconds=time.perf_counter() - started,
    )
    return KnowledgeBase(
        root=str(root),
        pages=MappingProxyType(pages),
        diagnostics=tuple(diagnostics),
        synonyms=MappingProxyType(synonyms),
        stats=stats,
    )


def load_synonyms(path: Path, diagnostics: list[Diagnostic]) -> dict[str, str]:
    """Reads `term: meaning` pairs; anything else is reported with its line and skipped."""
    if not path.is_file():
        return {}
    where = str(path)
    try:
        node = yaml.compose(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
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
