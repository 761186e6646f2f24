"""A tab click builds one tab (`exercise_tab`): it must show what the whole exercise card
(`exercise_view`) has on that tab, cut the same, with the same tabs and FAQ cards."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.loader import load_knowledge
from bot.core.model import FaqEntry, Item, Page
from bot.core.render import (
    LISTED_SECTIONS,
    AnswerStyle,
    Card,
    ExerciseView,
    exercise_tab,
    exercise_view,
    section_card,
)

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"
STYLES = (AnswerStyle(), AnswerStyle(page_url="https://gym.example/{slug}"))


def assert_tabs_agree(page: Page, related: tuple[Page, ...], style: AnswerStyle) -> None:
    view = exercise_view(page, related, style=style)
    tabs = ("overview", *view.sections)
    for tab in ("overview", *LISTED_SECTIONS, "faq"):
        for asked in range(len(view.faq_pages) + 2 if tab == "faq" else 1):
            shown = exercise_tab(page, tab, asked, related=related, style=style)
            number = min(asked, max(len(view.faq_pages) - 1, 0)) if tab == "faq" else 0
            part = f"faq{number}" if tab == "faq" else tab
            assert shown.card == expected_card(view, page, tab, number, style), (page.slug, tab)
            assert shown.cut == (part in view.cut), (page.slug, part)
            assert shown.tabs == tabs
            assert shown.faq_card == number
            assert shown.faq_cards == (len(view.faq_pages) if tab == "faq" else 0)


def expected_card(
    view: ExerciseView, page: Page, tab: str, number: int, style: AnswerStyle
) -> Card:
    if tab == "overview":
        return view.overview
    if tab == "faq" and view.faq_pages:
        return view.faq_pages[number]
    return view.sections.get(tab) or section_card(page, tab, style=style)


def test_every_tab_of_the_bundled_library_is_the_whole_cards_tab() -> None:
    pages = list(load_knowledge(KNOWLEDGE).pages.values())
    for page in pages:
        for style in STYLES:
            assert_tabs_agree(page, tuple(pages[:3]), style)


text = st.text(alphabet="ab .\n", min_size=1, max_size=2500).filter(str.strip)
items = st.lists(text, max_size=6).map(lambda texts: tuple(Item(t, n) for n, t in enumerate(texts)))


@settings(max_examples=40, deadline=None)
@given(
    summary=st.one_of(st.just(""), text),
    steps=items,
    tips=items,
    faq=st.lists(st.tuples(text, text), max_size=30),
    url=st.sampled_from(["", "https://gym.example/cable-fly"]),
)
def test_every_tab_of_a_page_cut_to_fit_is_the_whole_cards_tab(
    summary: str,
    steps: tuple[Item, ...],
    tips: tuple[Item, ...],
    faq: list[tuple[str, str]],
    url: str,
) -> None:
    entries = tuple(FaqEntry(question, answer, n) for n, (question, answer) in enumerate(faq))
    page = Page(
        slug="cable-fly",
        name="Cable Fly",
        path="cable-fly.md",
        summary=summary,
        steps=steps,
        tips=tips,
        faq=entries,
        url=url,
    )
    for style in STYLES:
        assert_tabs_agree(page, (), style)
