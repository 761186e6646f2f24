"""Reading a message the bot sent, as the fake recorded it: components, embeds, flags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .models import FLAG_EPHEMERAL


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
    return bool(int(message.get("flags") or 0) & FLAG_EPHEMERAL)
