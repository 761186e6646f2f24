"""bench.generate writes libraries in the real shape: they load clean and are uneven."""

from __future__ import annotations

from pathlib import Path

from bench.generate import generate_library
from bot.core.loader import load_knowledge


def test_generated_library_loads_clean_and_is_uneven(tmp_path: Path) -> None:
    written = generate_library(tmp_path, 300, seed=7)
    assert len(written) == 300
    kb = load_knowledge(tmp_path)
    assert kb.diagnostics == (), "\n".join(str(d) for d in kb.diagnostics[:10])
    assert kb.stats.pages == 300
    pages = list(kb.pages.values())
    assert all(page.slug == Path(page.path).stem for page in pages)
    assert len({page.name.lower() for page in pages}) == 300
    faq_sizes = {len(page.faq) for page in pages}
    assert min(faq_sizes) == 2 and max(faq_sizes) == 7
    assert any(not page.tips for page in pages) and any(page.tips for page in pages)
    assert any(not page.mistakes for page in pages) and any(page.mistakes for page in pages)
    assert any(page.aliases for page in pages)
    questions = [entry.question for page in pages for entry in page.faq]
    assert any(q.startswith("What muscles does the ") for q in questions)
    assert any(q.startswith("How many reps should you do for ") for q in questions)
    assert any(" better than the " in q for q in questions)
    for page in pages:
        assert page.attributes.equipment and page.attributes.target_muscle and page.related
        assert "Plan your next training block" not in repr(page)


def test_same_seed_same_library(tmp_path: Path) -> None:
    first = generate_library(tmp_path / "a", 50, seed=3)
    second = generate_library(tmp_path / "b", 50, seed=3)
    other = generate_library(tmp_path / "c", 50, seed=4)
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
