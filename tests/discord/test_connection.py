"""bot.adapter.connection.point_at: the only place that points discord.py elsewhere."""

from __future__ import annotations

import discord.gateway
import discord.http
import pytest
import yarl

from bot.adapter.connection import (
    DEFAULT_API_BASE,
    DEFAULT_GATEWAY_URL,
    ENV_API_BASE,
    ENV_GATEWAY_URL,
    current,
    point_at,
    point_from_env,
)


@pytest.fixture(autouse=True)
def restore():
    yield
    point_at(None, None)


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


@pytest.mark.parametrize(("api", "gateway", "message"), [
    ("ftp://127.0.0.1/api/v10", None, "http"),
    ("http://127.0.0.1:1/api/v9", None, "/api/v10"),
    ("http://127.0.0.1:1/", None, "/api/v10"),
    ("http:///api/v10", None, "host"),
    (None, "http://127.0.0.1:1/gateway", "ws"),
    (None, "ws://127.0.0.1:1/gateway?v=9", "query"),
])
def test_rejects_bad_urls(api: str | None, gateway: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        point_at(api, gateway)
    assert current() == (DEFAULT_API_BASE, DEFAULT_GATEWAY_URL)  # nothing half-applied


def test_reads_environment() -> None:
    point_from_env({ENV_API_BASE: "https://example.test/api/v10",
                    ENV_GATEWAY_URL: "wss://example.test/"})
    assert current() == ("https://example.test/api/v10", "wss://example.test/")
    point_from_env({ENV_API_BASE: "", ENV_GATEWAY_URL: ""})
    assert current() == (DEFAULT_API_BASE, DEFAULT_GATEWAY_URL)
