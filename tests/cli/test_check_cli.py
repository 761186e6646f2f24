"""`spotter check DIR`: every problem once, compiler style, with the right exit code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import main

REPO = Path(__file__).parents[2]
SUMMARY = re.compile(
    r"^(?P<files>\d+) files?, (?P<pages>\d+) pages?, (?P<faq>\d+) FAQ answers: "
    r"(?P<errors>\d+) errors?, (?P<warnings>\d+) warnings? \(\d+ ms\)$"
)
DIAGNOSTIC = re.compile(r"^(?P<path>.+):(?P<line>\d+): (?P<level>error|warning): (?P<message>.+)$")


def make_page(name: str) -> str:
    """A clean page in the library's shape; the tests below break one thing at a time."""
    lower = name.lower()
    return f"""\
# {name}

## Quick answer

The {lower} is a back exercise that trains the lats through a long range of motion.

- **Body Part:** Back
- **Equipment:** Cable
- **Target Muscle:** Lats
- **Secondary Muscles:** Biceps, Rear Deltoids
- **Difficulty:** Beginner
- **Category:** Strength

---

## How to perform

1. Sit tall with the pad snug on your thighs.
2. Pull the handle to your upper chest.
3. Return it slowly until your arms are straight.

## Pro tips

- Drive the elbows down toward your hips.
- Keep your chest up through the whole rep.

## Common mistakes

- Leaning far back to finish the rep.
- Letting the weight stack slam between reps.

## FAQ

### What muscles does the {name} work?

It targets the lats, with the biceps and rear deltoids helping.

### How many reps should you do for the {lower}?

Sets of 8-15 reps work well for most people.

## Related exercises

- [More Back Exercises](https://gym.example/exercises/back)
- [More Cable Exercises](https://gym.example/exercises/equipment/cable)

---

Plan your week with [Gym Example](https://gym.example).
"""


def line_of(text: str, fragment: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in text")


@dataclass(frozen=True)
class Expected:
    path: str  # relative to the library folder
    line: int
    level: str
    fragment: str  # a piece of the message


def cut(text: str, start: str, end: str) -> str:
    """text without the part from `start` up to (not including) `end`."""
    return text[: text.index(start)] + text[text.index(end) :]


def write(root: Path, relative: str, content: str | bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def broken_library(root: Path) -> list[Expected]:
    """One problem per file; returns what `check` must report."""
    expected: list[Expected] = []
    write(root, "clean-page.md", make_page("Lat Pulldown"))

    text = make_page("Wide Grip Pulldown").replace("# Wide Grip Pulldown\n", "")
    write(root, "no-title.md", text)
    expected.append(Expected("no-title.md", 1, "error", "no title"))

    text = make_page("Close Grip Pulldown").replace("## Pro tips", "# Another Title\n\n## Pro tips")
    write(root, "two-titles.md", text)
    expected.append(Expected("two-titles.md", line_of(text, "# Another Title"), "error", "titles"))

    text = cut(make_page("Straight Arm Pulldown"), "- Drive the elbows", "## Common mistakes")
    write(root, "empty-section.md", text)
    expected.append(Expected("empty-section.md", line_of(text, "## Pro tips"), "warning", "empty"))

    text = make_page("Kneeling Pulldown").replace(
        "## Related exercises", "### Can I train this daily?\n\n## Related exercises"
    )
    write(root, "faq-no-answer.md", text)
    expected.append(
        Expected("faq-no-answer.md", line_of(text, "### Can I train"), "error", "no answer")
    )

    text = make_page("Reverse Grip Pulldown").replace(
        "## Related exercises",
        "### What muscles does the Reverse Grip Pulldown work?\n\nThe lats.\n\n"
        "## Related exercises",
    )
    write(root, "duplicate-faq.md", text)
    second = [n for n, line in enumerate(text.splitlines(), 1) if "### What muscles" in line][1]
    expected.append(Expected("duplicate-faq.md", second, "warning", "duplicate FAQ question"))

    text = make_page("Neutral Grip Pulldown").replace(
        "- **Category:** Strength", "- **Category:** Strength\n- **Grip:** Neutral"
    )
    write(root, "unknown-attribute.md", text)
    expected.append(
        Expected("unknown-attribute.md", line_of(text, "**Grip:**"), "warning", "unknown attribute")
    )

    text = make_page("Single Arm Pulldown").replace(
        "- [More Back Exercises](https://gym.example/exercises/back)",
        "- [More Back Exercises](https://gym.example/exercises/back",
    )
    write(root, "malformed-link.md", text)
    expected.append(
        Expected("malformed-link.md", line_of(text, "[More Back"), "error", "not a Markdown link")
    )

    text = make_page("Machine Pulldown").replace(
        "https://gym.example/exercises/equipment/cable", "mailto:coach@gym.example"
    )
    write(root, "non-http-link.md", text)
    expected.append(Expected("non-http-link.md", line_of(text, "mailto:"), "error", "http(s)"))

    text = cut(make_page("Band Pulldown"), "## How to perform", "## Pro tips")
    text = cut(text, "## FAQ", "## Related exercises")
    write(root, "no-faq-no-steps.md", text)
    expected.append(Expected("no-faq-no-steps.md", 1, "warning", "no FAQ and no steps"))

    write(root, "arms/cable-curl.md", make_page("Cable Curl"))
    write(root, "legs/cable-curl.md", make_page("Cable Leg Curl"))
    expected.append(Expected("legs/cable-curl.md", 1, "error", "duplicate slug 'cable-curl'"))

    text = "---\nslug: clean-page\n---\n" + make_page("Half Kneeling Pulldown")
    write(root, "same-slug.md", text)
    expected.append(Expected("same-slug.md", 4, "error", "duplicate slug 'clean-page'"))

    write(root, "name-a.md", make_page("Hammer Grip Pulldown"))
    write(root, "name-b.md", make_page("Hammer Grip Pulldown"))
    expected.append(Expected("name-b.md", 1, "warning", "duplicate exercise name"))

    data = make_page("Lean Back Pulldown").encode("utf-8").replace(b"Pull the", b"Pull \xe9 the")
    write(root, "invalid-utf8.md", data)
    line = data.split(b"\n").index(b"2. Pull \xe9 the handle to your upper chest.") + 1
    expected.append(Expected("invalid-utf8.md", line, "error", "invalid UTF-8"))

    front = (
        "---\nslug: bad-front-matter\naliases: lat pull: pulldown\nurl: https://gym.example\n---\n"
    )
    write(root, "bad-front-matter.md", front + make_page("Wide Neutral Pulldown"))
    expected.append(Expected("bad-front-matter.md", 3, "error", "front matter"))

    write(root, "synonyms.yaml", "lat pull: lat pulldown\npulldowns: pulldown: lat\n")
    expected.append(Expected("synonyms.yaml", 2, "error", "synonyms"))
    return expected


def check_report(stdout: str, root: Path, expected: list[Expected]) -> re.Match[str]:
    """Every expected problem exactly once, nothing else, then the summary line."""
    lines = stdout.splitlines()
    summary = SUMMARY.match(lines[-1])
    assert summary, lines[-1]
    reported = lines[:-1]
    for line in reported:
        assert DIAGNOSTIC.match(line), line
    for problem in expected:
        prefix = f"{root / problem.path}:{problem.line}: {problem.level}: "
        hits = [line for line in reported if line.startswith(prefix) and problem.fragment in line]
        assert len(hits) == 1, (problem, reported)
    assert len(reported) == len(expected), "\n".join(reported)
    return summary


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No config.yaml, .env or SPOTTER_* variables from the developer's machine."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    for variable in list(os.environ):
        if variable.startswith("SPOTTER_"):
            monkeypatch.delenv(variable)
    return tmp_path


def run_cli(
    *args: str, cwd: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPOTTER_")}
    env.update(extra_env or {})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_broken_library_in_process(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = isolated / "library"
    expected = broken_library(root)
    assert main(["check", str(root)]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    summary = check_report(out, root, expected)
    md_files = len(list(root.rglob("*.md")))
    assert int(summary["files"]) == md_files
    assert int(summary["pages"]) == md_files - 2  # the two duplicate slugs are skipped
    errors = sum(1 for problem in expected if problem.level == "error")
    assert int(summary["errors"]) == errors
    assert int(summary["warnings"]) == len(expected) - errors


def test_broken_library_as_a_subprocess(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = isolated / "library"
    expected = broken_library(root)
    result = run_cli("check", str(root), cwd=isolated / "cwd")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
    check_report(result.stdout, root, expected)
    # Same report as in-process, apart from the timing.
    main(["check", str(root)])
    in_process = capsys.readouterr().out
    assert result.stdout.splitlines()[:-1] == in_process.splitlines()[:-1]


def test_clean_library(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = isolated / "library"
    write(root, "lat-pulldown.md", make_page("Lat Pulldown"))
    write(root, "README.md", "# Not a page\n")
    write(root, "synonyms.yaml", "lat pull: lat pulldown\n")
    assert main(["check", str(root)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert len(out.splitlines()) == 1
    summary = SUMMARY.match(out.strip())
    assert summary, out
    assert out.startswith("1 file, 1 page, 2 FAQ answers: 0 errors, 0 warnings (")


def test_clean_library_as_a_subprocess(isolated: Path) -> None:
    root = isolated / "library"
    write(root, "lat-pulldown.md", make_page("Lat Pulldown"))
    result = run_cli("check", str(root), cwd=isolated / "cwd")
    assert (result.returncode, result.stderr) == (0, "")
    assert SUMMARY.match(result.stdout.strip()), result.stdout


def test_warnings_only_exit_zero(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = isolated / "library"
    text = make_page("Lat Pulldown").replace("- **Category:** Strength", "- **Grip:** Wide")
    write(root, "lat-pulldown.md", text)
    write(root, "band-pulldown.md", cut(make_page("Band Pulldown"), "- Drive", "## Common"))
    assert main(["check", str(root)]) == 0
    out, _ = capsys.readouterr()
    check_report(
        out,
        root,
        [
            Expected("lat-pulldown.md", line_of(text, "**Grip:**"), "warning", "Grip"),
            Expected("band-pulldown.md", 22, "warning", "empty"),
        ],
    )
    assert "0 errors, 2 warnings" in out


def test_missing_folder(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = isolated / "no-such-library"
    assert main(["check", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert str(missing) in err
    assert "Traceback" not in err


def test_missing_folder_as_a_subprocess(isolated: Path) -> None:
    missing = isolated / "no-such-library"
    result = run_cli("check", str(missing), cwd=isolated / "cwd")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert str(missing) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_is_not_a_library(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = isolated / "lat-pulldown.md"
    page.write_text(make_page("Lat Pulldown"), encoding="utf-8")
    assert main(["check", str(page)]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_folder_from_the_environment(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = isolated / "library"
    write(root, "lat-pulldown.md", make_page("Lat Pulldown"))
    monkeypatch.setenv("SPOTTER_KNOWLEDGE", str(root))
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith("1 file, 1 page")


def test_file_name_that_is_not_utf8_does_not_crash(isolated: Path) -> None:
    root = isolated / "library"
    root.mkdir()
    name = os.fsdecode(b"caf\xe9-pulldown.md")
    try:
        (root / name).write_text("# Cafe Pulldown\n", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system does not take non-UTF-8 file names")
    # PYTHONIOENCODING=utf-8 makes stdout strict, as a UTF-8 locale other than C.UTF-8 does.
    for extra_env in ({}, {"PYTHONIOENCODING": "utf-8"}):
        result = run_cli("check", str(root), cwd=isolated / "cwd", extra_env=extra_env)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode == 0
        assert "pulldown.md:1: warning: page has no FAQ and no steps" in result.stdout


def test_each_diagnostic_stays_on_one_line(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = isolated / "library"
    write(root, "lat-pulldown.md", '---\n"odd\\nkey": 1\n---\n' + make_page("Lat Pulldown"))
    assert main(["check", str(root)]) == 0
    out = capsys.readouterr().out
    check_report(out, root, [Expected("lat-pulldown.md", 1, "warning", "odd\\nkey")])
