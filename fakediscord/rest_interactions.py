"""REST: interaction callbacks, and follow-ups/edits through the interaction webhook."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from . import validation as v
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    PING,
    Interaction,
)
from .models import FLAG_EPHEMERAL, FLAG_LOADING, FakeChannel
from .rest_base import RECORD, RestBase, json_response, no_content

# Which callback types each interaction type accepts.
ALLOWED_CALLBACKS: dict[int, frozenset[int]] = {
    PING: frozenset({1}),
    APPLICATION_COMMAND: frozenset({4, 5, 9}),
    MESSAGE_COMPONENT: frozenset({4, 5, 6, 7, 9}),
    AUTOCOMPLETE: frozenset({8}),
    MODAL_SUBMIT: frozenset({4, 5, 6, 7}),
}


class InteractionRoutes(RestBase):
    # --- interaction callbacks -------------------------------------------------------------

    async def callback(self, request: web.Request) -> web.Response:
        inter = self.fake.interactions.get(int(request.match_info["interaction_id"]))
        if inter is None or inter.token != request.match_info["token"]:
            return self.refuse(
                request,
                404,
                "Unknown interaction",
                10062,
                "callback for an interaction the fake never dispatched",
            )
        # Discord counts the 3 s from the interaction's creation (its id's time), not from when
        # the bot received it: gateway lag eats into the bot's time.
        elapsed = time.time() - inter.created_at
        if not inter.acknowledged and elapsed > self.fake.interaction_deadline:
            return self.refuse(
                request,
                404,
                "Unknown interaction",
                10062,
                f"first response came {elapsed:.2f}s after the interaction was created "
                f"(Discord allows {self.fake.interaction_deadline:g}s)",
            )
        if inter.acknowledged:
            return self.refuse(
                request,
                400,
                "Interaction has already been acknowledged.",
                40060,
                f"interaction {inter.id} answered twice",
            )
        body = self._body(request)
        ctype = body.get("type")
        if ctype not in ALLOWED_CALLBACKS.get(inter.type, frozenset()):
            return self.reject(
                request,
                [
                    v.Problem(
                        ("type",),
                        "INTERACTION_CALLBACK_TYPE_INVALID",
                        f"callback type {ctype!r} is not valid for interaction type {inter.type}",
                    )
                ],
            )
        data = body.get("data") or {}
        problems: list[v.Problem] = []
        if ctype in (4, 7):
            problems = v.check_message(data, require_content=ctype == 4)
        elif ctype == 8:
            problems = v.check_autocomplete(data, ())
        elif ctype == 9:
            problems = v.check_modal(data, ())
        if problems:
            return self.reject(request, problems, ("data",))

        inter.callbacks.append(body)
        inter.answered_at = time.monotonic()
        self.fake.callbacks.append(body)
        message = self._apply_callback(request, inter, ctype, data)
        inter.changes.bump()
        if request.query.get("with_response") not in ("1", "true", "True"):
            return no_content()
        flags = int((message or {}).get("flags") or 0)
        result: dict[str, Any] = {
            "interaction": {
                "id": str(inter.id),
                "type": inter.type,
                "activity_instance_id": None,
                "response_message_id": None
                if inter.original_id is None
                else str(inter.original_id),
                "response_message_loading": bool(flags & FLAG_LOADING),
                "response_message_ephemeral": bool(flags & FLAG_EPHEMERAL),
            }
        }
        if message is not None and ctype in (4, 5, 7):
            result["resource"] = {"type": ctype, "message": message}
        return json_response(result)

    def _apply_callback(
        self, request: web.Request, inter: Interaction, ctype: int, data: dict[str, Any]
    ) -> dict[str, Any] | None:
        channel = self.world.channels[int(inter.payload["channel_id"])]
        if ctype in (4, 5):
            body = dict(data)
            body["attachments"] = self._attachments(request, data, [])
            if ctype == 5:
                body = {
                    "content": "",
                    "flags": FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL),
                }
            message = self._interaction_message(inter, channel, body)
            inter.original_id = int(message["id"])
            return message
        if ctype in (6, 7) and inter.component_message_id is not None:
            inter.original_id = inter.component_message_id
            message = self.world.messages[inter.component_message_id]
            if ctype == 7:
                update = dict(data)
                if "attachments" in data or request[RECORD].files:
                    update["attachments"] = self._attachments(request, data, message["attachments"])
                self.world.edit_message(message, update)
                record = {"message_id": int(message["id"]), "body": data}
                inter.edits.append(record)
                self.fake.edits.append(record)
            return message
        return None

    def _interaction_message(
        self, inter: Interaction, channel: FakeChannel, body: dict[str, Any]
    ) -> dict[str, Any]:
        data = inter.payload.get("data") or {}
        msg_type = 0
        if inter.type == APPLICATION_COMMAND:
            msg_type = 20 if data.get("type", 1) == 1 else 23
        user = inter.payload.get("user") or inter.payload["member"]["user"]
        extra = {
            "webhook_id": str(self.world.application_id),
            "application_id": str(self.world.application_id),
            "interaction_metadata": {
                "id": str(inter.id),
                "type": inter.type,
                "user": user,
                "authorizing_integration_owners": inter.payload.get(
                    "authorizing_integration_owners", {}
                ),
            },
        }
        return self.world.new_message(
            channel=channel, author=self.world.bot_user, body=body, msg_type=msg_type, extra=extra
        )

    # --- follow-ups and edits through the interaction webhook ------------------------------

    def _webhook_interaction(self, request: web.Request) -> Interaction | web.Response:
        if request.match_info["app_id"] != str(self.world.application_id):
            return self.refuse(
                request,
                404,
                "Unknown Webhook",
                10015,
                "webhook call with an id that is not the application id",
            )
        inter = self.fake.by_token.get(request.match_info["token"])
        if inter is None:
            return self.refuse(
                request,
                404,
                "Unknown Webhook",
                10015,
                "webhook call with an unknown interaction token",
            )
        if not inter.acknowledged:
            return self.refuse(
                request,
                404,
                "Unknown Webhook",
                10015,
                "webhook call before the interaction was acknowledged",
            )
        return inter

    async def followup(self, request: web.Request) -> web.Response:
        inter = self._webhook_interaction(request)
        if isinstance(inter, web.Response):
            return inter
        body = self._body(request)
        problems = v.check_message(body)
        if problems:
            return self.reject(request, problems)
        body = {**body, "attachments": self._attachments(request, body, [])}
        original = inter.original
        if original is not None and int(original.get("flags") or 0) & FLAG_LOADING:
            # The first follow-up after a "thinking..." defer replaces the placeholder, and
            # keeps the defer's ephemerality.
            self.world.edit_message(original, body)
            original["flags"] = int(original["flags"]) & ~FLAG_LOADING
            original["edited_timestamp"] = None
            message = original
        else:
            channel = self.world.channels[int(inter.payload["channel_id"])]
            message = self._interaction_message(inter, channel, body)
        inter.followups.append(message)
        self.fake.followups.append(message)
        inter.changes.bump()
        if request.query.get("wait") in ("1", "true", "True"):
            return json_response(message)
        return no_content()

    def _webhook_message(
        self, request: web.Request, inter: Interaction
    ) -> dict[str, Any] | web.Response:
        raw = request.match_info["message_id"]
        if raw == "@original":
            message = inter.original
        else:
            ids = {inter.original_id} | {int(m["id"]) for m in inter.followups}
            message = (
                self.world.messages.get(int(raw)) if raw.isdigit() and int(raw) in ids else None
            )
        if message is None or int(message["id"]) in inter.deleted:
            return self.refuse(
                request,
                404,
                "Unknown Message",
                10008,
                f"no message {raw} for interaction {inter.id}",
            )
        return message

    async def get_webhook_message(self, request: web.Request) -> web.Response:
        inter = self._webhook_interaction(request)
        if isinstance(inter, web.Response):
            return inter
        message = self._webhook_message(request, inter)
        return message if isinstance(message, web.Response) else json_response(message)

    async def edit_webhook_message(self, request: web.Request) -> web.Response:
        inter = self._webhook_interaction(request)
        if isinstance(inter, web.Response):
            return inter
        message = self._webhook_message(request, inter)
        if isinstance(message, web.Response):
            return message
        body = self._body(request)
        if "attachments" in body or request[RECORD].files:
            body = {**body, "attachments": self._attachments(request, body, message["attachments"])}
        merged = {**message, **{k: val for k, val in body.items() if val is not None}}
        problems = v.check_message(merged)
        if problems:
            return self.reject(request, problems)
        self.world.edit_message(message, body)
        message["flags"] = int(message.get("flags") or 0) & ~FLAG_LOADING
        record = {"message_id": int(message["id"]), "body": self._body(request)}
        inter.edits.append(record)
        self.fake.edits.append(record)
        inter.changes.bump()
        return json_response(message)

    async def delete_webhook_message(self, request: web.Request) -> web.Response:
        inter = self._webhook_interaction(request)
        if isinstance(inter, web.Response):
            return inter
        message = self._webhook_message(request, inter)
        if isinstance(message, web.Response):
            return message
        inter.deleted.append(int(message["id"]))
        inter.changes.bump()
        return no_content()
