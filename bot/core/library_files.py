"""Changing files in the library folder safely: whole-file atomic writes and a restorable trash.

No Discord here. Blocking (file I/O, fsync): callers run these in a thread.

An atomic write puts the new bytes in a temporary file next to the target, flushes it to the
disk and renames it over the target (`os.replace`), so a crash at any moment leaves either the
old file or the new one, never half of one. Temporary names start with "." so the loader and
the folder watcher never read one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from datetime import UTC, datetime
from pathlib import Path

TRASH_DIR = ".trash"  # inside the library; the loader skips folders starting with "."
NEW_FILE_MODE = 0o644  # before the umask: readable by whoever reads the library


class UnsafePath(ValueError):
    """A path that would land outside the library folder (or in its trash)."""


def inside_library(root: str | os.PathLike[str], relative: str) -> Path:
    """root / relative, refused unless it stays inside root and out of hidden folders.

    `relative` uses "/" separators (as zip entries and the CLI print them)."""
    parts = relative.replace("\\", "/").split("/")
    if relative.startswith(("/", "\\")) or any(part in ("", ".", "..") for part in parts):
        raise UnsafePath(f"'{relative}' is not a plain path inside the library")
    if any(part.startswith(".") for part in parts):
        raise UnsafePath(f"'{relative}' names a hidden file or folder")
    base = Path(root).resolve()
    target = (base / Path(*parts)).resolve()
    if target == base or base not in target.parents:
        raise UnsafePath(f"'{relative}' points outside the library")
    return target


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace (or create) path with data, all or nothing. Raises OSError; the old file is
    then untouched and no temporary file is left behind."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)  # keep an edited page's mode
    except FileNotFoundError:
        mode = None  # a new page: NEW_FILE_MODE less the umask, as the kernel applies it
    temp_name = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    handle = os.open(temp_name, flags, NEW_FILE_MODE)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            if mode is not None:
                os.chmod(temp_name, mode)
            os.fsync(temp.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_folder(target.parent)  # makes the rename itself survive a power cut


def move_to_trash(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """Move a page into root/.trash/ (same relative path; a timestamp is added when a page of
    that name is already there). Returns the new path. Restoring is moving it back."""
    base = Path(root).resolve()
    source = Path(path).resolve()
    if base not in source.parents:
        raise UnsafePath(f"{path} is not inside the library {root}")
    relative = source.relative_to(base)
    if relative.parts[0] == TRASH_DIR:
        raise UnsafePath(f"{relative} is in the trash already")
    target = base / TRASH_DIR / relative
    if target.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = target.with_name(f"{target.stem}.{stamp}{target.suffix}")
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)  # same file system: a rename, atomic
    _fsync_folder(source.parent)
    _fsync_folder(target.parent)
    return target


def _fsync_folder(folder: Path) -> None:
    # Not every platform can open a folder (Windows); the rename is still atomic there.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
