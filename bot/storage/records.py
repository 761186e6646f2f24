"""Plain data the storage layer takes and returns. No I/O, no SQL."""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal, get_args


class StorageError(Exception):
    """The database could not be opened, read or written; the message says why."""


class StoreState(StrEnum):
    OK = "ok"  # the last write (or the check at start) succeeded
    FAILING = "failing"  # question-log writes fail; rows wait in memory and are retried
    UNAVAILABLE = "unavailable"  # the file could not be used at start; nothing is written


@dataclass(frozen=True, slots=True)
class StoreHealth:
    """What /kb status shows about the database."""

    state: StoreState
    backend: str  # "SQLite" or "PostgreSQL"
    location: str  # the file's path, or the server's URL without its password
    reason: str | None  # why it is failing or unavailable
    since: datetime | None  # when writes started failing
    pending: int  # question records waiting to be written
    capacity: int  # most records kept in memory while writes fail
    written: int  # records written since the store was opened
    dropped: int  # records lost: buffer overflow, or the store is unavailable


Source = Literal["slash", "mention", "context_menu", "auto_answer", "cli"]
SOURCES: frozenset[str] = frozenset(get_args(Source))

Visibility = Literal["public", "private"]
VISIBILITIES: frozenset[str] = frozenset(get_args(Visibility))

_QUESTION_ID = re.compile(r"[0-9a-f]{32}")


def new_question_id() -> str:
    """A random 128-bit id as 32 lowercase hex digits (fits a Discord custom_id)."""
    return secrets.token_hex(16)


def is_question_id(value: object) -> bool:
    return isinstance(value, str) and _QUESTION_ID.fullmatch(value) is not None


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    return number


def whole_number(name: str, value: object, *, low: int = 1, high: int | None = None) -> int:
    """``value`` if it is an int (not a bool) from ``low`` to ``high``; else ValueError."""
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and low <= value
        and (high is None or value <= high)
    ):
        return value
    span = f">= {low}" if high is None else f"from {low} to {high}"
    raise ValueError(f"{name} must be a whole number {span}, not {value!r}")


def _optional_int(name: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer id or None, not {value!r}")
    return value


def _optional_str(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name} must be a string or None, not {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """One question the bot was asked and what it did about it. Holds no user id."""

    id: str
    guild_id: int | None
    channel_id: int | None
    question: str
    source: Source
    slug: str | None
    section: str | None
    heading: str | None
    score: float
    answered: bool
    latency_ms: float
    created_at: datetime
    # From the asker's message or command to the reply sent; None until measured.
    reply_ms: float | None = None

    def __post_init__(self) -> None:
        if not is_question_id(self.id):
            raise ValueError(f"question id must be 32 lowercase hex digits, not {self.id!r}")
        if not isinstance(self.question, str):
            raise ValueError(f"question must be a string, not {self.question!r}")
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {sorted(SOURCES)}, not {self.source!r}")
        if not isinstance(self.answered, bool):
            raise ValueError(f"answered must be a bool, not {self.answered!r}")
        if not isinstance(self.created_at, datetime) or self.created_at.tzinfo is None:
            raise ValueError(
                f"created_at must be a timezone-aware datetime, not {self.created_at!r}"
            )
        _optional_int("guild_id", self.guild_id)
        _optional_int("channel_id", self.channel_id)
        for name in ("slug", "section", "heading"):
            _optional_str(name, getattr(self, name))
        object.__setattr__(self, "score", _number("score", self.score))
        object.__setattr__(self, "latency_ms", _number("latency_ms", self.latency_ms))
        if self.reply_ms is not None:
            object.__setattr__(self, "reply_ms", _number("reply_ms", self.reply_ms))
        object.__setattr__(self, "created_at", self.created_at.astimezone(UTC))

    @classmethod
    def new(
        cls,
        question: str,
        *,
        source: Source,
        guild_id: int | None = None,
        channel_id: int | None = None,
        slug: str | None = None,
        section: str | None = None,
        heading: str | None = None,
        score: float = 0.0,
        answered: bool = False,
        latency_ms: float = 0.0,
        created_at: datetime | None = None,
    ) -> QuestionRecord:
        """A record with a fresh random id, stamped now (UTC) unless created_at is given."""
        return cls(
            id=new_question_id(),
            guild_id=guild_id,
            channel_id=channel_id,
            question=question,
            source=source,
            slug=slug,
            section=section,
            heading=heading,
            score=score,
            answered=answered,
            latency_ms=latency_ms,
            created_at=created_at if created_at is not None else datetime.now(UTC),
        )


class VoteStatus(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Vote:
    """The outcome of one feedback click."""

    question_id: str
    helpful: bool
    status: VoteStatus


# Bounds for per-guild settings. Confidence values are on the same 0..1 scale as scores.
CONFIDENCE_RANGE = (0.0, 1.0)
COOLDOWN_RANGE = (0.0, 3600.0)
MAX_AUTO_ANSWER_CHANNELS = 50


def _confidence(name: str, value: object) -> float | None:
    if value is None:
        return None
    number = _number(name, value)
    low, high = CONFIDENCE_RANGE
    if not low <= number <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value!r}")
    return number


def _visibility(name: str, value: object) -> str | None:
    if value is None:
        return None
    if value not in VISIBILITIES:
        raise ValueError(f"{name} must be 'public' or 'private' (or None), not {value!r}")
    return str(value)


def _cooldown(name: str, value: object) -> float | None:
    if value is None:
        return None
    number = _number(name, value)
    low, high = COOLDOWN_RANGE
    if not low <= number <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} seconds, not {value!r}")
    return number


def _channels(name: str, value: object) -> tuple[int, ...]:
    if value is None:
        return ()
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set | frozenset):
        raise ValueError(f"{name} must be a list of channel ids, not {value!r}")
    channels: list[int] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 < item < 2**63:
            raise ValueError(f"{name} must hold positive integer channel ids, not {item!r}")
        if item not in channels:
            channels.append(item)
    if len(channels) > MAX_AUTO_ANSWER_CHANNELS:
        raise ValueError(f"{name} may hold at most {MAX_AUTO_ANSWER_CHANNELS} channels")
    if isinstance(value, set | frozenset):
        channels.sort()
    return tuple(channels)


_SETTING_CHECKS = {
    "min_confidence": _confidence,
    "ask_visibility": _visibility,
    "exercise_visibility": _visibility,
    "cooldown_seconds": _cooldown,
    "auto_answer_channels": _channels,
    "auto_answer_min_confidence": _confidence,
}


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """A guild's overrides. None (or an empty tuple) means: use the global default."""

    min_confidence: float | None = None
    ask_visibility: Visibility | None = None
    exercise_visibility: Visibility | None = None
    cooldown_seconds: float | None = None
    auto_answer_channels: tuple[int, ...] = ()
    auto_answer_min_confidence: float | None = None

    def __post_init__(self) -> None:
        for name, check in _SETTING_CHECKS.items():
            object.__setattr__(self, name, check(name, getattr(self, name)))


SETTING_NAMES: tuple[str, ...] = tuple(f.name for f in fields(GuildSettings))
if set(SETTING_NAMES) != set(_SETTING_CHECKS):  # pragma: no cover - a programming error
    raise RuntimeError("GuildSettings fields and their checks disagree")


def check_setting_names(changes: dict[str, Any]) -> None:
    unknown = sorted(set(changes) - set(SETTING_NAMES))
    if unknown:
        raise ValueError(
            f"unknown guild setting(s): {', '.join(unknown)}; "
            f"known settings are: {', '.join(SETTING_NAMES)}"
        )


LibraryAction = Literal["upload", "remove", "add_faq"]
LIBRARY_ACTIONS: frozenset[str] = frozenset(get_args(LibraryAction))


@dataclass(frozen=True, slots=True)
class LibraryChange:
    """A change a moderator made to the exercise library from Discord (the audit trail)."""

    guild_id: int | None
    user_id: int
    user_name: str
    action: LibraryAction
    pages: tuple[str, ...]  # files written or moved, relative to the library folder
    summary: str
    created_at: datetime

    def __post_init__(self) -> None:
        if self.action not in LIBRARY_ACTIONS:
            raise ValueError(
                f"action must be one of {sorted(LIBRARY_ACTIONS)}, not {self.action!r}"
            )
        _optional_int("guild_id", self.guild_id)
        whole_number("user_id", self.user_id)
        if not isinstance(self.created_at, datetime) or self.created_at.tzinfo is None:
            raise ValueError(
                f"created_at must be a timezone-aware datetime, not {self.created_at!r}"
            )
        object.__setattr__(self, "pages", tuple(str(page) for page in self.pages))
        object.__setattr__(self, "created_at", self.created_at.astimezone(UTC))


@dataclass(frozen=True, slots=True)
class ProcessRecord:
    """One of the bot's processes sharing the database, as it last said of itself."""

    name: str
    shards: str  # its share of the gateway, in words ("shards 0-3 of 8")
    library_version: str
    library_loaded_at: datetime
    started_at: datetime
    last_seen: datetime

    def __post_init__(self) -> None:
        for name in ("library_loaded_at", "started_at", "last_seen"):
            value = getattr(self, name)
            if not isinstance(value, datetime) or value.tzinfo is None:
                raise ValueError(f"{name} must be a timezone-aware datetime, not {value!r}")
            object.__setattr__(self, name, value.astimezone(UTC))


@dataclass(frozen=True, slots=True)
class ReloadNotice:
    """Another process reloaded the library on a moderator's word: reload too."""

    process: str  # the process that reloaded (its ProcessRecord.name)
    by: str  # who asked for it
