"""The atomic writer and the trash, with real files and real processes: a write that fails or
a process killed while writing leaves the old page or the new one, never half of one."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.core.library_files import (
    TRASH_DIR,
    UnsafePath,
    inside_library,
    move_to_trash,
    write_atomically,
)
from bot.core.loader import load_knowledge, page_files

REPO = Path(__file__).parents[2]
OLD = b"# Old Page\n\nThe old text.\n" * 10
NEW = b"# New Page\n\nThe new text.\n" * 400_000  # ~10 MB: writing it takes a while


def run_child(code: str, *args: str, **kwargs) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=REPO,  # this checkout's `bot`
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def test_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(OLD)
    page.chmod(0o640)
    write_atomically(page, b"new")
    assert page.read_bytes() == b"new"
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]  # no temporary file left

    fresh = tmp_path / "legs" / "new.md"  # a new page in a new folder
    write_atomically(fresh, b"hello")
    assert fresh.read_bytes() == b"hello"
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644 & ~current_umask()


def current_umask() -> int:
    probe = subprocess.run(["sh", "-c", "umask"], capture_output=True, text=True, check=True)
    return int(probe.stdout.strip(), 8)


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    """A real failure: the child may write at most 1 MB per file (RLIMIT_FSIZE), so writing
    the 10 MB page fails half way with EFBIG, as a full disk would."""
    page = tmp_path / "page.md"
    page.write_bytes(OLD)
    child = run_child(
        """
        import resource, signal, sys
        from bot.core.library_files import write_atomically
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))
        try:
            write_atomically(sys.argv[1], b"# New Page\\n" * 2_000_000)
        except OSError as error:
            print("failed:", error.strerror)
        """,
        str(page),
    )
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.startswith("failed: File too large")
    assert page.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


@pytest.mark.parametrize("kill_after", ["start", "written"])
def test_a_process_killed_while_writing_leaves_the_old_or_the_new_file(
    tmp_path: Path, kill_after: str
) -> None:
    """SIGKILL while the new page is being written, or just after: the page on disk is
    always one whole version; a leftover temporary file is hidden, so never loaded."""
    page = tmp_path / "page.md"
    page.write_bytes(OLD)
    child = run_child(
        """
        import sys
        from bot.core.library_files import write_atomically
        data = b"# New Page\\n\\nThe new text.\\n" * 400_000
        print("start", flush=True)
        write_atomically(sys.argv[1], data)
        print("written", flush=True)
        sys.stdin.read()  # wait to be killed
        """,
        str(page),
        stdin=subprocess.PIPE,
    )
    assert child.stdout is not None
    line = ""
    while line.strip() != kill_after:
        line = child.stdout.readline()
        assert line, child.stderr.read() if child.stderr else "child ended early"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    child.stdout.close()
    if child.stderr is not None:
        child.stderr.close()
    if child.stdin is not None:
        child.stdin.close()

    assert page.read_bytes() in (OLD, NEW)
    if kill_after == "written":
        assert page.read_bytes() == NEW
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "page.md"]
    assert all(name.startswith(".page.md.") for name in leftovers)
    assert page_files(tmp_path) == [page]  # the loader never reads a temporary file


def test_inside_library_refuses_paths_that_leave_it(tmp_path: Path) -> None:
    assert inside_library(tmp_path, "legs/squat.md") == (tmp_path / "legs" / "squat.md").resolve()
    for bad in ("../evil.md", "/etc/passwd.md", "legs/../../evil.md", ".trash/x.md", "a//b.md"):
        with pytest.raises(UnsafePath):
            inside_library(tmp_path, bad)
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (tmp_path / "linked").symlink_to(outside)  # a folder in the library that leads out
    with pytest.raises(UnsafePath):
        inside_library(tmp_path, "linked/evil.md")


def test_the_trash_keeps_pages_restorable_and_is_not_loaded(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    for name in ("plank.md", "legs/squat.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"# {Path(name).stem.title()}\n\n## FAQ\n\n### Q?\n\nA.\n")
    first = move_to_trash(root, root / "plank.md")
    assert first == (root / TRASH_DIR / "plank.md").resolve()
    nested = move_to_trash(root, root / "legs" / "squat.md")
    assert nested == (root / TRASH_DIR / "legs" / "squat.md").resolve()
    assert set(load_knowledge(root).pages) == set()  # nothing left outside the trash

    (root / "plank.md").write_text("# Plank\n\n## FAQ\n\n### Again?\n\nYes.\n")
    second = move_to_trash(root, root / "plank.md")  # a second plank.md keeps the first
    assert second.parent == first.parent and second.name.startswith("plank.")
    assert first.read_text().startswith("# Plank") and second.exists()
    with pytest.raises(UnsafePath):
        move_to_trash(root, second)  # already in the trash
    with pytest.raises(FileNotFoundError):
        move_to_trash(root, root / "gone.md")
