"""Hostile files in the library: pipes, devices, links out of the folder, huge files, too many
pages. Each is one diagnostic with its path; the rest of the library loads; nothing blocks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.loader import (
    LoadLimits,
    SkippedFile,
    load_knowledge,
    read_library_file,
)
from bot.core.model import Diagnostic, Level

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"
PAGES = 55

# A hang here is the bug itself: fail well before the suite's own timeout.
pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    return root


def problems(root: Path, diagnostics: tuple[Diagnostic, ...]) -> dict[str, str]:
    """Errors by path relative to the library, as a moderator reads them."""
    return {
        os.path.relpath(d.path, root): d.message
        for d in diagnostics
        if d.level is Level.ERROR and d.line == 1
    }


def test_a_named_pipe_is_never_opened(library: Path) -> None:
    os.mkfifo(library / "x.md")  # opening it for reading would wait for a writer forever
    kb = load_knowledge(library)
    assert problems(library, kb.diagnostics) == {
        "x.md": "not a regular file (a named pipe); skipped"
    }
    assert kb.stats.pages == PAGES


def test_a_link_to_a_device_is_skipped(library: Path) -> None:
    (library / "zero.md").symlink_to("/dev/zero")  # read to the end, it never ends
    kb = load_knowledge(library)
    assert problems(library, kb.diagnostics) == {
        "zero.md": "symbolic link to outside the library folder; skipped"
    }
    assert kb.stats.pages == PAGES


def test_links_count_only_inside_the_folder(library: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret Lift\n\nNot for the bot.\n")
    (library / "secret.md").symlink_to(outside / "secret.md")
    (library / "sub").mkdir()
    (library / "sub" / "plank-again.md").symlink_to(library / "plank.md")
    os.mkfifo(library / "sub" / "pipe")
    (library / "sub" / "piped.md").symlink_to(library / "sub" / "pipe")
    (library / "sub" / "dangling.md").symlink_to(library / "sub" / "missing")

    kb = load_knowledge(library)
    found = problems(library, kb.diagnostics)
    assert found["secret.md"] == "symbolic link to outside the library folder; skipped"
    assert found["sub/piped.md"] == "not a regular file (a named pipe); skipped"
    assert found["sub/dangling.md"].startswith("symbolic link to nothing readable: ")
    assert "secret" not in kb.pages
    # A link inside the folder is read like the file: here a second copy of the plank page.
    assert kb.pages["plank-again"].name == "Plank"
    assert kb.stats.pages == PAGES + 1


def test_a_file_over_the_size_limit_is_skipped_unread(library: Path) -> None:
    with (library / "huge.md").open("wb") as file:
        file.write(b"# Huge\n\n" + b"x" * (2 * 2**20))
    kb = load_knowledge(library)
    assert problems(library, kb.diagnostics) == {
        "huge.md": "file is 2.0 MiB, over the 1.0 MiB limit (max_page_bytes); skipped"
    }
    assert kb.stats.pages == PAGES

    roomy = load_knowledge(library, LoadLimits(max_page_bytes=4 * 2**20))
    assert "huge" in roomy.pages


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_a_file_that_grows_while_read_stops_at_the_limit() -> None:
    # /proc files say they are empty (st_size 0) and then have text: as a file that grew.
    with pytest.raises(SkippedFile, match="grew over the 0 KiB limit"):
        read_library_file(Path("/proc/self/status"), "/proc", max_bytes=16)
    assert read_library_file(Path("/proc/self/status"), "/proc", max_bytes=2**20)


def test_the_page_count_limit(library: Path) -> None:
    kb = load_knowledge(library, LoadLimits(max_pages=50))
    assert kb.stats.pages == 50
    errors = [d for d in kb.diagnostics if d.level is Level.ERROR]
    assert len(errors) == 1
    (error,) = errors
    files = sorted(p for p in os.listdir(library) if p.endswith(".md") and p != "README.md")
    assert os.path.relpath(error.path, library) == files[50]
    assert error.message == (
        "the library has 55 page files, over the limit of 50 (max_pages): "
        "this file and the 4 after it (in name order) were not loaded"
    )


def test_synonyms_are_guarded_too(library: Path) -> None:
    os.mkfifo(library / "synonyms.yaml")
    kb = load_knowledge(library)
    assert problems(library, kb.diagnostics) == {
        "synonyms.yaml": "not a regular file (a named pipe); skipped"
    }
    assert kb.synonyms == {} and kb.stats.pages == PAGES


def test_check_reports_hostile_files(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    os.mkfifo(library / "x.md")
    (library / "zero.md").symlink_to("/dev/zero")
    config = tmp_path / "config.yaml"
    config.write_text("max_page_bytes: 4096\n")
    with (library / "big.md").open("wb") as file:
        file.write(b"# Big\n\n" + b"y" * 8192)

    code = main(["--config", str(config), "check", "knowledge"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert "knowledge/x.md:1: error: not a regular file (a named pipe); skipped" in out
    assert "knowledge/zero.md:1: error: symbolic link to outside the library folder; skipped" in out
    assert (
        "knowledge/big.md:1: error: file is 8 KiB, over the 4 KiB limit (max_page_bytes); skipped"
        in out
    )
    assert out[-1].startswith("58 files, 55 pages, ")
