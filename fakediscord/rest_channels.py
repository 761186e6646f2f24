"""REST: channels and their messages (create with replies and files, edit, delete)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from . import validation as v
from .models import ChannelType, FakeChannel, Perm
from .rest_base import RECORD, RestBase, discord_error, json_response, no_content

NOT_MESSAGEABLE = frozenset({ChannelType.CATEGORY, ChannelType.FORUM, ChannelType.MEDIA})


class ChannelRoutes(RestBase):
    # --- channels and their messages -------------------------------------------------------

    def _channel(self, request: web.Request) -> FakeChannel | web.Response:
        raw = request.match_info["channel_id"]
        channel = self.world.channels.get(int(raw)) if raw.isdigit() else None
        if channel is None:
            return self.refuse(
                request, 404, "Unknown Channel", 10003, f"channel {raw} does not exist"
            )
        return channel

    def _lacks(self, request: web.Request, channel: FakeChannel, needed: int) -> bool:
        perms = self.world.bot_permissions_in(channel)
        if perms is None or perms & needed == needed:
            return False
        self.fake.denied.append(request[RECORD])
        return True

    async def get_channel(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        if isinstance(channel, web.Response):
            return channel
        if self._lacks(request, channel, Perm.VIEW_CHANNEL):
            return discord_error(403, "Missing Access", 50001)
        return json_response(channel.payload())

    async def typing(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        return channel if isinstance(channel, web.Response) else no_content()

    async def create_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        if isinstance(channel, web.Response):
            return channel
        if channel.type in NOT_MESSAGEABLE:
            return self.refuse(
                request,
                400,
                "Cannot send messages in a non-text channel",
                50008,
                f"posts a message into a {channel.type.name} channel",
            )
        send = Perm.SEND_MESSAGES_IN_THREADS if channel.is_thread else Perm.SEND_MESSAGES
        if self._lacks(request, channel, Perm.VIEW_CHANNEL | send):
            return discord_error(403, "Missing Permissions", 50013)
        body = self._body(request)
        problems = v.check_message(body)
        if problems:
            return self.reject(request, problems)
        extra: dict[str, Any] = {}
        msg_type = 0
        ref = body.get("message_reference")
        if ref:
            target = self.world.messages.get(int(ref.get("message_id") or 0))
            if target is None or target["channel_id"] != str(channel.id):
                if ref.get("fail_if_not_exists", True):
                    return self.reject(
                        request,
                        [
                            v.Problem(
                                ("message_reference",),
                                "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                                "Unknown message",
                            )
                        ],
                    )
            else:
                msg_type = 19
                referenced = {k: val for k, val in target.items() if k != "referenced_message"}
                extra = {
                    "message_reference": {
                        "type": 0,
                        "message_id": target["id"],
                        "channel_id": target["channel_id"],
                        "guild_id": target.get("guild_id"),
                    },
                    "referenced_message": referenced,
                }
        body = {**body, "attachments": self._attachments(request, body, [])}
        message = self.world.new_message(
            channel=channel, author=self.world.bot_user, body=body, msg_type=msg_type, extra=extra
        )
        self.fake.sent_messages.append(message)
        await self.fake.echo_own_message("MESSAGE_CREATE", message)
        return json_response(message)

    def _channel_message(
        self, request: web.Request, channel: FakeChannel
    ) -> dict[str, Any] | web.Response:
        raw = request.match_info["message_id"]
        message = self.world.messages.get(int(raw)) if raw.isdigit() else None
        if message is None or message["channel_id"] != str(channel.id):
            return self.refuse(
                request,
                404,
                "Unknown Message",
                10008,
                f"message {raw} is not in channel {channel.id}",
            )
        return message

    async def get_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        if isinstance(channel, web.Response):
            return channel
        if self._lacks(request, channel, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY):
            return discord_error(403, "Missing Access", 50001)
        message = self._channel_message(request, channel)
        return message if isinstance(message, web.Response) else json_response(message)

    async def edit_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        if isinstance(channel, web.Response):
            return channel
        message = self._channel_message(request, channel)
        if isinstance(message, web.Response):
            return message
        if message["author"]["id"] != str(self.world.bot_user.id):
            return self.refuse(
                request,
                403,
                "Cannot edit a message authored by another user",
                50005,
                f"edits message {message['id']} it did not write",
            )
        body = self._body(request)
        if "attachments" in body or request[RECORD].files:
            body = {**body, "attachments": self._attachments(request, body, message["attachments"])}
        merged = {**message, **{k: val for k, val in body.items() if val is not None}}
        problems = v.check_message(merged)
        if problems:
            return self.reject(request, problems)
        self.world.edit_message(message, body)
        record = {"message_id": int(message["id"]), "body": self._body(request)}
        self.fake.edits.append(record)
        await self.fake.echo_own_message("MESSAGE_UPDATE", message)
        return json_response(message)

    async def delete_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        if isinstance(channel, web.Response):
            return channel
        message = self._channel_message(request, channel)
        if isinstance(message, web.Response):
            return message
        own = message["author"]["id"] == str(self.world.bot_user.id)
        if not own and self._lacks(request, channel, Perm.MANAGE_MESSAGES):
            return discord_error(403, "Missing Permissions", 50013)
        del self.world.messages[int(message["id"])]
        self.fake.deleted_messages.append(message)
        await self.fake.echo_own_message(
            "MESSAGE_DELETE",
            {
                "id": message["id"],
                "channel_id": message["channel_id"],
                **({"guild_id": message["guild_id"]} if "guild_id" in message else {}),
            },
        )
        return no_content()

    async def reaction(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        if isinstance(channel, web.Response):
            return channel
        message = self._channel_message(request, channel)
        return message if isinstance(message, web.Response) else no_content()
