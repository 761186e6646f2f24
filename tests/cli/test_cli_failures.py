"""`spotter run` and `spotter sync` when something is wrong: a database that cannot be used,
a Discord that stays silent, refuses the connection or speaks no TLS, a gateway that closes
with a code or goes away for a while. Each is one clear line and no traceback.

Real processes, real files, real sockets on 127.0.0.1. The only waits are Discord timeouts
set to TIMEOUT_SETTING seconds, inside a generous limit per process (test_cli_run.TIMEOUT).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.storage import QuestionRecord, Store
from tests.adapter.conftest import KNOWLEDGE
from tests.adapter.helpers import REPS_QUESTION, embed
from tests.cli.helpers import REPOSITORY, TIMEOUT, environment, finished, spotter

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
        tmp_path,
        fake,
        log_level="INFO",
        sync_on_start="true",
        discord_timeout_seconds=TIMEOUT_SETTING,
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
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
        await fake.wait_for(
            lambda: session.resumes == 1 and session.ready, timeout=TIMEOUT, what="the resume"
        )
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


# ---------------------------------------------------------------------- the database


async def spotter_database(path: Path) -> None:
    async with Store.open(path) as store:
        for i in range(2000):
            store.log_question(QuestionRecord.new(f"question {i} " * 20, source="cli"))


def overwrite_pages(path: Path) -> None:
    with path.open("r+b") as file:
        file.seek(4096 * 3)
        file.write(bytes(range(256)) * 64)


def cut_short(path: Path) -> None:
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)


def from_a_newer_spotter(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 999")
        db.commit()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (overwrite_pages, "is damaged (PRAGMA quick_check: "),
        (
            cut_short,
            "is not a SQLite database, or it is damaged (database disk image is malformed)",
        ),
        (from_a_newer_spotter, "is at schema version 999 but this Spotter knows only up to "),
    ],
)
async def test_run_refuses_a_database_it_cannot_use(tmp_path: Path, damage, reason: str) -> None:
    database = tmp_path / "spotter.sqlite3"
    await spotter_database(database)
    damage(database)
    before = database.read_bytes()
    with refused_port() as port:  # never reached: the database is checked first
        env = environment(tmp_path)  # the default log level, INFO
        env.update(DISCORD_TOKEN="any", DISCORD_API_BASE=api(port))
        code, out, err = await finished(await spotter(tmp_path, env, "run"))
    assert (code, out) == (1, "")
    line = one_line(err)
    assert line.startswith("spotter run: cannot use the database: ")
    assert str(database) in line and reason in line
    assert line.endswith("; or set database_failure: continue to run without it")
    assert database.read_bytes() == before


# Root ignores file modes, so the read-only cases run as a process without that power.
DROPPED_CAPABILITIES = "-dac_override,-dac_read_search,-fowner"


@pytest.fixture(scope="module")
def unprivileged() -> list[str]:
    """A command prefix that runs a process for which file modes count: nothing when not
    root; else `runuser -u nobody --`, or, where nobody cannot run this Python (it lives in
    root's home, say), `setpriv` dropping the capabilities that let root ignore modes."""
    if os.geteuid() != 0:
        return []
    probe = [sys.executable, "-c", "import aiosqlite, discord, yaml"]
    tried = []
    for tool, prefix in (
        ("runuser", ["runuser", "-u", "nobody", "--"]),
        ("setpriv", ["setpriv", f"--bounding-set={DROPPED_CAPABILITIES}", "--"]),
    ):
        if shutil.which(tool) is None:
            tried.append(f"{tool} is not installed")
            continue
        done = subprocess.run([*prefix, *probe], capture_output=True, cwd="/", timeout=TIMEOUT)
        if done.returncode == 0:
            return prefix
        tried.append(f"{' '.join(prefix)} cannot start {sys.executable}")
    pytest.skip(
        "running as root, and no way to run a process that file modes apply to: " + "; ".join(tried)
    )


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder under /tmp that any user can read (pytest's tmp_path is root's alone)."""
    path = Path(tempfile.mkdtemp(prefix="spotter-unprivileged-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for folder, _, _ in os.walk(path):
            Path(folder).chmod(0o755)
        shutil.rmtree(path)


@pytest.mark.parametrize("read_only", ["file", "folder"])
async def test_run_refuses_a_read_only_database(
    open_dir: Path, unprivileged: list[str], read_only: str
) -> None:
    code_copy = open_dir / "code"
    shutil.copytree(
        REPOSITORY / "bot", code_copy / "bot", ignore=shutil.ignore_patterns("__pycache__")
    )
    data = open_dir / "data"
    data.mkdir()
    database = data / "spotter.sqlite3"
    await spotter_database(database)
    if read_only == "file":
        database.chmod(0o444)
        data.chmod(0o777)
        expected = "the file is read-only for this user, check its owner and mode"
    else:
        database.chmod(0o666)
        data.chmod(0o555)
        expected = f"its folder {data} is not writable for this user, check its owner and mode"
    config = open_dir / "config.yaml"
    config.write_text(f"knowledge_dir: {KNOWLEDGE}\ndatabase_path: {database}\n")
    config.chmod(0o644)
    for folder, _, files in os.walk(code_copy):
        Path(folder).chmod(0o755)
        for name in files:
            (Path(folder) / name).chmod(0o644)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DISCORD_", "SPOTTER_"))
    }
    with refused_port() as port:
        env.update(
            SPOTTER_CONFIG=str(config),
            PYTHONPATH=str(code_copy),
            DISCORD_TOKEN="any",
            DISCORD_API_BASE=api(port),
        )
        process = await asyncio.create_subprocess_exec(
            *unprivileged,
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=open_dir,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        code, out, err = await finished(process)
    assert (code, out) == (1, ""), err
    assert one_line(err) == (
        f"spotter run: cannot use the database: {database} cannot be written: {expected} "
        "(attempt to write a readonly database); or set database_failure: continue to run "
        "without it"
    )
