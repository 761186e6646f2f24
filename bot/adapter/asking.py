"""Asking: one question from whoever asked it to the reply, the same for /ask, mentions,
"Find answer" and auto-answer (`Asking.ask`):

    DMs allowed? -> the server's policy -> cooldown -> follow-up context -> answer
    -> reply (interaction or message) -> question log and reply time

Auto-answer is the one variation: nobody asked, so it replies only when the answer clears its
own threshold and otherwise stays silent; its cooldown and the question log count replies only.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

import discord

from bot.adapter import followups
from bot.adapter.checks import QuestionCooldown, describe_wait
from bot.adapter.inflight import InFlight, LoopLag, created_at
from bot.adapter.library_keeper import LibraryKeeper
from bot.adapter.policy import Policy, policy_for
from bot.adapter.replies import reply_privately, reply_to, send_response
from bot.adapter.services import AskingService
from bot.adapter.views import answer_message, answer_style
from bot.config import Settings
from bot.core.followups import Conversation, RecentAnswers
from bot.core.library import Library
from bot.core.search import Result
from bot.storage import GuildSettings, QuestionRecord, Source, Store

Interaction = discord.Interaction[Any]

NO_DMS = "I only answer questions in servers."
# Discord wants a first response within 3 s of creating the interaction. Answer in one message
# only while the interaction's age plus the event loop's lag is below this; else send
# "thinking..." first and the answer after it.
ANSWER_AT_ONCE_WITHIN = 0.5


def slow_down(seconds: float) -> str:
    return f"Slow down a little: you can ask again in {describe_wait(seconds)}."


def should_defer(age: float, loop_lag: float) -> bool:
    """Defer when an answer in one message might miss Discord's 3 s: the interaction came in
    late (a lagging gateway, a queue of others before it) or the loop is behind."""
    return max(age, 0.0) + loop_lag >= ANSWER_AT_ONCE_WITHIN


@dataclass(frozen=True, slots=True)
class Question:
    """A question as it reached us, from a command or a message."""

    text: str
    source: Source
    asker_id: int
    asked_id: int  # the command's or message's snowflake: when Discord received it
    guild_id: int | None
    channel_id: int | None
    # Where a follow-up may come from: its thread, the asker in the channel (adapter/followups).
    conversations: tuple[Conversation, ...] = ()
    replies_to: int | None = None  # the message it replies to, perhaps one of our answers


@dataclass(frozen=True, slots=True)
class Answered:
    question_id: str
    result: Result
    record: QuestionRecord
    library: Library  # the one it was answered from: its card is drawn from the same one


@dataclass(frozen=True, slots=True)
class Sent:
    message_id: int | None  # the answer's message, when known: a reply to it follows up


class Reply(Protocol):
    """How an answer goes back: as the response to an interaction, or as a message reply."""

    # An interaction must get a response (else "the application did not respond"); a message
    # need not, and a refusal there is posted at most once per cooldown window.
    must_respond: bool

    def is_public(self, policy: Policy) -> bool: ...

    async def refuse(self, text: str) -> None: ...

    def turn(self, public: bool) -> AbstractAsyncContextManager[None]: ...

    async def send(
        self, embed: discord.Embed, view: discord.ui.View, *, public: bool
    ) -> Sent | None: ...


class InteractionReply:
    """The response to /ask or "Find answer": privately or not as the server chose; under
    load "thinking..." first, and the answer when its turn comes (adapter/inflight.py)."""

    must_respond = True

    def __init__(
        self,
        interaction: Interaction,
        in_flight: InFlight,
        loop_lag: LoopLag,
        content: str | None = None,
    ) -> None:
        self.interaction = interaction
        self.in_flight = in_flight
        self.loop_lag = loop_lag
        self.content = content

    def is_public(self, policy: Policy) -> bool:
        return policy.ask_public

    async def refuse(self, text: str) -> None:
        await reply_privately(self.interaction, text)

    @contextlib.asynccontextmanager
    async def turn(self, public: bool) -> AsyncIterator[None]:
        interaction = self.interaction
        age = time.time() - created_at(interaction)
        if not should_defer(age, self.loop_lag.seconds()):
            yield
            return
        await interaction.response.defer(ephemeral=not public, thinking=True)
        self.in_flight.acknowledged(interaction)
        # Everyone's "thinking..." goes out before the answers do. On the loop, not in a
        # thread: a computing thread would hold the GIL against the loop's I/O.
        async with self.in_flight.answer_turn():
            yield

    async def send(self, embed: discord.Embed, view: discord.ui.View, *, public: bool) -> Sent:
        await send_response(
            self.interaction, embed=embed, view=view, ephemeral=not public, content=self.content
        )
        return Sent(None)


class MessageReply:
    """A reply to a mention, a DM or a message auto-answer picked up: public, pinging nobody."""

    must_respond = False

    def __init__(self, message: discord.Message) -> None:
        self.message = message

    def is_public(self, policy: Policy) -> bool:
        return True

    async def refuse(self, text: str) -> None:
        await reply_to(self.message, content=text)

    def turn(self, public: bool) -> AbstractAsyncContextManager[None]:
        return contextlib.nullcontext()

    async def send(
        self, embed: discord.Embed, view: discord.ui.View, *, public: bool
    ) -> Sent | None:
        sent = await reply_to(self.message, embed=embed, view=view)
        return Sent(sent.id) if sent is not None else None


class Asking:
    """Answers questions: the policy of each server, the cooldown, the follow-up memory, the
    answer and the question log."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        keeper: LibraryKeeper,
        in_flight: InFlight,
        loop_lag: LoopLag,
    ) -> None:
        self.settings = settings
        self.store = store
        self.keeper = keeper
        self.in_flight = in_flight
        self.loop_lag = loop_lag
        self.style = answer_style(settings)  # how answer cards read
        self.cooldown = QuestionCooldown(settings.cooldown_rate)
        # The page of each conversation's last answer, for follow-ups (adapter/followups.py).
        self.recent_answers = RecentAnswers(settings.followup_minutes * 60)

    async def policy(self, guild_id: int | None) -> Policy:
        overrides = GuildSettings()
        if guild_id is not None:
            overrides = await self.store.guild_settings(guild_id)
        return policy_for(self.settings, overrides)

    # -- the ways in -------------------------------------------------------------------------

    async def ask_in_interaction(
        self,
        interaction: Interaction,
        text: str,
        *,
        source: Source,
        content: str | None = None,
    ) -> None:
        """/ask ("slash") or "Find answer" ("context_menu"); `content` goes above the answer."""
        # "Find answer" answers someone else's message: not a follow-up of the user's own.
        where = followups.of_interaction(interaction) if source == "slash" else ()
        question = Question(
            text,
            source,
            asker_id=interaction.user.id,
            asked_id=interaction.id,
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
            conversations=where,
        )
        reply = InteractionReply(interaction, self.in_flight, self.loop_lag, content)
        await self.ask(question, reply)

    async def ask_in_message(
        self,
        message: discord.Message,
        text: str,
        *,
        source: Source,
        policy: Policy | None = None,
    ) -> None:
        """A mention or DM ("mention"), or a message auto-answer picked up ("auto_answer")."""
        reference = message.reference
        question = Question(
            text,
            source,
            asker_id=message.author.id,
            asked_id=message.id,
            guild_id=message.guild.id if message.guild is not None else None,
            channel_id=message.channel.id,
            conversations=followups.of_message(message),
            replies_to=reference.message_id if reference is not None else None,
        )
        await self.ask(question, MessageReply(message), policy)

    # -- the one way through -----------------------------------------------------------------

    async def ask(self, question: Question, reply: Reply, policy: Policy | None = None) -> None:
        """Answer a question and reply (see the module's docstring). `policy`: the server's,
        when the caller read it already."""
        if question.guild_id is None and not self.settings.allow_dms:
            if reply.must_respond:
                await reply.refuse(NO_DMS)
            return
        if policy is None:
            policy = await self.policy(question.guild_id)
        unprompted = question.source == "auto_answer"
        if not unprompted:
            wait = self.cooldown.hit(question.asker_id, policy.cooldown_seconds)
            if wait:
                if reply.must_respond or self.cooldown.should_warn(question.asker_id, wait):
                    await reply.refuse(slow_down(wait))
                return
        recent = self.recent_answers
        context = followups.context_of(recent, question.conversations, question.replies_to)
        public = reply.is_public(policy)
        async with reply.turn(public):
            threshold = policy.auto_answer_min_confidence if unprompted else policy.min_confidence
            answered = self.answer(question, threshold, context)
            result = answered.result
            if unprompted:
                if result.answer is None:
                    return  # silence ends no conversation: it may have been chat
                if self.cooldown.hit(question.asker_id, policy.cooldown_seconds):
                    return  # silently: nobody asked us, so nobody needs to be told to wait
            else:
                self.store.log_question(answered.record)
            followups.remember(recent, result, question.conversations)
            embed, view = answer_message(
                answered.library,
                self.style,
                result,
                question_id=answered.question_id,
                asker_id=question.asker_id,
                public=public,
            )
            sent = await reply.send(embed, view, public=public)
        if sent is None:
            return
        if unprompted:
            self.store.log_question(answered.record)  # only replies: silence concerns nobody
        self.note_reply_time(answered.question_id, question.asked_id)
        followups.remember_sent(recent, result, sent.message_id)

    def answer(self, question: Question, min_confidence: float, context: str | None) -> Answered:
        """Answer from the current library; the record to log holds no user id. `context`:
        the page of the answer the question may follow up on."""
        library = self.keeper.library
        started = time.perf_counter()
        result = library.answer(question.text, min_confidence, context)
        latency_ms = (time.perf_counter() - started) * 1000
        answer = result.answer
        best = answer or (result.alternatives[0] if result.alternatives else None)
        record = QuestionRecord.new(
            result.question,  # as the engine read it: cut to its length limit
            source=question.source,
            guild_id=question.guild_id,
            channel_id=question.channel_id,
            slug=answer.slug if answer else None,
            section=answer.section if answer else None,
            heading=answer.heading if answer else None,
            score=best.score if best else 0.0,
            answered=answer is not None,
            latency_ms=latency_ms,
        )
        return Answered(record.id, result, record, library)

    def note_reply_time(self, question_id: str, asked_id: int) -> None:
        """Keep what the asker waited for a reply just sent: from their command or message (its
        snowflake holds when Discord received it) to now."""
        waited = discord.utils.utcnow() - discord.utils.snowflake_time(asked_id)
        self.store.record_reply_time(question_id, waited.total_seconds() * 1000)


# Checked by mypy: Asking gives cogs what AskingService promises.
_PROVIDES: type[AskingService] = Asking
