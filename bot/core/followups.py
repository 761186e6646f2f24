"""Which exercise a conversation is about: the page of the last answer, for follow-ups.

"and how many reps?" is about the exercise answered just before, in the same conversation:
a member in a channel, a thread, or a reply to one of the bot's answers. `RecentAnswers`
remembers that page per conversation, in memory only (never in the database), for a few
minutes, and for at most `capacity` conversations (the least recently used are forgotten).
Pure: no I/O, no Discord; the clock is injectable.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

CAPACITY = 10_000

Conversation = Hashable


def member_in(channel_id: int, user_id: int) -> Conversation:
    """One member in one channel (or DM): their next question there."""
    return ("member", channel_id, user_id)


def thread(thread_id: int) -> Conversation:
    """A thread: anyone's next question in it."""
    return ("thread", thread_id)


def answer_message(message_id: int) -> Conversation:
    """One of the bot's answers: a reply to it."""
    return ("answer", message_id)


class RecentAnswers:
    """Conversation -> (page slug, when it expires), least recently used first."""

    def __init__(
        self,
        seconds: float,
        *,
        capacity: int = CAPACITY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self.capacity = capacity
        self.clock = clock
        self._pages: OrderedDict[Conversation, tuple[str, float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.seconds > 0

    def __len__(self) -> int:
        return len(self._pages)

    def remember(
        self, slug: str | None, conversations: Iterable[Conversation], *, expires: bool = True
    ) -> None:
        """The page these conversations are now about; None forgets them (a question the bot
        could not answer ends the follow-ups). `expires=False`: kept until pushed out by
        newer ones (a reply names the answer it follows, however late)."""
        if not self.enabled:
            return
        until = self.clock() + self.seconds if expires else math.inf
        for conversation in conversations:
            if slug is None:
                self._pages.pop(conversation, None)
                continue
            self._pages[conversation] = (slug, until)
            self._pages.move_to_end(conversation)
        while len(self._pages) > self.capacity:
            self._pages.popitem(last=False)

    def recall(self, conversations: Iterable[Conversation]) -> str | None:
        """The page of the first of these conversations that has one, unexpired."""
        if not self.enabled:
            return None
        now = self.clock()
        for conversation in conversations:
            remembered = self._pages.get(conversation)
            if remembered is None:
                continue
            slug, until = remembered
            if until <= now:
                del self._pages[conversation]
                continue
            self._pages.move_to_end(conversation)
            return slug
        return None
