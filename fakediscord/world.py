"""The fake's state: who exists, where, with which permissions, and every message."""

from __future__ import annotations

import re
from typing import Any

from .models import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE,
    ChannelType,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Overwrite,
    Snowflakes,
    base_permissions,
    channel_permissions,
    iso_now,
)

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


class World:
    """Users, guilds, channels and messages, plus the payloads built from them."""

    def __init__(
        self,
        *,
        application_id: int | None,
        bot_name: str,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
    ) -> None:
        self.ids = Snowflakes()
        self.application_id = application_id or self.ids.next()
        self.bot_user = FakeUser(self.application_id, bot_name, bot=True)
        self.bot_permissions = bot_permissions
        self.owner = FakeUser(self.ids.next(), "owner")
        self.users: dict[int, FakeUser] = {u.id: u for u in (self.bot_user, self.owner)}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        # Attachment bytes by id, served at cdn_base like Discord's CDN (set once started).
        self.attachments: dict[int, bytes] = {}
        self.cdn_base = "http://127.0.0.1"

    # --- building the world ----------------------------------------------------------------

    def make_user(self, name: str, *, bot: bool = False) -> FakeUser:
        user = FakeUser(self.ids.next(), name, bot=bot)
        self.users[user.id] = user
        return user

    def make_guild(
        self,
        name: str,
        *,
        owner: FakeUser | None = None,
        everyone_permissions: int = DEFAULT_EVERYONE,
        shard: tuple[int, int] | None = None,
    ) -> FakeGuild:
        owner = owner or self.owner
        guild_id = self.ids.next() if shard is None else self.ids.next_on_shard(*shard)
        guild = FakeGuild(guild_id, name, owner.id)
        guild.roles[guild.id] = FakeRole(
            guild.id, guild.id, "@everyone", permissions=int(everyone_permissions)
        )
        bot_role = FakeRole(
            self.ids.next(),
            guild.id,
            self.bot_user.name,
            permissions=int(self.bot_permissions),
            position=1,
            managed=True,
            bot_id=self.bot_user.id,
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[owner.id] = FakeMember(owner, guild.id)
        guild.members[self.bot_user.id] = FakeMember(self.bot_user, guild.id, [bot_role.id])
        self.guilds[guild.id] = guild
        return guild

    def make_role(self, guild: FakeGuild, name: str, permissions: int = 0) -> FakeRole:
        position = max((r.position for r in guild.roles.values()), default=0) + 1
        role = FakeRole(
            self.ids.next(), guild.id, name, permissions=int(permissions), position=position
        )
        guild.roles[role.id] = role
        return role

    def make_channel(
        self,
        guild: FakeGuild,
        name: str,
        *,
        type: int = ChannelType.TEXT,
        parent: FakeChannel | None = None,
        topic: str | None = None,
        overwrites: list[Overwrite] | None = None,
        owner: FakeUser | None = None,
    ) -> FakeChannel:
        ctype = ChannelType(type)
        if (
            ctype
            in (ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD, ChannelType.NEWS_THREAD)
            and parent is None
        ):
            raise ValueError("a thread needs a parent channel (text or forum)")
        channel = FakeChannel(
            self.ids.next(),
            guild.id,
            name,
            type=ctype,
            parent_id=None if parent is None else parent.id,
            position=len(guild.channels),
            topic=topic,
            overwrites=list(overwrites or []),
            owner_id=(owner or self.owner).id if ctype in (10, 11, 12) else None,
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def make_member(self, guild: FakeGuild, user: FakeUser, roles: list[FakeRole]) -> FakeMember:
        self.users[user.id] = user
        member = FakeMember(user, guild.id, [r.id for r in roles])
        guild.members[user.id] = member
        return member

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        for channel in self.channels.values():
            if channel.type == ChannelType.DM and channel.recipient is user:
                return channel
        channel = FakeChannel(self.ids.next(), None, "", type=ChannelType.DM, recipient=user)
        self.channels[channel.id] = channel
        return channel

    # --- lookups ---------------------------------------------------------------------------

    def guild_of(self, channel: FakeChannel) -> FakeGuild | None:
        return None if channel.guild_id is None else self.guilds[channel.guild_id]

    def bot_member(self, guild: FakeGuild) -> FakeMember:
        return guild.members[self.bot_user.id]

    def permissions(self, member: FakeMember, channel: FakeChannel | None) -> int:
        guild = self.guilds[member.guild_id]
        if channel is None:
            return base_permissions(guild, member)
        return channel_permissions(guild, member, channel)

    def bot_permissions_in(self, channel: FakeChannel) -> int | None:
        """The bot's permissions in ``channel``; None for DMs (no permission system)."""
        guild = self.guild_of(channel)
        if guild is None:
            return None
        return channel_permissions(guild, self.bot_member(guild), channel)

    # --- files -----------------------------------------------------------------------------

    def attachment_url(self, attachment_id: int, filename: str, channel_id: int = 0) -> str:
        """Where the fake's CDN serves a file: Discord's path shape, on the loopback host."""
        return f"{self.cdn_base}/attachments/{channel_id}/{attachment_id}/{filename}"

    def store_file(self, data: bytes, filename: str, channel_id: int = 0) -> tuple[int, str]:
        """Keep an uploaded file's bytes; returns its new id and CDN url."""
        attachment_id = self.ids.next()
        self.attachments[attachment_id] = data
        return attachment_id, self.attachment_url(attachment_id, filename, channel_id)

    # --- messages --------------------------------------------------------------------------

    def mentions_in(self, content: str, guild: FakeGuild | None) -> tuple[list[dict], list[str]]:
        users: list[dict[str, Any]] = []
        for match in USER_MENTION.finditer(content or ""):
            user = self.users.get(int(match.group(1)))
            if user is None or any(u["id"] == str(user.id) for u in users):
                continue
            data = user.payload()
            if guild is not None and user.id in guild.members:
                data["member"] = guild.members[user.id].payload(with_user=False)
            users.append(data)
        roles = [m.group(1) for m in ROLE_MENTION.finditer(content or "")]
        if guild is not None:
            roles = [r for r in roles if int(r) in guild.roles]
        return users, roles

    def new_message(
        self,
        *,
        channel: FakeChannel,
        author: FakeUser,
        body: dict[str, Any],
        msg_type: int = 0,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Build, store and return a message object from a create body."""
        guild = self.guild_of(channel)
        content = body.get("content") or ""
        mentions, mention_roles = self.mentions_in(content, guild)
        message: dict[str, Any] = {
            "id": str(self.ids.next()),
            "channel_id": str(channel.id),
            "author": author.payload(),
            "content": content,
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": "@everyone" in content or "@here" in content,
            "mentions": mentions,
            "mention_roles": mention_roles,
            "attachments": list(body.get("attachments") or []),
            "embeds": list(body.get("embeds") or []),
            "components": list(body.get("components") or []),
            "reactions": [],
            "pinned": False,
            "type": msg_type,
            "flags": int(body.get("flags") or 0),
            # Not a Discord field: what the sender allowed to ping (None = Discord's default,
            # which pings everything the content mentions).
            "allowed_mentions": body.get("allowed_mentions"),
        }
        if guild is not None:
            message["guild_id"] = str(guild.id)
            if author.id in guild.members:
                message["member"] = guild.members[author.id].payload(with_user=False)
        if extra:
            message.update(extra)
        self.messages[int(message["id"])] = message
        return message

    def edit_message(self, message: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        for key in ("content", "embeds", "components", "attachments", "allowed_mentions"):
            if key in body:
                message[key] = (
                    body[key]
                    if body[key] is not None
                    else ("" if key == "content" else [] if key != "allowed_mentions" else None)
                )
        if "flags" in body and body["flags"] is not None:
            # Only SUPPRESS_EMBEDS / COMPONENTS_V2 can change; ephemeral stays as it was.
            keep = int(message.get("flags") or 0) & (1 << 6)
            message["flags"] = keep | (int(body["flags"]) & ~(1 << 6) & ~(1 << 7))
        if "content" in body:
            guild = self.guilds.get(int(message.get("guild_id") or 0))
            message["mentions"], message["mention_roles"] = self.mentions_in(
                message["content"], guild
            )
        message["edited_timestamp"] = iso_now()
        return message
