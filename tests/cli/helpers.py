"""Running the `spotter` command as a process of this checkout, with a clean environment."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.adapter.conftest import KNOWLEDGE

TIMEOUT = 30
REPOSITORY = Path(__file__).parents[2]


def environment(tmp_path: Path, fake=None, *, token: str | None = None, **config: object) -> dict:
    """A clean environment: no token or config of the developer's leaks in."""
    settings = {
        "knowledge_dir": str(KNOWLEDGE),
        "database_path": str(tmp_path / "spotter.sqlite3"),
        **config,
    }
    config_file = tmp_path / "config.yaml"
    config_file.write_text("".join(f"{key}: {value}\n" for key, value in settings.items()))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DISCORD_", "SPOTTER_"))
    }
    env["SPOTTER_CONFIG"] = str(config_file)
    env["PYTHONPATH"] = str(REPOSITORY)  # this checkout's code, not an installed copy
    if fake is not None:
        env.update(DISCORD_API_BASE=fake.api_base, DISCORD_GATEWAY_URL=fake.gateway_url)
        env["DISCORD_TOKEN"] = fake.token if token is None else token
    return env


async def spotter(tmp_path: Path, env: dict, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,  # no .env or config.yaml from the repository
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finished(process: asyncio.subprocess.Process) -> tuple[int, str, str]:
    try:
        out, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
    except TimeoutError:
        process.kill()  # our own child, by its handle
        await process.wait()
        raise
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def no_errors(stderr: str) -> bool:
    return "Traceback" not in stderr and " ERROR " not in stderr and "CRITICAL" not in stderr
