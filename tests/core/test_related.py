"""Related exercises (core/related.py): family first, then the same muscle, never unrelated."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pytest

from bot.core.library import load_library
from bot.core.loader import load_knowledge
from bot.core.model import Page
from bot.core.related import related_exercises

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"


@pytest.fixture(scope="module")
def pages() -> Mapping[str, Page]:
    return load_knowledge(KNOWLEDGE).pages


@pytest.fixture(scope="module")
def related(pages: Mapping[str, Page]) -> Mapping[str, tuple[str, ...]]:
    return related_exercises(pages)


def names(pages: Mapping[str, Page], slugs: tuple[str, ...]) -> list[str]:
    return [pages[slug].name for slug in slugs]


def test_a_squat_is_related_to_squats_first_then_leg_exercises(pages, related) -> None:
    found = names(pages, related["barbell-back-squat"])
    squats = {"Front Squat", "Goblet Squat", "Bulgarian Split Squat"}
    assert set(found[:3]) == squats
    assert all(pages[slug].attributes.body_part == "Legs" for slug in related["barbell-back-squat"])
    # Not a jump or a burpee before the lunges, presses and step-ups.
    assert "Burpee" not in found
    if "Box Jump" in found:
        assert found.index("Box Jump") > found.index("Leg Press")


def test_a_curl_is_related_to_curls_not_to_the_leg_curl(pages, related) -> None:
    for slug in ("barbell-curl", "dumbbell-curl", "hammer-curl"):
        found = [pages[s] for s in related[slug]]
        assert found, slug
        assert all(
            "Curl" in page.name or page.attributes.target_muscle == "Biceps" for page in found
        )
        assert "lying-leg-curl" not in related[slug]
    assert "barbell-curl" not in related["lying-leg-curl"]


def test_never_the_page_itself_never_another_body_part(pages, related) -> None:
    assert set(related) == set(pages)
    for slug, others in related.items():
        assert slug not in others
        assert len(others) == len(set(others))
        body = pages[slug].attributes.body_part
        assert all(pages[other].attributes.body_part == body for other in others), slug


def test_the_order_is_stable_whatever_order_pages_come_in(pages, related) -> None:
    backwards = MappingProxyType(dict(reversed(list(pages.items()))))
    assert related_exercises(backwards) == related
    assert related_exercises(pages) == related


def test_a_pages_own_links_to_pages_come_first(tmp_path: Path) -> None:
    def page(slug: str, name: str, muscle: str, links: str = "") -> None:
        related = f"\n## Related exercises\n\n{links}" if links else ""
        (tmp_path / f"{slug}.md").write_text(
            f"# {name}\n\n## Quick answer\n\n{name} for the {muscle.lower()}.\n\n"
            f"- **Body Part:** Legs\n- **Equipment:** Barbell\n- **Target Muscle:** {muscle}\n\n"
            f"## FAQ\n\n### How many reps for {name.lower()}?\n\n8 to 12.\n{related}"
        )

    page(
        "front-squat",
        "Front Squat",
        "Quadriceps",
        "- [Leg Curl](https://gym.example/exercises/leg-curl)\n"  # by slug at the end of the url
        "- [Calf Raise, seated](https://gym.example/c/1)\n"  # by the url of that page
        "- [More Legs Exercises](https://gym.example/legs)\n",  # a category: no page
    )
    page("back-squat", "Back Squat", "Quadriceps")
    page("leg-curl", "Leg Curl", "Hamstrings")
    (tmp_path / "seated-calf-raise.md").write_text(
        "---\nurl: https://gym.example/c/1/\n---\n# Seated Calf Raise\n\n"
        "## FAQ\n\n### How many reps?\n\n15 to 20.\n"
    )
    related = related_exercises(load_knowledge(tmp_path).pages)
    assert related["front-squat"] == ("leg-curl", "seated-calf-raise", "back-squat")
    assert related["leg-curl"] == ()  # hamstrings and quadriceps: not related on their own


def test_the_library_shows_the_first_few_leaving_out_what_is_offered_already() -> None:
    library = load_library(KNOWLEDGE).library
    assert library is not None
    first = library.related("barbell-back-squat")
    assert [page.slug for page in first] == list(library.related_slugs["barbell-back-squat"][:3])
    offered = [page.slug for page in first]
    rest = library.related("barbell-back-squat", exclude=offered)
    assert len(rest) == 3 and not set(offered) & {page.slug for page in rest}
    assert all(page.attributes.body_part == "Legs" for page in rest)
    assert library.related("no-such-page") == ()
