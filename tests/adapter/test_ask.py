"""/ask end to end: the answer card, its buttons, abstentions, visibility, cooldown, the log."""

from __future__ import annotations

import pytest

from fakediscord import allows_mass_ping
from tests.adapter.helpers import (
    REPS_QUESTION,
    abstaining,
    button,
    components,
    custom_ids,
    embed,
    is_ephemeral,
    middling,
    versioned_question,
)
from tests.pages import version_page


async def test_answer_card_with_buttons_and_log(spotter_bot) -> None:
    spot = spotter_bot
    asked, result = versioned_question(spot)
    expected = result.answer
    assert expected is not None

    inter = await spot.ask(asked)
    body = await inter.response()
    message = await inter.wait_for_message()

    assert body["type"] == 4 and not is_ephemeral(message)
    card = embed(message)
    assert card["title"] == f"{expected.exercise}: {expected.heading}"
    assert card["description"] == expected.text
    assert card["footer"]["text"] == (
        f"Answered from {expected.exercise} › FAQ · {int(expected.score * 100)}% sure"
    )
    fields = {f["name"]: f["value"] for f in card["fields"]}
    assert "spotter.example" in fields["Links"]
    # Sure, and the runner-up is another version of the same exercise: offered as such.
    (version,) = [m for m in result.alternatives if m.exercise == "Single Leg Calf Raise"]
    assert fields["Other versions"] == "Single Leg Calf Raise"
    related = [p.name for p in spot.bot.library.related(expected.slug, exclude=[version.slug])]
    # Related: same target muscle, not already offered as a version.
    assert fields.get("Related exercises") == (", ".join(related) if related else None)
    labels = [c["label"] for c in components(message)]
    assert labels == [
        "How to perform",
        "Common mistakes",
        "Helpful",
        "Not helpful",
        "Delete",
        "Single Leg Calf Raise",
    ]
    assert not allows_mass_ping(message)

    (row,) = await spot.rows(
        "SELECT id, guild_id, channel_id, question, source, slug, section, answered FROM questions"
    )
    question_id, guild_id, channel_id, question, source, slug, section, answered = row
    assert (guild_id, channel_id) == (spot.guild.id, spot.channel.id)
    assert (question, source, slug, section, answered) == (
        asked,
        "slash",
        expected.slug,
        expected.section,
        1,
    )
    # Each button carries what a click needs, after a restart too: the feedback buttons the
    # logged question's id, the sections their page, Delete the asker.
    assert custom_ids(message) == [
        f"spotter:section:how_to:{expected.slug}",
        f"spotter:section:mistakes:{expected.slug}",
        f"spotter:vote:up:{question_id}",
        f"spotter:vote:down:{question_id}",
        f"spotter:delete:{spot.member.id}",
        f"spotter:pick:{question_id}:{spot.member.id}:{version.slug}",
    ]
    assert all(len(cid) <= 100 for cid in custom_ids(message))


async def test_section_buttons_answer_privately(spotter_bot) -> None:
    spot = spotter_bot
    message = await spot.answer(REPS_QUESTION)
    slug = spot.bot.library.answer(REPS_QUESTION).answer.slug
    page = spot.bot.library.page(slug)

    for label in ("How to perform", "Common mistakes"):
        click = await spot.fake.click(message, button(message, label)["custom_id"], user=spot.other)
        reply = await click.wait_for_message()
        assert is_ephemeral(reply)
        assert embed(reply)["title"] == f"{page.name}: {label}"
    assert embed(reply)["description"].startswith(f"- {page.mistakes[0].text}")


CLOSE_CALLS = (
    "incline pushup progresion to normal",
    "push up progression",
    "pull up progression",
    "how high should the surface be for incline push ups",
    "hamer curls for forarms",
)


async def test_a_close_call_between_a_pages_answers_offers_the_others(spotter_bot) -> None:
    """When no one answer of the page stands out, the next ones are a click away (privately),
    besides the sections whose own buttons are there anyway."""
    spot = spotter_bot
    # Close calls, the first one still a close call under the shipped weights is shown (a
    # refit moves how sure each passage is).
    question, result = next(
        (question, result)
        for question in CLOSE_CALLS
        if (result := spot.bot.library.answer(question)).answer is not None
        and any(m.section == "faq" for m in result.also)
    )
    assert result.answer is not None
    message = await spot.answer(question)
    page = spot.bot.library.page(result.answer.slug)
    faq = [m.heading for m in result.also if m.section == "faq"]
    assert faq, result.also
    labels = [c["label"] for c in components(message)]
    assert [label for label in labels if label.startswith("Or: ")] == [
        f"Or: {m.heading}" for m in result.also if m.section not in ("how_to", "mistakes")
    ]
    assert labels.count("Common mistakes") == 1  # its own button, not a second one
    click = await spot.fake.click(
        message, button(message, f"Or: {faq[0]}")["custom_id"], user=spot.other
    )
    reply = await click.wait_for_message()
    assert is_ephemeral(reply)
    (entry,) = [e for e in page.faq if e.question == faq[0]]
    assert embed(reply)["title"] == entry.question
    assert embed(reply)["description"] == entry.answer


async def test_votes_are_recorded_and_can_change(spotter_bot) -> None:
    spot = spotter_bot
    message = await spot.answer(REPS_QUESTION)
    helpful = button(message, "Helpful")["custom_id"]
    not_helpful = button(message, "Not helpful")["custom_id"]

    replies = []
    for user, custom_id in (
        (spot.member, helpful),
        (spot.member, helpful),
        (spot.member, not_helpful),
        (spot.other, helpful),
    ):
        click = await spot.fake.click(message, custom_id, user=user)
        replies.append(await click.wait_for_message())

    assert all(is_ephemeral(reply) for reply in replies)
    assert [reply["content"] for reply in replies] == [
        "Thanks for the feedback!",
        "You already voted that way. Thanks!",
        "Got it, I changed your vote.",
        "Thanks for the feedback!",
    ]
    (question_id,) = (await spot.rows("SELECT id FROM questions"))[0]
    votes = await spot.rows("SELECT question_id, helpful FROM votes ORDER BY helpful")
    assert votes == [(question_id, 0), (question_id, 1)]


async def test_only_the_asker_can_delete(spotter_bot) -> None:
    spot = spotter_bot
    message = await spot.answer(REPS_QUESTION)
    delete = button(message, "Delete")["custom_id"]

    refused = await spot.fake.click(message, delete, user=spot.other)
    reply = await refused.wait_for_message()
    assert is_ephemeral(reply) and "Only the person who asked" in reply["content"]
    assert not spot.fake.deleted_messages

    click = await spot.fake.click(message, delete, user=spot.member)
    assert (await click.response())["type"] == 6  # acknowledged without a new message
    await spot.fake.wait_for(lambda: spot.fake.deleted_messages)
    assert spot.fake.deleted_messages[0]["id"] == message["id"]


async def test_delete_window_closes(start_spotter) -> None:
    async with start_spotter(delete_button_seconds=0) as spot:
        message = await spot.answer(REPS_QUESTION)
        click = await spot.fake.click(
            message, button(message, "Delete")["custom_id"], user=spot.member
        )
        reply = await click.wait_for_message()
    assert reply["content"] == "This answer can no longer be deleted."
    assert not spot.fake.deleted_messages


async def test_abstention_offers_suggestions_that_answer_in_place(spotter_bot) -> None:
    spot = spotter_bot
    question, result = await abstaining(spot)
    assert result.answer is None and result.alternatives

    message = await spot.answer(question)
    card = embed(message)
    assert card["title"] == "No confident answer"
    assert "Did you mean" in card["description"]
    labels = [c["label"] for c in components(message) if c["custom_id"].startswith("spotter:pick")]
    assert labels == [match.exercise for match in result.alternatives]
    (row,) = await spot.rows("SELECT answered, slug FROM questions")
    assert row == (0, None)

    pick = button(message, labels[0])["custom_id"]
    refused = await spot.fake.click(message, pick, user=spot.other)
    assert "Only the person who asked" in (await refused.wait_for_message())["content"]

    click = await spot.fake.click(message, pick, user=spot.member)
    assert (await click.response())["type"] == 7  # the message itself changes
    edited = spot.fake.world.messages[int(message["id"])]
    chosen = result.alternatives[0]
    assert embed(edited)["title"] == f"{chosen.exercise}: {chosen.heading}"
    assert embed(edited)["description"] == chosen.text
    assert "Helpful" in [c["label"] for c in components(edited)]


async def test_stricter_guild_threshold_abstains(spotter_bot) -> None:
    spot = spotter_bot
    question, confident = middling(spot)
    await spot.bot.store.update_guild_settings(spot.guild.id, min_confidence=confident.score + 0.01)

    message = await spot.answer(question)
    assert embed(message)["title"] == "No confident answer"
    # What the default threshold would have answered becomes the first suggestion.
    first = next(c for c in components(message) if c["custom_id"].startswith("spotter:pick"))
    assert first["label"] == confident.exercise
    other_guild = await spot.fake.add_guild("Elsewhere")
    await spot.fake.add_channel(other_guild, "general")
    elsewhere = await spot.fake.add_member(other_guild, spot.member.user)
    assert embed(await spot.answer(question, user=elsewhere))["title"] != ("No confident answer")


async def test_nothing_to_suggest(spotter_bot) -> None:
    message = await spotter_bot.answer("what is the meaning of life")
    card = embed(message)
    assert card["title"] == "No confident answer"
    assert "Try naming the exercise" in card["description"]
    assert [c["label"] for c in components(message)] == ["Delete"]


async def test_private_answers_per_guild(spotter_bot) -> None:
    spot = spotter_bot
    await spot.bot.store.update_guild_settings(spot.guild.id, ask_visibility="private")
    message = await spot.answer(REPS_QUESTION)
    assert is_ephemeral(message)
    assert "Delete" not in [c["label"] for c in components(message)]


async def test_private_answers_by_config(start_spotter) -> None:
    async with start_spotter(ask_visibility="private") as spot:
        message = await spot.answer(REPS_QUESTION)
    assert is_ephemeral(message)


@pytest.mark.parametrize("guild_override", [False, True])
async def test_cooldown_refuses_politely(start_spotter, guild_override) -> None:
    settings = {"cooldown_rate": 2, "cooldown_seconds": 0 if guild_override else 60}
    async with start_spotter(**settings) as spot:
        if guild_override:
            await spot.bot.store.update_guild_settings(spot.guild.id, cooldown_seconds=60)
        answers = [await spot.answer(REPS_QUESTION) for _ in range(2)]
        refused = await spot.answer(REPS_QUESTION)
        someone_else = await spot.answer(REPS_QUESTION, user=spot.other)
        logged = await spot.rows("SELECT count(*) FROM questions")
    assert all(embed(message) for message in answers)
    assert is_ephemeral(refused) and not refused["embeds"]
    assert refused["content"].startswith("Slow down a little: you can ask again in ")
    assert refused["content"].endswith(" s.")
    assert embed(someone_else)
    assert logged == [(3,)]  # refused questions are not answered, so not logged


async def test_dm_ask(start_spotter) -> None:
    async with start_spotter() as spot:
        inter = await spot.ask(REPS_QUESTION, user=spot.member.user)
        answered = await inter.wait_for_message()
    assert embed(answered)["title"]
    async with start_spotter(allow_dms=False) as spot:
        inter = await spot.ask(REPS_QUESTION, user=spot.member.user)
        refused = await inter.wait_for_message()
    assert is_ephemeral(refused) and refused["content"] == "I only answer questions in servers."


async def test_related_exercises_are_shown(spotter_bot) -> None:
    spot = spotter_bot
    library = spot.bot.library
    shown = 0
    for question in ("how long should I hold a plank", "how do I do a goblet squat"):
        result = library.answer(question)
        offered = [match.slug for match in result.alternatives]
        related = library.related(result.answer.slug, exclude=offered)
        if not related:
            continue
        message = await spot.answer(question)
        fields = {f["name"]: f["value"] for f in embed(message)["fields"]}
        assert fields["Related exercises"] == ", ".join(page.name for page in related)
        shown += 1
    assert shown


async def test_versions_that_fit_equally_get_a_which_one_menu(start_spotter) -> None:
    pages = {
        f"{stance.lower()}-cable-row.md": version_page(stance) for stance in ("Kneeling", "Seated")
    }
    async with start_spotter(pages=pages) as spot:
        question = "how do i do a cable row"
        result = spot.bot.library.answer(question)
        assert result.answer is None and len(result.ambiguous) == 2

        message = await spot.answer(question)
        card = embed(message)
        assert card["title"] == "Which one do you mean?"
        (menu,) = [c for c in components(message) if c["custom_id"].startswith("spotter:variant")]
        assert [option["label"] for option in menu["options"]] == [
            match.exercise for match in result.alternatives
        ]

        values = [option["value"] for option in menu["options"]]
        assert values == [match.slug for match in result.alternatives]  # each names its page
        refused = await spot.fake.click(
            message, menu["custom_id"], user=spot.other, values=values[:1]
        )
        assert "Only the person who asked" in (await refused.wait_for_message())["content"]

        chosen = await spot.fake.click(
            message, menu["custom_id"], user=spot.member, values=values[1:]
        )
        assert (await chosen.response())["type"] == 7  # answered in place
        edited = spot.fake.world.messages[int(message["id"])]
        picked = result.alternatives[1]
        assert embed(edited)["title"] == f"{picked.exercise}: {picked.heading}"
        assert "Helpful" in [c["label"] for c in components(edited)]
