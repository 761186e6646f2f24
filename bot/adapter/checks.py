"""Who may do what, and how much: the moderator check behind /kb and the per-user question
cooldown."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.adapter.services import services_of

T = TypeVar("T")


class NotModerator(app_commands.CheckFailure):
    """The member lacks Manage Server and every moderator role; the message says so."""


def is_moderator(
    permissions: discord.Permissions,
    roles: Iterable[discord.Role],
    moderator_roles: Iterable[str],
) -> bool:
    if permissions.manage_guild or permissions.administrator:
        return True
    wanted = {name.casefold() for name in moderator_roles}
    return any(role.name.casefold() in wanted for role in roles)


def moderator_refusal(
    interaction: discord.Interaction[Any], action: str = "manage the exercise library"
) -> str | None:
    """None for a moderator (in a server); otherwise what they are told. For commands,
    buttons and modals alike: a click is checked again, whoever sent the message."""
    member = interaction.user
    roles = member.roles if isinstance(member, discord.Member) else []
    names = services_of(interaction).settings.moderator_roles
    if interaction.guild is not None and is_moderator(interaction.permissions, roles, names):
        return None
    needed = "the Manage Server permission"
    if names:
        needed += " or one of these roles: " + ", ".join(names)
    return f"Only moderators can {action}: you need {needed}."


def moderator_only(action: str = "manage the exercise library") -> Callable[[T], T]:
    """Checked on our side too: Discord's default_permissions can be changed by any admin,
    and role-based moderators are ours to recognise. `action` ends "Only moderators can"."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        refusal = moderator_refusal(interaction, action)
        if refusal is not None:
            raise NotModerator(refusal)
        return True

    return app_commands.check(predicate)


def moderator_group(name: str, description: str) -> app_commands.Group:
    """A guild-only command group hidden from members by default (checked again on use)."""
    return app_commands.Group(
        name=name,
        description=description,
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        default_permissions=discord.Permissions(manage_guild=True),
    )


class QuestionCooldown:
    """`rate` questions per user in any `per` seconds (a sliding window).

    `per` is passed on each hit because a guild may set its own window.
    """

    def __init__(self, rate: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.clock = clock
        self._hits: dict[int, deque[float]] = {}
        self._warned_until: dict[int, float] = {}
        self._longest = 0.0
        self._since_prune = 0

    def hit(self, user_id: int, per: float) -> float:
        """Count a question; 0.0 if allowed, else the seconds until the user may ask again."""
        if per <= 0:
            return 0.0
        now = self.clock()
        self._longest = max(self._longest, per)
        self._maybe_prune(now)
        hits = self._hits.setdefault(user_id, deque())
        while hits and hits[0] <= now - per:
            hits.popleft()
        if len(hits) >= self.rate:
            return max(hits[0] + per - now, 0.01)
        hits.append(now)
        return 0.0

    def should_warn(self, user_id: int, retry_after: float) -> bool:
        """At most one warning per window, so a refused user cannot make the bot spam."""
        now = self.clock()
        if self._warned_until.get(user_id, 0.0) > now:
            return False
        self._warned_until[user_id] = now + retry_after
        return True

    def _maybe_prune(self, now: float) -> None:
        # Forget users who have not asked for a whole window, so memory stays bounded.
        self._since_prune += 1
        if self._since_prune < 1000:
            return
        self._since_prune = 0
        cutoff = now - self._longest
        for user_id in [u for u, hits in self._hits.items() if not hits or hits[-1] <= cutoff]:
            del self._hits[user_id]
        for user_id in [u for u, until in self._warned_until.items() if until <= now]:
            del self._warned_until[user_id]


def describe_wait(seconds: float) -> str:
    """Whole seconds, rounded up: "try again in 0 s" would be a lie."""
    return f"{max(1, math.ceil(seconds))} s"
