"""/exercise end to end: autocomplete, the card and its tabs, sharing, unknown names."""

from __future__ import annotations

from tests.discord.helpers import button, components, embed, is_ephemeral

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
    inter = await spot.fake.invoke_slash(
        "exercise", {"name": "goblet-squat"}, user=spot.member
    )
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
    tips = await spot.fake.click(private, button(private, "Pro tips")["custom_id"],
                                 user=spot.member)
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


async def test_unknown_name_offers_closest(spotter_bot) -> None:
    spot = spotter_bot
    _, closest = spot.bot.library.index.lookup("calf raze")
    assert closest
    inter = await spot.fake.invoke_slash("exercise", {"name": "calf raze"}, user=spot.member)
    message = await inter.wait_for_message()
    card = embed(message)
    assert card["title"] == "Exercise not found"
    assert "calf raze" in card["description"]
    assert [c["label"] for c in components(message)] == [page.name for page in closest]

    chosen = closest[0]
    click = await spot.fake.click(
        message, button(message, chosen.name)["custom_id"], user=spot.member
    )
    assert (await click.response())["type"] == 7
    message = spot.fake.world.messages[int(message["id"])]
    assert embed(message)["title"] == chosen.name
    assert "How to perform" in [c["label"] for c in components(message)]


async def test_nothing_close(spotter_bot) -> None:
    spot = spotter_bot
    inter = await spot.fake.invoke_slash("exercise", {"name": "zzzzqqq"}, user=spot.member)
    message = await inter.wait_for_message()
    assert embed(message)["title"] == "Exercise not found"
    assert not message["components"]
