"""bot.adapter.connection: the only place that points discord.py elsewhere and bounds its
waits; and the one-line reasons for failing to reach Discord. The failures themselves, on
real sockets, are in test_cli_failures.py; here the ones that need the outside world (DNS,
a certificate) are worded from aiohttp's own exception objects."""

from __future__ import annotations

import socket
import ssl

import aiohttp
import discord.gateway
import discord.http
import pytest
import yarl
from aiohttp.client_reqrep import ConnectionKey

from bot.adapter.connection import (
    DEFAULT_API_BASE,
    DEFAULT_GATEWAY_URL,
    GatewayUnreachable,
    current,
    describe_failure,
    point_at,
    set_timeout,
)

ORIGINAL_REQUEST = discord.http.HTTPClient.request
ORIGINAL_FROM_CLIENT = discord.gateway.DiscordWebSocket.from_client


@pytest.fixture(autouse=True)
def restore():
    yield
    point_at(None, None)
    set_timeout(None)


def test_defaults_are_discords() -> None:
    assert DEFAULT_API_BASE == "https://discord.com/api/v10"
    assert DEFAULT_GATEWAY_URL == "wss://gateway.discord.gg/"
    assert current() == (DEFAULT_API_BASE, DEFAULT_GATEWAY_URL)


def test_points_and_restores() -> None:
    point_at("http://127.0.0.1:8080/api/v10/", "ws://127.0.0.1:8080/gateway")
    assert discord.http.Route.BASE == "http://127.0.0.1:8080/api/v10"
    route = discord.http.Route("GET", "/users/@me")
    assert route.url == "http://127.0.0.1:8080/api/v10/users/@me"
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    assert gateway == yarl.URL("ws://127.0.0.1:8080/gateway")
    point_at(None, None)
    assert current() == (DEFAULT_API_BASE, DEFAULT_GATEWAY_URL)


@pytest.mark.parametrize(
    ("api", "gateway", "message"),
    [
        ("ftp://127.0.0.1/api/v10", None, "http"),
        ("http://127.0.0.1:1/api/v9", None, "/api/v10"),
        ("http://127.0.0.1:1/", None, "/api/v10"),
        ("http:///api/v10", None, "host"),
        (None, "http://127.0.0.1:1/gateway", "ws"),
        (None, "ws://127.0.0.1:1/gateway?v=9", "query"),
    ],
)
def test_rejects_bad_urls(api: str | None, gateway: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        point_at(api, gateway)
    assert current() == (DEFAULT_API_BASE, DEFAULT_GATEWAY_URL)  # nothing half-applied


def test_set_timeout_installs_and_removes_the_bounds() -> None:
    set_timeout(2.5)
    assert discord.http.HTTPClient.request is not ORIGINAL_REQUEST
    set_timeout(None)
    assert discord.http.HTTPClient.request is ORIGINAL_REQUEST
    assert discord.gateway.DiscordWebSocket.from_client == ORIGINAL_FROM_CLIENT
    with pytest.raises(ValueError, match="more than 0"):
        set_timeout(0)


def _key(host: str) -> ConnectionKey:
    return ConnectionKey(host, 443, True, True, None, None, None)


def test_dns_and_certificate_failures_are_named() -> None:
    dns = aiohttp.ClientConnectorDNSError(
        _key("discord.invalid"), socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    )
    assert describe_failure(dns, "Discord's API at https://discord.invalid/api/v10") == (
        "cannot reach Discord's API at https://discord.invalid/api/v10: cannot resolve the "
        "host name discord.invalid (DNS: Name or service not known)"
    )
    expired = ssl.SSLCertVerificationError(1, "certificate verify failed: certificate has expired")
    certificate = aiohttp.ClientConnectorCertificateError(_key("discord.com"), expired)
    reason = describe_failure(certificate, "Discord's API")
    assert reason is not None
    assert reason.startswith("cannot reach Discord's API: TLS certificate not accepted (")
    assert "certificate has expired" in reason


def test_timeouts_and_unknown_errors() -> None:
    set_timeout(7)
    assert describe_failure(TimeoutError(), "X") == "cannot reach X: no answer within 7 s"
    assert describe_failure(GatewayUnreachable("as it says"), "X") == "as it says"
    assert describe_failure(ValueError("a bug"), "X") is None


@pytest.mark.parametrize(
    ("code", "meaning"),
    [
        (4004, " (authentication failed: Discord rejected the token in DISCORD_TOKEN)"),
        (4999, ""),  # a code Discord may add later: the number alone
    ],
)
def test_close_codes_are_explained(code: int, meaning: str) -> None:
    closed = discord.ConnectionClosed(None, shard_id=None, code=code)  # type: ignore[arg-type]
    assert describe_failure(closed, "Discord's gateway") == (
        f"Discord's gateway closed the connection with code {code}{meaning}"
    )
