"""The library shipped in knowledge/ is clean, complete and loads as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.loader import load_knowledge, page_files
from bot.core.model import Page
from bot.core.parsing import normalise_heading, parse_page

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"
FILES = page_files(KNOWLEDGE)
SECTIONS = ("quick", "summary", "how_to", "tips", "mistakes", "faq", "related")


def parsed(path: Path) -> Page:
    page, diagnostics = parse_page(path.read_bytes(), str(path))
    assert diagnostics == [], "\n".join(str(d) for d in diagnostics)
    return page


def test_library_is_big_enough() -> None:
    assert len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_page_is_clean_and_complete(path: Path) -> None:
    page = parsed(path)
    missing = [key for key in SECTIONS if key not in page.section_lines]
    assert missing == []
    assert page.slug == path.stem
    assert page.name and page.summary
    attributes = page.attributes
    assert attributes.body_part and attributes.equipment and attributes.target_muscle
    assert attributes.difficulty and attributes.category
    assert page.steps and page.tips and page.mistakes
    assert len(page.faq) >= 4
    assert len(page.related) >= 1
    assert page.other_sections == ()


def test_load_knowledge_reports_nothing() -> None:
    kb = load_knowledge(KNOWLEDGE)
    assert kb.diagnostics == (), "\n".join(str(d) for d in kb.diagnostics)
    assert kb.stats.pages == kb.stats.files == len(FILES)
    assert kb.stats.faq_entries >= 4 * len(FILES)


def test_slugs_match_file_names_and_are_unique() -> None:
    kb = load_knowledge(KNOWLEDGE)
    assert sorted(kb.pages) == sorted(path.stem for path in FILES)
    for slug, page in kb.pages.items():
        assert Path(page.path).stem == slug


def test_no_duplicate_names() -> None:
    names = [normalise_heading(parsed(path).name) for path in FILES]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert duplicates == []


def test_band_single_leg_calf_raise_page() -> None:
    page = parsed(KNOWLEDGE / "band-single-leg-calf-raise.md")
    assert page.name == "Band Single Leg Calf Raise"
    questions = [entry.question for entry in page.faq]
    assert "How many reps should you do for single leg calf raises?" in questions
    entry = page.faq[questions.index("How many reps should you do for single leg calf raises?")]
    assert "15-25 reps" in entry.answer
    assert page.attributes.equipment == "Resistance Band"
    assert page.attributes.secondary_muscles == ("Ankles", "Feet")
