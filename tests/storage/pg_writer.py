"""Helper for test_storage_postgres.py: one process of many writing to one PostgreSQL.

Run as ``python pg_writer.py URL NAME COUNT``. It logs COUNT questions from COUNT concurrent
tasks (every fifth with a vote), and every task also votes on the shared questions
``SHARED`` (the same ids and voters in every process); then it closes the store and prints
one JSON line: its name, rows written, and how many of its votes were new.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys

from bot.storage import QuestionRecord, Store, VoteStatus

SHARED = [f"{n:032x}" for n in range(1, 11)]  # question ids every process votes on
VOTERS = 5  # per shared question: the same five users in every process


async def main(url: str, name: str, count: int) -> None:
    async with Store.open(url, flush_interval=0.05) as store:
        new_votes = 0

        async def ask(i: int) -> None:
            nonlocal new_votes
            await asyncio.sleep(random.random() * 0.2)
            record = QuestionRecord.new(
                f"{name} question {i}", source="slash", guild_id=1, answered=i % 2 == 0
            )
            store.log_question(record)
            if i % 5 == 0:
                await store.record_vote(record.id, 10_000 + i, helpful=i % 10 == 0)
            shared = SHARED[i % len(SHARED)]
            vote = await store.record_vote(shared, 1 + (i // len(SHARED)) % VOTERS, helpful=True)
            new_votes += vote.status is VoteStatus.NEW

        await asyncio.gather(*(ask(i) for i in range(count)))
        await store.flush()
        written = store.written
    print(json.dumps({"name": name, "written": written, "new_votes": new_votes}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
