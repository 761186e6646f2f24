"""`spotter db copy`: a deployment's SQLite file into a new PostgreSQL database, as a process;
the bot's Store on the copy carries on where the old one stopped. Refusals and failures are
one line and leave the target as it was."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from bench.deployment import GUILD, MEMBERS, OTHER_GUILD, fill_deployment
from bot.storage import GuildSettings, LibraryChange, Store, VoteStatus
from tests.cli.helpers import environment, finished, spotter
from tests.postgres import require_postgres, run_sql
from tests.storage.helpers import COPIED_TABLE_NAMES as TABLES
from tests.storage.helpers import table_rows


@pytest.fixture
def postgres_url(postgres_database: Callable[[], str]) -> str:
    require_postgres()
    return postgres_database()


async def copy(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    """`spotter db copy ARGS` with the configured database at tmp_path/spotter.sqlite3."""
    return await finished(await spotter(tmp_path, environment(tmp_path), "db", "copy", *args))


async def test_sqlite_to_postgresql_keeps_everything_and_the_bot_carries_on(
    tmp_path: Path, postgres_url: str
) -> None:
    source = tmp_path / "spotter.sqlite3"  # the configured database: the default --from
    deployment = await fill_deployment(source, questions=40)
    async with Store.open(source) as old:
        settings = {guild: await old.guild_settings(guild) for guild in (GUILD, OTHER_GUILD)}
        stats, gaps = await old.stats(7), await old.gaps(7)
        questions = [await old.question(record.id) for record in deployment.questions]
    assert sum(question.reply_ms is not None for question in questions if question) == 12

    code, out, err = await copy(tmp_path, "--to", postgres_url)

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith(f"Copied {source} to postgresql://spotter@127.0.0.1:")
    assert lines[0].endswith(" s:")
    assert [line.split() for line in lines[1:]] == [
        ["questions", "40"],
        ["votes", "19"],
        ["guild_settings", "2"],
        ["library_changes", "3"],
        ["meta", "1"],
    ]
    for name in TABLES:
        assert table_rows(postgres_url, name) == table_rows(source, name), name

    async with Store.open(postgres_url) as new:
        assert new.backend == "PostgreSQL"
        for record in questions:  # a button on an old answer finds its question
            assert record is not None and await new.question(record.id) == record
        for guild, kept in settings.items():
            assert await new.guild_settings(guild) == kept != GuildSettings()
        assert await new.library_changes(10) == deployment.changes[::-1]
        assert await new.stats(7) == stats
        assert await new.gaps(7) == gaps
        # The voter key came along: a member who voted before changes their vote, not adds one.
        old_answer = deployment.questions[0].id
        assert (await new.record_vote(old_answer, MEMBERS[0], False)).status is VoteStatus.CHANGED
        assert (await new.record_vote(old_answer, 99, True)).status is VoteStatus.NEW
        # New rows are numbered after the copied ones.
        change = LibraryChange(
            guild_id=GUILD,
            user_id=MEMBERS[1],
            user_name="coach",
            action="remove",
            pages=("new.md",),
            summary="after the move",
            created_at=deployment.changes[-1].created_at,
        )
        await new.record_library_change(change)
        assert (await new.library_changes(1)) == [change]
    assert run_sql(postgres_url, "SELECT id FROM library_changes ORDER BY id") == [
        (1,),
        (2,),
        (3,),
        (4,),
    ]


async def test_a_target_with_data_is_refused_in_one_line(tmp_path: Path, postgres_url: str) -> None:
    await fill_deployment(tmp_path / "spotter.sqlite3", questions=3)
    assert (await copy(tmp_path, "--to", postgres_url))[0] == 0
    before = {name: table_rows(postgres_url, name) for name in TABLES}

    code, out, err = await copy(tmp_path, "--to", postgres_url)

    assert (code, out) == (1, "")
    (line,) = err.splitlines()
    assert line.startswith("spotter db copy: postgresql://spotter@127.0.0.1:")
    assert "already holds Spotter data (questions, votes, guild_settings, library_changes)" in line
    assert "dropdb and createdb" in line
    assert {name: table_rows(postgres_url, name) for name in TABLES} == before


async def test_a_failure_mid_copy_leaves_the_target_empty(
    tmp_path: Path, postgres_url: str
) -> None:
    source = tmp_path / "spotter.sqlite3"
    await fill_deployment(source, questions=20)
    with closing(sqlite3.connect(source)) as db, db:  # SQLite keeps a NUL; PostgreSQL refuses it
        db.execute("UPDATE library_changes SET summary = 'x' || char(0) WHERE id = 3")

    code, out, err = await copy(tmp_path, "--to", postgres_url)

    assert (code, out) == (1, "")
    (line,) = err.splitlines()
    assert line.startswith("spotter db copy: could not copy into postgresql://")
    for name in TABLES:
        assert table_rows(postgres_url, name) == [], name


@pytest.fixture
def refusing_port() -> Iterator[int]:
    """A port on 127.0.0.1 held by a socket that never listens: connections are refused."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


async def test_an_unreachable_target_is_one_line_without_the_password(
    tmp_path: Path, refusing_port: int
) -> None:
    await fill_deployment(tmp_path / "spotter.sqlite3", questions=2)
    url = f"postgresql://spotter:s3cret-pass@127.0.0.1:{refusing_port}/spotter"

    code, out, err = await copy(tmp_path, "--to", url)

    assert (code, out) == (1, "")
    (line,) = err.splitlines()
    assert line.startswith(
        f"spotter db copy: cannot reach PostgreSQL at postgresql://spotter@127.0.0.1:{refusing_port}"
        "/spotter"
    )
    assert "s3cret" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "spotter.sqlite3"], "the source and the target are the same database"),
        (["--from", "missing.sqlite3", "--to", "new.sqlite3"], "no database at missing.sqlite3"),
        (["--to", "mysql://db/spotter"], "database 'mysql://db/spotter': expected sqlite:///"),
    ],
)
async def test_usage_errors_are_one_line_and_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    await fill_deployment(tmp_path / "spotter.sqlite3", questions=1)

    code, out, err = await copy(tmp_path, *args)

    assert (code, out) == (2, "")
    (line,) = err.splitlines()
    assert line.startswith(f"spotter db copy: {message}")
    assert not (tmp_path / "new.sqlite3").exists()
