"""More paths through the real discord.py client: follow-ups, files, replies, selects,
subcommands, threads, DMs, permissions, chunking, late answers and Discord's refusals."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass

import discord
import pytest
from discord import app_commands

from bot.adapter.connection import point_at
from fakediscord import (
    ChannelType,
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeMember,
    Overwrite,
    Perm,
    allows_mass_ping,
)


def make_client(
    intents: discord.Intents | None = None, **kwargs: object
) -> tuple[discord.Client, app_commands.CommandTree]:
    client = discord.Client(
        intents=intents or discord.Intents.default(), guild_ready_timeout=0.05, **kwargs
    )
    return client, app_commands.CommandTree(client)


@dataclass
class Place:
    guild: FakeGuild
    channel: FakeChannel
    member: FakeMember


@pytest.fixture
async def place(fake_discord: FakeDiscord) -> Place:
    guild = await fake_discord.add_guild("Gym")
    return Place(
        guild=guild,
        channel=await fake_discord.add_channel(guild, "general"),
        member=await fake_discord.add_member(guild, "bob"),
    )


async def test_followups_after_defer(fake_discord, running_bot, place) -> None:
    client, tree = make_client()

    @tree.command(name="ask", description="Ask a question")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send(f"Answer to {question}")
        await interaction.followup.send("More", ephemeral=False)

    async with running_bot(fake_discord, client):
        await tree.sync()
        inter = await fake_discord.invoke_slash("ask", {"question": "reps?"}, user=place.member)
        await fake_discord.wait_for(lambda: len(inter.followups) == 2, timeout=5)
    first, second = inter.followups
    assert first is inter.original  # the first follow-up replaced "thinking..."
    assert first["content"] == "Answer to reps?" and first["flags"] & 64
    assert second["content"] == "More" and not second["flags"] & 64
    assert (await inter.wait_for_message())["content"] == "Answer to reps?"


async def test_file_upload_and_reply(fake_discord, running_bot, place) -> None:
    client, _ = make_client()
    replies: list[discord.Message] = []

    @client.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        replies.append(
            await message.reply(
                "see attached", file=discord.File(io.BytesIO(b"12 reps"), "plan.txt")
            )
        )

    async with running_bot(fake_discord, client):
        posted = await fake_discord.post_message(
            "plan?", author=place.member, channel=place.channel, mention_bot=True
        )
        sent = await fake_discord.wait_for_message(channel=place.channel, timeout=5)
        await fake_discord.wait_for(lambda: replies, timeout=5)
    assert sent["type"] == 19 and sent["message_reference"]["message_id"] == posted["id"]
    assert [a["filename"] for a in sent["attachments"]] == ["plan.txt"]
    assert fake_discord.requests[-1].files[0]["data"] == b"12 reps"
    (reply,) = replies
    assert reply.reference is not None and reply.reference.message_id == int(posted["id"])
    assert reply.attachments[0].filename == "plan.txt"
    assert allows_mass_ping(sent)  # no allowed_mentions configured: Discord's default


async def test_member_replies_to_the_bot(fake_discord, running_bot, place) -> None:
    """A reply pings its author by default (Discord's client): the bot is mentioned, so it
    gets the content without the message content intent; a reply without the ping is not."""
    client, _ = make_client()
    seen: list[discord.Message] = []

    @client.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot:
            seen.append(message)

    async with running_bot(fake_discord, client):
        ours = await client.get_channel(place.channel.id).send("an answer")  # type: ignore[union-attr]
        answer = fake_discord.world.messages[ours.id]
        await fake_discord.post_message("and reps?", author=place.member, reply_to=answer)
        await fake_discord.post_message(
            "quiet", author=place.member, reply_to=answer, ping_replied=False
        )
        await fake_discord.wait_for(lambda: len(seen) == 2, timeout=5)
    pinged, quiet = seen
    assert client.user in pinged.mentions and pinged.content == "and reps?"
    assert pinged.reference is not None and pinged.reference.message_id == ours.id
    assert pinged.type is discord.MessageType.reply
    assert client.user not in quiet.mentions and quiet.content == ""  # no content intent


async def test_select_menu_and_update_message(fake_discord, running_bot, place) -> None:
    client, tree = make_client()
    picked: list[list[str]] = []

    class Picker(discord.ui.View):
        @discord.ui.select(
            custom_id="pick",
            options=[
                discord.SelectOption(label="Push-up", value="push-up"),
                discord.SelectOption(label="Plank", value="plank"),
            ],
        )
        async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
            picked.append(select.values)
            await interaction.response.edit_message(content=f"Picked {select.values[0]}", view=None)
            self.stop()

    @tree.command(name="pick", description="Pick an exercise")
    async def pick(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Pick one", view=Picker(timeout=None))

    async with running_bot(fake_discord, client):
        await tree.sync()
        inter = await fake_discord.invoke_slash("pick", user=place.member)
        message = await inter.wait_for_message(timeout=5)
        with pytest.raises(ValueError):
            await fake_discord.click(message, "pick", user=place.member, values=["nope"])
        click = await fake_discord.click(message, "pick", user=place.member, values=["plank"])
        assert (await click.response(timeout=5))["type"] == 7
    assert picked == [["plank"]]
    assert inter.original is not None and inter.original["content"] == "Picked plank"
    assert inter.original["components"] == []


async def test_subcommand_group(fake_discord, running_bot, place) -> None:
    client, tree = make_client()
    exercise = app_commands.Group(name="exercise", description="Exercises")
    search = app_commands.Group(name="search", description="Search", parent=exercise)
    seen: list[tuple[str, int]] = []

    @search.command(name="by-muscle", description="Search by muscle")
    async def by_muscle(interaction: discord.Interaction, muscle: str, limit: int = 5) -> None:
        seen.append((muscle, limit))
        await interaction.response.send_message("ok")

    tree.add_command(exercise)
    async with running_bot(fake_discord, client):
        await tree.sync()
        inter = await fake_discord.invoke_slash(
            "exercise search by-muscle", {"muscle": "calves", "limit": 3}, user=place.member
        )
        await inter.response(timeout=5)
        with pytest.raises(LookupError):
            await fake_discord.invoke_slash(
                "exercise search by-muscle", {"nope": 1}, user=place.member
            )
    assert seen == [("calves", 3)]


async def test_threads_dms_and_user_context_menu(fake_discord, running_bot, place) -> None:
    thread = await fake_discord.add_channel(
        place.guild, "questions", type=ChannelType.PUBLIC_THREAD, parent=place.channel
    )
    forum = await fake_discord.add_channel(place.guild, "help", type=ChannelType.FORUM)
    client, tree = make_client()
    where: list[str] = []

    @tree.command(name="where", description="Where am I?")
    async def where_cmd(interaction: discord.Interaction) -> None:
        where.append(type(interaction.channel).__name__)
        await interaction.response.send_message("here")

    @tree.context_menu(name="Show stats")
    async def stats(interaction: discord.Interaction, user: discord.Member) -> None:
        await interaction.response.send_message(f"stats for {user.name}", ephemeral=True)

    async with running_bot(fake_discord, client):
        cached = client.get_guild(place.guild.id)
        assert cached is not None
        assert isinstance(cached.get_thread(thread.id), discord.Thread)
        assert isinstance(cached.get_channel(forum.id), discord.ForumChannel)
        await tree.sync()
        in_thread = await fake_discord.invoke_slash("where", user=place.member, channel=thread)
        await in_thread.response()
        in_dm = await fake_discord.invoke_slash("where", user=place.member.user)
        await in_dm.response()
        menu = await fake_discord.context_menu(
            "Show stats", user=place.member, target_user=place.member
        )
        assert (await menu.response(timeout=5))["data"]["content"] == "stats for bob"
    assert where == ["Thread", "DMChannel"]


async def test_discord_refusals(fake_discord, running_bot, place) -> None:
    forum = await fake_discord.add_channel(place.guild, "help", type=ChannelType.FORUM)
    bot_role = next(r for r in place.guild.roles.values() if r.managed)
    locked = await fake_discord.add_channel(
        place.guild, "locked", overwrites=[Overwrite(bot_role.id, 0, deny=int(Perm.SEND_MESSAGES))]
    )
    client, tree = make_client()

    @tree.command(name="wordy", description="d" * 101)
    async def wordy(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("x")

    async with running_bot(fake_discord, client):
        with (
            fake_discord.expect_violations(match=r"\[0\]\.description"),
            pytest.raises(discord.HTTPException) as sync_error,
        ):
            await tree.sync()
        assert sync_error.value.code == 50035 and fake_discord.synced_commands() == []
        with (
            fake_discord.expect_violations(match="FORUM"),
            pytest.raises(discord.HTTPException) as forum_error,
        ):
            await client.get_partial_messageable(forum.id).send("hi")
        assert forum_error.value.code == 50008
        with pytest.raises(discord.Forbidden):
            await client.get_channel(locked.id).send("hi")  # type: ignore[union-attr]
    assert [r.path for r in fake_discord.denied] == [f"/channels/{locked.id}/messages"]


async def test_late_answer_is_a_violation(fake_discord, running_bot, place) -> None:
    fake_discord.interaction_deadline = 0.1
    client, tree = make_client()
    errors: list[discord.HTTPException] = []

    @tree.command(name="slow", description="Too slow")
    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.2)
        try:
            await interaction.response.send_message("late")
        except discord.HTTPException as exc:
            errors.append(exc)

    async with running_bot(fake_discord, client):
        await tree.sync()
        with fake_discord.expect_violations(match="after the interaction was created"):
            await fake_discord.invoke_slash("slow", user=place.member)
            await fake_discord.wait_for(lambda: errors, timeout=5)
    assert isinstance(errors[0], discord.NotFound) and errors[0].code == 10062


async def test_the_deadline_runs_from_the_interactions_creation(
    fake_discord, running_bot, place
) -> None:
    # Discord counts 3 s from the snowflake's time: one delivered late is late however fast
    # the bot answers.
    client, tree = make_client()
    errors: list[discord.HTTPException] = []

    @tree.command(name="quick", description="Answers at once")
    async def quick(interaction: discord.Interaction) -> None:
        try:
            await interaction.response.send_message("at once")
        except discord.HTTPException as exc:
            errors.append(exc)

    async with running_bot(fake_discord, client):
        await tree.sync()
        fresh = await fake_discord.invoke_slash("quick", user=place.member)
        await fresh.response()
        with fake_discord.expect_violations(match="after the interaction was created"):
            stale = await fake_discord.invoke_slash("quick", user=place.member, created_ago=5)
            await fake_discord.wait_for(lambda: errors, timeout=5)
    assert discord.utils.snowflake_time(stale.id) < discord.utils.snowflake_time(fresh.id)
    assert errors[0].code == 10062 and not stale.acknowledged


async def test_held_requests_wait_until_released(fake_discord, running_bot, place) -> None:
    client, tree = make_client()

    @tree.command(name="ask", description="Defer, then answer")
    async def ask(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("answer")

    hold = fake_discord.hold(lambda r: r.method == "POST" and r.path.startswith("/webhooks/"))
    async with running_bot(fake_discord, client):
        await tree.sync()
        inter = await fake_discord.invoke_slash("ask", user=place.member)
        await fake_discord.wait_for(lambda: hold.held, timeout=5, what="a held follow-up")
        assert inter.acknowledged and not inter.followups
        hold.release()
        message = await inter.wait_for_message()
    assert message["content"] == "answer"


async def test_members_intent_chunks_guilds(fake_discord, running_bot, place) -> None:
    intents = discord.Intents.default()
    intents.members = True
    client, _ = make_client(intents)
    async with running_bot(fake_discord, client):
        cached = client.get_guild(place.guild.id)
        assert cached is not None and cached.chunked
        assert {m.name for m in cached.members} == {"owner", "Spotter", "bob"}
        joined = await fake_discord.add_member(place.guild, "carol")
        await fake_discord.wait_for(lambda: cached.get_member(joined.id), timeout=5)


async def test_bad_token_fails_login(fake_discord) -> None:
    client, _ = make_client()
    point_at(fake_discord.api_base, fake_discord.gateway_url)
    try:
        with pytest.raises(discord.LoginFailure):
            await client.login("not-the-token")
    finally:
        await client.close()
        point_at(None, None)


async def test_raw_http_is_discord_shaped(fake_discord) -> None:
    import aiohttp

    auth = {"Authorization": f"Bot {fake_discord.token}"}
    async with aiohttp.ClientSession() as http:
        async with http.get(fake_discord.api_base + "/users/@me", headers=auth) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"] == "application/json"
        async with http.get(
            fake_discord.api_base + "/users/@me", headers={"Authorization": "Bot wrong"}
        ) as resp:
            assert resp.status == 401
            assert await resp.json() == {"message": "401: Unauthorized", "code": 0}
        async with http.get(fake_discord.api_base + "/guilds/1/bans", headers=auth) as resp:
            assert resp.status == 404
            assert await resp.json() == {"message": "404: Not Found", "code": 0}
        form = aiohttp.FormData()
        form.add_field(
            "payload_json",
            '[{"name": "ask", "description": "Ask", "type": 1}]',
            content_type="application/json",
        )  # forces multipart/form-data
        url = f"{fake_discord.api_base}/applications/{fake_discord.application_id}/commands"
        async with http.put(url, data=form, headers=auth) as resp:
            assert resp.status == 200
            assert (await resp.json())[0]["name"] == "ask"
    assert [r.path for r in fake_discord.unhandled] == ["/guilds/1/bans"]
    assert [c["name"] for c in fake_discord.synced_commands()] == ["ask"]


async def test_attachment_options_and_files_are_served_like_the_cdn(
    fake_discord, running_bot, place
) -> None:
    """A file picked for an attachment option arrives in data.resolved.attachments; the bot
    downloads it from its url; a file the bot sends can be read back the same way."""
    client, tree = make_client()
    seen: list[tuple[str, int, bool, bytes]] = []

    @tree.command(name="upload", description="Upload a page")
    async def upload(
        interaction: discord.Interaction,
        file: discord.Attachment,
        extra: discord.Attachment | None = None,
    ) -> None:
        data = await file.read()
        seen.append((file.filename, file.size, file.ephemeral, data))
        await interaction.response.send_message(
            "echo", file=discord.File(io.BytesIO(data[::-1]), filename="back.md"), ephemeral=True
        )

    async with running_bot(fake_discord, client):
        await tree.sync()
        (command,) = fake_discord.synced_commands()
        assert [o["type"] for o in command["options"]] == [11, 11]
        page = fake_discord.attach("page.md", "# Page\n")
        with pytest.raises(ValueError, match="attachment option"):
            await fake_discord.invoke_slash("upload", {"file": "page.md"}, user=place.member)
        inter = await fake_discord.invoke_slash("upload", {"file": page}, user=place.member)
        message = await inter.wait_for_message()
    assert seen == [("page.md", 7, True, b"# Page\n")]
    resolved = inter.payload["data"]["resolved"]["attachments"][str(page.id)]
    assert resolved["url"].startswith(f"http://127.0.0.1:{fake_discord.port}/attachments/")
    (sent,) = message["attachments"]
    assert sent["filename"] == "back.md"
    assert fake_discord.attachment_data(sent) == b"\negaP #"


async def test_modals_are_shown_and_submitted(fake_discord, running_bot, place) -> None:
    client, tree = make_client()
    submitted: list[tuple[int, str, str]] = []

    class Note(discord.ui.Modal, title="Write a note"):
        topic = discord.ui.Label(
            text="Topic",
            component=discord.ui.TextInput(custom_id="topic", default="squats", max_length=20),
        )
        body = discord.ui.TextInput(
            label="Body", custom_id="body", style=discord.TextStyle.paragraph, min_length=2
        )

        async def on_submit(self, interaction: discord.Interaction) -> None:
            assert isinstance(self.topic.component, discord.ui.TextInput)
            submitted.append((interaction.user.id, self.topic.component.value, self.body.value))
            await interaction.response.send_message("noted", ephemeral=True)

    @tree.command(name="note", description="Write a note")
    async def note(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Note())

    async with running_bot(fake_discord, client):
        await tree.sync()
        opened = await fake_discord.invoke_slash("note", user=place.member)
        assert (await opened.response())["type"] == 9
        with pytest.raises(ValueError, match="'body' is required"):
            await fake_discord.submit_modal(opened, {})
        with pytest.raises(LookupError, match="no text input"):
            await fake_discord.submit_modal(opened, {"body": "hi", "title": "x"})
        other = await fake_discord.add_member(place.guild, "eve")
        with pytest.raises(LookupError, match="only the user the modal was shown to"):
            await fake_discord.submit_modal(opened, {"body": "hi"}, user=other)
        sent = await fake_discord.submit_modal(opened, {"body": "keep your back straight"})
        assert (await sent.wait_for_message())["content"] == "noted"
    assert submitted == [(place.member.user.id, "squats", "keep your back straight")]
    data = sent.payload["data"]
    assert data["components"][0]["type"] == 18 and data["components"][1]["type"] == 1
