"""/exercise end to end: autocomplete, the card and its tabs, sharing, unknown names."""

from __future__ import annotations

from tests.adapter.helpers import button, components, embed, is_ephemeral
from tests.pages import LONG_ANSWER, cable_fly_page

TABS = ["Overview", "How to perform", "Pro tips", "Common mistakes", "FAQ"]


async def test_autocomplete(spotter_bot) -> None:
    spot = spotter_bot
    fake = spot.fake
    everything = await fake.autocomplete("exercise", focused="name", user=spot.member)
    names = [choice["name"] for choice in everything]
    assert len(everything) == 25
    assert names == sorted(names, key=str.lower)  # empty prefix: alphabetical
    assert all(choice["value"] in spot.bot.library.kb.pages for choice in everything)

    calves = await fake.autocomplete(
        "exercise", {"name": "calf rai"}, focused="name", user=spot.member
    )
    values = [choice["value"] for choice in calves]
    assert values and all("calf-raise" in value for value in values[:4])
    assert len(values) == len(set(values))  # one choice per exercise


async def test_card_with_tabs_switches_in_place(spotter_bot) -> None:
    spot = spotter_bot
    page = spot.bot.library.page("goblet-squat")
    inter = await spot.fake.invoke_slash("exercise", {"name": "goblet-squat"}, user=spot.member)
    message = await inter.wait_for_message()

    assert is_ephemeral(message)  # exercise cards are private by default
    card = embed(message)
    assert card["title"] == page.name and card["description"] == page.summary
    assert "Attributes" in [field["name"] for field in card["fields"]]
    labels = [c["label"] for c in components(message)]
    assert labels == [*TABS, "Share in channel"]
    assert button(message, "Overview")["disabled"]

    for tab in TABS[1:]:
        click = await spot.fake.click(message, button(message, tab)["custom_id"], user=spot.member)
        assert (await click.response())["type"] == 7
        message = spot.fake.world.messages[int(message["id"])]
        assert embed(message)["title"] == f"{page.name}: {tab}"
        assert button(message, tab)["disabled"] and not button(message, "Overview")["disabled"]
    faq = embed(message)["fields"]
    assert [field["name"] for field in faq] == [entry.question for entry in page.faq]


async def test_share_in_channel(spotter_bot) -> None:
    spot = spotter_bot
    inter = await spot.fake.invoke_slash("exercise", {"name": "plank"}, user=spot.member)
    private = await inter.wait_for_message()
    tips = await spot.fake.click(
        private, button(private, "Pro tips")["custom_id"], user=spot.member
    )
    await tips.response()

    share = await spot.fake.click(
        private, button(private, "Share in channel")["custom_id"], user=spot.member
    )
    shared = await share.wait_for_message()
    assert not is_ephemeral(shared)
    assert embed(shared)["title"] == "Plank: Pro tips"  # the card as it was shown
    assert "Share in channel" not in [c["label"] for c in components(shared)]

    # On the shared card, someone else gets the tab privately; the card stays as it is.
    other = await spot.fake.click(shared, button(shared, "FAQ")["custom_id"], user=spot.other)
    reply = await other.wait_for_message()
    assert is_ephemeral(reply) and embed(reply)["title"] == "Plank: FAQ"
    assert button(reply, "FAQ")["disabled"]  # their own copy, on that tab, to read on
    assert embed(spot.fake.world.messages[int(shared["id"])])["title"] == "Plank: Pro tips"

    # Its owner switches it in place.
    mine = await spot.fake.click(shared, button(shared, "FAQ")["custom_id"], user=spot.member)
    assert (await mine.response())["type"] == 7
    assert embed(spot.fake.world.messages[int(shared["id"])])["title"] == "Plank: FAQ"


async def test_public_cards_per_guild(spotter_bot) -> None:
    spot = spotter_bot
    await spot.bot.store.update_guild_settings(spot.guild.id, exercise_visibility="public")
    inter = await spot.fake.invoke_slash("exercise", {"name": "Push-Up"}, user=spot.member)
    message = await inter.wait_for_message()
    assert not is_ephemeral(message)
    assert "Share in channel" not in [c["label"] for c in components(message)]


async def test_a_missing_name_offers_the_nearest_names(spotter_bot) -> None:
    spot = spotter_bot
    nearest = spot.bot.library.index.find("zottman curl").nearest
    assert nearest and all("Curl" in page.name for page in nearest)
    inter = await spot.fake.invoke_slash("exercise", {"name": "zottman curl"}, user=spot.member)
    message = await inter.wait_for_message()
    card = embed(message)
    assert card["title"] == "Exercise not found"
    assert "zottman curl" in card["description"]
    assert [c["label"] for c in components(message)] == [page.name for page in nearest]

    chosen = nearest[0]
    click = await spot.fake.click(
        message, button(message, chosen.name)["custom_id"], user=spot.member
    )
    assert (await click.response())["type"] == 7
    message = spot.fake.world.messages[int(message["id"])]
    assert embed(message)["title"] == chosen.name
    assert "How to perform" in [c["label"] for c in components(message)]


async def test_a_name_several_exercises_share_offers_a_menu_of_them(spotter_bot) -> None:
    spot = spotter_bot
    await spot.bot.store.update_guild_settings(spot.guild.id, exercise_visibility="public")
    inter = await spot.fake.invoke_slash("exercise", {"name": "calf"}, user=spot.member)
    message = await inter.wait_for_message()
    card = embed(message)
    assert card["title"] == "Which exercise do you mean?"
    assert "Exercise not found" not in card["title"]
    (menu,) = components(message)
    calf_raises = {
        "Standing Calf Raise",
        "Seated Calf Raise",
        "Dumbbell Calf Raise",
        "Single Leg Calf Raise",
        "Band Single Leg Calf Raise",
    }
    assert {option["label"] for option in menu["options"]} == calf_raises
    dumbbell = next(o for o in menu["options"] if o["label"] == "Dumbbell Calf Raise")
    assert dumbbell["description"] == "Dumbbell · Calves"  # what tells them apart

    # Only the asker chooses; the choice turns the message into that exercise's card.
    refused = await spot.fake.click(
        message, menu["custom_id"], user=spot.other, values=[dumbbell["value"]]
    )
    assert "Only the person who asked" in (await refused.wait_for_message())["content"]
    chosen = await spot.fake.click(
        message, menu["custom_id"], user=spot.member, values=[dumbbell["value"]]
    )
    assert (await chosen.response())["type"] == 7
    message = spot.fake.world.messages[int(message["id"])]
    assert embed(message)["title"] == "Dumbbell Calf Raise"
    assert [c["label"] for c in components(message)] == TABS
    related = {f["name"]: f["value"] for f in embed(message)["fields"]}["Related exercises"]
    assert "Standing Calf Raise" in related  # its family, on the card


async def test_nothing_close(spotter_bot) -> None:
    spot = spotter_bot
    inter = await spot.fake.invoke_slash("exercise", {"name": "zzzzqqq"}, user=spot.member)
    message = await inter.wait_for_message()
    assert embed(message)["title"] == "Exercise not found"
    assert not message["components"]


def current(spot, message):
    return spot.fake.world.messages[int(message["id"])]


async def press(spot, message, label: str) -> None:
    """The card's owner presses a button that changes the card in place."""
    click = await spot.fake.click(message, button(message, label)["custom_id"], user=spot.member)
    assert (await click.response())["type"] == 7


async def test_every_faq_entry_is_reachable_by_paging(start_spotter) -> None:
    async with start_spotter(pages={"cable-fly.md": cable_fly_page()}) as spot:
        await spot.bot.store.update_guild_settings(spot.guild.id, exercise_visibility="public")
        inter = await spot.fake.invoke_slash("exercise", {"name": "cable fly"}, user=spot.member)
        message = await inter.wait_for_message()
        await press(spot, message, "FAQ")
        message = current(spot, message)
        assert button(message, "◀ Previous questions")["disabled"]

        seen: list[str] = []
        while True:
            card = embed(message)
            assert card["title"] == "Cable Fly: FAQ"
            assert card["description"].startswith(f"Questions {len(seen) + 1}–")
            assert card["description"].endswith(" of 40")
            seen += [field["name"] for field in card["fields"]]
            following = button(message, "Next questions ▶")
            if following["disabled"]:
                break
            click = await spot.fake.click(message, following["custom_id"], user=spot.member)
            assert (await click.response())["type"] == 7  # in place
            message = current(spot, message)
        assert seen == [f"Question {n} about the cable fly?" for n in range(1, 41)]

        # Back one card; someone else paging the public card gets their own copy, privately.
        back = await spot.fake.click(
            message, button(message, "◀ Previous questions")["custom_id"], user=spot.member
        )
        await back.response()
        message = current(spot, message)
        assert embed(message)["fields"][-1]["name"] != seen[-1]
        other = await spot.fake.click(
            message, button(message, "Next questions ▶")["custom_id"], user=spot.other
        )
        copy = await other.wait_for_message()
        assert is_ephemeral(copy) and embed(copy)["fields"][-1]["name"] == seen[-1]
        assert embed(current(spot, message))["fields"][-1]["name"] != seen[-1]  # unchanged


async def test_a_cut_text_shows_the_rest_privately_without_a_url(start_spotter) -> None:
    async with start_spotter(pages={"cable-fly.md": cable_fly_page(faq=12)}) as spot:
        inter = await spot.fake.invoke_slash("exercise", {"name": "cable fly"}, user=spot.member)
        message = await inter.wait_for_message()
        overview = embed(message)["description"]
        assert len(overview) < len(LONG_ANSWER) and "](" not in overview  # cut, no link
        rest = await spot.fake.click(
            message, button(message, "Show the rest")["custom_id"], user=spot.member
        )
        full = await rest.wait_for_message()
        assert is_ephemeral(full) and embed(full)["description"] == LONG_ANSWER

        await press(spot, message, "FAQ")
        message = current(spot, message)
        eighth = embed(message)["fields"][7]
        assert eighth["name"] == "Question 8 about the cable fly?" and len(eighth["value"]) <= 1024
        rest = await spot.fake.click(
            message, button(message, "Show the rest")["custom_id"], user=spot.member
        )
        full = await rest.wait_for_message()
        assert embed(full)["title"] == "Question 8 about the cable fly?"
        assert embed(full)["description"] == LONG_ANSWER

        # An answer to /ask that had to be cut offers the same.
        answer = await spot.answer("what is the cable fly")
        assert len(embed(answer)["description"]) < len(LONG_ANSWER)
        rest = await spot.fake.click(
            answer, button(answer, "Show the rest")["custom_id"], user=spot.other
        )
        full = await rest.wait_for_message()
        assert is_ephemeral(full) and embed(full)["description"] == LONG_ANSWER


async def test_a_cut_text_links_to_the_page_when_it_has_a_url(start_spotter) -> None:
    url = "https://gym.example/exercises/cable-fly"
    async with start_spotter(pages={"cable-fly.md": cable_fly_page(url=url, faq=12)}) as spot:
        inter = await spot.fake.invoke_slash("exercise", {"name": "cable fly"}, user=spot.member)
        message = await inter.wait_for_message()
        assert embed(message)["description"].endswith(f"[Read the full page]({url})")
        assert "Show the rest" not in [c["label"] for c in components(message)]
        await press(spot, message, "FAQ")
        eighth = embed(current(spot, message))["fields"][7]
        assert eighth["value"].endswith(f"[Read the full page]({url})")
        assert len(eighth["value"]) <= 1024
        assert "Show the rest" not in [c["label"] for c in components(current(spot, message))]


async def test_cards_link_to_the_page_url_setting_as_answers_do(start_spotter) -> None:
    pattern = "https://gym.example/exercises/{slug}.html"
    url = pattern.replace("{slug}", "cable-fly")
    async with start_spotter(
        pages={"cable-fly.md": cable_fly_page(faq=12)}, page_url=pattern
    ) as spot:
        inter = await spot.fake.invoke_slash("exercise", {"name": "cable fly"}, user=spot.member)
        message = await inter.wait_for_message()
        assert embed(message)["url"] == url
        assert embed(message)["description"].endswith(f"[Read the full page]({url})")
        assert "Show the rest" not in [c["label"] for c in components(message)]
        await press(spot, message, "FAQ")
        card = embed(current(spot, message))
        assert card["url"] == url and card["fields"][7]["value"].endswith(f"({url})")
        assert "Show the rest" not in [c["label"] for c in components(current(spot, message))]
        await press(spot, current(spot, message), "How to perform")
        assert embed(current(spot, message))["url"] == url

        # The answer's section buttons show cards linked the same way.
        answer = await spot.answer("what is the cable fly")
        assert embed(answer)["url"] == url
        steps = await spot.fake.click(
            answer, button(answer, "How to perform")["custom_id"], user=spot.other
        )
        assert embed(await steps.wait_for_message())["url"] == url

    async with start_spotter(page_url=pattern) as spot:
        page = spot.bot.library.page("goblet-squat")
        assert page is not None and not page.url
        inter = await spot.fake.invoke_slash("exercise", {"name": "goblet-squat"}, user=spot.member)
        card = embed(await inter.wait_for_message())
        assert card["url"] == pattern.replace("{slug}", "goblet-squat")
        (related,) = [f["value"] for f in card["fields"] if f["name"] == "Related exercises"]
        first = spot.bot.library.related("goblet-squat")[0]
        assert f"]({pattern.replace('{slug}', first.slug)})" in related


async def test_a_name_thirty_exercises_share_lists_the_first_25(start_spotter) -> None:
    pages = {
        f"squat-{n:02d}.md": f"# Squat Variation {n:02d}\n\n## FAQ\n\n### Reps?\n\n{n} reps.\n"
        for n in range(30)
    }
    async with start_spotter(pages=pages) as spot:
        inter = await spot.fake.invoke_slash("exercise", {"name": "squat"}, user=spot.member)
        message = await inter.wait_for_message()  # the fake refuses a menu of 26 or more
        (menu,) = components(message)
        assert len(menu["options"]) == 25
        assert "The first 25 of 30 are listed" in embed(message)["description"]
