"""Answer cards on the loopback Discord, as a member reads them: the wording of each band,
alternatives only when they are real, the exercise's own page as the title link, each link
once, and names shown as written: no backslash where Discord shows text as it is, no
formatting or ping where it renders Markdown."""

from __future__ import annotations

from typing import Any

from bot.core.model import SECTION_TITLES
from bot.core.render import LIKELY_INTRO
from bot.core.versions import are_versions, distinguishing_words
from fakediscord import allows_mass_ping
from tests.adapter.conftest import Spotter
from tests.adapter.helpers import REPS_QUESTION, button, components, embed
from tests.markdown import live_markup, pings, visible
from tests.pages import version_page

# Questions the bundled library answers surely; some have versions of the answer close
# behind, some unrelated exercises that share a word.
SURE_QUESTIONS = (
    REPS_QUESTION,
    "push up form",
    "how long should i hold a plank",
    "overhead press form",
    "pull ups how many reps",
    "bench press grip width",
    "squat depth",
    "how many reps for seated calf raises",
    "dumbbell curl form",
    "single leg calf raise tips",
)
# Answered, with other exercises than versions behind (for the "likely" wording).
LIKELY_QUESTIONS = ("squat depth", "push up form", "how long should i hold a plank")


def fields_of(message: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed(message).get("fields", [])}


def picks(message: dict[str, Any]) -> list[str]:
    return [c["label"] for c in components(message) if c["custom_id"].startswith("spotter:pick")]


def percent_of(score: float) -> str:
    return f"{min(99, int(round(score * 100, 6)))}%"


async def test_a_sure_answer_reads_plainly(spotter_bot: Spotter) -> None:
    spot = spotter_bot
    answer = spot.bot.library.answer(REPS_QUESTION).answer
    assert answer is not None and answer.score >= spot.bot.settings.sure_confidence

    card = embed(await spot.answer(REPS_QUESTION))
    assert card["description"] == answer.text
    assert card["footer"]["text"] == (
        f"Answered from {answer.exercise} › FAQ · {percent_of(answer.score)} sure"
    )
    assert "Not it? Maybe one of these" not in fields_of({"embeds": [card]})


async def test_a_likely_answer_says_probably_and_offers_what_else_it_could_be(
    start_spotter,
) -> None:
    # Band edges come from the settings: with "sure" at 1.0, any answer short of it is likely.
    async with start_spotter(sure_confidence=1.0) as spot:
        library = spot.bot.library
        question, result = next(
            (q, r)
            for q in LIKELY_QUESTIONS
            if (r := library.answer(q)).answer is not None
            and r.answer.score < 1.0
            and any(m.slug != r.answer.slug for m in r.alternatives)
        )
        answer = result.answer
        assert answer is not None
        message = await spot.answer(question)
        card = embed(message)
        assert card["description"] == f"{LIKELY_INTRO}\n\n{answer.text}"
        assert card["footer"]["text"].endswith(f" · {percent_of(answer.score)} sure")
        page = library.page(answer.slug)
        offered = [m for m in result.alternatives if m.slug != answer.slug][:4]
        assert picks(message) == [m.exercise for m in offered]  # each a button for the asker
        versions = [m for m in offered if are_versions(page, library.page(m.slug))]
        shown = {name: visible(value) for name, value in fields_of(message).items()}
        assert shown.get("Other versions") == (
            ", ".join(distinguishing_words(m.exercise, answer.exercise) for m in versions) or None
        )
        others = ", ".join(m.exercise for m in offered if m not in versions)
        assert shown.get("Not it? Maybe one of these") == (others or None)
        assert others  # the likely band shows other exercises too, not only versions

        # The asker picks one: the message becomes that exercise's answer, as their choice.
        picked = await spot.fake.click(
            message, button(message, offered[0].exercise)["custom_id"], user=spot.member
        )
        assert (await picked.response())["type"] == 7
        edited = embed(spot.fake.world.messages[int(message["id"])])
        assert not edited["description"].startswith(LIKELY_INTRO)
        passage = library.index.passage_for(question, offered[0].slug)
        assert passage is not None
        section = SECTION_TITLES.get(passage.section, "FAQ")
        assert edited["footer"]["text"] == (
            f"Answered from {offered[0].exercise} › {section} · your pick"
        )


async def test_an_unsure_question_gets_suggestions_not_an_answer(spotter_bot: Spotter) -> None:
    spot = spotter_bot
    answer = spot.bot.library.answer(REPS_QUESTION).answer
    assert answer is not None
    await spot.bot.store.update_guild_settings(spot.guild.id, min_confidence=1.0)
    message = await spot.answer(REPS_QUESTION)
    card = embed(message)
    assert card["title"] in ("No confident answer", "Which one do you mean?")
    assert answer.text not in card.get("description", "")
    assert card["footer"]["text"] == f"Asked: {REPS_QUESTION}"


async def test_a_sure_answer_offers_only_versions_of_its_exercise(spotter_bot: Spotter) -> None:
    spot = spotter_bot
    library = spot.bot.library
    kept = dropped = 0
    for question in SURE_QUESTIONS:
        result = library.answer(question)
        answer = result.answer
        if answer is None or answer.score < 0.8 or answer.section == "related":
            continue
        page = library.page(answer.slug)
        assert page is not None
        versions = [
            m.exercise
            for m in result.alternatives
            if (other := library.page(m.slug)) is not None and are_versions(page, other)
        ]
        kept += len(versions)
        dropped += len(result.alternatives) - len(versions)
        message = await spot.answer(question)
        assert picks(message) == versions[:4], question
        shown = fields_of(message)
        assert "Not it? Maybe one of these" not in shown
        assert ("Other versions" in shown) == bool(versions), question
    # Both kinds were met: versions offered, and other exercises left out.
    assert kept and dropped


async def test_the_title_links_to_the_exercises_own_page(start_spotter) -> None:
    # Front matter url (overhead-press.md has one).
    async with start_spotter() as spot:
        answer = spot.bot.library.answer("overhead press form").answer
        assert answer is not None and answer.slug == "overhead-press"
        page = spot.bot.library.page("overhead-press")
        assert page is not None and page.url
        message = await spot.answer("overhead press form")
        assert embed(message)["url"] == page.url
        assert page.url not in fields_of(message).get("Links", "")

    # A pattern in the settings, for pages that name no url.
    pattern = "https://gym.example/exercises/{slug}"
    async with start_spotter(page_url=pattern) as spot:
        answer = spot.bot.library.answer(REPS_QUESTION).answer
        assert answer is not None
        assert not spot.bot.library.page(answer.slug).url
        card = embed(await spot.answer(REPS_QUESTION))
        assert card["url"] == pattern.replace("{slug}", answer.slug)

    # Else a link on the page whose address ends in the slug.
    page_text = version_page("Seated") + (
        "\n## Related exercises\n\n"
        "- [More Lats Exercises](https://gym.example/exercises/muscle/lats)\n"
        "- [Seated Cable Row on our site](https://gym.example/exercises/seated-cable-row/)\n"
    )
    async with start_spotter(pages={"seated-cable-row.md": page_text}) as spot:
        message = await spot.answer("how heavy should the seated cable row be")
        assert embed(message)["url"] == "https://gym.example/exercises/seated-cable-row/"
        assert fields_of(message)["Links"] == (
            "[More Lats Exercises](https://gym.example/exercises/muscle/lats)"
        )


async def test_related_links_are_shown_once(spotter_bot: Spotter) -> None:
    spot = spotter_bot
    question = "bench press grip width"
    answer = spot.bot.library.answer(question).answer
    assert answer is not None and answer.slug == "barbell-bench-press"
    page = spot.bot.library.page(answer.slug)
    assert page is not None
    titles = [link.title for link in page.related]
    assert len(set(titles)) < len(titles)  # the page links "More Chest Exercises" twice

    lines = fields_of(await spot.answer(question))["Links"].splitlines()
    shown_titles = [line[1 : line.index("](")] for line in lines]
    targets = [line[line.index("](") + 2 : -1] for line in lines]
    assert len(set(shown_titles)) == len(shown_titles) == len(set(targets))
    assert shown_titles == list(dict.fromkeys(titles))


# -- Markdown specials in every name, heading, link title and question -------------------

SPECIALS = "*_~|>#-[]()`\\ **x** __u__ ||s|| @everyone"


def hostile_page(stance: str) -> str:
    """A page whose name, FAQ heading and link title carry every Markdown special."""
    text = version_page(stance)
    text = text.replace(f"# {stance} Cable Row", f"# {stance} Cable Row {SPECIALS}", 1)
    low = stance.lower()
    text = text.replace(
        f"### How heavy should the {low} cable row be?",
        f"### How heavy should the {low} cable row be {SPECIALS}?",
    )
    title = SPECIALS.replace("[", "").replace("]", "")  # a link title holds no brackets
    return text + f"\n## Related exercises\n\n- [More Lats {title}](https://gym.example/lats)\n"


def assert_plain(text: str, *expected: str) -> None:
    """A place Discord shows as it is: exactly what was expected, no escapes added."""
    assert text in expected, f"{text!r} is none of {expected!r}"


def assert_rendered_safely(markdown: str) -> None:
    """A place Discord renders: no formatting, quote, heading or spoiler comes from a name
    or question, and no mention pings."""
    live = live_markup(markdown)
    assert not set(live) & set("*_~|`>#\\"), (markdown, live)
    assert live.count("[") == live.count("](")  # brackets only as links we make
    assert not pings(markdown) and "@everyone" in visible(markdown)


async def test_markdown_specials_are_shown_as_written(start_spotter) -> None:
    pages = {f"{s.lower()}-cable-row.md": hostile_page(s) for s in ("Kneeling", "Seated")}
    # Off: "how do i do a cable row" right after a seated one would follow up on the seated.
    async with start_spotter(pages=pages, followup_minutes=0) as spot:
        library = spot.bot.library
        names = {page.name for page in library.kb.pages.values()}
        seated = library.page("seated-cable-row")
        assert seated is not None and "\\" in seated.name and "*" in seated.name

        # An answer: title, description, links, footer.
        answered = await spot.answer("how heavy should the seated cable row be")
        card = embed(answered)
        assert visible(card["title"]) == f"{seated.name}: {seated.faq[0].question}"
        assert_plain(
            card["footer"]["text"],
            *(f"Answered from {seated.name} › FAQ · {p}% sure" for p in range(80, 100)),
        )
        for place in (card["title"], *fields_of(answered).values()):
            assert_rendered_safely(place)
        assert "More Lats *_~|>#-()`\\ **x** __u__ ||s|| @everyone" in visible(
            fields_of(answered)["Links"]
        )

        # "Which one?": the names in the description, the menu's options as written.
        which = await spot.answer("how do i do a cable row")
        assert embed(which)["title"] == "Which one do you mean?"
        assert_rendered_safely(embed(which)["description"])
        (menu,) = components(which)[:1]
        assert {option["label"] for option in menu["options"]} == names
        assert "\\" not in menu["placeholder"]

        # No confident answer: suggestions as buttons, the question echoed as written.
        await spot.bot.store.update_guild_settings(spot.guild.id, min_confidence=1.0)
        question = f"seated cable row weight {SPECIALS}"
        unsure = await spot.answer(question)
        card = embed(unsure)
        assert_plain(card["footer"]["text"], f"Asked: {question}")
        assert_rendered_safely(card["description"])
        assert picks(unsure) and set(picks(unsure)) <= names

        # Picking one answers in place, as the member's choice.
        click = await spot.fake.click(
            unsure, button(unsure, picks(unsure)[0])["custom_id"], user=spot.member
        )
        await click.response()
        chosen = embed(spot.fake.world.messages[int(unsure["id"])])
        assert_plain(
            chosen["footer"]["text"],
            *(
                f"Answered from {name} › {section} · your pick"
                for name in names
                for section in ("FAQ", "How to perform", "Quick answer")
            ),
        )

        # "Find answer" on someone's message quotes it in the message content.
        posted = await spot.fake.post_message(question, author=spot.other)
        menu_click = await spot.fake.context_menu("Find answer", posted, user=spot.member)
        quoted = await menu_click.wait_for_message()
        quote_line = quoted["content"].splitlines()[-1]
        assert quote_line.startswith("> ")
        assert_rendered_safely(quote_line[2:])
        assert visible(quote_line[2:]) == question
        assert not allows_mass_ping(quoted)
