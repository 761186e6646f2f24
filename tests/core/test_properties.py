"""Properties: the parser and the loader never raise, whatever a library folder holds."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.loader import load_knowledge
from bot.core.model import Diagnostic, Level, Page
from bot.core.parsing import parse_page, slugify

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Lines a page is made of, plus the near misses people type.
MARKDOWNISH = (
    "---",
    "...",
    "***",
    "- - -",
    "# Band Calf Raise",
    "# ",
    "#",
    "#hashtag",
    "## Quick answer",
    "## quick ANSWER",
    "## How to perform",
    "## Pro tips",
    "## Common mistakes",
    "## FAQ",
    "## Faq ##",
    "## Related exercises",
    "## Variations",
    "## ",
    "### How many reps should you do?",
    "### why?",
    "### ",
    "**Is it safe?**",
    "- **Body Part:** Legs",
    "- **Secondary Muscles:** Ankles, Feet",
    "- **Force:** Push",
    "- **Difficulty:**",
    "* Equipment: Band",
    "- ",
    "-",
    "+ a tip",
    "* a mistake",
    "1. Stand tall.",
    "2) Rise up.",
    "10. ",
    "   wrapped continuation",
    "- [More Legs Exercises](https://example.org/legs)",
    "- [Broken](ftp://example.org)",
    "- [Broken(https://example.org)",
    "[Bare](https://example.org)",
    "Get a plan with [Spotter](https://example.org).",
    "slug: band-calf-raise",
    "slug: Band Calf Raise",
    "slug: [",
    "aliases: [calf raise, heel raise]",
    "aliases: calf raise",
    "aliases: {a: b}",
    "url: https://example.org/x",
    "url: ftp://example.org",
    "tags: legs",
    "key: value: other",
    "\t",
    "\ufeff",
    "\r",
    "",
    "",
)

markdownish_lines = st.lists(st.sampled_from(MARKDOWNISH) | st.text(max_size=40), max_size=60)
markdownish_text = markdownish_lines.map("\n".join)


def line_count(source: str | bytes) -> int:
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    return len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def check_result(source: str | bytes, page: Page, diagnostics: list[Diagnostic]) -> None:
    """What must hold for any input: a usable page and well-formed diagnostics."""
    assert isinstance(page, Page)
    assert page.slug and slugify(page.slug) == page.slug
    assert page.name
    assert page.path == "lib/some-page.md"
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.level in (Level.ERROR, Level.WARNING)
        assert 1 <= diagnostic.line <= line_count(source), diagnostic
        assert diagnostic.message
        # A caught exception inside the parser is a parser bug, even if it does not escape.
        assert not diagnostic.message.startswith("could not parse page"), diagnostic
    for item in (*page.steps, *page.tips, *page.mistakes):
        assert item.text and 1 <= item.line <= line_count(source)
    for entry in page.faq:
        assert entry.question and entry.answer
    for link in page.related:
        assert link.url.lower().startswith(("http://", "https://"))


@SETTINGS
@given(st.text())
def test_parse_page_never_raises_on_text(text: str) -> None:
    page, diagnostics = parse_page(text, "lib/some-page.md")
    check_result(text, page, diagnostics)


@SETTINGS
@given(st.binary())
def test_parse_page_never_raises_on_bytes(data: bytes) -> None:
    page, diagnostics = parse_page(data, "lib/some-page.md")
    check_result(data, page, diagnostics)


@SETTINGS
@given(markdownish_text)
def test_parse_page_never_raises_on_markdownish_text(text: str) -> None:
    page, diagnostics = parse_page(text, "lib/some-page.md")
    check_result(text, page, diagnostics)


@SETTINGS
@given(markdownish_text, st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_parse_page_same_result_for_any_line_ending(text: str, newline: str, bom: bool) -> None:
    """Line endings and a BOM change nothing, not even line numbers."""
    if "\r" in text or "\ufeff" in text:
        text = text.replace("\r", "").replace("\ufeff", "")
    data = ("\ufeff" if bom else "") + text.replace("\n", newline)
    expected = parse_page(text.encode("utf-8"), "lib/some-page.md")
    assert parse_page(data.encode("utf-8"), "lib/some-page.md") == expected


@SETTINGS
@given(markdownish_text)
def test_parse_page_is_deterministic(text: str) -> None:
    assert parse_page(text, "lib/some-page.md") == parse_page(text, "lib/some-page.md")


file_names = st.sampled_from(
    ["a.md", "b.md", "B.md", "page one.md", "README.md", "_draft.md", ".hidden.md", "notes.txt"]
)
folder_names = st.sampled_from(["", "legs", "arms", "legs/calves", ".git", "_drafts"])
library = st.lists(
    st.tuples(folder_names, file_names, markdownish_text | st.binary(max_size=300)),
    max_size=8,
)
synonyms = st.none() | st.sampled_from(
    ["", "calfs: calves\nrdl: romanian deadlift\n", "x: [", "- a\n- b\n", "a: [b]\n", "\xff"]
)


@SETTINGS
@given(library, synonyms)
def test_load_knowledge_never_raises(
    files: list[tuple[str, str, str | bytes]], synonyms_text: str | None
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for folder, name, content in files:
            path = root / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        if synonyms_text is not None:
            (root / "synonyms.yaml").write_text(synonyms_text, encoding="utf-8")
        kb = load_knowledge(root)
        assert kb.stats.pages == len(kb.pages) <= kb.stats.files
        assert kb.stats.errors == len(kb.errors)
        assert kb.stats.errors + kb.stats.warnings == len(kb.diagnostics)
        for slug, page in kb.pages.items():
            assert page.slug == slug
            assert Path(page.path).is_relative_to(root)
            assert Path(page.path).name not in ("README.md", "_draft.md", ".hidden.md")
        for diagnostic in kb.diagnostics:
            assert Path(diagnostic.path).is_relative_to(root)
            assert diagnostic.line >= 1
            assert not diagnostic.message.startswith("could not parse page"), diagnostic
        for term, meaning in kb.synonyms.items():
            assert term and meaning
