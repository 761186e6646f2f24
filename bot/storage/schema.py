"""The schema migrations shipped in ``migrations/``: numbered ``NNNN_name.sql`` files.

Forward only. Version N is the file numbered N; the database's ``PRAGMA user_version``
says which versions it already has. Numbers must run 1, 2, 3... without holes.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from bot.storage.records import StorageError

_FILE_NAME = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def split_statements(script: str, *, name: str = "<script>") -> tuple[str, ...]:
    """Split a SQL script into single statements (what ``sqlite3.execute`` accepts).

    Statements end at a line whose accumulated text SQLite calls complete, so a
    statement may span lines (and a trigger's ``BEGIN ... END;`` stays whole), but two
    statements must not share a line.
    """
    statements: list[str] = []
    pending: list[str] = []
    for line in script.splitlines(keepends=True):
        pending.append(line)
        text = "".join(pending)
        if sqlite3.complete_statement(text):
            statements.append(text.strip())
            pending = []
    leftover = [
        line for line in "".join(pending).splitlines() if line.strip() and not _comment(line)
    ]
    if leftover:
        raise ValueError(f"{name}: incomplete SQL statement at the end: {leftover[0].strip()!r}")
    return tuple(statements)


def _comment(line: str) -> bool:
    return line.lstrip().startswith("--")


@functools.cache
def load_migrations() -> tuple[Migration, ...]:
    """All shipped migrations, in version order. Raises RuntimeError if misnumbered."""
    folder = resources.files(__package__).joinpath("migrations")
    found: dict[int, Migration] = {}
    for entry in folder.iterdir():
        match = _FILE_NAME.fullmatch(entry.name)
        if match is None:
            continue
        version = int(match.group(1))
        if version in found:
            raise RuntimeError(f"two migrations are numbered {version}: {entry.name}")
        statements = split_statements(entry.read_text(encoding="utf-8"), name=entry.name)
        found[version] = Migration(version, entry.name, statements)
    versions = sorted(found)
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 1, 2, 3... without holes, got {versions}")
    return tuple(found[v] for v in versions)


def latest_version() -> int:
    return load_migrations()[-1].version


def check_version(location: object, version: int, *, other: str) -> None:
    """Refuse a database a newer Spotter has migrated past what this one knows. `other`:
    what to use instead ("file", "database")."""
    latest = latest_version()
    if version > latest:
        raise StorageError(
            f"database {location} is at schema version {version} but this Spotter knows only "
            f"up to {latest}; upgrade Spotter or use another {other}"
        )
