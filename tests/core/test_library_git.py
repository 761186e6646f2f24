"""Committing library changes with real git: only Spotter's paths, deletions included; a
folder that is not a work tree, or a refused commit, is reported, never raised."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.core.library_git import GitOutcome, commit_paths, is_work_tree

IDENTITY = ("-c", "user.name=Test", "-c", "user.email=test@localhost")


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args], check=True, capture_output=True, text=True
    )
    return done.stdout


def test_only_the_changed_pages_are_committed(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    library = repo / "knowledge"  # the library may be a folder inside a larger repository
    library.mkdir(parents=True)
    for name in ("plank.md", "squat.md", "other.md"):
        (library / name).write_text(f"# {name}\n")
    git(repo, "init", "--quiet")
    git(repo, "add", "-A")
    git(repo, *IDENTITY, "commit", "--quiet", "-m", "start")
    (library / "other.md").write_text("# someone's unfinished edit\n")
    git(repo, "add", "knowledge/other.md")  # staged by someone else: not ours to commit

    (library / "plank.md").write_text("# Plank, edited\n")
    (library / "squat.md").unlink()
    (library / "new.md").write_text("# New\n")
    paths = [library / "plank.md", library / "squat.md", library / "new.md"]
    outcome = commit_paths(library, paths, "upload by alice")

    assert outcome.committed and len(outcome.detail) >= 7
    assert git(repo, "log", "-1", "--format=%s") == "upload by alice\n"
    shown = git(repo, "show", "--name-status", "--format=", "HEAD").split("\n")
    assert sorted(filter(None, shown)) == [
        "A\tknowledge/new.md",
        "D\tknowledge/squat.md",
        "M\tknowledge/plank.md",
    ]
    assert "M  knowledge/other.md" in git(repo, "status", "--porcelain")
    assert commit_paths(library, paths, "again") == GitOutcome(False, "nothing to commit")


def test_not_a_work_tree_or_a_refused_commit_is_reported(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert not is_work_tree(plain)
    outcome = commit_paths(plain, [plain / "a.md"], "x")
    assert not outcome.committed and "is not a git work tree" in outcome.detail

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho no commits today >&2\nexit 1\n")
    hook.chmod(0o755)
    (repo / "a.md").write_text("# A\n")
    outcome = commit_paths(repo, [repo / "a.md"], "x")
    assert outcome == GitOutcome(False, "git commit failed: no commits today")
    assert (repo / "a.md").read_text() == "# A\n"
