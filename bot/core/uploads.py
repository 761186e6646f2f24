"""Pages uploaded from Discord: unpacking and checking them, and planning what a write would do.

`collect_uploads` turns the attached files (Markdown pages, or a .zip of them) into named
pages, refusing anything unsafe: paths out of the library, links, other file types, too many
or too large files. `plan_upload` lints each page with the parser (the checks `spotter check`
runs) and compares it with the library being served: which pages would be added, changed or
removed, and what changed in their FAQ. `apply_upload` writes the pages of a plan that have no
errors, atomically. No Discord here; planning and writing do file I/O: run them in a thread.
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from bot.core.library_files import UnsafePath, inside_library, write_atomically
from bot.core.loader import DEFAULT_MAX_PAGE_BYTES, NOT_PAGES, size_text
from bot.core.model import Diagnostic, Level, Page, error_count
from bot.core.parsing import normalise_heading, parse_page

PAGE_SUFFIX = ".md"
MAX_ATTACHMENTS = 5  # attachment options of /kb upload
MAX_PAGES = 100  # pages in one upload, all attachments and zip entries together
MAX_ZIP_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 10 * 1024 * 1024  # all pages unpacked: a zip bomb stops here
# What archivers add by themselves (macOS Finder): skipped, not refused.
_ARCHIVE_LITTER = ("__MACOSX/",)
_LITTER_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})


class UploadRefused(Exception):
    """The upload as a whole cannot be used; the message says why, for the moderator."""


@dataclass(frozen=True, slots=True)
class UploadedFile:
    name: str  # where it would go, relative to the library folder, "/"-separated
    data: bytes


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a page of the library, or None. Pure: no file system."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return f"'{name}' is not a plain path inside the library"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"'{name}' points outside the library"
    if any(part.startswith((".", "_")) for part in parts):
        return f"'{name}': names starting with '.' or '_' are not loaded as pages"
    if not name.lower().endswith(PAGE_SUFFIX):
        return f"'{name}' is not a Markdown page (only {PAGE_SUFFIX} files can be uploaded)"
    if parts[-1].lower() in NOT_PAGES:
        return f"'{name}' is not loaded as an exercise page (README, CONTRIBUTING, index)"
    return None


def read_zip(
    archive_name: str, data: bytes, *, page_limit: int = DEFAULT_MAX_PAGE_BYTES
) -> list[UploadedFile]:
    """The pages in a zip file; UploadRefused if any entry is not a safe Markdown page or is
    larger than `page_limit` bytes (the loader's `max_page_bytes`: a page it would refuse)."""
    if len(data) > MAX_ZIP_BYTES:
        raise UploadRefused(
            f"{archive_name} is {size_text(len(data))}; at most {size_text(MAX_ZIP_BYTES)}"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UploadRefused(f"{archive_name} is not a zip file I can read ({error})") from None
    with archive:
        entries = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith(_ARCHIVE_LITTER)
            and PurePosixPath(info.filename).name.lower() not in _LITTER_NAMES
        ]
        if len(entries) > MAX_PAGES:
            raise UploadRefused(
                f"{archive_name} holds {len(entries)} files; at most {MAX_PAGES} pages at once"
            )
        declared = sum(info.file_size for info in entries)
        if declared > MAX_TOTAL_BYTES:
            raise UploadRefused(
                f"{archive_name} unpacks to {size_text(declared)}; "
                f"at most {size_text(MAX_TOTAL_BYTES)}"
            )
        pages: list[UploadedFile] = []
        for info in entries:
            name = info.filename
            if stat.S_ISLNK(info.external_attr >> 16):
                raise UploadRefused(f"{archive_name}: '{name}' is a symbolic link, not a page")
            problem = name_problem(name)
            if problem is not None:
                raise UploadRefused(f"{archive_name}: {problem}")
            if info.flag_bits & 0x1:
                raise UploadRefused(f"{archive_name}: '{name}' is encrypted")
            if info.file_size > page_limit:
                raise UploadRefused(
                    f"{archive_name}: '{name}' is {size_text(info.file_size)}; "
                    f"a page may be at most {size_text(page_limit)}"
                )
            try:
                with archive.open(info) as entry:
                    content = entry.read(page_limit + 1)  # sizes in a zip can lie
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error,
                    EOFError, OSError) as error:  # fmt: skip
                raise UploadRefused(f"{archive_name}: cannot read '{name}' ({error})") from None
            if len(content) > page_limit:
                raise UploadRefused(
                    f"{archive_name}: '{name}' is larger than {size_text(page_limit)}"
                )
            pages.append(UploadedFile(name, content))
    if not pages:
        raise UploadRefused(f"{archive_name} holds no Markdown pages")
    return pages


def collect_uploads(
    attachments: Sequence[tuple[str, bytes]], *, page_limit: int = DEFAULT_MAX_PAGE_BYTES
) -> list[UploadedFile]:
    """Attached files (name, bytes) -> the pages to plan; .zip files are unpacked. A page
    may be at most `page_limit` bytes (see read_zip)."""
    if not attachments:
        raise UploadRefused("attach at least one .md page or a .zip of pages")
    if len(attachments) > MAX_ATTACHMENTS:
        raise UploadRefused(f"at most {MAX_ATTACHMENTS} files at once; zip more pages together")
    pages: list[UploadedFile] = []
    for name, data in attachments:
        if name.lower().endswith(".zip"):
            pages.extend(read_zip(name, data, page_limit=page_limit))
            continue
        problem = name_problem(name)
        if problem is not None:
            raise UploadRefused(f"{problem}; attach .md pages or a .zip of them")
        if len(data) > page_limit:
            raise UploadRefused(
                f"'{name}' is {size_text(len(data))}; a page may be at most {size_text(page_limit)}"
            )
        pages.append(UploadedFile(name, data))
    if len(pages) > MAX_PAGES:
        raise UploadRefused(f"{len(pages)} pages; at most {MAX_PAGES} at once")
    if sum(len(page.data) for page in pages) > MAX_TOTAL_BYTES:
        raise UploadRefused(f"the pages add up to more than {size_text(MAX_TOTAL_BYTES)}")
    seen: dict[str, str] = {}
    for page in pages:
        key = page.name.lower()  # one file on a case-insensitive disk
        if key in seen and seen[key] == page.name:
            raise UploadRefused(f"two files are named '{page.name}'")
        if key in seen:
            raise UploadRefused(f"'{seen[key]}' and '{page.name}' would be the same file")
        seen[key] = page.name
    return pages


# -- what an upload would change ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FaqDiff:
    """FAQ questions added, removed, or kept with a different answer."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def faq_diff(old: Page | None, new: Page) -> FaqDiff:
    """Questions matched as the linter matches duplicates: case and punctuation aside."""
    before = {normalise_heading(e.question): e for e in old.faq} if old is not None else {}
    after = {normalise_heading(e.question): e for e in new.faq}
    return FaqDiff(
        added=tuple(e.question for key, e in after.items() if key not in before),
        removed=tuple(e.question for key, e in before.items() if key not in after),
        changed=tuple(
            e.question
            for key, e in after.items()
            if key in before and " ".join(before[key].answer.split()) != " ".join(e.answer.split())
        ),
    )


class Change(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REFUSED = "refused"  # has errors: never written


@dataclass(frozen=True, slots=True)
class PlannedPage:
    upload_name: str
    relative: str  # where it is written, relative to the library folder
    path: str
    data: bytes
    page: Page
    change: Change
    diagnostics: tuple[Diagnostic, ...]  # paths as uploaded
    faq: FaqDiff
    before_digest: str | None  # the file at `path` when planned (None: no file)
    removes: str | None = None  # a page whose file this one takes over (its slug changed)

    @property
    def errors(self) -> int:
        return error_count(self.diagnostics)


@dataclass(frozen=True, slots=True)
class UploadPlan:
    root: str
    pages: tuple[PlannedPage, ...]

    @property
    def to_write(self) -> tuple[PlannedPage, ...]:
        return tuple(p for p in self.pages if p.change in (Change.ADDED, Change.CHANGED))

    def named(self, change: Change) -> tuple[PlannedPage, ...]:
        return tuple(p for p in self.pages if p.change is change)

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(p.removes for p in self.to_write if p.removes)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(d for p in self.pages for d in p.diagnostics)

    @property
    def errors(self) -> int:
        return sum(p.errors for p in self.pages)

    def diagnostic_lines(self) -> list[str]:
        return [str(d) for d in self.diagnostics]


class LibraryChanged(Exception):
    """A file changed on disk between the preview and the confirmation."""


class WriteFailed(Exception):
    """A change stopped at one file (disk full, permissions...); `written` were done."""

    def __init__(self, written: list[str], failed: str, reason: str) -> None:
        done = f" ({', '.join(written)} written before it)" if written else ""
        super().__init__(f"Could not change {failed}: {reason}{done}")
        self.written = written


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        return None


def relative_to_root(root: str | Path, path: str) -> str:
    """A loaded page's path as moderators know it: relative to the library, "/"-separated."""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).name


def plan_upload(
    root: str | Path, pages: Mapping[str, Page], uploads: Iterable[UploadedFile]
) -> UploadPlan:
    """What writing `uploads` into the library at `root` would do, against the `pages` being
    served. A page replaces the page with its slug where that page lives (so a page fetched
    with /kb page and edited goes back to its own file); a new slug goes where it was named."""
    parsed = [(upload, *parse_page(upload.data, upload.name)) for upload in uploads]
    uploaded_slugs = {page.slug for _, page, _ in parsed}
    by_path = {Path(page.path).resolve(): page for page in pages.values()}
    staying = {
        normalise_heading(page.name): page
        for slug, page in pages.items()
        if slug not in uploaded_slugs
    }
    planned: list[PlannedPage] = []
    slugs: dict[str, str] = {}
    names: dict[str, str] = {}
    targets: dict[Path, str] = {}
    for upload, page, found in parsed:
        diagnostics = list(found)
        existing = pages.get(page.slug)
        relative = relative_to_root(root, existing.path) if existing else upload.name
        try:
            target = inside_library(root, relative)
        except UnsafePath as error:
            diagnostics.append(Diagnostic(upload.name, 1, Level.ERROR, str(error)))
            target = Path(root, relative)
        if page.slug in slugs:
            message = f"duplicate slug '{page.slug}' (also {slugs[page.slug]}); page skipped"
            diagnostics.append(Diagnostic(upload.name, page.line, Level.ERROR, message))
        elif target in targets:
            message = f"would be written to {relative}, as {targets[target]} is; page skipped"
            diagnostics.append(Diagnostic(upload.name, 1, Level.ERROR, message))
        slugs.setdefault(page.slug, upload.name)
        targets.setdefault(target, upload.name)
        # The loader's warning for one name on two pages, against the pages that stay.
        name_key = normalise_heading(page.name)
        namesake = staying.get(name_key)
        also = relative_to_root(root, namesake.path) if namesake else names.get(name_key)
        if also is not None:
            message = f"duplicate exercise name '{page.name}' (also {also})"
            diagnostics.append(Diagnostic(upload.name, page.line, Level.WARNING, message))
        names.setdefault(name_key, upload.name)
        before = _file_digest(target)
        if error_count(diagnostics):
            change = Change.REFUSED
        elif before == digest(upload.data):
            change = Change.UNCHANGED
        else:
            change = Change.CHANGED if existing is not None else Change.ADDED
        # The file belongs to a page whose slug nobody uploads: that page goes.
        at_target = by_path.get(target)
        removes = at_target.name if at_target and at_target.slug not in uploaded_slugs else None
        planned.append(
            PlannedPage(
                upload_name=upload.name,
                relative=relative,
                path=str(target),
                data=upload.data,
                page=page,
                change=change,
                diagnostics=tuple(sorted(diagnostics, key=lambda d: d.line)),
                faq=faq_diff(existing, page),
                before_digest=before,
                removes=removes,
            )
        )
    return UploadPlan(str(root), tuple(planned))


def apply_upload(plan: UploadPlan) -> list[str]:
    """Write the plan's pages that have no errors; returns their relative paths. Raises
    LibraryChanged (before writing anything) when a target file changed since the plan, and
    WriteFailed when a write fails (each page is whole: the old file or the new one)."""
    pages = plan.to_write
    for item in pages:
        if _file_digest(Path(item.path)) != item.before_digest:
            raise LibraryChanged(item.relative)
    written: list[str] = []
    for item in pages:
        try:
            write_atomically(item.path, item.data)
        except OSError as error:
            raise WriteFailed(written, item.relative, error.strerror or str(error)) from error
        written.append(item.relative)
    return written
