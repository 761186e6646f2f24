"""Buttons and menus keep working across a restart: process A sends the messages and closes,
process B (a new bot on the same loopback Discord, library folder and database) answers the
clicks on them. A click whose page or question is gone gets a clear private line."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

from bot.adapter.client import create_bot
from bot.adapter.views import GONE, QUESTION_GONE, STALE
from fakediscord import running_bot
from tests.adapter.conftest import Spotter, StartSpotter
from tests.adapter.helpers import (
    REPS_QUESTION,
    abstaining,
    button,
    components,
    custom_ids,
    embed,
    is_ephemeral,
    question_of,
    spotter_settings,
)
from tests.pages import LONG_ANSWER, cable_fly_page, version_page

WHICH_ONE = "how do i do a cable row"
VERSION_PAGES = {
    f"{stance.lower()}-cable-row.md": version_page(stance) for stance in ("Kneeling", "Seated")
}


@contextlib.asynccontextmanager
async def restarted(spot: Spotter) -> AsyncIterator[Spotter]:
    """A new process after `spot`'s has closed: a fresh bot on the same Discord, the same
    library folder (as it is now) and the same database file."""
    assert spot.bot.is_closed(), "close the first bot before starting the second"
    bot = create_bot(spotter_settings(spot.database.parent), guild_ready_timeout=0.05)
    async with running_bot(spot.fake, bot):
        yield dataclasses.replace(spot, bot=bot)


def menu_of(message: dict[str, Any]) -> dict[str, Any]:
    (menu,) = [c for c in components(message) if c["custom_id"].startswith("spotter:variant:")]
    return menu


def current(spot: Spotter, message: dict[str, Any]) -> dict[str, Any]:
    return spot.fake.world.messages[int(message["id"])]


async def private_reply(spot: Spotter, message: dict[str, Any], custom_id: str, **how: Any) -> Any:
    click = await spot.fake.click(message, custom_id, **how)
    reply = await click.wait_for_message()
    assert is_ephemeral(reply)
    return reply


async def test_answer_and_card_buttons_work_after_a_restart(start_spotter: StartSpotter) -> None:
    async with start_spotter() as first:
        answer = await first.answer(REPS_QUESTION)
        expected = first.bot.library.answer(REPS_QUESTION).answer
        question, unsure = await abstaining(first)
        suggestions = await first.answer(question)
        card = await (
            await first.fake.invoke_slash("exercise", {"name": "plank"}, user=first.member)
        ).wait_for_message()
        not_found = await (
            await first.fake.invoke_slash("exercise", {"name": "calf raze"}, user=first.member)
        ).wait_for_message()
        closest = first.bot.library.index.find("calf raze").nearest
    assert expected is not None and unsure.alternatives and closest

    async with restarted(first) as spot:
        page = spot.bot.library.page(expected.slug)
        assert page is not None
        # Feedback, from anyone, lands on the logged question.
        thanks = await private_reply(
            spot, answer, button(answer, "Helpful")["custom_id"], user=spot.other
        )
        assert thanks["content"] == "Thanks for the feedback!"
        question_id = question_of(answer)
        assert await spot.rows("SELECT question_id, helpful FROM votes") == [(question_id, 1)]
        # Sections, privately, for anyone.
        for label in ("How to perform", "Common mistakes"):
            reply = await private_reply(
                spot, answer, button(answer, label)["custom_id"], user=spot.other
            )
            assert embed(reply)["title"] == f"{page.name}: {label}"
        # Delete: the asker only, still inside the window (it counts from the message).
        delete = button(answer, "Delete")["custom_id"]
        refused = await private_reply(spot, answer, delete, user=spot.other)
        assert "Only the person who asked" in refused["content"]
        click = await spot.fake.click(answer, delete, user=spot.member)
        assert (await click.response())["type"] == 6
        await spot.fake.wait_for(lambda: spot.fake.deleted_messages)
        assert spot.fake.deleted_messages[0]["id"] == answer["id"]

        # A suggestion: the asker's click answers in place, as it did before the restart.
        chosen = unsure.alternatives[0]
        pick = button(suggestions, chosen.exercise)["custom_id"]
        refused = await private_reply(spot, suggestions, pick, user=spot.other)
        assert "Only the person who asked" in refused["content"]
        click = await spot.fake.click(suggestions, pick, user=spot.member)
        assert (await click.response())["type"] == 7
        edited = current(spot, suggestions)
        assert embed(edited)["title"] == f"{chosen.exercise}: {chosen.heading}"
        assert embed(edited)["description"] == chosen.text
        helpful = button(edited, "Helpful")["custom_id"]
        assert question_of(edited) in pick  # the same question, so feedback lands on it
        thanks = await private_reply(spot, edited, helpful, user=spot.member)
        assert thanks["content"] == "Thanks for the feedback!"

        # The private /exercise card switches tabs in place and can still be shared.
        click = await spot.fake.click(card, button(card, "Pro tips")["custom_id"], user=spot.member)
        assert (await click.response())["type"] == 7
        card = current(spot, card)
        assert embed(card)["title"] == "Plank: Pro tips" and button(card, "Pro tips")["disabled"]
        share = await spot.fake.click(
            card, button(card, "Share in channel")["custom_id"], user=spot.member
        )
        shared = await share.wait_for_message()
        assert not is_ephemeral(shared) and embed(shared)["title"] == "Plank: Pro tips"

        # "Exercise not found": the closest name answers in place.
        click = await spot.fake.click(
            not_found, button(not_found, closest[0].name)["custom_id"], user=spot.member
        )
        assert (await click.response())["type"] == 7
        assert embed(current(spot, not_found))["title"] == closest[0].name


async def test_the_which_one_menu_works_after_a_restart(start_spotter: StartSpotter) -> None:
    async with start_spotter(pages=VERSION_PAGES) as first:
        menu_message = await first.answer(WHICH_ONE)
    menu = menu_of(menu_message)
    seated = next(o["value"] for o in menu["options"] if o["label"] == "Seated Cable Row")

    async with restarted(first) as spot:
        refused = await private_reply(
            spot, menu_message, menu["custom_id"], user=spot.other, values=[seated]
        )
        assert "Only the person who asked" in refused["content"]
        click = await spot.fake.click(
            menu_message, menu["custom_id"], user=spot.member, values=[seated]
        )
        assert (await click.response())["type"] == 7
        passage = spot.bot.library.index.passage_for(WHICH_ONE, "seated-cable-row")
        assert passage is not None
        edited = current(spot, menu_message)
        assert embed(edited)["title"] == f"Seated Cable Row: {passage.heading}"
        assert "Helpful" in [c["label"] for c in components(edited)]


async def test_buttons_of_a_removed_page_or_question_say_so(start_spotter: StartSpotter) -> None:
    async with start_spotter(pages=VERSION_PAGES) as first:
        menu_message = await first.answer(WHICH_ONE)
        forgotten = await first.answer(WHICH_ONE)
        answer = await first.answer("how heavy should the kneeling cable row be")
        assert embed(answer)["title"].startswith("Kneeling Cable Row")
        card = await (
            await first.fake.invoke_slash(
                "exercise", {"name": "kneeling-cable-row"}, user=first.member
            )
        ).wait_for_message()
    (first.knowledge / "kneeling-cable-row.md").unlink()  # gone by the next start
    menu = menu_of(menu_message)
    kneeling = next(o["value"] for o in menu["options"] if o["label"] == "Kneeling Cable Row")
    forgotten_menu = menu_of(forgotten)
    question_id = forgotten_menu["custom_id"].split(":")[2]
    with contextlib.closing(sqlite3.connect(first.database)) as db, db:
        db.execute("DELETE FROM questions WHERE id = ?", (question_id,))  # as retention would

    async with restarted(first) as spot:
        assert spot.bot.library.page("kneeling-cable-row") is None
        gone = [
            await private_reply(
                spot, menu_message, menu["custom_id"], user=spot.member, values=[kneeling]
            ),
            await private_reply(
                spot, answer, button(answer, "How to perform")["custom_id"], user=spot.other
            ),
            await private_reply(
                spot, card, button(card, "How to perform")["custom_id"], user=spot.member
            ),
            await private_reply(
                spot, card, button(card, "Share in channel")["custom_id"], user=spot.member
            ),
        ]
        assert [reply["content"] for reply in gone] == [GONE] * 4
        assert current(spot, menu_message)["embeds"] == menu_message["embeds"]  # unchanged

        seated = next(o["value"] for o in menu["options"] if o["label"] == "Seated Cable Row")
        reply = await private_reply(
            spot, forgotten, forgotten_menu["custom_id"], user=spot.member, values=[seated]
        )
        assert reply["content"] == QUESTION_GONE


async def test_buttons_of_an_older_version_answer_too(spotter_bot: Spotter) -> None:
    """Before buttons were persistent, custom_ids carried less: a section button only the
    question id (the log names the page), the others nothing a new process can use."""
    spot = spotter_bot
    answer = await spot.answer(REPS_QUESTION)
    question_id = question_of(answer)
    page = spot.bot.library.page(spot.bot.library.answer(REPS_QUESTION).answer.slug)
    legacy_ids = [
        f"spotter:section:how_to:{question_id}",
        f"spotter:delete:{question_id}",
        f"spotter:pick:0:{question_id}",
        "spotter:exercise:tips",
    ]
    old = spot.fake.world.new_message(
        channel=spot.channel,
        author=spot.fake.world.bot_user,
        body={
            "embeds": answer["embeds"],
            "components": [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "style": 2, "label": f"Old {n}", "custom_id": custom_id}
                        for n, custom_id in enumerate(legacy_ids)
                    ],
                }
            ],
        },
    )
    section = await private_reply(spot, old, legacy_ids[0], user=spot.other)
    assert embed(section)["title"] == f"{page.name}: How to perform"
    for custom_id in legacy_ids[1:]:
        reply = await private_reply(spot, old, custom_id, user=spot.member)
        assert reply["content"] == STALE


async def test_pages_with_long_slugs_fit_and_are_told_apart(start_spotter: StartSpotter) -> None:
    """A custom_id holds 100 characters: a long slug goes in as its start and a digest."""
    stances = (
        "Half Kneeling Single Arm Rotational Paused",
        "Half Kneeling Single Arm Rotational Tempo",
    )
    pages = {
        f"{stance.lower().replace(' ', '-')}-cable-row.md": version_page(stance)
        for stance in stances
    }
    async with start_spotter(pages=pages) as first:
        slugs = sorted(first.bot.library.kb.pages)
        assert all(len(slug) > 32 for slug in slugs) and slugs[0][:23] == slugs[1][:23]
        cards = [
            await (
                await first.fake.invoke_slash("exercise", {"name": slug}, user=first.member)
            ).wait_for_message()
            for slug in slugs
        ]
        menu_message = await first.answer(WHICH_ONE)
    for message in (*cards, menu_message):
        assert all(len(custom_id) <= 100 for custom_id in custom_ids(message))

    async with restarted(first) as spot:
        for slug, card in zip(slugs, cards, strict=True):
            name = spot.bot.library.page(slug).name
            click = await spot.fake.click(
                card, button(card, "How to perform")["custom_id"], user=spot.member
            )
            assert (await click.response())["type"] == 7
            assert embed(current(spot, card))["title"] == f"{name}: How to perform"
        menu = menu_of(menu_message)
        option = menu["options"][1]
        click = await spot.fake.click(
            menu_message, menu["custom_id"], user=spot.member, values=[option["value"]]
        )
        assert (await click.response())["type"] == 7
        assert embed(current(spot, menu_message))["title"].startswith(f"{option['label']}: ")


async def test_exercise_menus_faq_pages_and_the_rest_work_after_a_restart(
    start_spotter: StartSpotter,
) -> None:
    pages = {**VERSION_PAGES, "cable-fly.md": cable_fly_page()}
    async with start_spotter(pages=pages) as first:
        which = await (
            await first.fake.invoke_slash("exercise", {"name": "cable row"}, user=first.member)
        ).wait_for_message()
        fly = await (
            await first.fake.invoke_slash("exercise", {"name": "cable fly"}, user=first.member)
        ).wait_for_message()
        click = await first.fake.click(fly, button(fly, "FAQ")["custom_id"], user=first.member)
        await click.response()
        fly = current(first, fly)
    (menu,) = components(which)
    seated = next(o["value"] for o in menu["options"] if o["label"] == "Seated Cable Row")

    async with restarted(first) as spot:
        click = await spot.fake.click(which, menu["custom_id"], user=spot.member, values=[seated])
        assert (await click.response())["type"] == 7
        assert embed(current(spot, which))["title"] == "Seated Cable Row"

        show_rest = button(fly, "Show the rest")["custom_id"]
        rest = await private_reply(spot, fly, show_rest, user=spot.other)
        assert embed(rest)["description"] == LONG_ANSWER
        click = await spot.fake.click(
            fly, button(fly, "Next questions ▶")["custom_id"], user=spot.member
        )
        assert (await click.response())["type"] == 7
        assert embed(current(spot, fly))["description"].startswith("Questions 11–")
