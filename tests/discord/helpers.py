"""Reading what Spotter sent: components, embeds, flags; and test settings."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.config import Settings
from tests.fakediscord import RecordedRequest

# The bundled library answers this with high confidence (an FAQ answer).
REPS_QUESTION = "how many reps for single leg calf raises"


def components(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every component of a message, in order, action rows flattened."""
    return [c for row in message.get("components") or [] for c in row.get("components", [])]


def custom_ids(message: Mapping[str, Any]) -> list[str]:
    return [c["custom_id"] for c in components(message) if "custom_id" in c]


def button(message: Mapping[str, Any], label: str) -> dict[str, Any]:
    for comp in components(message):
        if comp.get("label") == label:
            return comp
    raise LookupError(f"no button {label!r} in {[c.get('label') for c in components(message)]}")


def embed(message: Mapping[str, Any]) -> dict[str, Any]:
    (only,) = message["embeds"]
    return only


def is_ephemeral(message: Mapping[str, Any]) -> bool:
    return bool(int(message.get("flags") or 0) & 64)


def is_answer_followup(request: RecordedRequest) -> bool:
    """A follow-up carrying an answer (the "ask again" notice has none)."""
    body = request.body if isinstance(request.body, dict) else {}
    return request.path.startswith("/webhooks/") and bool(body.get("embeds"))


def spotter_settings(root: Path, **overrides: Any) -> Settings:
    """Settings for a bot under test; the cooldown is off unless a test turns it on."""
    values: dict[str, Any] = {
        "knowledge_dir": root / "knowledge",
        "database_path": root / "spotter.sqlite3",
        "cooldown_seconds": 0.0,
        **overrides,
    }
    return Settings(**values)
