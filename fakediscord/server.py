"""``FakeDiscord``: a loopback Discord (REST + gateway) and the API tests drive it with."""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import re
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Self, TypeVar

from aiohttp import web

from .actions import UserActions
from .gateway import Gateway
from .interactions import Interaction
from .models import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILDS,
    PRIVILEGED_INTENTS,
    ChannelType,
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Overwrite,
    Perm,
)
from .records import ChangeSignal, Hold, RecordedRequest, Violation
from .rest import Rest
from .world import World

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024  # what interactions announce as attachment_size_limit


class FakeDiscord(UserActions):
    """A fake Discord on 127.0.0.1 that the real discord.py client can log in to.

    Build the world (``add_guild``, ``add_channel``, ``add_member``...) before or after the
    bot connects, drive the bot as users would (``invoke_slash``, ``autocomplete``,
    ``click``, ``context_menu``, ``post_message``) and read back what it did
    (``sent_messages``, ``callbacks``, ``followups``, ``edits``, ``synced_commands``,
    ``requests``). Anything real Discord would refuse is answered like Discord does and
    recorded in ``violations``.
    """

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        application_id: int | None = None,
        bot_name: str = "Spotter",
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        heartbeat_interval_ms: int = 1000,
        interaction_deadline: float = 3.0,
        allowed_privileged_intents: int = PRIVILEGED_INTENTS,
        host: str = "127.0.0.1",
    ) -> None:
        self.token = token
        self.host = host
        self.interaction_deadline = interaction_deadline
        self.allowed_privileged_intents = allowed_privileged_intents
        self.world = World(
            application_id=application_id, bot_name=bot_name, bot_permissions=bot_permissions
        )
        self.changes = ChangeSignal()
        self.gateway = Gateway(self, heartbeat_interval_ms=heartbeat_interval_ms)
        self.rest = Rest(self)
        self.port = 0
        self._runner: web.AppRunner | None = None
        # --- records ---
        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.callbacks: list[dict[str, Any]] = []
        self.followups: list[dict[str, Any]] = []
        self.edits: list[dict[str, Any]] = []
        self.sent_messages: list[dict[str, Any]] = []
        self.deleted_messages: list[dict[str, Any]] = []
        self.denied: list[RecordedRequest] = []  # 403s for missing permissions
        self.unhandled: list[RecordedRequest] = []  # routes the fake does not know (404)
        self.holds: list[Hold] = []
        self.interactions: dict[int, Interaction] = {}
        self.by_token: dict[str, Interaction] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.sync_count = 0

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> Self:
        app = web.Application(middlewares=[self.rest.middleware], client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway/", self.gateway.handle)
        app.router.add_routes(self.rest.routes())
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        self.port = sock.getsockname()[1]
        self.world.cdn_base = f"http://{self.host}:{self.port}"
        site = web.SockSite(self._runner, sock, backlog=4096)
        await site.start()
        return self

    async def close(self) -> None:
        """Stop the server (idempotent). Open gateway sockets are closed with 1001."""
        if self._runner is None:
            return
        runner, self._runner = self._runner, None
        for hold in self.holds:
            hold.release()
        await self.gateway.close_all()
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def api_base(self) -> str:
        return f"http://{self.host}:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    @property
    def application_id(self) -> int:
        return self.world.application_id

    @property
    def bot_user(self) -> FakeUser:
        return self.world.bot_user

    # --- building the world ----------------------------------------------------------------

    def make_user(self, name: str, *, bot: bool = False) -> FakeUser:
        """A user who exists on Discord (not yet in any guild)."""
        return self.world.make_user(name, bot=bot)

    async def add_guild(
        self,
        name: str = "Test Guild",
        *,
        owner: FakeUser | None = None,
        everyone_permissions: int = DEFAULT_EVERYONE,
        shard: tuple[int, int] | None = None,
    ) -> FakeGuild:
        """A guild with @everyone (id == guild id), the bot's managed role and member.
        ``shard=(shard_id, shard_count)``: an id whose events Discord delivers on that shard."""
        guild = self.world.make_guild(
            name, owner=owner, everyone_permissions=everyone_permissions, shard=shard
        )
        await self._tell("GUILD_CREATE", guild.payload(), INTENT_GUILDS)
        return guild

    async def add_role(self, guild: FakeGuild, name: str, permissions: int = 0) -> FakeRole:
        role = self.world.make_role(guild, name, permissions)
        await self._tell(
            "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.payload()}, INTENT_GUILDS
        )
        return role

    async def add_channel(
        self,
        guild: FakeGuild,
        name: str = "general",
        *,
        type: int = ChannelType.TEXT,
        parent: FakeChannel | None = None,
        topic: str | None = None,
        overwrites: Iterable[Overwrite] = (),
        owner: FakeUser | None = None,
    ) -> FakeChannel:
        """A text (default), forum (``ChannelType.FORUM``) or thread channel (needs parent)."""
        channel = self.world.make_channel(
            guild,
            name,
            type=type,
            parent=parent,
            topic=topic,
            overwrites=list(overwrites),
            owner=owner,
        )
        event = "THREAD_CREATE" if channel.is_thread else "CHANNEL_CREATE"
        data = channel.payload()
        if channel.is_thread:
            data["newly_created"] = True
        await self._tell(event, data, INTENT_GUILDS)
        return channel

    async def add_member(
        self,
        guild: FakeGuild,
        user: FakeUser | str,
        *,
        roles: Iterable[FakeRole] = (),
        permissions: int | None = None,
        manage_guild: bool = False,
    ) -> FakeMember:
        """Add ``user`` (a FakeUser, or a name to create one) to ``guild``.

        ``permissions`` (or ``manage_guild=True``) gives the member a role of their own with
        those permission bits; without them the member has @everyone's permissions only.
        """
        if isinstance(user, str):
            user = self.make_user(user)
        role_list = list(roles)
        extra = int(permissions or 0) | (Perm.MANAGE_GUILD if manage_guild else 0)
        if extra:
            role_list.append(await self.add_role(guild, f"{user.name}-perms", extra))
        member = self.world.make_member(guild, user, role_list)
        await self._tell(
            "GUILD_MEMBER_ADD",
            {**member.payload(), "guild_id": str(guild.id)},
            INTENT_GUILD_MEMBERS,
        )
        return member

    def attach(
        self, filename: str, data: bytes | str, *, content_type: str | None = None
    ) -> FakeAttachment:
        """A file a user picks for an attachment option of a slash command (pass it as the
        option's value). Discord's client refuses files over the upload limit (10 MiB)."""
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if len(raw) > ATTACHMENT_SIZE_LIMIT:
            raise ValueError(f"{filename} is over Discord's {ATTACHMENT_SIZE_LIMIT} byte limit")
        guessed = mimetypes.guess_type(filename)[0]
        attachment_id, url = self.world.store_file(raw, filename)
        return FakeAttachment(attachment_id, filename, raw, content_type or guessed, url)

    def attachment_data(self, attachment: Mapping[str, Any]) -> bytes:
        """The bytes of an attachment of a message (what its url serves)."""
        return self.world.attachments[int(attachment["id"])]

    # --- the gateway -----------------------------------------------------------------------

    @property
    def intents(self) -> int | None:
        """The intents the bot last identified with (None before IDENTIFY)."""
        return None if self.gateway.active is None else self.gateway.active.intents

    async def _tell(self, event: str, data: dict[str, Any], intent: int) -> None:
        """Dispatch a change of the world to the sessions on its shard that hold ``intent``,
        once a bot has connected (before that, READY and GUILD_CREATE will carry it)."""
        if self.gateway.connected:
            await self.gateway.dispatch(event, data, intent=intent)

    async def wait_until_ready(
        self, timeout: float = 5.0, *, shard_count: int | None = None
    ) -> None:
        """Until the bot has IDENTIFYed (or RESUMEd) and READY + GUILD_CREATEs went out; with
        ``shard_count``, on every one of its shards (from one process or several)."""
        await self.wait_for(
            lambda: self.gateway.ready(shard_count),
            timeout,
            what="the bot to identify on the gateway"
            + (f" on all {shard_count} shards" if shard_count else ""),
        )

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send any gateway DISPATCH to the bot."""
        await self.gateway.dispatch(event, data)

    async def disconnect_bot(self, code: int = 4000) -> None:
        """Drop the bot's gateway socket; discord.py should RESUME the session."""
        await self.gateway.drop_connection(code)

    async def echo_own_message(self, event: str, message: dict[str, Any]) -> None:
        """Discord echoes the bot's own channel messages back over the gateway."""
        intent = INTENT_GUILD_MESSAGES if "guild_id" in message else INTENT_DIRECT_MESSAGES
        await self._tell(event, message, intent)

    # --- reading what the bot did ----------------------------------------------------------

    def synced_commands(self, guild: FakeGuild | int | None = None) -> list[dict[str, Any]]:
        """The commands registered globally (default) or for ``guild``."""
        key = guild.id if isinstance(guild, FakeGuild) else guild
        return list(self.commands.get(key, []))

    def hold(self, matches: Callable[[RecordedRequest], bool]) -> Hold:
        """Keep REST requests for which ``matches(request)`` is true waiting, unanswered, until
        ``release()`` (or ``close()``): Discord being slow on them."""
        hold = Hold(matches)
        self.holds.append(hold)
        return hold

    def record_violation(self, violation: Violation) -> None:
        log.warning("fake discord violation: %s", violation)
        self.violations.append(violation)
        self.changes.bump()

    def take_violations(self) -> list[Violation]:
        """Remove and return every violation recorded so far."""
        taken, self.violations[:] = list(self.violations), []
        return taken

    @contextlib.contextmanager
    def expect_violations(self, match: str | None = None) -> Iterator[list[Violation]]:
        """Consume the violations recorded inside the block; fail if there were none (or
        none whose text matches the regex ``match``)."""
        start = len(self.violations)
        caught: list[Violation] = []
        ok = False
        try:
            yield caught
            ok = True
        finally:
            caught.extend(self.violations[start:])
            del self.violations[start:]
        if ok and not caught:
            raise AssertionError("expected the fake to record a violation; none was recorded")
        if ok and match is not None and not any(re.search(match, str(x)) for x in caught):
            listed = "\n  ".join(map(str, caught))
            raise AssertionError(f"no violation matches {match!r}; got:\n  {listed}")

    async def wait_for(
        self,
        predicate: Callable[[], T],
        timeout: float = 5.0,
        *,
        what: str = "the condition",
        signal: ChangeSignal | None = None,
    ) -> T:
        """Wait (without sleeping blindly) until ``predicate()`` is truthy; return it. Woken by
        every change the fake records, or only by ``signal``'s (one interaction's)."""

        def describe() -> str:
            recent = "\n  ".join(str(r) for r in self.requests[-10:]) or "(none)"
            problems = "\n  ".join(str(x) for x in self.violations) or "(none)"
            return (
                f"timed out after {timeout}s waiting for {what}.\n"
                f"Last requests:\n  {recent}\nViolations:\n  {problems}"
            )

        return await (signal or self.changes).wait_for(predicate, timeout, describe)

    async def wait_for_message(
        self,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        *,
        channel: FakeChannel | None = None,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        """The first channel message the bot posted (``sent_messages``) that matches."""

        def find() -> list[dict[str, Any]]:
            return [
                m
                for m in self.sent_messages
                if (channel is None or m["channel_id"] == str(channel.id))
                and (predicate is None or predicate(m))
            ][:1]

        return (await self.wait_for(find, timeout, what="a message from the bot"))[0]

    async def wait_for_request(
        self, method: str, path: str | re.Pattern[str], timeout: float = 5.0
    ) -> RecordedRequest:
        """The first recorded request with this method whose path matches the regex."""
        pattern = re.compile(path) if isinstance(path, str) else path

        def find() -> list[RecordedRequest]:
            return [
                r
                for r in self.requests
                if r.method == method and pattern.search(r.path) and r.status
            ][:1]

        return (await self.wait_for(find, timeout, what=f"{method} {pattern.pattern}"))[0]


def allows_mass_ping(message: Mapping[str, Any]) -> bool:
    """Would this bot message be allowed to ping @everyone/@here or roles?

    No ``allowed_mentions`` at all means Discord's default: everything in the content pings.
    """
    allowed = message.get("allowed_mentions")
    if allowed is None:
        return True
    parse = allowed.get("parse") or []
    return "everyone" in parse or "roles" in parse or bool(allowed.get("roles"))
