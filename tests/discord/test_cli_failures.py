"""`spotter run` and `spotter sync` when something is wrong: a Discord that stays silent,
refuses the connection or speaks no TLS, a gateway that closes with a code or goes away for a
while. Each is one clear line and no traceback.

Real processes, real files, real sockets on 127.0.0.1. The only waits are Discord timeouts
set to TIMEOUT_SETTING seconds, inside a generous limit per process (test_cli_run.TIMEOUT).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.discord.helpers import REPS_QUESTION, embed
from tests.discord.test_cli_run import TIMEOUT, environment, finished, spotter

TIMEOUT_SETTING = 1  # discord_timeout_seconds in these tests
QUIET = {"discord_timeout_seconds": TIMEOUT_SETTING, "log_level": "WARNING"}


def one_line(err: str) -> str:
    (line,) = err.splitlines()
    assert "Traceback" not in line
    return line


# ----------------------------------------------------------------------- sockets


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """A port on 127.0.0.1 that accepts connections and never says a word."""
    done = asyncio.Event()

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await done.wait()
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        done.set()
        server.close()
        await server.wait_closed()


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections: bound (so nobody else takes it) but
    not listening."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def api(port: int, scheme: str = "http") -> str:
    return f"{scheme}://127.0.0.1:{port}/api/v10"


# ------------------------------------------------------------------ Discord failures


@pytest.mark.parametrize("command", ["run", "sync"])
async def test_a_silent_api_is_a_timeout(tmp_path: Path, fake_discord, command: str) -> None:
    env = environment(tmp_path, fake_discord, **QUIET)
    async with silent_server() as port:
        env["DISCORD_API_BASE"] = api(port)
        code, _, err = await finished(await spotter(tmp_path, env, command))
    assert code == 1
    assert one_line(err) == (
        f"spotter {command}: cannot reach Discord's API at {api(port)}: "
        f"no answer within {TIMEOUT_SETTING} s"
    )


@pytest.mark.parametrize("command", ["run", "sync"])
async def test_a_refused_api(tmp_path: Path, fake_discord, command: str) -> None:
    env = environment(tmp_path, fake_discord, **QUIET)
    with refused_port() as port:
        env["DISCORD_API_BASE"] = api(port)
        code, _, err = await finished(await spotter(tmp_path, env, command))
    assert code == 1
    assert one_line(err) == (
        f"spotter {command}: cannot reach Discord's API at {api(port)}: "
        f"connection refused by 127.0.0.1:{port}"
    )


async def test_an_api_without_tls_is_a_tls_error(tmp_path: Path, fake_discord) -> None:
    env = environment(tmp_path, fake_discord, **QUIET)
    env["DISCORD_API_BASE"] = api(fake_discord.port, "https")  # the fake speaks plain HTTP
    code, _, err = await finished(await spotter(tmp_path, env, "run"))
    assert code == 1
    line = one_line(err)
    assert line.startswith(f"spotter run: cannot reach Discord's API at {env['DISCORD_API_BASE']}")
    assert ": TLS error (" in line


async def test_a_silent_gateway_is_a_timeout(tmp_path: Path, fake_discord) -> None:
    env = environment(tmp_path, fake_discord, **QUIET)
    async with silent_server() as port:
        env["DISCORD_GATEWAY_URL"] = f"ws://127.0.0.1:{port}/"
        code, _, err = await finished(await spotter(tmp_path, env, "run"))
    assert code == 1
    assert one_line(err) == (
        f"spotter run: cannot reach Discord's gateway at ws://127.0.0.1:{port}/: "
        f"no answer within {TIMEOUT_SETTING} s"
    )


async def test_a_refused_gateway(tmp_path: Path, fake_discord) -> None:
    """Before: discord.py's reconnect loop failed on its own missing websocket, a 40-line
    AttributeError traceback."""
    env = environment(tmp_path, fake_discord, **QUIET)
    with refused_port() as port:
        env["DISCORD_GATEWAY_URL"] = f"ws://127.0.0.1:{port}/"
        code, _, err = await finished(await spotter(tmp_path, env, "run"))
    assert code == 1
    assert one_line(err) == (
        f"spotter run: cannot reach Discord's gateway at ws://127.0.0.1:{port}/: "
        f"connection refused by 127.0.0.1:{port}"
    )


async def test_a_gateway_closing_with_a_code(tmp_path: Path, fake_discord) -> None:
    fake_discord.gateway.shards_required = 2  # Discord closes IDENTIFY with 4011
    env = environment(tmp_path, fake_discord, **QUIET)
    code, _, err = await finished(await spotter(tmp_path, env, "run"))
    assert code == 1
    assert one_line(err) == (
        "spotter run: Discord's gateway closed the connection with code 4011 (sharding "
        "required: the bot is in too many servers for one connection, set shard_count)"
    )
    assert len(fake_discord.gateway.close_codes) == 1  # one attempt, no retry loop


async def test_a_gateway_outage_while_running_is_retried(tmp_path: Path, fake_discord) -> None:
    """discord.py reconnects with backoff; each failed attempt is one warning line."""
    fake = fake_discord
    guild = await fake.add_guild("Gym")
    await fake.add_channel(guild, "general")
    member = await fake.add_member(guild, "bob")
    env = environment(
        tmp_path, fake, log_level="INFO", sync_on_start="true",
        discord_timeout_seconds=TIMEOUT_SETTING,
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    lines: list[str] = []

    async def read_stderr() -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            lines.append(raw.decode().rstrip("\n"))
            fake.changes.bump()  # wakes wait_for

    reader = asyncio.create_task(read_stderr())
    try:
        await fake.wait_for(lambda: fake.synced_commands(), timeout=TIMEOUT, what="a sync")
        await fake.wait_until_ready(TIMEOUT)
        session = fake.gateway.active
        assert session is not None
        fake.gateway.unavailable = True
        await fake.disconnect_bot(4000)
        await fake.wait_for(lambda: fake.gateway.refused >= 2, timeout=TIMEOUT, what="retries")
        fake.gateway.unavailable = False
        await fake.wait_for(lambda: session.resumes == 1 and session.ready, timeout=TIMEOUT,
                            what="the resume")
        inter = await fake.invoke_slash("ask", {"question": REPS_QUESTION}, user=member)
        answer = await inter.wait_for_message(timeout=10)
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), TIMEOUT)
        await asyncio.wait_for(reader, TIMEOUT)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        reader.cancel()
    err = "\n".join(lines)
    print(f"\n{err}")
    assert process.returncode == 0, err
    assert "Traceback" not in err
    retries = [line for line in lines if "Attempting a reconnect in" in line]
    assert len(retries) >= 2, err
    for line in retries:
        assert " WARNING discord.client: Attempting a reconnect in " in line
        assert line.endswith(
            "s: cannot reach Discord's gateway: the websocket was refused (HTTP 503)"
        ), line
    assert embed(answer)["title"]  # answering again after the outage

