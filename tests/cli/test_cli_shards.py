"""`spotter run --shards IDS --shard-count N`: shards split across processes. Bad values are
one line before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli_run import environment, finished, spotter


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--shards", "0-3"],
            "'shards' needs 'shard_count' (--shard-count): the bot's total number of shards, "
            "the same in every process",
        ),
        (
            ["--shards", "1-2", "--shard-count", "2"],
            "'shards' 2 is outside shard_count 2: shard ids run from 0 to 1",
        ),
        (
            ["--shards", "three", "--shard-count", "4"],
            "command line: 'shards' has an invalid value 'three' (shard ids like 0-3 or 0,2,5)",
        ),
        (["--shard-count", "0"], "'shard_count' must be from 1 to 100,000"),
    ],
)
async def test_bad_shards_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    env = environment(tmp_path, token="unused")
    code, out, err = await finished(await spotter(tmp_path, env, "run", *args))
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"spotter run: {message}"]
