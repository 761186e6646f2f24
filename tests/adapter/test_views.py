"""Errors answer instead of failing silently (buttons across restarts: test_persistent.py)."""

from __future__ import annotations

import logging
from typing import Any, cast

import discord
from discord import app_commands

from bot.adapter.library_editing import (
    LIBRARY_COMPONENTS,
    AddFaqButton,
    RemoveButton,
    UploadButton,
)
from bot.adapter.views import (
    COMPONENTS,
    ChoiceButton,
    DeleteButton,
    ExerciseSelect,
    FaqCardButton,
    PickButton,
    RestButton,
    SectionButton,
    ShareButton,
    TabButton,
    VariantSelect,
    VoteButton,
    answer_message,
)
from bot.core.render import AnswerStyle
from bot.core.search import Match, Result
from tests.adapter.helpers import REPS_QUESTION, is_ephemeral


async def test_command_errors_are_answered(spotter_bot, caplog) -> None:
    spot = spotter_bot

    @app_commands.command(name="boom", description="Fails on purpose")
    async def boom(interaction: discord.Interaction) -> None:
        raise RuntimeError("kaboom")

    spot.bot.tree.add_command(boom)
    await spot.bot.tree.sync()
    caplog.set_level(logging.ERROR, logger="bot.adapter.client")
    inter = await spot.fake.invoke_slash("boom", user=spot.member)
    reply = await inter.wait_for_message()
    assert is_ephemeral(reply)
    assert reply["content"].startswith("Something went wrong")
    (record,) = [r for r in caplog.records if r.name == "bot.adapter.client"]
    assert record.exc_info and "kaboom" in str(record.exc_info[1])

    # And the bot carries on.
    assert (await spot.answer(REPS_QUESTION))["embeds"]


QUESTION_ID = "0123456789abcdef0123456789abcdef"
USER_ID = 123456789012345678
LONG_SLUG = "single-arm-kettlebell-overhead-press-with-a-pause-at-the-top"


def every_component() -> list[discord.ui.DynamicItem[Any]]:
    """One or more of each Spotter component, as they are sent."""
    return [
        SectionButton("how_to", "goblet-squat"),
        VoteButton(QUESTION_ID, "up"),
        VoteButton(QUESTION_ID, "down"),
        DeleteButton(USER_ID),
        PickButton(QUESTION_ID, USER_ID, "goblet-squat", "Goblet Squat"),
        PickButton(QUESTION_ID, USER_ID, LONG_SLUG, beside_an_answer=True),
        VariantSelect(QUESTION_ID, USER_ID),
        TabButton("tips", USER_ID, "goblet-squat", current=True),
        FaqCardButton(2, USER_ID, "goblet-squat"),
        ShareButton("faq", "goblet-squat", 3),
        ShareButton("tips", LONG_SLUG),
        RestButton("entry4", "goblet-squat"),
        ChoiceButton(USER_ID, "goblet-squat", "Goblet Squat"),
        ExerciseSelect(USER_ID),
        UploadButton("confirm", "0123456789abcdef", USER_ID),
        RemoveButton("cancel", USER_ID, "goblet-squat"),
        AddFaqButton(7),
    ]


async def test_a_click_rebuilds_each_component_from_its_custom_id() -> None:
    # Clickable.from_custom_id passes a template's named groups to the constructor by name:
    # a click after a restart gets the same item back, whatever its class.
    components = every_component()
    assert {type(c) for c in components} == {*COMPONENTS, *LIBRARY_COMPONENTS}
    for component in components:
        custom_id = component.item.custom_id
        assert custom_id is not None
        match = type(component).__discord_ui_compiled_template__.fullmatch(custom_id)
        assert match is not None, custom_id
        interaction = cast(discord.Interaction[Any], None)  # not read while rebuilding
        rebuilt = await type(component).from_custom_id(interaction, component.item, match)
        assert rebuilt.item.custom_id == custom_id
        assert vars(rebuilt) | {"item": None} == vars(component) | {"item": None}, custom_id


async def test_a_cut_public_answer_with_the_pages_other_answers_fits_its_rows(spotter_bot) -> None:
    """Votes, Delete and "Show the rest" fill row 1: the "Or: …" buttons go beside the
    section buttons, and every custom_id stays unique."""
    library = spotter_bot.bot.library
    page = library.page("incline-push-up")
    assert page is not None and len(page.faq) >= 3
    first, *others = [
        Match(page.slug, page.name, "faq", entry.question, entry.answer, 0.3)
        for entry in page.faq[:3]
    ]
    result = Result("q", first._replace(text="word " * 600, score=0.6), also=tuple(others))
    _, view = answer_message(
        library, AnswerStyle(), result, question_id=QUESTION_ID, asker_id=USER_ID, public=True
    )
    # (each child is a DynamicItem around its button)
    items = [getattr(child, "item", child) for child in view.children]
    buttons = [item for item in items if isinstance(item, discord.ui.Button)]
    labels = [button.label or "" for button in buttons]
    assert "Show the rest" in labels
    assert [label for label in labels if label.startswith("Or: ")] == [
        f"Or: {m.heading}" for m in others
    ]
    ids = [button.custom_id for button in buttons]
    assert len(ids) == len(set(ids))
