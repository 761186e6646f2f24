"""What users do: run slash commands, autocomplete, click components, use context menus and
post messages. Mixed into ``FakeDiscord``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from .gateway import Gateway
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    Interaction,
    build_options,
    find_component,
    find_option_defs,
    interaction_payload,
    wrap_subcommands,
)
from .models import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    ChannelType,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeUser,
    Perm,
)
from .world import World

if TYPE_CHECKING:
    from .server import FakeDiscord


class CommandUnavailable(LookupError):
    """Discord would not let this user run this command here (not synced, hidden, ...)."""


class UserActions:
    """Acting as Discord users. Needs the state ``FakeDiscord`` provides."""

    world: World
    gateway: Gateway
    commands: dict[int | None, list[dict[str, Any]]]
    interactions: dict[int, Interaction]
    by_token: dict[str, Interaction]

    def _place(
        self, user: FakeUser | FakeMember, channel: FakeChannel | None, guild: FakeGuild | None
    ) -> FakeChannel:
        if channel is not None:
            return channel
        if guild is None and isinstance(user, FakeMember):
            guild = self.world.guilds[user.guild_id]
        if guild is not None:
            texts = guild.text_channels()
            if not texts:
                raise LookupError(f"guild {guild.name!r} has no text channel")
            return texts[0]
        plain = user.user if isinstance(user, FakeMember) else user
        return self.world.dm_channel(plain)

    def command_definition(
        self, name: str, ctype: int, guild: FakeGuild | None
    ) -> dict[str, Any] | None:
        """The synced definition Discord would use: guild-scoped first, then global."""
        scopes: list[int | None] = ([guild.id] if guild else []) + [None]
        for scope in scopes:
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == ctype:
                    return cmd
        return None

    def _check_usable(
        self, definition: dict[str, Any] | None, name: str, channel: FakeChannel, perms: int | None
    ) -> None:
        if definition is None:
            if self.commands:
                raise CommandUnavailable(
                    f"{name!r} is not among the synced commands, so Discord would not offer it"
                )
            return
        contexts = definition.get("contexts")
        where = 1 if channel.guild_id is None else 0
        if contexts is not None and where not in contexts:
            raise CommandUnavailable(f"{name!r} is not available in this context ({where})")
        needed = definition.get("default_member_permissions")
        admin = perms is not None and bool(perms & Perm.ADMINISTRATOR)
        if (
            needed is not None
            and perms is not None
            and where == 0
            and not admin
            and (int(needed) == 0 or (perms & int(needed)) != int(needed))
        ):
            raise CommandUnavailable(f"{name!r} needs permissions {needed}; the member has {perms}")

    async def _dispatch_interaction(
        self, payload: dict[str, Any], component_message_id: int | None = None
    ) -> Interaction:
        inter = Interaction(cast("FakeDiscord", self), payload)
        inter.component_message_id = component_message_id
        self.interactions[inter.id] = inter
        self.by_token[inter.token] = inter
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return inter

    def _member_perms(
        self, user: FakeUser | FakeMember, channel: FakeChannel, permissions: int | None
    ) -> int | None:
        if permissions is not None or channel.guild_id is None:
            return permissions
        guild = self.world.guilds[channel.guild_id]
        member = user if isinstance(user, FakeMember) else guild.members.get(user.id)
        return None if member is None else self.world.permissions(member, channel)

    async def _command_interaction(
        self,
        itype: int,
        name: str,
        options: Mapping[str, Any] | None,
        *,
        user: FakeUser | FakeMember,
        channel: FakeChannel | None,
        guild: FakeGuild | None,
        permissions: int | None,
        group: str | None,
        subcommand: str | None,
        focused: str | None,
        locale: str,
        enforce: bool,
        created_ago: float = 0.0,
    ) -> Interaction:
        parts = name.split()
        name, path = parts[0], parts[1:] + [p for p in (group, subcommand) if p]
        place = self._place(user, channel, guild)
        guild = self.world.guild_of(place)
        definition = self.command_definition(name, 1, guild)
        perms = self._member_perms(user, place, permissions)
        if enforce:
            self._check_usable(definition, name, place, perms)
        resolved: dict[str, dict[str, Any]] = {}
        opts = build_options(
            self.world,
            find_option_defs(definition, path),
            options or {},
            focused=focused,
            resolved=resolved,
            guild_id=None if guild is None else guild.id,
        )
        data: dict[str, Any] = {
            "id": definition["id"] if definition else str(self.world.ids.next()),
            "name": name,
            "type": 1,
            "options": wrap_subcommands(path, opts),
        }
        if resolved:
            data["resolved"] = resolved
        if definition is not None and definition.get("guild_id"):
            data["guild_id"] = definition["guild_id"]
        payload = interaction_payload(
            self.world,
            itype=itype,
            data=data,
            user=user,
            channel=place,
            permissions=permissions,
            locale=locale,
            created_ago=created_ago,
        )
        return await self._dispatch_interaction(payload)

    async def invoke_slash(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: FakeUser | FakeMember,
        channel: FakeChannel | None = None,
        guild: FakeGuild | None = None,
        permissions: int | None = None,
        group: str | None = None,
        subcommand: str | None = None,
        locale: str = "en-US",
        enforce_discord_rules: bool = True,
        created_ago: float = 0.0,
    ) -> Interaction:
        """Run ``/name`` as ``user``. ``name`` may be ``"group sub"``; options are python
        values (str/int/float/bool, or FakeUser/FakeMember/FakeChannel/FakeRole).
        ``created_ago`` delivers it late: its id (and so Discord's 3 s) dates from that many
        seconds ago.

        Without ``channel``: the first text channel of ``guild`` (or of the member's guild);
        a plain FakeUser without guild or channel runs it in a DM.
        ``permissions`` overrides the member's computed permission bits.
        Raises ``CommandUnavailable`` when Discord would not show the command to this user
        (``enforce_discord_rules=False`` dispatches anyway, to test the bot's own checks).
        """
        return await self._command_interaction(
            APPLICATION_COMMAND,
            name,
            options,
            user=user,
            channel=channel,
            guild=guild,
            permissions=permissions,
            group=group,
            subcommand=subcommand,
            focused=None,
            locale=locale,
            enforce=enforce_discord_rules,
            created_ago=created_ago,
        )

    async def autocomplete(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        focused: str,
        user: FakeUser | FakeMember,
        channel: FakeChannel | None = None,
        guild: FakeGuild | None = None,
        group: str | None = None,
        subcommand: str | None = None,
        timeout: float = 5.0,
    ) -> list[dict[str, Any]]:
        """Type into option ``focused`` and return the choices the bot answered."""
        options = dict(options or {})
        options.setdefault(focused, "")
        inter = await self._command_interaction(
            AUTOCOMPLETE,
            name,
            options,
            user=user,
            channel=channel,
            guild=guild,
            permissions=None,
            group=group,
            subcommand=subcommand,
            focused=focused,
            locale="en-US",
            enforce=True,
        )
        body = await inter.response(timeout)
        return list((body.get("data") or {}).get("choices") or [])

    async def click(
        self,
        message: Mapping[str, Any] | int,
        custom_id: str,
        *,
        user: FakeUser | FakeMember,
        values: list[str] | None = None,
        permissions: int | None = None,
    ) -> Interaction:
        """Press a button / pick select ``values`` on a message the bot sent."""
        mid = message if isinstance(message, int) else int(message["id"])
        current = self.world.messages.get(mid)
        if current is None:
            raise LookupError(f"message {mid} does not exist (deleted?)")
        comp = find_component(current, custom_id)
        if comp is None:
            raise LookupError(f"message {mid} has no component with custom_id {custom_id!r}")
        if comp.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled; Discord would not send it")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": comp["type"]}
        if comp["type"] != 2:
            picked = list(values or [])
            allowed = {o["value"] for o in comp.get("options") or []}
            if comp["type"] == 3 and not set(picked) <= allowed:
                raise ValueError(f"values {picked} are not options of {custom_id!r}")
            if not comp.get("min_values", 1) <= len(picked) <= comp.get("max_values", 1):
                raise ValueError(f"{len(picked)} values picked for {custom_id!r}")
            data["values"] = picked
        channel = self.world.channels[int(current["channel_id"])]
        payload = interaction_payload(
            self.world,
            itype=MESSAGE_COMPONENT,
            data=data,
            user=user,
            channel=channel,
            permissions=permissions,
            message=current,
        )
        return await self._dispatch_interaction(payload, component_message_id=mid)

    async def submit_modal(
        self,
        opened_by: Interaction,
        values: Mapping[str, str] | None = None,
        *,
        user: FakeUser | FakeMember | None = None,
        enforce_discord_rules: bool = True,
    ) -> Interaction:
        """Fill in and submit the modal the bot opened in answer to ``opened_by``.

        ``values`` maps a text input's custom_id to what the user typed; inputs not named keep
        their pre-filled value. Discord's client enforces required fields and lengths, and
        only the user who saw the modal can submit it: ``enforce_discord_rules=False`` (with
        another ``user``) sends what a forged request could.
        """
        modal = next((c.get("data") or {} for c in opened_by.callbacks if c.get("type") == 9), None)
        if modal is None:
            raise LookupError(f"the bot answered {opened_by!r} without opening a modal")
        opener = self._interaction_user(opened_by)
        user = user or opener
        if enforce_discord_rules and user.id != opener.id:
            raise CommandUnavailable("only the user the modal was shown to can submit it")
        typed = dict(values or {})
        components: list[dict[str, Any]] = []
        for top in modal.get("components") or []:
            if top.get("type") == 1:
                inner = [self._filled(c, typed, enforce_discord_rules) for c in top["components"]]
                components.append({"type": 1, "components": inner})
            elif top.get("type") == 18:
                child = self._filled(top["component"], typed, enforce_discord_rules)
                components.append({"type": 18, "id": top.get("id"), "component": child})
            else:
                components.append({"type": top.get("type"), "id": top.get("id")})
        if typed:
            raise LookupError(f"the modal has no text input(s) {sorted(typed)}")
        data = {"custom_id": modal["custom_id"], "components": components}
        channel = self.world.channels[int(opened_by.payload["channel_id"])]
        message_id = opened_by.component_message_id
        message = self.world.messages.get(message_id) if message_id is not None else None
        payload = interaction_payload(
            self.world,
            itype=MODAL_SUBMIT,
            data=data,
            user=user,
            channel=channel,
            message=message,
        )
        return await self._dispatch_interaction(payload, component_message_id=message_id)

    def _interaction_user(self, inter: Interaction) -> FakeUser | FakeMember:
        raw = inter.payload.get("member", {}).get("user") or inter.payload["user"]
        user = self.world.users[int(raw["id"])]
        guild_id = inter.payload.get("guild_id")
        if guild_id is None:
            return user
        return self.world.guilds[int(guild_id)].members[user.id]

    @staticmethod
    def _filled(
        component: Mapping[str, Any], typed: dict[str, str], enforce: bool
    ) -> dict[str, Any]:
        """A text input as a submission carries it: its custom_id and the value."""
        custom_id = component["custom_id"]
        value = typed.pop(custom_id, component.get("value") or "")
        if enforce:
            low = component.get("min_length") or 0
            high = component.get("max_length") or 4000
            if component.get("required", True) and not value:
                raise ValueError(f"text input {custom_id!r} is required")
            if value and not low <= len(value) <= high:
                raise ValueError(f"text input {custom_id!r} takes {low} to {high} characters")
        return {"type": 4, "id": component.get("id"), "custom_id": custom_id, "value": value}

    async def context_menu(
        self,
        name: str,
        target_message: Mapping[str, Any] | None = None,
        *,
        user: FakeUser | FakeMember,
        target_user: FakeUser | FakeMember | None = None,
        channel: FakeChannel | None = None,
        enforce_discord_rules: bool = True,
    ) -> Interaction:
        """Run a message (``target_message``) or user (``target_user``) context menu."""
        if (target_message is None) == (target_user is None):
            raise ValueError("give exactly one of target_message or target_user")
        if target_message is not None:
            ctype = 3
            current = self.world.messages.get(int(target_message["id"]), dict(target_message))
            place = channel or self.world.channels[int(current["channel_id"])]
            target_id = current["id"]
            resolved: dict[str, Any] = {"messages": {target_id: current}}
        else:
            ctype = 2
            assert target_user is not None
            plain = target_user.user if isinstance(target_user, FakeMember) else target_user
            place = self._place(user, channel, None)
            target_id = str(plain.id)
            resolved = {"users": {target_id: plain.payload()}}
            guild = self.world.guild_of(place)
            if guild is not None and plain.id in guild.members:
                resolved["members"] = {target_id: guild.members[plain.id].payload(with_user=False)}
        guild = self.world.guild_of(place)
        definition = self.command_definition(name, ctype, guild)
        if enforce_discord_rules:
            self._check_usable(definition, name, place, self._member_perms(user, place, None))
        data: dict[str, Any] = {
            "id": definition["id"] if definition else str(self.world.ids.next()),
            "name": name,
            "type": ctype,
            "target_id": target_id,
            "resolved": resolved,
        }
        if definition is not None and definition.get("guild_id"):
            data["guild_id"] = definition["guild_id"]
        payload = interaction_payload(
            self.world, itype=APPLICATION_COMMAND, data=data, user=user, channel=place
        )
        return await self._dispatch_interaction(payload)

    async def post_message(
        self,
        content: str,
        *,
        author: FakeUser | FakeMember,
        channel: FakeChannel | None = None,
        guild: FakeGuild | None = None,
        mention_bot: bool = False,
        reply_to: Mapping[str, Any] | None = None,
        ping_replied: bool = True,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        """A user posts a message; the bot gets MESSAGE_CREATE if its intents and channel
        permissions allow. Without the message content intent, content (and embeds,
        attachments, components) arrive empty unless the bot is mentioned or it is a DM.
        ``reply_to`` makes it a reply; like Discord's client, a reply pings (and so mentions)
        the replied message's author unless ``ping_replied=False``.
        ``message_id`` fixes the new message's id (a forum post's first message has its
        thread's id). Returns the full stored message."""
        plain = author.user if isinstance(author, FakeMember) else author
        place = self._place(author, channel, guild)
        if mention_bot and self.world.bot_user.mention not in content:
            content = f"{self.world.bot_user.mention} {content}"
        body: dict[str, Any] = {"content": content}
        extra: dict[str, Any] = {}
        msg_type = 0
        if reply_to is not None:
            msg_type = 19
            extra = {
                "message_reference": {
                    "type": 0,
                    "message_id": reply_to["id"],
                    "channel_id": reply_to["channel_id"],
                    "guild_id": reply_to.get("guild_id"),
                },
                "referenced_message": dict(reply_to),
            }
        message = self.world.new_message(
            channel=place, author=plain, body=body, msg_type=msg_type, extra=extra
        )
        message.pop("allowed_mentions", None)
        if reply_to is not None and ping_replied:
            self._mention_replied_author(message, reply_to, place)
        if message_id is not None:
            del self.world.messages[int(message["id"])]
            message["id"] = str(message_id)
            self.world.messages[message_id] = message
        is_dm = place.guild_id is None
        if not is_dm and not (self.world.bot_permissions_in(place) or 0) & Perm.VIEW_CHANNEL:
            return message
        intent = INTENT_DIRECT_MESSAGES if is_dm else INTENT_GUILD_MESSAGES
        mentioned = any(m["id"] == str(self.world.bot_user.id) for m in message["mentions"])
        for session in self.gateway.recipients(place.guild_id, intent):
            event = dict(message)
            if not (
                session.has(INTENT_MESSAGE_CONTENT)
                or is_dm
                or mentioned
                or plain.id == self.world.bot_user.id
            ):
                event.update({"content": "", "embeds": [], "attachments": [], "components": []})
            await self.gateway.dispatch("MESSAGE_CREATE", event, session)
        return message

    def _mention_replied_author(
        self, message: dict[str, Any], reply_to: Mapping[str, Any], place: FakeChannel
    ) -> None:
        """A pinging reply lists the replied author in ``mentions`` (not in the content)."""
        author = self.world.users.get(int(reply_to["author"]["id"]))
        if author is None or any(m["id"] == str(author.id) for m in message["mentions"]):
            return
        data = author.payload()
        guild = self.world.guild_of(place)
        if guild is not None and author.id in guild.members:
            data["member"] = guild.members[author.id].payload(with_user=False)
        message["mentions"].append(data)

    async def post_forum_thread(
        self, forum: FakeChannel, title: str, content: str, *, author: FakeMember
    ) -> tuple[FakeChannel, dict[str, Any]]:
        """A member creates a post in a forum channel, as Discord delivers it: THREAD_CREATE
        for the new thread (owned by the author), then MESSAGE_CREATE in the thread for the
        post's first message, whose id is the thread's id. Returns (thread, message)."""
        if forum.type not in (ChannelType.FORUM, ChannelType.MEDIA):
            raise ValueError(f"channel {forum.name!r} is not a forum")
        guild = self.world.guilds[forum.guild_id or 0]
        fake = cast("FakeDiscord", self)
        thread = await fake.add_channel(
            guild, title, type=ChannelType.PUBLIC_THREAD, parent=forum, owner=author.user
        )
        message = await self.post_message(
            content, author=author, channel=thread, message_id=thread.id
        )
        return thread, message
