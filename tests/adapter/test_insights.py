"""/kb gaps and /kb stats end to end, and the same reports from `spotter gaps|stats`.

Run with -s to see one sample reply of each as embed JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.adapter.helpers import REPS_QUESTION, button, embed, is_ephemeral

ABSTAINED = [
    "how do I do a hack squat",
    "how do I do a hack squat?",
    "hack squat form",
    "how do I do a turkish get up",
    "how do I do a turkish get up",
    "how much protein per day",
]
REPO = Path(__file__).parents[2]
NOT_HELPFUL = "what muscles do calf raises work"
HELPFUL = "how to do a plank"


def fields(message) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed(message).get("fields", [])}


def show(name: str, message) -> None:
    print(f"\n--- sample {name} reply (embed JSON) ---")
    print(json.dumps(embed(message), indent=2, ensure_ascii=False))


async def kb(spot, command: str, **options) -> dict:
    inter = await spot.fake.invoke_slash(f"kb {command}", options, user=spot.moderator)
    reply = await inter.wait_for_message(timeout=10)
    assert is_ephemeral(reply)
    return reply


async def vote(spot, question: str, label: str) -> None:
    answer = await spot.answer(question)
    click = await spot.fake.click(answer, button(answer, label)["custom_id"], user=spot.other)
    await click.wait_for_message()


REPOSITORY = Path(__file__).resolve().parents[2]


def spotter_cli(tmp_path: Path, *args: str, database: Path) -> subprocess.CompletedProcess[str]:
    """`spotter ...` as its own process, with only this database configured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SPOTTER_"))}
    env["SPOTTER_DATABASE"] = str(database)
    # This checkout's code, not an installed copy (cwd is elsewhere).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,  # no config.yaml or .env of the repository
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_gaps_and_stats_end_to_end_and_from_the_cli(spotter_bot, tmp_path) -> None:
    spot = spotter_bot
    empty = await kb(spot, "gaps")
    for question in ABSTAINED:
        message = await spot.answer(question)
        assert embed(message)["title"] == "No confident answer"
    await vote(spot, NOT_HELPFUL, "Not helpful")
    await vote(spot, HELPFUL, "Helpful")
    await spot.answer(REPS_QUESTION)
    gaps = await kb(spot, "gaps")
    stats = await kb(spot, "stats", days=7)
    show("/kb gaps", gaps)
    show("/kb stats", stats)

    assert embed(empty)["description"].startswith("Nothing to do: no question in the last 7")
    card = embed(gaps)
    assert card["title"] == "Unanswered questions · last 7 days"
    groups = list(fields(gaps).items())
    # Most frequent first; every gap question is counted once; answered-and-liked ones never.
    assert groups[0][0].startswith("1. 3× “how do I do a hack squat")
    assert "no answer 3" in groups[0][1] and "Also asked as:" in groups[0][1]
    assert groups[1][0] == "2. 2× “how do I do a turkish get up”"
    names = " ".join(name for name, _ in groups)
    assert "protein" in names and "calf raises" in names and "plank" not in names
    (calf,) = [value for name, value in groups if "calf raises" in name]
    assert calf.startswith("voted not helpful 1 · last asked <t:")
    assert card["footer"]["text"] == "4 groups, 7 questions · this server"

    card = embed(stats)
    assert card["title"] == "Question stats · last 7 days"
    lines = card["description"].splitlines()
    assert lines[0] == "**Questions:** 9 · answered 3 (33%)"
    assert lines[1] == "**Feedback:** 1 helpful, 1 not helpful (50% helpful)"
    # What askers waited, measured for every reply sent, next to the engine's own time.
    reply, engine = lines[2], lines[3]
    assert reply.startswith("**Reply time:** p50 ") and " · p95 " in reply
    assert "n/a" not in reply and reply.endswith("(from the question to the reply sent)")
    assert engine.startswith("**Engine time:** p50 ") and " · p95 " in engine
    assert lines[4] == "**Asked through:** /ask 9"
    waited = await spot.rows("SELECT reply_ms, latency_ms FROM questions")
    assert len(waited) == 9 and all(reply_ms >= latency_ms for reply_ms, latency_ms in waited)
    values = fields(stats)
    chart = values["Questions per day"]
    assert chart.startswith("```\n") and chart.count("\n") == 7 + 1
    assert chart.splitlines()[-2].split()[2] == "9"  # today, the last row
    assert set(values["Top exercises"].splitlines()) == {
        "1. Band Single Leg Calf Raise · 1",
        "2. Plank · 1",
        "3. Standing Calf Raise · 1",
    }
    assert values["Top sections"] == "1. FAQ · 2\n2. How to perform · 1"

    # The CLI reads the same file (the bot is still running: WAL lets both in).
    await spot.bot.store.flush()
    cli_gaps = spotter_cli(tmp_path, "gaps", "--days", "7", database=spot.database)
    cli_stats = spotter_cli(
        tmp_path, "stats", "--guild", str(spot.guild.id), database=spot.database
    )
    print(f"\n--- spotter gaps ---\n{cli_gaps.stdout}--- spotter stats ---\n{cli_stats.stdout}")
    for done in (cli_gaps, cli_stats):
        assert done.returncode == 0 and done.stderr == "", done.stderr
    assert cli_gaps.stdout.startswith("Questions Spotter could not answer well, the last 7 days")
    assert '1. 3× "how do I do a hack squat' in cli_gaps.stdout
    assert "voted not helpful 1" in cli_gaps.stdout
    assert cli_stats.stdout.startswith(f"Spotter stats for server {spot.guild.id}")
    assert "Questions   9 (answered 3, 33%)" in cli_stats.stdout
    assert "Reply time  p50 " in cli_stats.stdout and "Engine time p50 " in cli_stats.stdout


async def test_gaps_and_stats_are_for_moderators_and_check_days(spotter_bot) -> None:
    spot = spotter_bot
    refused = await spot.fake.invoke_slash("kb gaps", user=spot.member, enforce_discord_rules=False)
    too_many = await kb(spot, "stats", days=400)
    nothing = await kb(spot, "stats", days=1)

    assert (await refused.wait_for_message())["content"].startswith("Only moderators can")
    assert too_many["content"] == "`days` must be a whole number from 1 to 365."
    assert embed(nothing)["title"] == "Question stats · today (UTC)"
    assert embed(nothing)["description"] == "No questions today (UTC)."


async def test_cli_reports_refuse_a_missing_empty_or_newer_database(tmp_path) -> None:
    missing = tmp_path / "data" / "spotter.sqlite3"
    for command in ("gaps", "stats"):
        done = spotter_cli(tmp_path, command, database=missing)
        assert done.returncode == 2 and done.stdout == ""
        (line,) = done.stderr.splitlines()
        assert line.startswith(f"spotter {command}: no database at {missing}")
    assert not missing.parent.exists()  # nothing was created

    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    done = spotter_cli(tmp_path, "gaps", database=empty)
    assert done.returncode == 2 and done.stderr == f"spotter gaps: no Spotter database at {empty}\n"
    assert empty.read_bytes() == b""

    newer = tmp_path / "newer.sqlite3"
    with contextlib.closing(sqlite3.connect(newer)) as db:
        db.execute("CREATE TABLE questions (id TEXT)")
        db.execute("PRAGMA user_version = 999")
        db.commit()
    done = spotter_cli(tmp_path, "stats", database=newer)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"spotter stats: database {newer} is at schema version 999")
    assert line.endswith("upgrade Spotter or use another file")
