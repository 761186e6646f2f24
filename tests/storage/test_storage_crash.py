"""SIGKILL while writing: the file stays intact and keeps every acknowledged row."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from bot.storage import QuestionRecord, Store

WRITER = Path(__file__).with_name("crash_writer.py")
REPO = Path(__file__).resolve().parents[2]


def _kill_mid_stream(db_path: Path, flushes: int) -> int:
    """Run the writer until it acknowledged ``flushes`` flushes, SIGKILL it, and return
    the last acknowledged total."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    with subprocess.Popen(
        [sys.executable, str(WRITER), str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as writer:
        acknowledged = 0
        seen = 0
        assert writer.stdout is not None
        for line in writer.stdout:
            assert line.startswith("FLUSHED "), line
            acknowledged = int(line.split()[1])
            seen += 1
            if seen >= flushes:
                break
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        assert writer.stderr is not None
        errors = writer.stderr.read()
    assert seen >= flushes, f"writer stopped early: {errors}"
    assert writer.returncode == -signal.SIGKILL
    return acknowledged


async def test_sigkill_mid_stream_loses_no_acknowledged_rows(db_path, query):
    db_path.parent.mkdir(parents=True)
    expected = 0
    for _round in range(3):
        acknowledged = _kill_mid_stream(db_path, flushes=random.randint(3, 12))
        assert acknowledged > 0
        assert query(db_path, "PRAGMA integrity_check") == [("ok",)]
        (count,) = query(db_path, "SELECT count(*) FROM questions")[0]
        # Each run starts from the rows already there; its acknowledged total is its own.
        assert count >= expected + acknowledged
        expected = count

    # And the store opens the crashed file normally and keeps working.
    async with Store.open(db_path) as store:
        store.log_question(QuestionRecord.new("after the crash", source="cli"))
    assert query(db_path, "SELECT count(*) FROM questions") == [(expected + 1,)]
