"""Point discord.py at another Discord (such as the loopback fake used by the tests), bound
how long it waits for Discord, and say in one line why Discord could not be reached.

This is the only module that patches discord.py. discord.py builds every REST URL
(interaction callbacks and webhooks included) from ``discord.http.Route.BASE`` and opens
the gateway at ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` (a plain, non-sharded
client never asks ``GET /gateway/bot``), so both class attributes are rewritten together.
The values are process-wide: every client in the process talks to the same Discord.

The overrides are settings (`api_base`, `gateway_url`; the environment's DISCORD_API_BASE and
DISCORD_GATEWAY_URL, see config.py).

``set_timeout`` bounds the waits discord.py leaves to aiohttp's five-minute default (each REST
request; the first gateway connection) and turns a failed first gateway connection into a
``GatewayUnreachable`` with the reason; ``describe_failure`` words the other failures.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import discord
import discord.gateway
import discord.http
import yarl

__all__ = [
    "DEFAULT_API_BASE",
    "DEFAULT_GATEWAY_URL",
    "GatewayUnreachable",
    "current",
    "describe_failure",
    "point_at",
    "set_timeout",
]


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


def current() -> tuple[str, str]:
    """The REST base and gateway URL discord.py will use right now."""
    return discord.http.Route.BASE, str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)


# ------------------------------------------------------------------------ timeouts

_HTTP = discord.http.HTTPClient
_GATEWAY = discord.gateway.DiscordWebSocket
_ORIGINAL_REQUEST = _HTTP.request
_ORIGINAL_FROM_CLIENT = _GATEWAY.from_client.__func__  # type: ignore[attr-defined]
_timeout: float | None = None


class GatewayUnreachable(Exception):
    """The bot's first gateway connection failed; str() is the one-line reason.

    Not one of the errors discord.py's reconnect loop catches: before a first connection
    there is nothing to resume (discord.py would fail on it with an AttributeError), and a
    gateway that cannot be reached at start is the operator's to fix, not to wait for."""


def set_timeout(seconds: float | None) -> None:
    """Wait at most ``seconds`` for Discord: to connect and for each read of every REST
    request, and for the first gateway connection (connect, HELLO). None restores
    discord.py's own waits. Process-wide, like ``point_at``."""
    global _timeout
    if seconds is not None and not seconds > 0:
        raise ValueError(f"timeout must be more than 0 seconds, not {seconds!r}")
    _timeout = seconds
    request, from_client = _ORIGINAL_REQUEST, _ORIGINAL_FROM_CLIENT
    if seconds is not None:
        request, from_client = _bounded_request, _first_connection_reported
    _HTTP.request = request  # type: ignore[method-assign]
    _GATEWAY.from_client = classmethod(from_client)  # type: ignore[method-assign,assignment]


@functools.wraps(_ORIGINAL_REQUEST)
async def _bounded_request(self: discord.http.HTTPClient, route: Any, **kwargs: Any) -> Any:
    if _timeout is not None:
        # Per attempt: connecting, then each read. A total would cut rate-limit waits short.
        kwargs.setdefault("timeout", aiohttp.ClientTimeout(connect=_timeout, sock_read=_timeout))
    return await _ORIGINAL_REQUEST(self, route, **kwargs)


async def _first_connection_reported(
    cls: type[discord.gateway.DiscordWebSocket], client: discord.Client, **params: Any
) -> discord.gateway.DiscordWebSocket:
    opening: Callable[[], Awaitable[discord.gateway.DiscordWebSocket]] = functools.partial(
        _ORIGINAL_FROM_CLIENT, cls, client, **params
    )
    # Shards have their own retry loop; later connections are discord.py's to retry.
    if params.get("shard_id") is not None or client.ws is not None or _timeout is None:
        return await opening()
    url = str(params.get("gateway") or cls.DEFAULT_GATEWAY)
    try:
        async with asyncio.timeout(_timeout):
            return await opening()
    except discord.gateway.ReconnectWebSocket:
        reason = f"cannot connect to Discord's gateway at {url}: it closed the connection at once"
    except (OSError, aiohttp.ClientError, discord.ConnectionClosed) as error:
        reason = describe_failure(error, f"Discord's gateway at {url}") or str(error)
    raise GatewayUnreachable(reason) from None


# ------------------------------------------------------------------------ wording

# What Discord's gateway close codes mean, and what to do about the ones an operator can fix.
CLOSE_CODES = {
    1000: "closed normally",
    1001: "going away",
    4000: "unknown error",
    4001: "unknown opcode",
    4002: "decode error",
    4003: "not authenticated",
    4004: "authentication failed: Discord rejected the token in DISCORD_TOKEN",
    4005: "already authenticated",
    4007: "invalid sequence",
    4008: "rate limited",
    4009: "session timed out",
    4010: "invalid shard: check shard_count",
    4011: "sharding required: the bot is in too many servers for one connection, set shard_count",
    4012: "invalid API version",
    4013: "invalid intents",
    4014: "disallowed intents: enable them in the Developer Portal (Bot > Privileged Gateway "
    "Intents)",
}


def describe_failure(error: BaseException, where: str) -> str | None:
    """One line for a failure to talk to Discord at ``where`` (e.g. "Discord's API at URL"),
    or None when ``error`` is not a connection failure (a bug, say)."""
    if isinstance(error, discord.ConnectionClosed):
        meaning = CLOSE_CODES.get(error.code)
        return f"{where} closed the connection with code {error.code}" + (
            f" ({meaning})" if meaning else ""
        )
    if isinstance(error, GatewayUnreachable):
        return str(error)
    reason = _reason(error)
    return None if reason is None else f"cannot reach {where}: {reason}"


def _reason(error: BaseException) -> str | None:
    if isinstance(error, aiohttp.ClientConnectorCertificateError):
        return f"TLS certificate not accepted ({error.certificate_error})"
    if isinstance(error, aiohttp.ClientConnectorError):
        cause = error.os_error
        if isinstance(cause, socket.gaierror):
            return f"cannot resolve the host name {error.host} (DNS: {cause.strerror or cause})"
        if isinstance(cause, ssl.SSLError) or isinstance(error, aiohttp.ClientSSLError):
            return f"TLS error ({getattr(cause, 'reason', None) or cause})"
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {error.host}:{error.port}"
        return f"cannot connect to {error.host}:{error.port} ({cause.strerror or cause})"
    if isinstance(error, ssl.SSLError):
        return f"TLS error ({error.reason or error})"
    if isinstance(error, TimeoutError):  # aiohttp's connect/read timeouts are TimeoutErrors
        waited = f" within {_timeout:g} s" if _timeout is not None else ""
        return f"no answer{waited}"
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return "the server closed the connection without answering"
    if isinstance(error, aiohttp.WSServerHandshakeError):
        return f"the websocket was refused (HTTP {error.status})"  # aiohttp's text says no more
    if isinstance(error, aiohttp.ClientResponseError):
        return f"HTTP {error.status} {error.message}".rstrip()
    if isinstance(error, OSError):
        return error.strerror or str(error) or type(error).__name__
    if isinstance(error, aiohttp.ClientError):
        return str(error) or type(error).__name__
    return None
