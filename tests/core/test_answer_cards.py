"""Answer cards as a member reads them: worded as sure as the engine is, other versions only
when they are versions, the exercise's own page as the title link, each link once, and text
shown as written (escaped where Discord renders Markdown, untouched where it does not)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.model import Attributes, FaqEntry, Link, Page
from bot.core.render import (
    LIKELY_INTRO,
    AnswerStyle,
    Band,
    Card,
    alternatives_shown,
    answer_card,
    band,
    distinct_links,
    no_answer_card,
    own_page_url,
    percent,
)
from bot.core.search import Match, Result
from tests.markdown import MARKDOWN_SPECIALS, live_markup, pings, visible

ANSWER_TEXT = "Do 15 to 20 slow reps, pausing at the top."
SITE = "https://gym.example/exercises"


def page(
    slug: str,
    name: str,
    *,
    target: str = "Calves",
    url: str = "",
    related: tuple[Link, ...] = (),
    heading: str = "How many reps?",
) -> Page:
    return Page(
        slug,
        name,
        f"{slug}.md",
        attributes=Attributes(target_muscle=target),
        faq=(FaqEntry(heading, ANSWER_TEXT, 10),),
        related=related,
        url=url,
    )


def match(of: Page, score: float, section: str = "faq") -> Match:
    heading = of.faq[0].question if section == "faq" else "Related exercises"
    return Match(of.slug, of.name, section, heading, ANSWER_TEXT, score, of.links)


STANDING = page("standing-calf-raise", "Standing Calf Raise")
SEATED = page("seated-calf-raise", "Seated Calf Raise")
LEG_PRESS = page("leg-press", "Leg Press", target="Quadriceps")
PAGES = {p.slug: p for p in (STANDING, SEATED, LEG_PRESS)}


def answered(score: float, *alternatives: Page) -> Result:
    return Result(
        "calf raise reps",
        match(STANDING, score),
        tuple(match(p, 0.01) for p in alternatives),
    )


def fields(card: Card) -> dict[str, str]:
    return {field.name: field.value for field in card.fields}


# -- bands ---------------------------------------------------------------------------------


def test_bands_and_their_edges() -> None:
    assert band(answered(0.8), 0.8) is Band.SURE
    assert band(answered(0.79), 0.8) is Band.LIKELY
    assert band(Result("calf raise reps", None, ()), 0.8) is Band.UNSURE
    assert [percent(s) for s in (0.62, 0.29, 0.999, 1.0)] == ["62%", "29%", "99%", "99%"]


def test_a_sure_answer_is_plain_and_says_how_sure_in_words() -> None:
    card = answer_card(answered(0.97), pages=PAGES)
    assert card.description == ANSWER_TEXT
    assert card.footer == "Answered from Standing Calf Raise › FAQ · 97% sure"


def test_a_likely_answer_says_probably_and_shows_what_else_it_could_be() -> None:
    card = answer_card(answered(0.62, LEG_PRESS, SEATED), pages=PAGES)
    assert card.description == f"{LIKELY_INTRO}\n\n{ANSWER_TEXT}"
    assert card.footer == "Answered from Standing Calf Raise › FAQ · 62% sure"
    assert fields(card)["Other versions"] == "Seated"
    assert fields(card)["Not it? Maybe one of these"] == "Leg Press"


def test_a_picked_answer_is_the_members_choice_not_a_guess() -> None:
    card = answer_card(answered(0.03, LEG_PRESS), pages=PAGES, chosen=True)
    assert card.description == ANSWER_TEXT
    assert card.footer == "Answered from Standing Calf Raise › FAQ · your pick"
    assert not card.fields


def test_the_sure_edge_comes_from_the_settings() -> None:
    strict = AnswerStyle(sure_confidence=0.99)
    assert answer_card(answered(0.97), pages=PAGES, style=strict).description.startswith(
        LIKELY_INTRO
    )


# -- alternatives --------------------------------------------------------------------------


def test_a_sure_answer_offers_only_versions_of_its_exercise() -> None:
    result = answered(0.99, LEG_PRESS, SEATED)
    shown = alternatives_shown(result, PAGES)
    assert [(a.match.slug, a.version_of_answer, a.label) for a in shown] == [
        ("seated-calf-raise", True, "Seated")
    ]
    card = answer_card(result, pages=PAGES)
    assert fields(card) == {"Other versions": "Seated"}
    assert not alternatives_shown(answered(0.99, LEG_PRESS), PAGES)
    assert not answer_card(answered(0.99, LEG_PRESS), pages=PAGES).fields


def test_a_list_offers_no_alternatives() -> None:
    listing = Result("calf exercises", match(STANDING, 0.9, "related"), (match(SEATED, 0.9),))
    assert not alternatives_shown(listing, PAGES)
    assert answer_card(listing, pages=PAGES).footer == "Exercises from the library · 90% sure"


# -- links ---------------------------------------------------------------------------------


def test_the_title_links_to_the_exercises_own_page() -> None:
    own = Link("Standing Calf Raise", f"{SITE}/standing-calf-raise/")
    category = Link("More Calves Exercises", f"{SITE}/calves")
    with_url = replace(STANDING, url="https://elsewhere.example/scr")
    assert own_page_url(with_url, f"{SITE}/{{slug}}") == "https://elsewhere.example/scr"
    assert own_page_url(STANDING, f"{SITE}/{{slug}}") == f"{SITE}/standing-calf-raise"
    assert own_page_url(replace(STANDING, related=(category, own))) == own.url
    assert own_page_url(replace(STANDING, related=(category,))) is None

    pages = {**PAGES, STANDING.slug: replace(STANDING, related=(category, own))}
    card = answer_card(answered(0.97), pages=pages)
    assert card.url == own.url
    assert fields(card)["Links"] == f"[More Calves Exercises]({SITE}/calves)"  # not twice


def test_links_are_shown_once_per_target_and_title() -> None:
    links = (
        Link("More Chest Exercises", f"{SITE}/chest"),
        Link("More Barbell Exercises", f"{SITE}/equipment/barbell"),
        Link("More Chest Exercises", f"{SITE}/muscle/chest"),  # the same words: read as one
        Link("Chest", "http://gym.example/exercises/chest/"),  # the same place
        Link("Barbell Bench Press", f"{SITE}/barbell-bench-press"),
    )
    kept = distinct_links(links, skip_url=f"{SITE}/barbell-bench-press")
    assert [link.url for link in kept] == [f"{SITE}/chest", f"{SITE}/equipment/barbell"]


# -- Markdown: shown as written, never formatting, never a ping ----------------------------

HOSTILE = f"{MARKDOWN_SPECIALS} **x** __u__ ||s|| @everyone <@123>"
BENIGN = "zzz"


def hostile_cards(words: str) -> list[Card]:
    """Every kind of answer card, with `words` in every name, heading, link title and the
    question."""
    link = Link(f"More Calves {words}", f"{SITE}/calves")
    answer = page(
        "standing-calf-raise",
        f"Standing Calf Raise {words}",
        heading=f"How many reps {words}?",
        related=(link,),
    )
    seated = replace(SEATED, name=f"Seated Calf Raise {words}")
    leg_press = replace(LEG_PRESS, name=f"Leg Press {words}")
    pages = {p.slug: p for p in (answer, seated, leg_press)}
    question = f"calf raise reps {words}"
    alternatives = (match(leg_press, 0.2), match(seated, 0.1))

    def result(score: float) -> Result:
        return Result(question, match(answer, score), alternatives)

    related = (leg_press,)
    return [
        answer_card(result(0.97), related, pages=pages),
        answer_card(result(0.6), related, pages=pages),
        answer_card(result(0.6), related, pages=pages, chosen=True),
        no_answer_card(Result(question, None, alternatives)),
        no_answer_card(Result(question, None, alternatives, ("leg-press", "seated-calf-raise"))),
        no_answer_card(Result(question, None, ())),
    ]


def markdown_places(card: Card) -> list[str]:
    return [card.title, card.description, *(f.name for f in card.fields), *fields(card).values()]


@pytest.mark.parametrize("kind", range(6))
def test_every_card_field_shows_text_as_written(kind: int) -> None:
    hostile, benign = hostile_cards(HOSTILE)[kind], hostile_cards(BENIGN)[kind]
    # Plain text places: exactly the words, no backslash added.
    assert hostile.footer == benign.footer.replace(BENIGN, HOSTILE)
    # Markdown places: the member reads the same words, and they add no formatting.
    for shown, plain in zip(markdown_places(hostile), markdown_places(benign), strict=True):
        assert visible(shown) == visible(plain).replace(BENIGN, HOSTILE)
        assert live_markup(shown) == live_markup(plain)
        assert not pings(shown)
