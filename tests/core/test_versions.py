"""Versions of one exercise, as an answer names them: "Other versions: Seated, Standing"."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.loader import load_knowledge
from bot.core.model import Attributes, Page
from bot.core.versions import are_versions, distinguishing_words

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"


@pytest.fixture(scope="module")
def pages() -> dict[str, Page]:
    kb = load_knowledge(KNOWLEDGE)
    return {page.name: page for page in kb.pages.values()}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Seated Calf Raise", "Standing Calf Raise"),
        ("Band Single Leg Calf Raise", "Single Leg Calf Raise"),
        ("Push-Up", "Incline Push-Up"),
        ("Romanian Deadlift", "Dumbbell Romanian Deadlift"),
        ("Barbell Curl", "Dumbbell Curl"),  # equipment words set aside: both a "curl"
        ("Plank", "Side Plank"),  # the same body part, if not the same muscle
    ],
)
def test_versions_of_one_exercise(pages: dict[str, Page], one: str, other: str) -> None:
    assert are_versions(pages[one], pages[other])
    assert are_versions(pages[other], pages[one])


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Overhead Press", "Leg Press"),  # one shared word is not an exercise
        ("Pull-Up", "Face Pull"),
        ("Lying Leg Curl", "Barbell Curl"),  # legs, not arms
        ("Barbell Bench Press", "Barbell Shrug"),  # the same equipment only
        ("Plank", "Plank"),  # a page is no version of itself
    ],
)
def test_different_exercises_are_not_versions(pages: dict[str, Page], one: str, other: str) -> None:
    assert not are_versions(pages[one], pages[other])


def test_pages_without_a_body_part_go_by_target_muscle_then_name() -> None:
    def page(slug: str, name: str, target: str = "") -> Page:
        return Page(slug, name, f"{slug}.md", attributes=Attributes(target_muscle=target))

    assert are_versions(page("a", "Cable Row"), page("b", "Kneeling Cable Rows"))
    assert not are_versions(page("a", "Cable Row", "Lats"), page("b", "Cable Row Pull", "Biceps"))
    assert not are_versions(page("a", "Row"), page("b", "Press"))


@pytest.mark.parametrize(
    ("name", "beside", "said"),
    [
        ("Seated Calf Raise", "Standing Calf Raise", "Seated"),
        ("Band Single Leg Calf Raise", "Dumbbell Calf Raise", "Band Single Leg"),
        ("Incline Push-Up", "Push-Up", "Incline"),
        ("Push-Up", "Incline Push-Up", "Push-Up"),  # says nothing more: its whole name
        ("Barbell Bench Press - Medium Grip", "Wide-Grip Barbell Bench Press", "Medium"),
    ],
)
def test_a_version_is_named_by_what_tells_it_apart(name: str, beside: str, said: str) -> None:
    assert distinguishing_words(name, beside) == said
