"""The question-log writer: records queued in memory, written in batches off the hot path,
kept and retried with backoff while writes fail; the reply times that follow them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from dataclasses import replace
from datetime import UTC, datetime
from itertools import chain
from typing import Any

from bot.storage.database import Database
from bot.storage.records import QuestionRecord, StorageError

log = logging.getLogger("spotter.storage")

DEFAULT_MAX_BUFFER = 10_000
# While writes succeed, a burst may queue this many times max_buffer before anything is
# dropped: the writer is draining it, and the cap only bounds memory.
BURST_ALLOWANCE = 10
MAX_BACKOFF = 60.0  # longest wait between retries of a failing question-log write

QUESTION_COLUMNS = (
    "id, guild_id, channel_id, question, source, slug, section, heading, "
    "score, answered, latency_ms, created_at, reply_ms"
)
# DO NOTHING: a batch retried after an unclear failure may already be in the file.
_INSERT_QUESTION = (
    f"INSERT INTO questions ({QUESTION_COLUMNS}) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)
_SET_REPLY_TIME = "UPDATE questions SET reply_ms = ? WHERE id = ?"


class QuestionLog:
    """Buffers question records and writes them to the database in batches."""

    def __init__(
        self, database: Database, *, flush_interval: float, batch_size: int, max_buffer: int
    ) -> None:
        self._database = database
        self._flush_interval = flush_interval
        self._batch_size = batch_size
        self.capacity = max_buffer  # most records kept in memory while writes fail

        self._flush_lock = asyncio.Lock()  # one flush at a time, so batches stay in order
        self._buffer: deque[QuestionRecord] = deque()
        # Reply times of questions already written, for the next flush to add.
        self._reply_times: dict[str, float] = {}
        self._wakeup = asyncio.Event()  # a full batch is waiting
        self._stopping = asyncio.Event()
        self._writing: list[QuestionRecord] = []  # the batch on its way to the file
        self._failures = 0  # consecutive failed writes
        self._retry_at = 0.0  # loop time of the next background retry while failing
        self._failure: str | None = None  # why writes fail right now
        self.failing_since: datetime | None = None
        self.written = 0
        self.dropped = 0
        self._drop_warned = False
        self._late_warned = False

    @property
    def pending(self) -> int:
        """Records logged but not yet written."""
        return len(self._buffer) + len(self._writing)

    @property
    def failure(self) -> str | None:
        """Why writes are failing, or None while they succeed."""
        return self._failure if self._failures else None

    def add(self, record: QuestionRecord) -> None:
        """Queue a record (see ``Store.log_question``)."""
        if self._stopping.is_set():
            if not self._late_warned:
                self._late_warned = True
                log.warning("a question was logged after the store was closed; dropping it")
            return
        if self._database.unusable is not None:
            self.dropped += 1  # said once, loudly, when the store was made unavailable
            return
        self._buffer.append(record)
        self._trim()
        if len(self._buffer) >= self._batch_size and not self._failures:
            self._wakeup.set()

    async def flush(self) -> int:
        """Write what is queued (see ``Store.flush``); return the rows written meanwhile."""
        written_before = self.written
        async with self._flush_lock:  # waits for a background flush already under way
            todo = len(self._buffer)
            while todo > 0 and self._buffer and self._database.is_open:
                size = min(self._batch_size, todo, len(self._buffer))
                batch = [self._buffer.popleft() for _ in range(size)]
                self._writing = batch
                todo -= size
                try:
                    async with self._database.transaction() as tx:
                        inserted = await tx.run_many(_INSERT_QUESTION, map(_question_row, batch))
                except StorageError as exc:
                    self._requeue(batch)
                    self._write_failed(str(exc))
                    break
                except BaseException:
                    self._requeue(batch)  # e.g. cancelled; a rewrite does nothing
                    raise
                finally:
                    self._writing = []
                self.written += inserted
                self._write_succeeded()
            if not self._failures:
                await self._write_reply_times()
        return self.written - written_before

    async def catch_up(self) -> None:
        """Before a read: write what was just logged, unless writes are failing (the file
        can still be read then, and a write attempt could wait busy_timeout for nothing)."""
        if not self._failures:
            await self.flush()

    async def find(self, question_id: str) -> QuestionRecord | None:
        """One logged question, queued or written (see ``Store.question``)."""
        record = next(
            (r for r in chain(reversed(self._buffer), self._writing) if r.id == question_id),
            None,
        )
        if record is not None:
            return record
        # Neither buffered nor in the batch being written: in the file, or nowhere. (A click
        # does not wait for a whole flush, only for the transaction under way.)
        async with self._database.transaction("could not read a question from", write=False) as tx:
            rows = await tx.rows(
                f"SELECT {QUESTION_COLUMNS} FROM questions WHERE id = ?", (question_id,)
            )
        return _question_record(rows[0]) if rows else None

    def record_reply_time(self, question_id: str, reply_ms: float) -> None:
        """Kept with the question: at once while it is queued, else by the next flush."""
        buffer = self._buffer
        for index in range(len(buffer) - 1, -1, -1):  # usually the last one logged
            if buffer[index].id == question_id:
                buffer[index] = replace(buffer[index], reply_ms=reply_ms)
                return
        if self._stopping.is_set() or self._database.unusable is not None:
            return  # nothing will write it
        self._reply_times[question_id] = reply_ms
        while len(self._reply_times) > self.capacity:
            del self._reply_times[next(iter(self._reply_times))]

    async def run(self) -> None:
        """The background writer: every flush_interval, at once for a full batch, and with
        backoff while failing, until ``stop``."""
        loop = asyncio.get_running_loop()
        while not self._stopping.is_set():
            if self._failures:
                delay = max(self._retry_at - loop.time(), 0.0)
            else:
                delay = self._flush_interval
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wakeup.wait()
            self._wakeup.clear()
            if self._stopping.is_set():
                return
            if self._failures and loop.time() < self._retry_at:
                continue
            if self._buffer or self._reply_times:
                try:
                    await self.flush()
                except Exception:
                    log.exception("unexpected error while writing the question log")
                    self._write_failed("unexpected error")

    def stop(self) -> None:
        """Refuse new records and end ``run``; ``finish`` writes what is left."""
        self._stopping.set()
        self._wakeup.set()

    async def finish(self) -> None:
        """The last flush, after ``stop``: what still cannot be written is lost."""
        await self.flush()
        if self._buffer:
            log.warning(
                "closing %s with %d question record(s) that could not be written; they are lost",
                self._database.location,
                len(self._buffer),
            )

    async def _write_reply_times(self) -> None:
        """Reply times of questions written before their reply was sent, in one transaction."""
        if not self._reply_times or not self._database.is_open:
            return
        times, self._reply_times = self._reply_times, {}
        buffered = {record.id for record in self._buffer}  # e.g. put back after a failed write
        rows = []
        for question_id, reply_ms in times.items():
            if question_id in buffered:
                self.record_reply_time(question_id, reply_ms)
            else:
                rows.append((reply_ms, question_id))
        if not rows:
            return
        try:
            async with self._database.transaction() as tx:
                await tx.run_many(_SET_REPLY_TIME, rows)
        except StorageError as exc:
            log.debug("could not write %d reply time(s): %s", len(rows), exc)

    def _trim(self) -> None:
        failing = bool(self._failures)
        limit = self.capacity if failing else self.capacity * BURST_ALLOWANCE
        while len(self._buffer) > limit:
            self._buffer.popleft()
            self.dropped += 1
            if not self._drop_warned:
                self._drop_warned = True
                why = (
                    f"{self._database.location} cannot be written"
                    if failing
                    else f"questions arrive faster than {self._database.location} is written"
                )
                log.warning(
                    "question log buffer is full (%d records) because %s; "
                    "dropping the oldest unwritten records",
                    limit,
                    why,
                )

    def _requeue(self, batch: list[QuestionRecord]) -> None:
        self._buffer.extendleft(reversed(batch))
        self._trim()

    def _write_failed(self, reason: str) -> None:
        if not self._failures:
            self.failing_since = datetime.now(UTC)
        self._failure = reason
        self._failures += 1
        self._trim()  # failing: the burst allowance is over
        ceiling = max(MAX_BACKOFF, self._flush_interval)
        delay = min(self._flush_interval * 2 ** min(self._failures - 1, 20), ceiling)
        self._retry_at = asyncio.get_running_loop().time() + delay
        if self._failures == 1:
            log.warning(
                "cannot write the question log: %s; keeping %d record(s) in memory "
                "(at most %d) and retrying with backoff",
                reason,
                len(self._buffer),
                self.capacity,
            )
        else:
            log.debug("question log write failed again (%d): %s", self._failures, reason)

    def _write_succeeded(self) -> None:
        if self._failures:
            log.info(
                "question log is writable again (%s) after %d failed attempt(s); "
                "%d record(s) dropped so far",
                self._database.location,
                self._failures,
                self.dropped,
            )
            self._failures = 0
            self._failure = self.failing_since = None
            self._drop_warned = False
        elif not self._buffer:
            self._drop_warned = False  # a burst that overflowed is over: warn of the next one


def _question_row(record: QuestionRecord) -> tuple[Any, ...]:
    return (
        record.id,
        record.guild_id,
        record.channel_id,
        record.question,
        record.source,
        record.slug,
        record.section,
        record.heading,
        record.score,
        int(record.answered),
        record.latency_ms,
        record.created_at.timestamp(),
        record.reply_ms,
    )


def _question_record(row: tuple[Any, ...]) -> QuestionRecord:
    """The inverse of _question_row."""
    (id_, guild_id, channel_id, question, source, slug, section, heading, score) = row[:9]
    answered, latency_ms, created_at, reply_ms = row[9:]
    return QuestionRecord(
        id=id_,
        guild_id=guild_id,
        channel_id=channel_id,
        question=question,
        source=source,
        slug=slug,
        section=section,
        heading=heading,
        score=score,
        answered=bool(answered),
        latency_ms=latency_ms,
        created_at=datetime.fromtimestamp(created_at, UTC),
        reply_ms=reply_ms,
    )
