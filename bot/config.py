"""Settings: config.yaml, then the environment (and `.env`), each checked with a clear message.

The token is only ever read from the environment or `.env`, never from config.yaml, and is
kept out of every repr and log line.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args

import yaml

from bot.core.loader import DEFAULT_MAX_PAGE_BYTES, DEFAULT_MAX_PAGES, LoadLimits
from bot.core.render import SURE_CONFIDENCE
from bot.storage.database import DATABASE_URL_PREFIXES
from bot.storage.records import Visibility

VISIBILITIES = get_args(Visibility)

CONFIG_ENV = "SPOTTER_CONFIG"
DEFAULT_CONFIG_FILE = "config.yaml"
RELOAD_POLICIES = ("partial", "strict")
DATABASE_FAILURES = ("stop", "continue")
MAX_SHARDS = 100_000  # far above the largest bots' shard counts; bounds a range like 0-99999
# Settings an older Spotter had: still accepted in config.yaml, with a warning, so an old
# file keeps working. Name -> why it no longer matters.
RETIRED_SETTINGS = {
    "view_timeout_seconds": "buttons no longer time out; they keep working, across restarts too",
}

log = logging.getLogger(__name__)


class ConfigError(Exception):
    """A setting is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path = Path("knowledge")
    database_path: Path = Path("data/spotter.sqlite3")
    # The database as a URL: sqlite:///path/to/file.sqlite3 or postgresql://user:password@
    # host:port/name (the `postgres` extra). When set it wins over database_path; unset, the
    # bot uses the SQLite file at database_path (sqlite:///data/spotter.sqlite3).
    database_url: str | None = field(default=None, repr=False)  # may hold a password
    # A database that cannot be used at start (read-only, damaged, newer schema): "stop"
    # refuses to start; "continue" runs without it (no question log, votes or saved settings).
    database_failure: str = "stop"
    # The engine abstains below this confidence (0..1); auto-answer needs the stricter one.
    min_confidence: float = 0.5
    # At least this sure, an answer is given plainly; between min_confidence and this it is
    # introduced as "probably" and shown with the other exercises it could be.
    sure_confidence: float = SURE_CONFIDENCE
    # Auto-answer (unprompted replies in channels a server picks with /settings) reads every
    # message, so it needs the privileged Message Content intent: off unless asked for.
    auto_answer: bool = False
    auto_answer_min_confidence: float = 0.75
    # A question that names no exercise ("and how many reps?") follows the answer it replies
    # to, or for this long the last answer in its thread or to its asker in the channel; 0: off.
    followup_minutes: float = 5.0
    ask_visibility: str = "public"
    exercise_visibility: str = "private"
    # Where an exercise's own web page is, for pages whose front matter names no url:
    # "https://example.com/exercises/{slug}". None: only pages that name one are linked.
    page_url: str | None = None
    delete_button_seconds: float = 300.0
    # Questions per user: `cooldown_rate` questions every `cooldown_seconds`.
    cooldown_rate: int = 3
    cooldown_seconds: float = 30.0
    moderator_roles: tuple[str, ...] = ()
    allow_dms: bool = True
    reload_policy: str = "partial"
    # A reload still building after this long is abandoned: the old library stays.
    reload_timeout_seconds: float = 120.0
    # What a load reads at most: bytes per page file, and page files in all.
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    max_pages: int = DEFAULT_MAX_PAGES
    watch_knowledge: bool = False
    watch_debounce_seconds: float = 2.0
    # Commit changes made from Discord when knowledge_dir is a git work tree.
    library_git_commits: bool = False
    retention_days: int | None = 90
    # Sharding: the bot's total number of gateway shards (the same in every process), and the
    # ones this process runs ("0-3", "4,5", [0, 1]; None: all of them). See "Running at scale".
    shard_count: int | None = None
    shards: tuple[int, ...] | None = None
    sync_on_start: bool = False
    sync_guild: int | None = None
    # On SIGTERM/Ctrl-C: how long to finish the interactions already accepted before telling
    # the members still waiting to ask again (a second signal ends it at once).
    shutdown_grace_seconds: float = 10.0
    log_level: str = "INFO"
    # Seconds to wait for Discord to connect or answer before giving up with a clear reason.
    discord_timeout_seconds: float = 30.0
    api_base: str | None = None
    gateway_url: str | None = None
    token: str | None = field(default=None, repr=False)

    @property
    def database(self) -> str | Path:
        """What the Store opens: database_url if set, else the file at database_path."""
        return self.database_url or self.database_path

    @property
    def own_shards(self) -> tuple[int, ...] | None:
        """The shards this process runs (None: not sharded, one connection)."""
        if self.shard_count is None:
            return None
        return self.shards if self.shards is not None else tuple(range(self.shard_count))

    @property
    def shards_summary(self) -> str:
        """This process's share of the gateway, for the log and /kb status: "shards 0-3 of 8"."""
        own = self.own_shards
        if own is None:
            return "not sharded (one gateway connection)"
        noun = "shard" if len(own) == 1 else "shards"
        return f"{noun} {shards_text(own)} of {self.shard_count}"

    @property
    def load_limits(self) -> LoadLimits:
        return LoadLimits(self.max_page_bytes, self.max_pages)


# Environment variables that override a setting: name -> (field, parser).
ENVIRONMENT = {
    "DISCORD_TOKEN": "token",
    "DISCORD_API_BASE": "api_base",
    "DISCORD_GATEWAY_URL": "gateway_url",
    "SPOTTER_KNOWLEDGE": "knowledge_dir",
    "SPOTTER_DATABASE": "database_path",
    "SPOTTER_DATABASE_URL": "database_url",
    "SPOTTER_LOG_LEVEL": "log_level",
    "SPOTTER_SHARDS": "shards",
    "SPOTTER_SHARD_COUNT": "shard_count",
}


def read_dotenv(path: Path) -> dict[str, str]:
    """Minimal `.env`: KEY=value lines, `#` comments, optional quotes and `export`."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.removeprefix("export ").split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _coerce(name: str, value: Any, where: str) -> Any:
    default = Settings.__dataclass_fields__[name].default
    kind: Any = type(default)
    try:
        if name in ("knowledge_dir", "database_path"):
            return Path(str(value)).expanduser()
        if name in ("retention_days", "shard_count", "sync_guild"):
            return None if value in (None, "", "none", "null") else int(value)
        if name == "shards":
            return None if value in (None, "", "none", "null") else parse_shards(value)
        if name == "moderator_roles":
            items = [value] if isinstance(value, str) else list(value or [])
            return tuple(str(item).strip() for item in items if str(item).strip())
        if kind is bool:
            if isinstance(value, str):
                if value.lower() not in ("true", "false", "yes", "no", "1", "0", "on", "off"):
                    raise ValueError(value)
                return value.lower() in ("true", "yes", "1", "on")
            return bool(value)
        if kind in (int, float):
            return kind(value)
        return None if value is None else str(value)
    except (TypeError, ValueError):
        hint = " (shard ids like 0-3 or 0,2,5)" if name == "shards" else ""
        raise ConfigError(f"{where}: '{name}' has an invalid value {value!r}{hint}") from None


def _check(settings: Settings) -> Settings:
    for name in ("min_confidence", "sure_confidence", "auto_answer_min_confidence"):
        if not 0.0 <= getattr(settings, name) <= 1.0:
            raise ConfigError(f"'{name}' must be between 0 and 1")
    for name in ("ask_visibility", "exercise_visibility"):
        if getattr(settings, name) not in VISIBILITIES:
            raise ConfigError(f"'{name}' must be one of: {', '.join(VISIBILITIES)}")
    if settings.page_url is not None:
        _check_page_url(settings.page_url)
    if settings.reload_policy not in RELOAD_POLICIES:
        raise ConfigError(f"'reload_policy' must be one of: {', '.join(RELOAD_POLICIES)}")
    if settings.database_url is not None and not settings.database_url.startswith(
        DATABASE_URL_PREFIXES
    ):
        raise ConfigError(
            "'database_url' must start with sqlite:/// (a file) or postgresql:// (a server), "
            "like 'postgresql://spotter:password@127.0.0.1:5432/spotter'"
        )
    if settings.database_failure not in DATABASE_FAILURES:
        raise ConfigError(f"'database_failure' must be one of: {', '.join(DATABASE_FAILURES)}")
    if settings.followup_minutes < 0:
        raise ConfigError("'followup_minutes' must not be negative (0 turns follow-ups off)")
    if not settings.discord_timeout_seconds > 0:
        raise ConfigError("'discord_timeout_seconds' must be more than 0")
    if settings.cooldown_rate < 1 or settings.cooldown_seconds < 0:
        raise ConfigError("'cooldown_rate' must be at least 1 and 'cooldown_seconds' not negative")
    if not 0 <= settings.shutdown_grace_seconds <= 3600:
        raise ConfigError("'shutdown_grace_seconds' must be between 0 and 3600")
    if settings.reload_timeout_seconds <= 0:
        raise ConfigError("'reload_timeout_seconds' must be more than 0")
    if settings.max_page_bytes < 1 or settings.max_pages < 1:
        raise ConfigError("'max_page_bytes' and 'max_pages' must be at least 1")
    if settings.shard_count is not None and not 1 <= settings.shard_count <= MAX_SHARDS:
        raise ConfigError(f"'shard_count' must be from 1 to {MAX_SHARDS:,}")
    _check_shards(settings.shards, settings.shard_count)
    return settings


def parse_shards(value: Any) -> tuple[int, ...]:
    """Shard ids from "0-3", "0,2,5", "0-3,8" or a list of numbers: sorted, each once.
    Raises ValueError."""
    if isinstance(value, int) and not isinstance(value, bool):
        parts: list[Any] = [value]
    elif isinstance(value, list | tuple):
        parts = list(value)
    elif isinstance(value, str):
        parts = [part.strip() for part in value.split(",")]
    else:
        raise ValueError(value)
    ids: set[int] = set()
    for part in parts:
        if isinstance(part, str) and re.fullmatch(r"\d+\s*-\s*\d+", part):
            first, last = (int(n) for n in part.split("-"))
            if first > last or last >= MAX_SHARDS:
                raise ValueError(part)
            ids.update(range(first, last + 1))
        elif isinstance(part, int | str) and not isinstance(part, bool) and str(part).isdigit():
            ids.add(int(part))
        else:
            raise ValueError(part)
    if not ids:
        raise ValueError(value)
    return tuple(sorted(ids))


def shards_text(shards: tuple[int, ...]) -> str:
    """Shard ids as an operator writes them: "0-3", "0-3, 8", "5"."""
    runs: list[str] = []
    start = previous = shards[0]
    for shard in (*shards[1:], None):
        if shard is not None and shard == previous + 1:
            previous = shard
            continue
        runs.append(str(start) if start == previous else f"{start}-{previous}")
        if shard is not None:
            start = previous = shard
    return ", ".join(runs)


def _check_shards(shards: tuple[int, ...] | None, shard_count: int | None) -> None:
    if shards is None:
        return
    if shard_count is None:
        raise ConfigError(
            "'shards' needs 'shard_count' (--shard-count): the bot's total number of shards, "
            "the same in every process"
        )
    outside = tuple(shard for shard in shards if shard >= shard_count)
    if outside:
        verb = "is" if len(outside) == 1 else "are"
        raise ConfigError(
            f"'shards' {shards_text(outside)} {verb} outside shard_count {shard_count}: "
            f"shard ids run from 0 to {shard_count - 1}"
        )


def with_overrides(settings: Settings, **values: Any) -> Settings:
    """Settings with some replaced by command-line values (strings or numbers), coerced and
    checked like config.yaml's. Raises ConfigError."""
    given = {
        name: _coerce(name, value, "command line")
        for name, value in values.items()
        if value is not None
    }
    return _check(replace(settings, **given))


def _check_page_url(pattern: str) -> None:
    """An http(s) address with `{slug}` where the page's slug goes."""
    filled = pattern.replace("{slug}", "a-slug")
    if "{slug}" not in pattern or not re.fullmatch(r"https?://[^\s/]+\S*", filled):
        raise ConfigError(
            "'page_url' must be an http(s) address with {slug} in it, "
            "like 'https://example.com/exercises/{slug}'"
        )


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    environ: dict[str, str] | None = None,
    dotenv: str | os.PathLike[str] = ".env",
) -> Settings:
    """config.yaml (if any) < .env < the process environment."""
    env = {**read_dotenv(Path(dotenv)), **(os.environ if environ is None else environ)}
    explicit = config_path or env.get(CONFIG_ENV)
    path = Path(explicit) if explicit else Path(DEFAULT_CONFIG_FILE)
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except yaml.YAMLError as error:
            raise ConfigError(f"{path}: not valid YAML: {error}") from None
        if not isinstance(loaded, dict):
            raise ConfigError(f"{path}: expected 'setting: value' lines")
        known = {f.name for f in fields(Settings)} - {"token"}
        for key, value in loaded.items():
            if key == "token":
                raise ConfigError(
                    f"{path}: put the token in DISCORD_TOKEN (environment or .env), not here"
                )
            if key in RETIRED_SETTINGS:
                log.warning("%s: '%s' is ignored: %s", path, key, RETIRED_SETTINGS[key])
                continue
            if key not in known:
                raise ConfigError(f"{path}: unknown setting '{key}' (see config.example.yaml)")
            values[key] = _coerce(key, value, str(path))
    elif explicit:
        raise ConfigError(f"config file not found: {path}")
    for variable, name in ENVIRONMENT.items():
        if env.get(variable):
            values[name] = _coerce(name, env[variable], variable)
    return _check(Settings(**values))
