"""The bot and the CLI on a PostgreSQL database (database_url): /kb status names it, the
reports read it, and an unreachable server stops `spotter run` with one line."""

from __future__ import annotations

import pytest

from bench.pgserver import _free_port
from tests.adapter.helpers import REPS_QUESTION, embed
from tests.cli.helpers import environment, finished, spotter
from tests.postgres import require_postgres


@pytest.fixture(autouse=True)
def _postgres() -> None:
    require_postgres()


async def test_a_bot_on_postgresql_logs_there_and_says_so(start_spotter, postgres_database):
    url = postgres_database()
    async with start_spotter(database_url=url) as spot:
        assert spot.bot.store.backend == "PostgreSQL"
        await spot.answer(REPS_QUESTION)
        inter = await spot.fake.invoke_slash("kb status", user=spot.moderator)
        status = embed(await inter.wait_for_message())
        (database,) = [f["value"] for f in status["fields"] if f["name"] == "Database"]
        assert database.startswith("OK · PostgreSQL")
        await spot.bot.store.flush()
    assert not spot.database.exists()  # database_url won over database_path

    env = environment(spot.knowledge.parent, database_url=url)
    code, out, err = await finished(
        await spotter(spot.knowledge.parent, env, "stats", "--days", "1")
    )
    assert (code, err) == (0, "")
    assert "Questions   1 (answered 1, 100%)" in out


async def test_run_with_an_unreachable_server_is_one_line(tmp_path, fake_discord) -> None:
    url = f"postgresql://spotter@127.0.0.1:{_free_port()}/spotter"
    env = environment(tmp_path, fake_discord, database_url=url, log_level="WARNING")
    code, _, err = await finished(await spotter(tmp_path, env, "run"))
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith(
        f"spotter run: cannot use the database: cannot reach PostgreSQL at {url}"
    )
