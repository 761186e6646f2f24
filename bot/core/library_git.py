"""Committing library changes made from Discord, when the library folder is a git work tree.

Optional (`library_git_commits`). Runs `git` as a subprocess with a timeout; the file change
is already on disk when this runs, so a failure here is reported and never undoes it. Only
the paths Spotter changed are committed: other work in the tree stays as it was. Blocking:
run it in a thread.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

GIT_TIMEOUT = 15.0  # seconds per git command
# Used when the machine has no git identity configured (a server often has none).
FALLBACK_NAME = "Spotter"
FALLBACK_EMAIL = "spotter@localhost"


@dataclass(frozen=True, slots=True)
class GitOutcome:
    committed: bool
    detail: str  # the commit's short hash, or why nothing was committed


class GitFailed(Exception):
    pass


def _git(
    root: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise GitFailed("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitFailed(f"git {args[0]} took longer than {GIT_TIMEOUT:g} s") from None
    if check and done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise GitFailed(f"git {args[0]} failed: {reason[-1] if reason else done.returncode}")
    return done


def is_work_tree(root: str | os.PathLike[str]) -> bool:
    try:
        done = _git(Path(root), "rev-parse", "--is-inside-work-tree", check=False)
    except GitFailed:
        return False
    return done.returncode == 0 and done.stdout.strip() == "true"


def commit_paths(
    root: str | os.PathLike[str], paths: Sequence[str | os.PathLike[str]], message: str
) -> GitOutcome:
    """Stage `paths` (written, or gone: deletions are staged too) and commit only them."""
    folder = Path(root)
    if not is_work_tree(folder):
        return GitOutcome(False, f"{folder} is not a git work tree")
    try:
        names = [str(Path(p).resolve()) for p in paths]
        present = [name for name in names if Path(name).exists()]
        gone = [name for name in names if not Path(name).exists()]
        if present:
            _git(folder, "add", "--", *present)
        if gone:
            _git(folder, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *gone)
        top = Path(_git(folder, "rev-parse", "--show-toplevel").stdout.strip())
        listed = _git(folder, "diff", "--cached", "--name-only", "-z", "--", *names).stdout
        staged = [str(top / name) for name in listed.split("\0") if name]
        if not staged:
            return GitOutcome(False, "nothing to commit")
        identity: dict[str, str] = {}
        if _git(folder, "config", "user.email", check=False).returncode != 0:
            identity = {
                variable: value
                for who in ("AUTHOR", "COMMITTER")
                for variable, value in (
                    (f"GIT_{who}_NAME", FALLBACK_NAME),
                    (f"GIT_{who}_EMAIL", FALLBACK_EMAIL),
                )
            }
        _git(folder, "commit", "--quiet", "-m", message, "--", *staged, env=identity)
        head = _git(folder, "rev-parse", "--short", "HEAD").stdout.strip()
    except GitFailed as error:
        log.warning("library git commit failed in %s: %s", folder, error)
        return GitOutcome(False, str(error))
    return GitOutcome(True, head)
