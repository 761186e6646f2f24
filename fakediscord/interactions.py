"""Interactions: the INTERACTION_CREATE payloads the fake dispatches, and the record of
what the bot answered to each."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .models import (
    FLAG_LOADING,
    ChannelType,
    FakeAttachment,
    FakeChannel,
    FakeMember,
    FakeRole,
    FakeUser,
    snowflake_time,
)
from .records import ChangeSignal
from .validation import iter_components

if TYPE_CHECKING:
    from .server import FakeDiscord
    from .world import World

# Interaction types
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5

# Option types
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN = 1, 2, 3, 4, 5
USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 6, 7, 8, 9, 10, 11


class Interaction:
    """One interaction the fake dispatched, and everything the bot did about it."""

    def __init__(self, fake: FakeDiscord, payload: dict[str, Any]) -> None:
        self._fake = fake
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.dispatched_at = time.monotonic()
        self.answered_at: float | None = None
        self.callbacks: list[dict[str, Any]] = []  # every accepted callback body
        self.followups: list[dict[str, Any]] = []  # follow-up messages (current state)
        self.edits: list[dict[str, Any]] = []  # {"message_id", "body"} per edit
        self.deleted: list[int] = []
        self.original_id: int | None = None  # the response message, once there is one
        self.component_message_id: int | None = None  # for component interactions
        # Bumped when the bot answers, follows up, edits or deletes through this interaction:
        # its waiters are not woken by every other request in a burst, and rarely poll.
        self.changes = ChangeSignal(poll=0.25, poll_max=1.0)

    def __repr__(self) -> str:
        name = (self.payload.get("data") or {}).get("name") or (self.payload.get("data") or {}).get(
            "custom_id"
        )
        return (
            f"<Interaction id={self.id} type={self.type} {name!r} callbacks={len(self.callbacks)}>"
        )

    @property
    def acknowledged(self) -> bool:
        return bool(self.callbacks)

    @property
    def created_at(self) -> float:
        """Unix seconds when Discord created it (its id's time): the 3 s run from here."""
        return snowflake_time(self.id)

    @property
    def latency(self) -> float | None:
        """Seconds from dispatch to the first accepted callback."""
        return None if self.answered_at is None else self.answered_at - self.dispatched_at

    @property
    def original(self) -> dict[str, Any] | None:
        """The response message as it is now (after edits), if any."""
        if self.original_id is None:
            return None
        return self._fake.world.messages.get(self.original_id)

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The original response (if a message) followed by the follow-ups."""
        out = [] if self.original is None else [self.original]
        return out + [m for m in self.followups if m is not self.original]

    async def response(self, timeout: float = 5.0) -> dict[str, Any]:
        """The first callback body ``{"type": .., "data": ..}`` the bot sent."""
        return (
            await self._fake.wait_for(
                lambda: self.callbacks[:1],
                timeout,
                what=f"a response to {self!r}",
                signal=self.changes,
            )
        )[0]

    async def wait_for_message(
        self,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        *,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        """The first visible message of this interaction matching ``predicate``.

        Without a predicate: the first message that is not a "thinking..." placeholder.
        """

        def check(m: dict[str, Any]) -> bool:
            if predicate is not None:
                return predicate(m)
            return not int(m.get("flags") or 0) & FLAG_LOADING

        def find() -> list[dict[str, Any]]:
            return [m for m in self.messages if check(m)][:1]

        found = await self._fake.wait_for(
            find, timeout, what=f"a message for {self!r}", signal=self.changes
        )
        return found[0]


def new_token() -> str:
    return "itok_" + secrets.token_urlsafe(24)


def _infer_type(value: Any) -> int:
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return NUMBER
    if isinstance(value, FakeUser | FakeMember):
        return USER
    if isinstance(value, FakeChannel):
        return CHANNEL
    if isinstance(value, FakeRole):
        return ROLE
    if isinstance(value, FakeAttachment):
        return ATTACHMENT
    return STRING


def find_option_defs(
    definition: Mapping[str, Any] | None, path: list[str]
) -> list[dict[str, Any]] | None:
    """Option definitions of the (sub)command at ``path`` below ``definition``."""
    if definition is None:
        return None
    options = definition.get("options") or []
    for name in path:
        match = next(
            (o for o in options if o.get("name") == name and o.get("type") in (1, 2)), None
        )
        if match is None:
            raise LookupError(f"/{definition['name']} has no subcommand or group {name!r}")
        options = match.get("options") or []
    return options


def build_options(
    world: World,
    defs: list[dict[str, Any]] | None,
    values: Mapping[str, Any],
    *,
    focused: str | None,
    resolved: dict[str, dict[str, Any]],
    guild_id: int | None,
) -> list[dict[str, Any]]:
    """Discord's ``options`` array for the given python values (and fill ``resolved``)."""
    by_name = {d["name"]: d for d in defs or []}
    if defs is not None:
        unknown = set(values) - set(by_name)
        if unknown:
            raise LookupError(f"unknown option(s) {sorted(unknown)}; known: {sorted(by_name)}")
        missing = [
            d["name"]
            for d in defs
            if d.get("required") and d["name"] not in values and d.get("type") not in (1, 2)
        ]
        if missing and focused is None:
            raise ValueError(f"required option(s) missing: {missing}")
    out: list[dict[str, Any]] = []
    for name, value in values.items():
        otype = by_name[name]["type"] if name in by_name else _infer_type(value)
        if (otype == ATTACHMENT) != isinstance(value, FakeAttachment) and name != focused:
            raise ValueError(
                f"option {name!r}: an attachment option takes a file from fake.attach(), "
                "and only it does"
            )
        option: dict[str, Any] = {"name": name, "type": otype}
        if isinstance(value, FakeMember):
            value = value.user
        if isinstance(value, FakeUser):
            resolved.setdefault("users", {})[str(value.id)] = value.payload()
            guild = world.guilds.get(guild_id or 0)
            if guild is not None and value.id in guild.members:
                resolved.setdefault("members", {})[str(value.id)] = {
                    **guild.members[value.id].payload(with_user=False),
                    "permissions": str(world.permissions(guild.members[value.id], None)),
                }
            option["value"] = str(value.id)
        elif isinstance(value, FakeChannel):
            data = value.payload()
            data["permissions"] = str(world.bot_permissions_in(value) or 0)
            resolved.setdefault("channels", {})[str(value.id)] = data
            option["value"] = str(value.id)
        elif isinstance(value, FakeRole):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            option["value"] = str(value.id)
        elif isinstance(value, FakeAttachment):
            resolved.setdefault("attachments", {})[str(value.id)] = value.payload()
            option["value"] = str(value.id)
        else:
            option["value"] = value
        if name == focused:
            option["focused"] = True
            option["value"] = "" if value is None else str(value) if otype != STRING else value
        out.append(option)
    return out


def wrap_subcommands(path: list[str], options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nest ``options`` inside subcommand (and group) options, innermost last in ``path``."""
    for depth, name in reversed(list(enumerate(path))):
        kind = SUB_COMMAND if depth == len(path) - 1 else SUB_COMMAND_GROUP
        options = [{"name": name, "type": kind, "options": options}]
    return options


def find_component(message: Mapping[str, Any], custom_id: str) -> dict[str, Any] | None:
    for _, comp in iter_components(message.get("components") or [], ("components",)):
        if comp.get("custom_id") == custom_id:
            return comp
    return None


def interaction_payload(
    world: World,
    *,
    itype: int,
    data: dict[str, Any] | None,
    user: FakeUser | FakeMember,
    channel: FakeChannel,
    permissions: int | None = None,
    message: dict[str, Any] | None = None,
    locale: str = "en-US",
    created_ago: float = 0.0,
) -> dict[str, Any]:
    """A complete INTERACTION_CREATE body; ``created_ago`` > 0 dates its id that many seconds
    back (Discord made it earlier and the gateway delivers it late)."""
    guild = world.guild_of(channel)
    made = world.ids.made_ago(created_ago) if created_ago > 0 else world.ids.next()
    payload: dict[str, Any] = {
        "id": str(made),
        "application_id": str(world.application_id),
        "type": itype,
        "token": new_token(),
        "version": 1,
        "locale": locale,
        "attachment_size_limit": 10 * 1024 * 1024,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "channel": channel.payload(),
        "channel_id": str(channel.id),
    }
    if data is not None:
        payload["data"] = data
    if message is not None:
        payload["message"] = message
    if guild is not None:
        member = user if isinstance(user, FakeMember) else guild.members.get(user.id)
        if member is None:
            raise LookupError(f"{user.name!r} is not a member of guild {guild.name!r}")
        perms = world.permissions(member, channel) if permissions is None else permissions
        payload.update(
            {
                "guild_id": str(guild.id),
                "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
                "guild_locale": guild.locale,
                "member": {**member.payload(), "permissions": str(int(perms))},
                "app_permissions": str(world.bot_permissions_in(channel) or 0),
                "context": 0,
                "authorizing_integration_owners": {"0": str(guild.id)},
            }
        )
        payload["channel"]["permissions"] = str(int(perms))
    else:
        plain = user.user if isinstance(user, FakeMember) else user
        if channel.type != ChannelType.DM:
            raise ValueError("a channel without a guild must be a DM")
        payload.update(
            {
                "user": plain.payload(),
                "context": 1,
                "authorizing_integration_owners": {"0": "0"},
                "app_permissions": str(0),
            }
        )
    return payload
