"""/exercise cards (core/render.py): every FAQ entry on some card, every card within Discord's
limits, and nothing cut that cannot be read in full another way."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.library_cards import faq_entry_card, remove_card
from bot.core.loader import load_knowledge
from bot.core.model import FaqEntry, Page
from bot.core.render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    Card,
    code_block,
    exercise_not_found_card,
    exercise_view,
    rest_cards,
    split_text,
    which_exercise_card,
)
from tests.markdown import live_markup, visible

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"


def within_limits(card: Card) -> bool:
    return (
        len(card.title) <= TITLE_LIMIT
        and len(card.description) <= DESCRIPTION_LIMIT
        and len(card.fields) <= FIELD_LIMIT
        and all(
            len(f.name) <= FIELD_NAME_LIMIT and len(f.value) <= FIELD_VALUE_LIMIT
            for f in card.fields
        )
        and card.total_length <= EMBED_TOTAL_LIMIT
    )


def page_with(faq: list[tuple[str, str]], url: str = "") -> Page:
    entries = tuple(FaqEntry(question, answer, n) for n, (question, answer) in enumerate(faq))
    return Page(slug="cable-fly", name="Cable Fly", path="cable-fly.md", faq=entries, url=url)


entry_text = st.text(alphabet="ab .\n", min_size=1, max_size=1500).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(
    faq=st.lists(st.tuples(entry_text, entry_text), min_size=1, max_size=60),
    url=st.sampled_from(["", "https://gym.example/cable-fly"]),
)
def test_every_faq_entry_is_on_a_card_within_limits(faq, url) -> None:
    page = page_with(faq, url)
    view = exercise_view(page)
    assert view.sections["faq"] == view.faq_pages[0]
    assert all(within_limits(card) for card in view.faq_pages)
    assert sum(len(card.fields) for card in view.faq_pages) == len(faq)
    for number, card in enumerate(view.faq_pages):
        cut = [
            (field.name, field.value) != (question, answer)
            for field, (question, answer) in zip(card.fields, faq[: len(card.fields)], strict=False)
        ]
        faq = faq[len(card.fields) :]
        # A cut entry links to the page, or its card offers the rest.
        if any(cut) and not url:
            assert f"faq{number}" in view.cut
            assert rest_cards(page, f"faq{number}")
        if url:
            assert all(
                f.value.endswith(f"({url})") for f, c in zip(card.fields, cut, strict=True) if c
            )


def test_the_bundled_library_needs_no_rest_and_fits() -> None:
    for page in load_knowledge(KNOWLEDGE).pages.values():
        view = exercise_view(page)
        assert not view.cut, page.slug
        cards = [view.overview, *view.sections.values(), *view.faq_pages]
        assert all(within_limits(card) for card in cards), page.slug


def test_the_rest_is_the_whole_text_in_cards_that_fit() -> None:
    long_answer = " ".join(f"Sentence {n} about the cable fly." for n in range(400))
    page = page_with([("Short?", "Yes."), ("Long?", long_answer)])
    assert rest_cards(page, "entry0") == (
        Card("Short?", "Yes.", None, footer="Cable Fly · cable-fly"),
    )
    cards = rest_cards(page, "entry1")
    assert len(cards) == 4 and all(within_limits(card) for card in cards)
    assert [card.title for card in cards] == [f"Long? ({n}/4)" for n in range(1, 5)]
    assert " ".join(card.description for card in cards) == long_answer
    assert rest_cards(page, "entry2") == () and rest_cards(page, "faq9") == ()
    assert rest_cards(page, "nonsense") == ()


@given(st.text(min_size=0, max_size=20_000), st.integers(min_value=50, max_value=4096))
def test_split_text_loses_nothing_but_spacing(text, limit) -> None:
    pieces = split_text(text, limit)
    assert all(0 < len(piece) <= limit for piece in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_which_exercise_says_when_not_all_are_listed() -> None:
    pages = tuple(Page(slug=f"squat-{n}", name=f"Squat {n}", path="x") for n in range(25))
    card = which_exercise_card("squat", pages, 40)
    assert "**squat** fits 40 exercises" in card.description
    assert "The first 25 of 40 are listed" in card.description and within_limits(card)
    assert "listed" not in which_exercise_card("squat", pages[:4], 4).description


def test_related_exercises_show_their_names_as_written() -> None:
    linked = Page(
        slug="ez-curl",
        name="Curl [EZ-bar] (wide)",
        path="ez-curl.md",
        url="https://gym.example/ezcurl",
    )
    unlinked = Page(slug="drag-curl", name="Drag *Curl*", path="drag-curl.md")
    view = exercise_view(page_with([]), (linked, unlinked))
    (related,) = [f.value for f in view.overview.fields if f.name == "Related exercises"]
    assert live_markup(related) == "[]()"  # one link, nothing else formatted
    assert visible(related) == ("[Curl [EZ-bar] (wide)](https://gym.example/ezcurl), Drag *Curl*")


def test_an_exercise_card_shows_its_name_as_written() -> None:
    page = Page(slug="drag-curl", name="Drag *Curl* __slow__", path="drag-curl.md")
    title = exercise_view(page, ()).overview.title
    assert live_markup(title) == ""
    assert visible(title) == "Drag *Curl* __slow__"


def test_a_remove_card_shows_the_name_as_written() -> None:
    page = Page(slug="drag-curl", name="Drag *Curl* __slow__", path="drag-curl.md")
    title = remove_card(page, "drag-curl.md", expires_minutes=5).title
    assert live_markup(title) == ""
    assert visible(title) == "Remove Drag *Curl* __slow__?"


@given(st.text(alphabet="`a\n", max_size=40), st.text(alphabet="`b", max_size=40))
def test_an_entry_to_paste_again_keeps_its_code_blocks_closed(question, answer) -> None:
    """Backticks typed in an entry, three or more in a row too, never end its code block."""
    description = faq_entry_card(question, answer).description
    assert description.count("```") == 4  # each block's own opening and closing fence
    assert visible(description) == visible(
        f"**Question**\n```\n{question}\n```\n**Answer**\n```\n{answer}\n```"
    )


@given(st.lists(st.text(alphabet="`c", max_size=12), min_size=1, max_size=5))
def test_a_code_block_of_lines_stays_closed(lines) -> None:
    block, _ = code_block(lines, 1000)
    assert block.count("```") == 2


def test_exercise_lists_show_names_as_written() -> None:
    shown = (Page(slug="drag-curl", name="Drag *Curl*", path="drag-curl.md"),)
    for card in (which_exercise_card("curl", shown, 1), exercise_not_found_card("crul", shown)):
        (line,) = [line for line in card.description.splitlines() if "Drag" in line]
        assert live_markup(line) == "-" and visible(line) == "- Drag *Curl*"
