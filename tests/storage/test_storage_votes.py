"""Feedback votes: one per user per answer, changeable, stored under a salted hash."""

from __future__ import annotations

import pytest

from bot.storage import QuestionRecord, Store, VoteStatus

USER = 987_654_321_098_765_432  # a Discord-like snowflake
OTHER_USER = 123_456_789_012_345_678


async def test_one_vote_per_user_per_answer_and_changes(database, query):
    record = QuestionRecord.new("how wide for a push-up?", source="slash", answered=True)
    async with Store.open(database) as store:
        store.log_question(record)
        first = await store.record_vote(record.id, USER, helpful=True)
        assert (first.question_id, first.helpful, first.status) == (
            record.id,
            True,
            VoteStatus.NEW,
        )
        assert (await store.record_vote(record.id, USER, True)).status == VoteStatus.UNCHANGED
        changed = await store.record_vote(record.id, USER, False)
        assert (changed.helpful, changed.status) == (False, VoteStatus.CHANGED)
        assert (await store.record_vote(record.id, OTHER_USER, False)).status == VoteStatus.NEW

        stats = await store.stats(days=1)
        assert (stats.helpful, stats.not_helpful) == (0, 2)

    rows = query(database, "SELECT question_id, helpful, created_at <= updated_at FROM votes")
    assert sorted(rows) == [(record.id, 0, 1), (record.id, 0, 1)]


async def test_vote_before_the_question_is_written_still_counts(database, query):
    record = QuestionRecord.new("pistol squat?", source="mention", answered=True)
    async with Store.open(database, flush_interval=3600) as store:
        store.log_question(record)
        vote = await store.record_vote(record.id, USER, helpful=False)  # question still buffered
        assert vote.status == VoteStatus.NEW
        assert query(database, "SELECT count(*) FROM questions") == [(0,)]
        gaps = await store.gaps(days=1)  # reading flushes first
    assert [(g.example, g.not_helpful) for g in gaps] == [("pistol squat?", 1)]


async def test_vote_for_an_unknown_question_is_kept(database, query):
    async with Store.open(database) as store:
        vote = await store.record_vote("f" * 32, USER, True)
    assert vote.status == VoteStatus.NEW
    assert query(database, "SELECT count(*) FROM votes") == [(1,)]


async def test_raw_user_id_is_never_stored(db_path):
    record = QuestionRecord.new("q", source="slash")
    async with Store.open(db_path) as store:
        store.log_question(record)
        await store.record_vote(record.id, USER, True)
        await store.record_vote(record.id, OTHER_USER, False)
    files = [p for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)]
    data = b"".join(p.read_bytes() for p in files)
    assert data
    for user in (USER, OTHER_USER):
        assert str(user).encode() not in data
        assert user.to_bytes(8, "big") not in data
        assert user.to_bytes(8, "little") not in data


async def test_salt_is_per_database_and_survives_reopening(make_database, query):
    first, second = make_database(), make_database()
    question_id = "a" * 32
    for path in (first, second):
        async with Store.open(path) as store:
            await store.record_vote(question_id, USER, True)
    async with Store.open(first) as store:
        assert (await store.record_vote(question_id, USER, True)).status == VoteStatus.UNCHANGED
    (voter_one,) = query(first, "SELECT voter FROM votes")
    (voter_two,) = query(second, "SELECT voter FROM votes")
    assert voter_one != voter_two
    assert query(first, "SELECT value FROM meta") != query(second, "SELECT value FROM meta")


async def test_bad_vote_arguments_raise_value_error(database):
    async with Store.open(database) as store:
        with pytest.raises(ValueError, match="question id"):
            await store.record_vote("not-an-id", USER, True)
        with pytest.raises(ValueError, match="user id"):
            await store.record_vote("a" * 32, -1, True)
