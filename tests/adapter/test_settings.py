"""/settings: moderators change this server's settings; the next question follows them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.core.render import escape_markdown
from fakediscord import ChannelType, CommandUnavailable, Perm
from tests.adapter.helpers import REPS_QUESTION, abstains, embed, first_question, is_ephemeral

# The bundled library answers these from a page's overview, each some way between 0.5 and 1
# sure; a refit moves each one's confidence, so the test takes the first "answered, but not
# surely" one.
OVERVIEW_QUESTIONS = tuple(
    asking.format(name)
    for asking in ("explain the {} to me", "thoughts on the {}", "whats the deal with the {}")
    for name in (
        *("plank", "deadlift", "hip thrust", "bench press", "glute bridge", "lunge"),
        *("calf raise", "row", "bicep curl", "push up"),
    )
)
SURE_QUESTIONS = (
    REPS_QUESTION,
    "how do i do a romanian deadlift",
    "what muscles do push ups work",
)
SUBCOMMANDS = {
    "show",
    "threshold",
    "visibility",
    "cooldown",
    "autoanswer-add",
    "autoanswer-remove",
    "autoanswer-threshold",
    "reset",
}


def likely_question(spot) -> tuple[str, str]:
    """(a question the library answers but not surely, 0.5 to 0.9, and at a threshold of 0.9
    answers with no confident answer, not with its family's versions together; its exercise's
    name)."""
    unsure_at_90 = tuple(q for q in OVERVIEW_QUESTIONS if abstains(spot.bot.library, q, 0.9))
    return _answered(spot, unsure_at_90, lambda score: 0.5 < score < 0.9, "0.5 to 0.9")


def sure_question(spot) -> tuple[str, str]:
    """(a question the library answers at least 0.95 sure; its exercise's name)."""
    return _answered(spot, SURE_QUESTIONS, lambda score: score >= 0.95, "0.95 or more")


def _answered(
    spot, questions: tuple[str, ...], sure: Callable[[float], bool], how_sure: str
) -> tuple[str, str]:
    question, result = first_question(
        spot,
        questions,
        lambda result: result.answer is not None and sure(result.answer.score),
        f"answered {how_sure} sure",
    )
    assert result.answer is not None
    # As a title shows it: "Barbell Bent\-Over Row".
    return question, escape_markdown(spot.bot.library.page(result.answer.slug).name)


async def settings(spot, sub: str, user=None, **options) -> dict:
    inter = await spot.fake.invoke_slash(f"settings {sub}", options, user=user or spot.moderator)
    reply = await inter.wait_for_message()
    assert is_ephemeral(reply)
    return reply


def fields(message) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed(message)["fields"]}


async def test_settings_are_for_moderators(start_spotter) -> None:
    async with start_spotter(moderator_roles=("Coach",)) as spot:
        (command,) = [c for c in spot.fake.synced_commands() if c["name"] == "settings"]
        coach = await spot.fake.add_role(spot.guild, "coach")
        member = await spot.fake.add_member(spot.guild, "dana", roles=[coach])
        with pytest.raises(CommandUnavailable):
            await spot.fake.invoke_slash("settings show", user=spot.member)
        refusals = []
        for name, options in (("show", {}), ("threshold", {"value": 0.9}), ("reset", {})):
            inter = await spot.fake.invoke_slash(
                f"settings {name}", options, user=spot.member, enforce_discord_rules=False
            )
            refusals.append((await inter.wait_for_message())["content"])
        by_role = await spot.fake.invoke_slash(
            "settings show", user=member, enforce_discord_rules=False
        )
        shown = await by_role.wait_for_message()
        stored = await spot.rows("SELECT count(*) FROM guild_settings")

    assert command["default_member_permissions"] == str(int(Perm.MANAGE_GUILD))
    assert command["contexts"] == [0]
    assert {option["name"] for option in command["options"]} == SUBCOMMANDS
    assert (
        refusals
        == [
            "Only moderators can change Spotter's settings: you need the Manage Server permission "
            "or one of these roles: Coach."
        ]
        * 3
    )
    assert embed(shown)["title"] == "Spotter settings for this server"
    assert stored == [(0,)]  # the refused threshold was not saved


async def test_show_marks_defaults_and_server_values(spotter_bot) -> None:
    spot = spotter_bot
    before = fields(await settings(spot, "show"))
    await settings(spot, "cooldown", seconds=45)
    after = fields(await settings(spot, "show"))

    assert before == {
        "Answer threshold (/ask, mentions)": "**0.50** · default",
        "/ask replies": "**public** · default",
        "/exercise replies": "**private** · default",
        "Cooldown": "**off** · default",
        "Auto-answer channels": "none (off)",
        "Auto-answer threshold": "**0.75** · default (never below the answer threshold)",
    }
    assert after["Cooldown"] == "**3 questions per 45 s per member** · set for this server"


async def test_visibility_and_threshold_apply_to_the_next_question(spotter_bot) -> None:
    spot = spotter_bot
    likely, exercise = likely_question(spot)

    public = await spot.answer(likely)
    said = await settings(spot, "visibility", command="ask", mode="private")
    private = await spot.answer(likely)
    raised = await settings(spot, "threshold", value=0.9)
    # Another member: asked again by the same one, it is a follow-up of the answer before,
    # which the context makes surer.
    unsure = await spot.answer(likely, user=spot.other)
    sure_one, sure_exercise = sure_question(spot)
    sure = await spot.answer(sure_one)  # still answered
    shown = fields(await settings(spot, "show"))
    stored = await spot.rows(
        "SELECT min_confidence, ask_visibility, exercise_visibility FROM guild_settings"
    )

    assert not is_ephemeral(public) and embed(public)["title"].startswith(exercise)
    assert said["content"] == "Saved: /ask replies are now seen by only the member who asked."
    assert is_ephemeral(private) and embed(private)["title"].startswith(exercise)
    assert raised["content"].startswith("Saved: I now answer when I'm at least 0.90 sure")
    assert embed(unsure)["title"] == "No confident answer"
    assert is_ephemeral(sure) and embed(sure)["title"].startswith(sure_exercise)
    assert shown["Answer threshold (/ask, mentions)"] == "**0.90** · set for this server"
    assert shown["/ask replies"] == "**private** · set for this server"
    # The auto-answer threshold follows: never below the answer threshold.
    assert shown["Auto-answer threshold"].startswith("**0.90** · default")
    assert stored == [(0.9, "private", None)]


async def test_exercise_visibility_and_cooldown(spotter_bot) -> None:
    spot = spotter_bot
    await settings(spot, "visibility", command="exercise", mode="public")
    inter = await spot.fake.invoke_slash("exercise", {"name": "goblet-squat"}, user=spot.member)
    card = await inter.wait_for_message()
    said = await settings(spot, "cooldown", seconds=60)
    answers = [await spot.answer(REPS_QUESTION) for _ in range(4)]

    assert not is_ephemeral(card) and embed(card)["title"] == "Goblet Squat"
    assert said["content"] == "Saved: each member may ask 3 questions every 60 s."
    assert all(embed(answer)["title"] for answer in answers[:3])
    assert answers[3]["content"].startswith("Slow down a little: you can ask again in")


async def test_bad_values_get_a_helpful_reply_and_change_nothing(spotter_bot) -> None:
    spot = spotter_bot
    thread = await spot.fake.add_channel(
        spot.guild, "chat", type=ChannelType.PUBLIC_THREAD, parent=spot.channel
    )
    replies = [
        (await settings(spot, "threshold", value=0.3))["content"],
        (await settings(spot, "threshold", value=1.5))["content"],
        (await settings(spot, "cooldown", seconds=99_999))["content"],
        (await settings(spot, "autoanswer-threshold", value=0.4))["content"],
        (await settings(spot, "visibility", command="kb", mode="public"))["content"],
        (await settings(spot, "reset", setting="everything"))["content"],
        # Discord offers only text and forum channels; a thread is refused all the same.
        (await settings(spot, "autoanswer-add", channel=thread))["content"],
    ]
    stored = await spot.rows("SELECT count(*) FROM guild_settings")

    assert replies[0].startswith("The answer threshold must be from 0.50 to 1.")
    assert "stricter, not looser" in replies[0]
    assert replies[1].startswith("The answer threshold must be from 0.50 to 1.")
    assert replies[2] == "The cooldown must be from 0 (off) to 3600 seconds."
    assert replies[3].startswith("The auto-answer threshold must be from 0.50 to 1")
    assert replies[4] == "Choose `command` ask or exercise, and `mode` public or private."
    assert replies[5].startswith("Choose a setting to reset: all, threshold,")
    assert replies[6] == "That value can't be used for this option: pick one Discord offers."
    assert stored == [(0,)]


async def test_auto_answer_channels_and_threshold(start_spotter) -> None:
    async with start_spotter(auto_answer=True) as spot:
        forum = await spot.fake.add_channel(spot.guild, "form-help", type=ChannelType.FORUM)
        await settings(spot, "autoanswer-add", channel=spot.channel)
        await settings(spot, "autoanswer-add", channel=forum)
        again = await settings(spot, "autoanswer-add", channel=forum)
        threshold = await settings(spot, "autoanswer-threshold", value=0.9)
        shown = fields(await settings(spot, "show"))
        removed = await settings(spot, "autoanswer-remove", channel=spot.channel)
        not_on = await settings(spot, "autoanswer-remove", channel=spot.channel)
        policy = await spot.bot.asking.policy(spot.guild.id)

    assert again["content"] == f"Auto-answer is already on in {forum.mention}."
    assert threshold["content"] == "Saved: I auto-answer only when I'm at least 0.90 sure."
    assert shown["Auto-answer channels"] == f"{spot.channel.mention}, {forum.mention}"
    assert shown["Auto-answer threshold"] == (
        "**0.90** · set for this server (never below the answer threshold)"
    )
    assert removed["content"] == f"Saved: auto-answer is off in {spot.channel.mention}."
    assert not_on["content"] == f"Auto-answer is not on in {spot.channel.mention}."
    assert policy.auto_answer_channels == (forum.id,)
    assert policy.auto_answer_min_confidence == 0.9


async def test_reset_one_setting_or_all(spotter_bot) -> None:
    spot = spotter_bot
    likely, _ = likely_question(spot)
    await settings(spot, "visibility", command="ask", mode="private")
    await settings(spot, "threshold", value=0.95)
    one = await settings(spot, "reset", setting="threshold")
    still_private = await spot.answer(likely)
    everything = await settings(spot, "reset")
    public = await spot.answer(likely)
    stored = await spot.rows("SELECT count(*) FROM guild_settings")

    assert one["content"] == "Reset `threshold` to the defaults."
    assert fields(one)["Answer threshold (/ask, mentions)"] == "**0.50** · default"
    assert fields(one)["/ask replies"] == "**private** · set for this server"
    assert is_ephemeral(still_private) and embed(still_private)["title"] != "No confident answer"
    assert everything["content"] == "Reset all settings to the defaults."
    assert fields(everything)["/ask replies"] == "**public** · default"
    assert not is_ephemeral(public)
    assert stored == [(0,)]
