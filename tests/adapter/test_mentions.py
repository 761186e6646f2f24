"""Questions asked by @mention, in DMs, and with the "Find answer" message menu."""

from __future__ import annotations

from fakediscord import ChannelType, Overwrite, Perm, allows_mass_ping
from tests.adapter.helpers import (
    REPS_QUESTION,
    button,
    components,
    embed,
    is_ephemeral,
    versioned_question,
)


def replies_to(spot, posted) -> list[dict]:
    return [
        m
        for m in spot.fake.sent_messages
        if (m.get("message_reference") or {}).get("message_id") == posted["id"]
    ]


async def test_mention_is_answered_with_a_reply(spotter_bot) -> None:
    spot = spotter_bot
    question, result = versioned_question(spot)
    expected = result.answer
    assert expected is not None
    posted = await spot.fake.post_message(
        question, author=spot.member, channel=spot.channel, mention_bot=True
    )
    reply = await spot.fake.wait_for_message(channel=spot.channel)

    assert reply["message_reference"]["message_id"] == posted["id"]
    assert embed(reply)["title"] == f"{expected.exercise}: {expected.heading}"
    labels = [c["label"] for c in components(reply)]
    # The last: another version of the exercise, to pick instead.
    assert labels == [
        "How to perform",
        "Common mistakes",
        "Helpful",
        "Not helpful",
        "Delete",
        "Single Leg Calf Raise",
    ]
    assert reply["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert not allows_mass_ping(reply)
    (row,) = await spot.rows("SELECT source, slug, answered FROM questions")
    assert row == ("mention", expected.slug, 1)

    # The same buttons work on a reply as on a slash answer.
    click = await spot.fake.click(reply, button(reply, "Delete")["custom_id"], user=spot.member)
    await click.response()
    await spot.fake.wait_for(lambda: spot.fake.deleted_messages)


async def test_mention_with_comma_and_nickname_mention(spotter_bot) -> None:
    spot = spotter_bot
    bot_id = spot.fake.bot_user.id
    await spot.fake.post_message(
        f"<@!{bot_id}>, {REPS_QUESTION}", author=spot.member, channel=spot.channel
    )
    reply = await spot.fake.wait_for_message(channel=spot.channel)
    (question,) = (await spot.rows("SELECT question FROM questions"))[0]
    assert embed(reply)["title"] and question == REPS_QUESTION


async def test_bare_mention_gets_a_hint(spotter_bot) -> None:
    spot = spotter_bot
    await spot.fake.post_message("", author=spot.member, channel=spot.channel, mention_bot=True)
    reply = await spot.fake.wait_for_message(channel=spot.channel)
    assert "\n" not in reply["content"] and "/ask" in reply["content"]
    assert not reply["embeds"] and not reply["components"]
    assert await spot.rows("SELECT count(*) FROM questions") == [(0,)]


async def test_ignores_bots_and_unaddressed_messages(spotter_bot) -> None:
    spot = spotter_bot
    robot = await spot.fake.add_member(spot.guild, spot.fake.make_user("robot", bot=True))
    await spot.fake.post_message(REPS_QUESTION, author=robot, mention_bot=True)
    await spot.fake.post_message(REPS_QUESTION, author=spot.member)  # not addressed to us
    # A message after them that is answered: by then the two before were handled.
    await spot.fake.post_message("", author=spot.member, mention_bot=True)
    await spot.fake.wait_for_message(channel=spot.channel)
    await spot.fake.wait_for(lambda: len(spot.fake.sent_messages) >= 1)
    assert len(spot.fake.sent_messages) == 1
    assert await spot.rows("SELECT count(*) FROM questions") == [(0,)]


async def test_direct_messages(start_spotter) -> None:
    async with start_spotter() as spot:
        posted = await spot.fake.post_message(REPS_QUESTION, author=spot.member.user)
        reply = await spot.fake.wait_for_message()
        (row,) = await spot.rows("SELECT source, guild_id, answered FROM questions")
    assert reply["channel_id"] == posted["channel_id"] and embed(reply)["title"]
    assert row == ("mention", None, 1)

    async with start_spotter(allow_dms=False) as spot:
        before = len(spot.fake.sent_messages)
        await spot.fake.post_message(REPS_QUESTION, author=spot.member.user)
        await spot.fake.post_message("", author=spot.member, mention_bot=True)
        await spot.fake.wait_for_message(channel=spot.channel)
    # Only the guild message was answered (with a hint); the DM was not.
    assert len(spot.fake.sent_messages) == before + 1


async def test_mention_cooldown_warns_once(start_spotter) -> None:
    async with start_spotter(cooldown_rate=1, cooldown_seconds=60) as spot:
        for _ in range(4):
            await spot.fake.post_message(REPS_QUESTION, author=spot.member, mention_bot=True)
        await spot.fake.post_message(REPS_QUESTION, author=spot.other, mention_bot=True)
        await spot.fake.wait_for(lambda: len(spot.fake.sent_messages) >= 3)
        sent = list(spot.fake.sent_messages)
        logged = await spot.rows("SELECT count(*) FROM questions")
    answered, warning, other = sent
    assert embed(answered)
    assert warning["content"].startswith("Slow down a little") and not warning["embeds"]
    assert embed(other)
    assert logged == [(2,)]


async def test_one_failing_channel_does_not_stop_the_bot(spotter_bot) -> None:
    spot = spotter_bot
    bot_role = next(role for role in spot.guild.roles.values() if role.managed)
    locked = await spot.fake.add_channel(
        spot.guild,
        "locked",
        overwrites=[Overwrite(bot_role.id, 0, deny=int(Perm.SEND_MESSAGES))],
    )
    await spot.fake.post_message(
        REPS_QUESTION, author=spot.member, channel=locked, mention_bot=True
    )
    await spot.fake.wait_for(lambda: spot.fake.denied)
    await spot.fake.post_message(REPS_QUESTION, author=spot.member, mention_bot=True)
    reply = await spot.fake.wait_for_message(channel=spot.channel)
    assert embed(reply)["title"]


async def test_find_answer_menu(spotter_bot) -> None:
    spot = spotter_bot
    expected = spot.bot.library.answer(REPS_QUESTION).answer
    posted = await spot.fake.post_message(
        f"hey @everyone {REPS_QUESTION}", author=spot.other, channel=spot.channel
    )
    inter = await spot.fake.context_menu("Find answer", posted, user=spot.member)
    message = await inter.wait_for_message()

    assert not is_ephemeral(message)
    content = message["content"]
    assert content.startswith(f"Answering <@{spot.other.id}> (")
    assert posted["id"] in content  # the jump link
    assert "@\u200beveryone" in content  # quoted, never pinging
    # The author is named, not pinged: no user (nor anyone else) may be mentioned.
    assert message["allowed_mentions"] == {"parse": []}
    assert embed(message)["title"] == f"{expected.exercise}: {expected.heading}"
    # Delete belongs to whoever used the menu.
    assert button(message, "Delete")
    (row,) = await spot.rows("SELECT source, answered FROM questions")
    assert row == ("context_menu", 1)


async def test_find_answer_on_empty_message(spotter_bot) -> None:
    spot = spotter_bot
    thread = await spot.fake.add_channel(
        spot.guild, "thread", type=ChannelType.PUBLIC_THREAD, parent=spot.channel
    )
    posted = await spot.fake.post_message("", author=spot.other, channel=thread)
    inter = await spot.fake.context_menu("Find answer", posted, user=spot.member)
    reply = await inter.wait_for_message()
    assert is_ephemeral(reply) and reply["content"] == "That message has no text I can answer."
