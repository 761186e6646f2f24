"""Point discord.py at another Discord, such as the loopback fake used by the tests.

This is the only module that patches discord.py. discord.py builds every REST URL
(interaction callbacks and webhooks included) from ``discord.http.Route.BASE`` and opens
the gateway at ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` (a plain, non-sharded
client never asks ``GET /gateway/bot``), so both class attributes are rewritten together.
The values are process-wide: every client in the process talks to the same Discord.

The bot reads the overrides from the environment variables named by ``ENV_API_BASE``
(``DISCORD_API_BASE``) and ``ENV_GATEWAY_URL`` (``DISCORD_GATEWAY_URL``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

import discord.gateway
import discord.http
import yarl

__all__ = [
    "DEFAULT_API_BASE",
    "DEFAULT_GATEWAY_URL",
    "ENV_API_BASE",
    "ENV_GATEWAY_URL",
    "current",
    "point_at",
    "point_from_env",
]

ENV_API_BASE = "DISCORD_API_BASE"
ENV_GATEWAY_URL = "DISCORD_GATEWAY_URL"

API_PATH_SUFFIX = "/api/v10"

# The values discord.py had when this module was first imported; point_at(None, None)
# restores exactly these.
_ORIGINAL_API_BASE: str = discord.http.Route.BASE
_ORIGINAL_GATEWAY: yarl.URL = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY

DEFAULT_API_BASE: str = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL: str = str(_ORIGINAL_GATEWAY)


def _check_api_base(api_base: str) -> str:
    parts = urlsplit(api_base)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"Discord API base must be an http:// or https:// URL, got {api_base!r}")
    if not parts.netloc:
        raise ValueError(f"Discord API base has no host: {api_base!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"Discord API base must not carry a query or fragment: {api_base!r}")
    normalised = api_base.rstrip("/")
    if not normalised.endswith(API_PATH_SUFFIX):
        raise ValueError(
            f"Discord API base must end with {API_PATH_SUFFIX!r} "
            f"(e.g. 'http://127.0.0.1:8080/api/v10'), got {api_base!r}"
        )
    return normalised


def _check_gateway_url(gateway_url: str) -> yarl.URL:
    parts = urlsplit(gateway_url)
    if parts.scheme not in ("ws", "wss"):
        raise ValueError(f"Discord gateway URL must be a ws:// or wss:// URL, got {gateway_url!r}")
    if not parts.netloc:
        raise ValueError(f"Discord gateway URL has no host: {gateway_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(
            "Discord gateway URL must not carry a query or fragment "
            f"(discord.py adds v, encoding and compress itself): {gateway_url!r}"
        )
    return yarl.URL(gateway_url)


def point_at(api_base: str | None, gateway_url: str | None) -> None:
    """Make discord.py use ``api_base`` for REST and ``gateway_url`` for the gateway.

    ``None`` restores Discord's own value for that half. Raises ``ValueError`` (and changes
    nothing) when a URL has the wrong scheme or the API base does not end at ``/api/v10``.
    """
    base = _ORIGINAL_API_BASE if api_base is None else _check_api_base(api_base)
    gateway = _ORIGINAL_GATEWAY if gateway_url is None else _check_gateway_url(gateway_url)
    discord.http.Route.BASE = base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


def point_from_env(environ: Mapping[str, str] | None = None) -> None:
    """Apply ``DISCORD_API_BASE`` / ``DISCORD_GATEWAY_URL``; unset or empty means Discord."""
    env = os.environ if environ is None else environ
    point_at(env.get(ENV_API_BASE) or None, env.get(ENV_GATEWAY_URL) or None)


def current() -> tuple[str, str]:
    """The REST base and gateway URL discord.py will use right now."""
    return discord.http.Route.BASE, str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
