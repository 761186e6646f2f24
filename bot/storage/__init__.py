"""Spotter's storage: one SQLite file holding the question log, feedback votes,
per-guild settings and the audit of library changes. Plain asyncio + aiosqlite; nothing
here knows about Discord.

    async with Store.open("data/spotter.sqlite3", retention_days=90) as store:
        store.log_question(QuestionRecord.new("how deep should I squat?", source="slash"))
"""

from bot.core.insights import Gap, Stats
from bot.storage.records import (
    SOURCES,
    GuildSettings,
    LibraryChange,
    QuestionRecord,
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
    "QuestionRecord",
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
