"""Helper for test_storage_crash.py: logs questions forever, acknowledging each flush.

Run as ``python crash_writer.py DB_PATH``. After every ``await store.flush()`` returns it
prints ``FLUSHED <total rows written so far>``; the test SIGKILLs it mid-stream.
"""

from __future__ import annotations

import asyncio
import sys

from bot.storage import QuestionRecord, Store


async def main(path: str) -> None:
    async with Store.open(path, flush_interval=0.01, batch_size=100) as store:
        total = 0
        number = 0
        while True:
            for _ in range(150):
                store.log_question(
                    QuestionRecord.new(f"crash question {number}", source="cli", answered=True)
                )
                number += 1
            total += await store.flush()
            print(f"FLUSHED {total}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
