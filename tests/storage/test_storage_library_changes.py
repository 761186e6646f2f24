"""The audit of library changes made from Discord: recorded, listed newest first, kept across
restarts, and refused clearly when the database cannot be used."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.storage import LibraryChange, StorageError, Store

START = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def change(minutes: int, action: str = "upload", **fields) -> LibraryChange:
    values = {
        "guild_id": 7,
        "user_id": 1001,
        "user_name": "alice",
        "action": action,
        "pages": ("wall-sit.md",),
        "summary": f"change {minutes}",
        "created_at": START + timedelta(minutes=minutes),
        **fields,
    }
    return LibraryChange(**values)


async def test_changes_are_kept_and_listed_newest_first(database, query) -> None:
    async with Store.open(database) as store:
        assert await store.library_changes() == []
        for minutes, action in ((0, "upload"), (5, "remove"), (2, "add_faq")):
            await store.record_library_change(change(minutes, action))
    async with Store.open(database) as store:
        latest = await store.library_changes(limit=2)
    assert [(c.summary, c.action) for c in latest] == [
        ("change 5", "remove"),
        ("change 2", "add_faq"),
    ]
    assert latest[0] == change(5, "remove")
    assert query(database, "SELECT pages, user_id FROM library_changes LIMIT 1") == [
        ('["wall-sit.md"]', 1001)
    ]


def test_a_change_is_checked() -> None:
    with pytest.raises(ValueError, match="action must be one of"):
        change(0, "rename")
    with pytest.raises(ValueError, match="timezone-aware"):
        change(0, created_at=datetime(2025, 1, 1))
    for not_an_id in (True, "1001", 0):
        with pytest.raises(ValueError, match="user_id must be a whole number"):
            change(0, user_id=not_an_id)
    assert change(0, pages=["a.md"]).pages == ("a.md",)


async def test_an_unusable_database_refuses_with_a_storage_error(database) -> None:
    store = Store.unavailable(database, "the disk is gone")
    assert store.backend in ("SQLite", "PostgreSQL") and store.location
    with pytest.raises(StorageError, match="the disk is gone"):
        await store.record_library_change(change(0))
    with pytest.raises(StorageError, match="the disk is gone"):
        await store.library_changes()
