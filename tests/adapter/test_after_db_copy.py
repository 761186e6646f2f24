"""After `spotter db copy` from SQLite to PostgreSQL, a bot on the copy answers the buttons of
messages the old bot sent: it finds their questions by id, and a member's earlier vote is
theirs (changed, not doubled)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from bot.adapter.client import create_bot
from bot.storage.copying import copy_database
from fakediscord import running_bot
from tests.adapter.conftest import StartSpotter
from tests.adapter.helpers import (
    REPS_QUESTION,
    abstaining,
    button,
    embed,
    is_ephemeral,
    question_of,
    spotter_settings,
)
from tests.postgres import require_postgres, run_sql


async def test_a_bot_on_the_copy_answers_the_old_buttons(
    start_spotter: StartSpotter, postgres_database: Callable[[], str]
) -> None:
    require_postgres()
    async with start_spotter() as first:
        answer = await first.answer(REPS_QUESTION)
        click = await first.fake.click(
            answer, button(answer, "Helpful")["custom_id"], user=first.other
        )
        assert (await click.wait_for_message())["content"] == "Thanks for the feedback!"
        question, unsure = await abstaining(first)
        suggestions = await first.answer(question)
    assert unsure.alternatives

    url = postgres_database()
    report = await copy_database(first.database, url)
    assert report.rows["questions"] == 2 and report.rows["votes"] == 1

    settings = spotter_settings(first.database.parent, database_url=url)
    bot = create_bot(settings, guild_ready_timeout=0.05)
    async with running_bot(first.fake, bot):
        spot = dataclasses.replace(first, bot=bot)
        assert bot.store.backend == "PostgreSQL"
        # The asker picks a suggestion: the question, read by id from the copy, is answered.
        chosen = unsure.alternatives[0]
        pick = button(suggestions, chosen.exercise)["custom_id"]
        click = await spot.fake.click(suggestions, pick, user=spot.member)
        assert (await click.response())["type"] == 7
        edited = spot.fake.world.messages[int(suggestions["id"])]
        assert embed(edited)["title"] == f"{chosen.exercise}: {chosen.heading}"
        # The member who found the answer helpful changes their mind: still one vote.
        click = await spot.fake.click(
            answer, button(answer, "Not helpful")["custom_id"], user=spot.other
        )
        thanks = await click.wait_for_message()
        assert is_ephemeral(thanks)
    rows = run_sql(url, "SELECT question_id, helpful FROM votes")
    assert rows == [(question_of(answer), 0)]
