"""config.example.yaml documents every setting with its default, and loads as such."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings

EXAMPLE = Path(__file__).parents[1] / "config.example.yaml"


def test_the_example_config_is_the_defaults(tmp_path: Path) -> None:
    loaded = load_settings(EXAMPLE, environ={}, dotenv=tmp_path / ".env")
    assert loaded == Settings()
    text = EXAMPLE.read_text(encoding="utf-8")
    undocumented = [
        f.name
        for f in fields(Settings)
        if f.name not in ("token", "api_base", "gateway_url") and f"\n{f.name}:" not in text
    ]
    assert undocumented == []


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("off", False), ("yes", True)])
def test_auto_answer_setting(tmp_path: Path, value: str, expected: bool) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"auto_answer: {value}\n")
    assert load_settings(config, environ={}, dotenv=tmp_path / ".env").auto_answer is expected


def test_bad_auto_answer_value_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("auto_answer: sometimes\n")
    with pytest.raises(ConfigError, match="'auto_answer' has an invalid value 'sometimes'"):
        load_settings(config, environ={}, dotenv=tmp_path / ".env")


def test_a_retired_setting_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("view_timeout_seconds: 600\ncooldown_rate: 5\n")
    loaded = load_settings(config, environ={}, dotenv=tmp_path / ".env")
    assert loaded == Settings(cooldown_rate=5)
    assert "'view_timeout_seconds' is ignored: buttons no longer time out" in caplog.text


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("database_failure: ignore\n", "'database_failure' must be one of: stop, continue"),
        ("discord_timeout_seconds: 0\n", "'discord_timeout_seconds' must be more than 0"),
        ("discord_timeout_seconds: soon\n", "'discord_timeout_seconds' has an invalid value"),
    ],
)
def test_bad_failure_settings_are_clear_errors(tmp_path: Path, line: str, message: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(line)
    with pytest.raises(ConfigError, match=message):
        load_settings(config, environ={}, dotenv=tmp_path / ".env")


def test_answer_wording_and_page_url_settings(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("sure_confidence: 0.9\npage_url: https://gym.example/exercises/{slug}.html\n")
    loaded = load_settings(config, environ={}, dotenv=tmp_path / ".env")
    assert loaded.sure_confidence == 0.9
    assert loaded.page_url == "https://gym.example/exercises/{slug}.html"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("sure_confidence: 1.5", "'sure_confidence' must be between 0 and 1"),
        ("page_url: https://gym.example/exercises/", "'page_url' must be an http(s) address"),
        ("page_url: ftp://gym.example/{slug}", "'page_url' must be an http(s) address"),
        ("page_url: https://gym example/{slug}", "'page_url' must be an http(s) address"),
    ],
)
def test_bad_answer_settings_are_clear_errors(tmp_path: Path, line: str, message: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(line + "\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(config, environ={}, dotenv=tmp_path / ".env")


def test_database_url_wins_over_the_path_and_is_checked(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("database_path: data/other.sqlite3\n")
    env = {"SPOTTER_DATABASE_URL": "postgresql://spotter:secret@127.0.0.1:5432/spotter"}
    assert load_settings(config, environ={}, dotenv=tmp_path / ".env").database == Path(
        "data/other.sqlite3"
    )
    loaded = load_settings(config, environ=env, dotenv=tmp_path / ".env")
    assert loaded.database == env["SPOTTER_DATABASE_URL"]
    config.write_text("database_url: mysql://localhost/spotter\n")
    with pytest.raises(ConfigError, match="'database_url' must start with sqlite:///"):
        load_settings(config, environ={}, dotenv=tmp_path / ".env")


@pytest.mark.parametrize(
    ("lines", "shards", "summary"),
    [
        ("", None, "not sharded (one gateway connection)"),
        ("shard_count: 4\n", None, "shards 0-3 of 4"),
        ("shard_count: 8\nshards: 0-3\n", (0, 1, 2, 3), "shards 0-3 of 8"),
        ("shard_count: 8\nshards: 0,2, 5-6\n", (0, 2, 5, 6), "shards 0, 2, 5-6 of 8"),
        ("shard_count: 8\nshards: [7, 1]\n", (1, 7), "shards 1, 7 of 8"),
        ("shard_count: 2\nshards: 1\n", (1,), "shard 1 of 2"),
    ],
)
def test_shard_settings(tmp_path: Path, lines: str, shards: object, summary: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(lines)
    loaded = load_settings(config, environ={}, dotenv=tmp_path / ".env")
    assert loaded.shards == shards
    assert loaded.shards_summary == summary


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("shards: 0-3\n", "'shards' needs 'shard_count' (--shard-count)"),
        ("shard_count: 2\nshards: 0-3\n", "'shards' 2-3 are outside shard_count 2: shard ids"),
        ("shard_count: 2\nshards: 2\n", "'shards' 2 is outside shard_count 2"),
        ("shard_count: 8\nshards: 3-1\n", "'shards' has an invalid value '3-1' (shard ids like"),
        ("shard_count: 8\nshards: all\n", "'shards' has an invalid value 'all'"),
        ("shard_count: 0\n", "'shard_count' must be from 1 to 100,000"),
    ],
)
def test_bad_shard_settings_are_clear_errors(tmp_path: Path, lines: str, message: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(lines)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(config, environ={}, dotenv=tmp_path / ".env")


def test_shards_from_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("")
    env = {"SPOTTER_SHARDS": "4-7", "SPOTTER_SHARD_COUNT": "8"}
    loaded = load_settings(config, environ=env, dotenv=tmp_path / ".env")
    assert (loaded.shards, loaded.shard_count) == ((4, 5, 6, 7), 8)
