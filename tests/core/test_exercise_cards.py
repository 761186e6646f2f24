"""/exercise cards (core/render.py), one tab at a time as a click builds them (`exercise_tab`):
the tabs a page has, each tab's card as a member reads it, every FAQ entry on some card, every
card within Discord's limits, and nothing cut that cannot be read in full another way."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.library_cards import faq_entry_card, remove_card
from bot.core.loader import load_knowledge
from bot.core.model import FaqEntry, Item, Page
from bot.core.render import (
    ANSWER_DESCRIPTION_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FAQ_DESCRIPTION_ROOM,
    FAQ_PER_CARD,
    FIELD_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    AnswerStyle,
    Card,
    ExerciseTab,
    code_block,
    exercise_not_found_card,
    exercise_tab,
    own_page_url,
    rest_cards,
    split_text,
    which_exercise_card,
)
from tests.markdown import live_markup, visible

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"
PAGE_URL = "https://gym.example/{slug}"
UNLINKED = AnswerStyle()
LINKED = AnswerStyle(page_url=PAGE_URL)  # the library's pages are on a site
# The tabs after the overview, in the order a card shows them, by the names members read.
SECTION_NAMES = {
    "how_to": "How to perform",
    "tips": "Pro tips",
    "mistakes": "Common mistakes",
    "faq": "FAQ",
}


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


def listing(page: Page, tab: str) -> str:
    """A listed section as a member reads it: steps numbered, tips and mistakes as bullets."""
    if tab == "how_to":
        return "\n".join(f"{n}. {step.text}" for n, step in enumerate(page.steps, 1))
    items = page.tips if tab == "tips" else page.mistakes if tab == "mistakes" else ()
    return "\n".join(f"- {item.text}" for item in items)


def was_cut(shown: str, whole: str, url: str | None) -> bool:
    """Checks that `shown` is `whole`, or its start and then where the rest is (the page's
    web page, else an ellipsis); says whether it was cut."""
    if shown == whole:
        return False
    tail = f"\n… [Read the full page]({url})" if url else " …"
    assert shown.endswith(tail), shown[-80:]
    assert whole.startswith(shown.removesuffix(tail)), shown[:80]
    return True


def assert_rest_is_whole(page: Page, part: str, texts: list[str]) -> None:
    """Show the rest (offered when no web page has it) gives each cut text whole, on cards
    that fit."""
    rest = rest_cards(page, part)
    assert rest and all(within_limits(card) for card in rest), part
    shown = "".join(" ".join(card.description for card in rest).split())
    assert all("".join(text.split()) in shown for text in texts), part


def exercise_card_tabs(
    page: Page, style: AnswerStyle, url: str | None, related: tuple[Page, ...] = ()
) -> list[ExerciseTab]:
    """Every tab of the page's exercise card (each FAQ card too) built as buttons ask for it,
    checked against what a member should read; `url`: the web page its cards link to."""
    has = {tab: bool(page.faq if tab == "faq" else listing(page, tab)) for tab in SECTION_NAMES}
    tabs = ("overview", *(tab for tab in SECTION_NAMES if has[tab]))
    overview = exercise_tab(page, "overview", related=related, style=style)
    check_overview(page, overview.card, url, related)
    assert overview.cut == (len(page.summary) > ANSWER_DESCRIPTION_LIMIT)
    shown = [overview]
    for tab in SECTION_NAMES:
        first = exercise_tab(page, tab, related=related, style=style)
        assert visible(first.card.title) == f"{page.name}: {SECTION_NAMES[tab]}"
        assert live_markup(first.card.title) == ""
        if not has[tab]:
            missing = SECTION_NAMES[tab] if tab == "faq" else SECTION_NAMES[tab].lower()
            assert first.card.description == f"This exercise has no {missing} yet."
            assert (first.cut, first.faq_card, first.faq_cards) == (False, 0, 0)
        elif tab == "faq":
            shown += faq_tabs(page, first, url, style)
            continue
        else:
            assert first.cut == was_cut(first.card.description, listing(page, tab), url)
            assert (first.faq_card, first.faq_cards) == (0, 0)
            if first.cut and url is None:
                assert_rest_is_whole(page, tab, [listing(page, tab)])
        shown.append(first)
    for built in shown:
        assert built.tabs == tabs, page.slug
        assert within_limits(built.card), (page.slug, built.card.title)
        assert built.card.url == url
        assert built.card.footer == f"{page.name} · {page.slug}"
    return shown


def check_overview(page: Page, card: Card, url: str | None, related: tuple[Page, ...]) -> None:
    """The name as the title, the overview (or that there is none yet), attributes, the
    page's links but its own, and the related exercises when it has some."""
    assert visible(card.title) == page.name and live_markup(card.title) == ""
    cut = was_cut(card.description, page.summary or "No overview yet.", url)
    if cut and url is None:
        assert_rest_is_whole(page, "overview", [page.summary])
    fields = {field.name: field.value for field in card.fields}
    attributes = [f"**{label}:** {value}" for label, value in page.attributes.labelled()]
    assert fields.pop("Attributes", "").splitlines() == attributes
    if related:
        names = visible(fields.pop("Related exercises"))
        assert all(other.name in names for other in related[:5])
    for line in fields.pop("Links", "").splitlines():
        assert any(f"]({link.url})" in line for link in page.related), line
        assert url is None or f"]({url})" not in line, line
    assert not fields, fields


def faq_tabs(
    page: Page, first: ExerciseTab, url: str | None, style: AnswerStyle
) -> list[ExerciseTab]:
    """The FAQ's cards, Previous and Next through them: every entry once, in order, as many
    to a card as fit, each card cut only where an entry on it is."""
    count = first.faq_cards
    cards = [exercise_tab(page, "faq", number, style=style) for number in range(count)]
    assert cards[0] == first
    assert exercise_tab(page, "faq", count, style=style) == cards[-1]  # past the last: the last
    assert exercise_tab(page, "faq", count + 5, style=style) == cards[-1]
    room = EMBED_TOTAL_LIMIT - TITLE_LIMIT - FAQ_DESCRIPTION_ROOM - len(first.card.footer)
    done = 0
    for number, tab in enumerate(cards):
        fields = tab.card.fields
        assert (tab.faq_card, tab.faq_cards) == (number, count)
        assert 0 < len(fields) <= FAQ_PER_CARD
        where = f"Questions {done + 1}–{done + len(fields)} of {len(page.faq)}"
        assert tab.card.description == (where if count > 1 else "")
        entries = page.faq[done : done + len(fields)]
        cut = [
            was_cut(field.name, entry.question, None) | was_cut(field.value, entry.answer, url)
            for field, entry in zip(fields, entries, strict=True)
        ]
        assert tab.cut == any(cut), number
        if tab.cut and url is None:
            assert_rest_is_whole(
                page, f"faq{number}", [e.answer for e, c in zip(entries, cut, strict=True) if c]
            )
        if number + 1 < count:  # a card is full before the next begins
            following = cards[number + 1].card.fields[0]
            used = sum(len(f.name) + len(f.value) for f in fields)
            full = used + len(following.name) + len(following.value) > room
            assert len(fields) == FAQ_PER_CARD or full, number
        done += len(fields)
    assert done == len(page.faq)
    return cards


LONG_PAGE_URL = "https://gym.example/cable-fly-high-to-low"


def long_page(folder: Path, *, url: str = "") -> Page:
    """A real page, written and loaded, too long for its cards: a long overview, long steps,
    no tips, and 25 FAQ entries, one with a long question and some with long answers."""
    sentence = "Keep the elbows soft and the chest proud as the handles meet. "
    faq = "".join(
        f"### Question {n}: {'why ' * 80 if n == 7 else ''}how about it?\n\n"
        f"{sentence * (30 if n % 4 == 0 else 1)}\n\n"
        for n in range(1, 26)
    )
    front = f"---\nurl: {url}\n---\n\n" if url else ""
    (folder / "cable-fly.md").write_text(
        f"{front}# Cable Fly (high-to-low)\n\n## Quick answer\n\n{sentence * 40}\n\n"
        "## How to perform\n\n"
        + "".join(f"{n}. {sentence * 12}\n" for n in range(1, 8))
        + "\n## Common mistakes\n\n- Bending the elbows into a press.\n\n"
        + f"## FAQ\n\n{faq}"
    )
    knowledge = load_knowledge(folder)
    assert not knowledge.errors
    return knowledge.pages["cable-fly"]


@pytest.mark.parametrize("url", ["", LONG_PAGE_URL])
def test_a_long_page_is_cut_on_its_tabs_and_links_or_offers_the_rest(
    tmp_path: Path, url: str
) -> None:
    page = long_page(tmp_path, url=url)
    overview, how_to, tips, mistakes, *faq = exercise_card_tabs(page, UNLINKED, url or None)
    assert overview.tabs == ("overview", "how_to", "mistakes", "faq")
    assert (overview.cut, how_to.cut, tips.cut, mistakes.cut) == (True, True, False, False)
    assert tips.card.description == "This exercise has no pro tips yet."
    assert [tab.cut for tab in faq] == [True, True, True]  # every card has a long answer
    assert [len(tab.card.fields) for tab in faq] == [10, 10, 5]
    assert faq[0].card.fields[6].name.endswith(" …")  # the long question
    linked = exercise_card_tabs(page, LINKED, url or "https://gym.example/cable-fly")
    assert [tab.cut for tab in linked] == [True, True, False, False, True, True, True]


def test_every_tab_of_the_bundled_library_fits_whole() -> None:
    pages = list(load_knowledge(KNOWLEDGE).pages.values())
    related = tuple(pages[:3])
    for page in pages:
        tabs = exercise_card_tabs(page, UNLINKED, own_page_url(page), related)
        assert not any(tab.cut for tab in tabs), page.slug
        # The library's page_url pattern links pages without their own url.
        url = page.url or f"https://gym.example/{page.slug}"
        exercise_card_tabs(page, LINKED, url, related)


def said_again(most: int) -> st.SearchStrategy[str]:
    """Text of up to `most` characters, as often long (cut on a card) as short: a phrase said
    again and again."""
    phrase = st.text(alphabet="ab .\n", min_size=1, max_size=60)
    times = st.integers(min_value=1, max_value=most)
    return st.builds(lambda said, n: (said * n)[:most], phrase, times).filter(str.strip)


text = said_again(5000)
items = st.lists(text, max_size=6).map(lambda texts: tuple(Item(t, n) for n, t in enumerate(texts)))
entry_text = said_again(1500)


@settings(max_examples=60, deadline=None)
@given(
    summary=st.one_of(st.just(""), text),
    steps=items,
    tips=items,
    faq=st.lists(st.tuples(entry_text, entry_text), max_size=60),
    url=st.sampled_from(["", "https://gym.example/cable-fly"]),
)
def test_every_tab_of_a_page_cut_to_fit_shows_what_it_can_and_where_the_rest_is(
    summary: str,
    steps: tuple[Item, ...],
    tips: tuple[Item, ...],
    faq: list[tuple[str, str]],
    url: str,
) -> None:
    page = replace(page_with(faq, url), summary=summary, steps=steps, tips=tips)
    exercise_card_tabs(page, UNLINKED, url or None)
    exercise_card_tabs(page, LINKED, url or "https://gym.example/cable-fly")


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
    overview = exercise_tab(page_with([]), "overview", related=(linked, unlinked)).card
    (related,) = [f.value for f in overview.fields if f.name == "Related exercises"]
    assert live_markup(related) == "[]()"  # one link, nothing else formatted
    assert visible(related) == ("[Curl [EZ-bar] (wide)](https://gym.example/ezcurl), Drag *Curl*")


def test_an_exercise_card_shows_its_name_as_written() -> None:
    page = Page(slug="drag-curl", name="Drag *Curl* __slow__", path="drag-curl.md")
    title = exercise_tab(page, "overview").card.title
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
