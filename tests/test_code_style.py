"""The code is ruff clean, ruff formatted and mypy clean: checked by the suite, so CI checks it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]


def run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("args", [("check", "."), ("format", "--check", ".")])
def test_ruff(args: tuple[str, ...]) -> None:
    done = run_module("ruff", *args)
    assert done.returncode == 0, f"ruff {' '.join(args)}:\n{done.stdout}{done.stderr}"


def test_mypy() -> None:
    done = run_module("mypy")  # the folders pyproject.toml names: bot, bench, fakediscord
    assert done.returncode == 0, f"mypy:\n{done.stdout}{done.stderr}"
