"""`spotter ask`: the engine from the command line, as tools and tests use it."""

import json
import subprocess
import sys
from pathlib import Path

from bot.core.search import SECTIONS

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--knowledge", str(REPO / "knowledge"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def test_cli_json_has_exactly_the_documented_shape():
    done = run_cli("--json", "how many reps for single leg calf raises")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"q", "answer", "alternatives"}
    assert set(data["answer"]) == {
        "slug",
        "exercise",
        "section",
        "heading",
        "text",
        "score",
        "links",
    }
    assert data["answer"]["section"] in SECTIONS
    assert all(set(link) == {"title", "url"} for link in data["answer"]["links"])
    assert all(
        set(alt) == {"slug", "exercise", "section", "heading", "score"}
        for alt in data["alternatives"]
    )
    assert len(data["alternatives"]) <= 5


def test_cli_batch_answers_line_by_line_in_order():
    questions = ["rdl form?", "hi", "", "what does the face pull work"]
    done = run_cli("--json", "--batch", "-", stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["q"] for row in rows] == questions
    assert rows[1]["answer"] is None


def test_cli_readable_answer_and_errors():
    done = run_cli("goblet", "squat", "form")
    assert done.returncode == 0 and "How to perform" in done.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--knowledge", "/nonexistent", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_cli_context():
    done = run_cli("--json", "--context", "goblet-squat", "and how many reps?")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["context"] == "goblet-squat" and data["answer"]["slug"] == "goblet-squat"
    batch = run_cli("--json", "--context", "plank", "--batch", "-", stdin="any tips?\nthanks\n")
    rows = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [row["answer"] and row["answer"]["slug"] for row in rows] == ["plank", None]
    by_name = run_cli("--json", "--context", "Goblet Squat", "and how many reps?")
    assert by_name.returncode == 0, by_name.stderr
    assert json.loads(by_name.stdout) == data  # the name resolves to the page, as /exercise's
    several = run_cli("--context", "calf", "and how many reps?")
    assert several.returncode == 2 and "seated-calf-raise" in several.stderr
    # A typo is forgiven as /exercise forgives it; the JSON says which page was used.
    typo = run_cli("--json", "--context", "goblt-squat", "and how many reps?")
    assert typo.returncode == 0 and json.loads(typo.stdout)["context"] == "goblet-squat"
    wrong = run_cli("--context", "zzz qqq", "and how many reps?")
    assert wrong.returncode == 2 and "no page 'zzz qqq'" in wrong.stderr
    assert "Traceback" not in wrong.stderr + several.stderr
