"""Spotter's storage: one SQLite file or PostgreSQL database holding the question log,
feedback votes, per-guild settings, the audit of library changes and the bot's processes.
Plain asyncio + aiosqlite or asyncpg; nothing here knows about Discord.

    async with Store.open("data/spotter.sqlite3", retention_days=90) as store:
        store.log_question(QuestionRecord.new("how deep should I squat?", source="slash"))
"""

from bot.core.insights import Gap, Stats
from bot.storage.records import (
    SOURCES,
    GuildSettings,
    LibraryChange,
    ProcessRecord,
    QuestionRecord,
    ReloadNotice,
    Source,
    StorageError,
    StoreHealth,
    StoreState,
    Visibility,
    Vote,
    VoteStatus,
)
from bot.storage.store import Store

__all__ = [
    "SOURCES",
    "Gap",
    "GuildSettings",
    "LibraryChange",
    "ProcessRecord",
    "QuestionRecord",
    "ReloadNotice",
    "Source",
    "Stats",
    "StorageError",
    "Store",
    "StoreHealth",
    "StoreState",
    "Visibility",
    "Vote",
    "VoteStatus",
]
