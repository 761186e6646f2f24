"""Uploaded pages: what a zip may hold, and what a plan says an upload would change."""

from __future__ import annotations

import io
import re
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from bot.core.library_cards import upload_preview_card
from bot.core.loader import load_knowledge
from bot.core.uploads import (
    MAX_PAGES,
    Change,
    LibraryChanged,
    UploadedFile,
    UploadRefused,
    WriteFailed,
    apply_upload,
    collect_uploads,
    faq_diff,
    plan_upload,
    read_zip,
)
from tests.markdown import live_markup, visible
from tests.pages import BROKEN_NEW_PAGE, NEW_PAGE

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"
LIMIT = 64 * 1024  # a small max_page_bytes, as a setting may make it


def zipped(entries: dict[str, bytes | str], *, symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if symlink is not None:
            info = zipfile.ZipInfo(symlink)
            info.create_system = 3  # unix: the mode is in the high bits
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def test_a_zip_of_pages_is_unpacked_without_the_litter_archivers_add() -> None:
    pages = read_zip(
        "pages.zip",
        zipped(
            {
                "wall-sit.md": NEW_PAGE,
                "legs/": "",
                "legs/squat.md": "# Squat\n",
                "__MACOSX/legs/._squat.md": "junk",
                "legs/.DS_Store": "junk",
            }
        ),
    )
    assert [(p.name, p.data) for p in pages] == [
        ("wall-sit.md", NEW_PAGE.encode()),
        ("legs/squat.md", b"# Squat\n"),
    ]


@pytest.mark.parametrize(
    ("entries", "symlink", "reason"),
    [
        ({"../evil.md": "x"}, None, "'../evil.md' points outside the library"),
        ({"legs/../../evil.md": "x"}, None, "points outside the library"),
        ({"/etc/evil.md": "x"}, None, "is not a plain path"),
        ({"C:/evil.md": "x"}, None, "is not a plain path"),
        ({"legs\\evil.md": "x"}, None, "is not a plain path"),
        ({"notes.txt": "x"}, None, "'notes.txt' is not a Markdown page"),
        ({".trash/plank.md": "x"}, None, "names starting with '.' or '_'"),
        ({"_draft.md": "x"}, None, "names starting with '.' or '_'"),
        ({"README.md": "x"}, None, "is not loaded as an exercise page"),
        ({"ok.md": "x"}, "link.md", "'link.md' is a symbolic link"),
        ({f"p{n}.md": "x" for n in range(MAX_PAGES + 1)}, None, "holds 101 files"),
        ({"big.md": "x" * (LIMIT + 1)}, None, "a page may be at most 64 KiB"),
        ({}, None, "holds no Markdown pages"),
    ],
)
def test_a_zip_with_anything_but_safe_pages_is_refused(
    entries: dict[str, str], symlink: str | None, reason: str
) -> None:
    with pytest.raises(UploadRefused, match=re.escape(reason)):
        read_zip("pages.zip", zipped(entries, symlink=symlink), page_limit=LIMIT)


def test_sizes_that_lie_and_zips_that_are_not() -> None:
    with pytest.raises(UploadRefused, match="not a zip file I can read"):
        read_zip("pages.zip", b"PK\x03\x04 not really")
    # A zip bomb: tiny compressed, huge unpacked; stopped by the declared size.
    bomb = zipped({f"p{n}.md": b"a" * (256 * 1024) for n in range(50)})
    assert len(bomb) < 100_000
    with pytest.raises(UploadRefused, match=re.escape("unpacks to 12.5 MiB; at most 10.0 MiB")):
        read_zip("bomb.zip", bomb)
    # An entry whose header claims less than it holds is read only up to the page limit.
    liar = bytearray(zipped({"liar.md": b"a" * (LIMIT + 10)}))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # local header and central directory
        at = liar.find(header)
        size_at = at + (22 if header == b"PK\x03\x04" else 24)
        liar[size_at : size_at + 4] = (100).to_bytes(4, "little")
    with pytest.raises(UploadRefused, match=re.escape("liar.md")):
        read_zip("liar.zip", bytes(liar), page_limit=LIMIT)


def test_the_page_limit_is_the_loaders() -> None:
    # What the loader accepts (max_page_bytes, 1 MiB by default) may be uploaded; no more.
    big = b"x" * (300 * 1024)
    assert [p.name for p in collect_uploads([("big.md", big)])] == ["big.md"]
    with pytest.raises(UploadRefused, match=re.escape("a page may be at most 64 KiB")):
        collect_uploads([("big.md", big)], page_limit=LIMIT)
    with pytest.raises(UploadRefused, match=re.escape("a page may be at most 64 KiB")):
        collect_uploads([("more.zip", zipped({"big.md": big}))], page_limit=LIMIT)


def test_attachments_are_pages_or_zips() -> None:
    pages = collect_uploads([("wall-sit.md", b"x"), ("more.zip", zipped({"a.md": "y"}))])
    assert [p.name for p in pages] == ["wall-sit.md", "a.md"]
    with pytest.raises(UploadRefused, match=re.escape("'a.md' and 'A.md' would be the same file")):
        collect_uploads([("a.md", b"x"), ("more.zip", zipped({"A.md": "y"}))])
    with pytest.raises(UploadRefused, match=re.escape("two files are named 'a.md'")):
        collect_uploads([("a.md", b"x"), ("more.zip", zipped({"a.md": "y"}))])
    with pytest.raises(UploadRefused, match=re.escape("'photo.png' is not a Markdown page")):
        collect_uploads([("photo.png", b"x")])
    with pytest.raises(UploadRefused, match="at most 5 files"):
        collect_uploads([(f"{n}.md", b"x") for n in range(6)])


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    return root


def test_the_plan_names_what_is_added_changed_unchanged_refused_and_removed(
    library: Path,
) -> None:
    pages = load_knowledge(library).pages
    plank = (library / "plank.md").read_bytes()
    goblet = (library / "goblet-squat.md").read_text(encoding="utf-8")
    renamed = "---\nslug: deep-goblet-squat\n---\n" + goblet.replace(
        "# Goblet Squat", "# Deep Goblet Squat"
    )
    plan = plan_upload(
        library,
        pages,
        [
            UploadedFile("wall-sit.md", NEW_PAGE.encode()),
            UploadedFile("plank.md", plank),
            UploadedFile("broken-lift.md", BROKEN_NEW_PAGE.encode()),
            UploadedFile("goblet-squat.md", renamed.encode()),  # same file, another slug
            UploadedFile("copy.md", NEW_PAGE.encode()),  # another slug, the same name
        ],
    )
    changes = {p.upload_name: p.change for p in plan.pages}
    assert changes == {
        "wall-sit.md": Change.ADDED,
        "plank.md": Change.UNCHANGED,
        "broken-lift.md": Change.REFUSED,
        "goblet-squat.md": Change.ADDED,
        "copy.md": Change.ADDED,
    }
    assert plan.removed == ("Goblet Squat",)
    copy = next(p for p in plan.pages if p.upload_name == "copy.md")
    assert [str(d) for d in copy.diagnostics] == [  # a warning, as the loader's
        "copy.md:1: warning: duplicate exercise name 'Wall Sit' (also wall-sit.md)"
    ]
    lines = plan.diagnostic_lines()
    assert "broken-lift.md:7: error: FAQ question has no answer: Is this page finished?" in lines

    written = apply_upload(plan)
    assert written == ["wall-sit.md", "goblet-squat.md", "copy.md"]
    assert not (library / "broken-lift.md").exists()
    after = load_knowledge(library)
    assert "deep-goblet-squat" in after.pages and "goblet-squat" not in after.pages


def test_an_edited_page_goes_back_to_its_own_file_with_its_faq_diff(library: Path) -> None:
    (library / "legs").mkdir()
    (library / "goblet-squat.md").rename(library / "legs" / "goblet-squat.md")
    pages = load_knowledge(library).pages
    page = pages["goblet-squat"]
    text = (library / "legs" / "goblet-squat.md").read_text(encoding="utf-8")
    edited = text.replace(page.faq[0].answer, "A new answer.")
    plan = plan_upload(library, pages, [UploadedFile("goblet-squat.md", edited.encode())])
    (item,) = plan.pages
    assert (item.change, item.relative) == (Change.CHANGED, "legs/goblet-squat.md")
    assert item.faq.changed == (page.faq[0].question,) and not item.faq.added

    (library / "legs" / "goblet-squat.md").write_text(text + "\n")  # edited meanwhile
    with pytest.raises(LibraryChanged, match=re.escape("legs/goblet-squat.md")):
        apply_upload(plan)


def test_faq_diff_matches_questions_as_the_linter_does(library: Path) -> None:
    page = load_knowledge(library).pages["plank"]
    assert not faq_diff(page, page)
    assert faq_diff(None, page).added == tuple(e.question for e in page.faq)


def test_a_write_that_fails_half_way_says_which_pages_were_written(library: Path) -> None:
    pages = load_knowledge(library).pages
    uploads = [
        UploadedFile("a-lift.md", b"# A Lift\n\n## FAQ\n\n### Q?\n\nA.\n"),
        UploadedFile("legs/b-lift.md", b"# B Lift\n\n## FAQ\n\n### Q?\n\nA.\n"),
        UploadedFile("c-lift.md", b"# C Lift\n\n## FAQ\n\n### Q?\n\nA.\n"),
    ]
    plan = plan_upload(library, pages, uploads)
    (library / "legs").write_text("a file where the folder should be")
    with pytest.raises(WriteFailed, match=re.escape("Could not change legs/b-lift.md")) as failed:
        apply_upload(plan)
    assert failed.value.written == ["a-lift.md"]
    assert (library / "a-lift.md").exists() and not (library / "c-lift.md").exists()


def test_a_removed_page_is_named_in_the_preview_as_written(tmp_path: Path) -> None:
    """Its name is the page's own text: Markdown in it is shown, not applied."""
    (tmp_path / "curl.md").write_text("# Drag *Curl*\n\n## Quick answer\n\nA curl.\n")
    other = "---\nslug: drag-curl-slow\n---\n# Slow Drag Curl\n\n## Quick answer\n\nA curl.\n"
    plan = plan_upload(
        tmp_path, load_knowledge(tmp_path).pages, [UploadedFile("curl.md", other.encode())]
    )
    assert plan.removed == ("Drag *Curl*",)
    text = upload_preview_card(plan, expires_minutes=15).card.description
    (line,) = [line for line in text.splitlines() if line.startswith("**Removed**")]
    assert live_markup(line.split(": ", 1)[1]) == ""
    assert visible(line).endswith(": Drag *Curl*")
