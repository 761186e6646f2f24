"""load_library: policies, what a report says, and what the bot may keep serving."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from bot.core.library import library_snapshot, load_library
from bot.core.model import Page
from bot.core.render import (
    EMBED_TOTAL_LIMIT,
    exercise_not_found_card,
    reload_card,
    section_card,
    status_card,
)

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"
BROKEN = "# Broken Lift\n\nText.\n\n## FAQ\n\n### Finished?\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    return root


def test_first_load(folder: Path) -> None:
    outcome = load_library(folder)
    library, report = outcome.library, outcome.report
    assert library is not None and library.page_count == 55
    assert not report.kept_old and len(report.added) == 55
    assert report.faq_before == 0 and report.faq_after == library.faq_entries
    assert library.loaded_by == "startup" and library.seconds > 0
    assert set(outcome.snapshot) >= {str(folder / "plank.md")}


def test_partial_keeps_previous_versions_and_skips_new_broken_pages(folder: Path) -> None:
    previous = load_library(folder).library
    old_plank = previous.page("plank")
    (folder / "plank.md").write_text("---\nslug: Bad Slug\n---\n# Plank\n\nNew text.\n")
    (folder / "broken-lift.md").write_text(BROKEN)

    outcome = load_library(folder, previous=previous, loaded_by="alice")
    report = outcome.report
    assert outcome.library is not None and outcome.library is not previous
    assert outcome.library.page("plank") == old_plank
    assert outcome.library.page("broken-lift") is None
    assert report.kept_previous == ("Plank",) and report.skipped == ("broken-lift.md",)
    assert report.added == report.removed == report.changed == ()
    assert report.errors == 2
    assert "plank.md:2: error: front matter: slug must be lower-case words joined by '-'" in (
        report.diagnostic_lines()
    )
    assert "broken-lift.md:7: error: FAQ question has no answer: Finished?" in (
        report.diagnostic_lines()
    )
    assert outcome.library.loaded_by == "alice"


def test_strict_keeps_the_whole_previous_library(folder: Path) -> None:
    previous = load_library(folder, policy="strict").library
    (folder / "broken-lift.md").write_text(BROKEN)
    outcome = load_library(folder, policy="strict", previous=previous)
    assert outcome.library is previous
    assert outcome.report.kept_old and "strict" in outcome.report.why
    assert outcome.report.pages_after == outcome.report.pages_before == 55
    # With nothing to keep, strict refuses outright.
    assert load_library(folder, policy="strict").library is None


def test_wholesale_failures_keep_the_previous_library(folder: Path, tmp_path: Path) -> None:
    previous = load_library(folder).library
    missing = load_library(tmp_path / "nowhere", previous=previous)
    assert missing.library is previous and "not found" in missing.report.why
    empty = tmp_path / "empty"
    empty.mkdir()
    assert load_library(empty, previous=previous).library is previous
    (empty / "only.md").write_text(BROKEN)
    every = load_library(empty, previous=previous)
    assert every.library is previous and every.report.why == "every page has errors"
    assert load_library(tmp_path / "nowhere").library is None


def test_changes_are_by_content(folder: Path) -> None:
    previous = load_library(folder).library
    lunge = folder / "walking-lunge.md"
    lunge.write_text("\n\n" + lunge.read_text())  # every line moves: no change
    squat = folder / "goblet-squat.md"
    squat.write_text(squat.read_text().replace("## Pro tips", "## Pro tips\n\n- A new tip."))
    (folder / "plank.md").unlink()
    report = load_library(folder, previous=previous).report
    assert report.changed == ("Goblet Squat",) and report.removed == ("Plank",)
    assert report.faq_after == report.faq_before - len(previous.page("plank").faq)


def test_a_reload_shares_the_pages_whose_bytes_did_not_change(folder: Path) -> None:
    (folder / "broken-lift.md").write_text(BROKEN)
    first = load_library(folder)
    previous = first.library
    assert previous is not None
    squat = folder / "goblet-squat.md"
    squat.write_text(squat.read_text().replace("## Pro tips", "## Pro tips\n\n- A new tip."))
    plank = folder / "plank.md"
    plank.write_bytes(plank.read_bytes())  # written again, the same bytes

    second = load_library(folder, previous=previous)
    library = second.library
    assert library is not None
    assert library.page("plank") is previous.page("plank")
    assert library.page("push-up") is previous.page("push-up")
    assert library.page("goblet-squat") is not previous.page("goblet-squat")
    assert second.report.changed == ("Goblet Squat",)
    # A file read from what was parsed before reports its problems all the same.
    assert second.report.diagnostic_lines() == first.report.diagnostic_lines()
    assert second.report.skipped == ("broken-lift.md",)


def test_related_share_the_target_muscle(folder: Path) -> None:
    library = load_library(folder).library
    page = library.page("single-leg-calf-raise")
    related = library.related("single-leg-calf-raise")
    assert 0 < len(related) <= 3 and page not in related
    muscle = page.attributes.target_muscle
    assert all(other.attributes.target_muscle == muscle for other in related)
    assert library.related("no-such-page") == ()


def test_a_stricter_threshold_turns_the_answer_into_a_suggestion(folder: Path) -> None:
    library = load_library(folder).library
    assert library is not None
    question = "how many reps for single leg calf raises"
    result = library.answer(question)
    assert result.answer is not None
    stricter = library.answer(question, min_confidence=min(1.0, result.answer.score + 1e-3))
    assert stricter.answer is None
    assert result.answer.slug in {match.slug for match in stricter.alternatives}


def test_snapshot_notices_edits(folder: Path, tmp_path: Path) -> None:
    before = library_snapshot(folder)
    time.sleep(0.01)
    (folder / "plank.md").write_text("# Plank\n")
    assert library_snapshot(folder) != before
    assert library_snapshot(tmp_path / "nowhere") == {}


def test_the_version_names_the_files_wherever_they_are(folder: Path, tmp_path: Path) -> None:
    version = load_library(folder).library.version
    assert len(version) == 12 and int(version, 16) >= 0
    elsewhere = shutil.copytree(folder, tmp_path / "elsewhere")  # another machine's copy
    assert load_library(elsewhere).library.version == version
    (elsewhere / "plank.md").write_text("# Plank\n\nHold a straight line.\n")
    edited = load_library(elsewhere).library.version
    assert edited != version
    (elsewhere / "synonyms.yaml").write_text("skully: skull crusher\n")
    assert load_library(elsewhere).library.version not in (version, edited)


def test_cards(folder: Path) -> None:
    library = load_library(folder).library
    for number in range(80):
        (folder / f"broken-{number}.md").write_text(BROKEN)
    report = load_library(folder, previous=library, loaded_by="alice").report
    rendered = reload_card(report)
    assert rendered.card.total_length <= EMBED_TOTAL_LIMIT
    assert rendered.file_text is not None and rendered.file_text.count("error: FAQ") == 80
    assert "```" in rendered.card.description

    status = status_card(library, report, policy="partial", watching=True)
    names = [field.name for field in status.fields]
    assert names[:3] == ["Pages", "FAQ entries", "Diagnostics"]
    assert "reloads when files change" in status.description

    plank = library.page("plank")
    assert section_card(plank, "mistakes").title == "Plank: Common mistakes"
    empty = section_card(Page(slug="x", name="X", path="x.md"), "faq")
    assert empty.title == "X: FAQ" and empty.description == "This exercise has no FAQ yet."
    assert "**\\*bold\\***" in exercise_not_found_card("*bold*", ()).description
