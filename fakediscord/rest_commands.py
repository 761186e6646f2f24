"""REST: login, gateway discovery and application commands (sync)."""

from __future__ import annotations

import copy
from typing import Any

from aiohttp import web

from . import validation as v
from .rest_base import RECORD, RestBase, discord_error, json_response, no_content


class CommandRoutes(RestBase):
    # --- login and gateway discovery -------------------------------------------------------

    async def users_me(self, request: web.Request) -> web.Response:
        user = self.world.bot_user.payload()
        user.update({"verified": True, "mfa_enabled": False, "flags": 0, "locale": "en-US"})
        return json_response(user)

    async def application_me(self, request: web.Request) -> web.Response:
        world = self.world
        return json_response(
            {
                "id": str(world.application_id),
                "name": world.bot_user.name,
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": world.owner.payload(),
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "interactions_endpoint_url": None,
                "bot": world.bot_user.payload(),
                "summary": "",
                "rpc_origins": [],
                "redirect_uris": [],
                "tags": [],
            }
        )

    async def gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.fake.gateway_url})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        """Where to connect, the shards Discord recommends, and how many IDENTIFYs may start
        at once (what an auto-sharded client without a shard count asks first)."""
        gateway = self.fake.gateway
        return json_response(
            {
                "url": self.fake.gateway_url,
                "shards": max(gateway.shards_required, 1),
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": gateway.max_concurrency,
                },
            }
        )

    # --- application commands --------------------------------------------------------------

    def _command_scope(self, request: web.Request) -> tuple[int | None, web.Response | None]:
        if request.match_info["app_id"] != str(self.world.application_id):
            return None, discord_error(404, "Unknown Application", 10002)
        raw = request.match_info.get("guild_id")
        if raw is None:
            return None, None
        if not raw.isdigit() or int(raw) not in self.world.guilds:
            return None, self.refuse(
                request,
                403,
                "Missing Access",
                50001,
                f"syncs commands to guild {raw} the bot is not in",
            )
        return int(raw), None

    def _stored(
        self, cmd: dict[str, Any], guild_id: int | None, previous: list[dict[str, Any]]
    ) -> dict[str, Any]:
        ctype = cmd.get("type", 1)
        same = next((c for c in previous if c["type"] == ctype and c["name"] == cmd["name"]), None)
        out = copy.deepcopy(cmd)
        perms = cmd.get("default_member_permissions")
        out.update(
            {
                "id": same["id"] if same else str(self.world.ids.next()),
                "application_id": str(self.world.application_id),
                "version": str(self.world.ids.next()),
                "type": ctype,
                "description": (cmd.get("description") or "") if ctype == 1 else "",
                "default_member_permissions": None if perms is None else str(perms),
                "nsfw": bool(cmd.get("nsfw", False)),
            }
        )
        if ctype == 1:
            out.setdefault("options", [])
        if guild_id is not None:
            out["guild_id"] = str(guild_id)
        return out

    async def list_commands(self, request: web.Request) -> web.Response:
        guild_id, error = self._command_scope(request)
        if error:
            return error
        return json_response(self.fake.commands.get(guild_id, []))

    async def put_commands(self, request: web.Request) -> web.Response:
        guild_id, error = self._command_scope(request)
        if error:
            return error
        body = request[RECORD].body
        problems = v.check_command_list(body)
        if problems:
            return self.reject(request, problems)
        previous = self.fake.commands.get(guild_id, [])
        stored = [self._stored(c, guild_id, previous) for c in body]
        self.fake.commands[guild_id] = stored
        self.fake.sync_count += 1
        return json_response(stored)

    async def post_command(self, request: web.Request) -> web.Response:
        guild_id, error = self._command_scope(request)
        if error:
            return error
        body = self._body(request)
        problems = v.check_command(body, ())
        if problems:
            return self.reject(request, problems)
        current = self.fake.commands.setdefault(guild_id, [])
        stored = self._stored(body, guild_id, current)
        existed = any(c["id"] == stored["id"] for c in current)
        current[:] = [c for c in current if c["id"] != stored["id"]] + [stored]
        return json_response(stored, 200 if existed else 201)

    def _command(self, request: web.Request) -> tuple[int | None, dict[str, Any]] | web.Response:
        """The (scope, command) a request names, or Discord's error response."""
        guild_id, error = self._command_scope(request)
        if error:
            return error
        wanted = request.match_info["command_id"]
        found = next((c for c in self.fake.commands.get(guild_id, []) if c["id"] == wanted), None)
        if found is None:
            return discord_error(404, "Unknown application command", 10063)
        return guild_id, found

    async def get_command(self, request: web.Request) -> web.Response:
        found = self._command(request)
        if isinstance(found, web.Response):
            return found
        _, cmd = found
        return json_response(cmd)

    async def patch_command(self, request: web.Request) -> web.Response:
        found = self._command(request)
        if isinstance(found, web.Response):
            return found
        guild_id, cmd = found
        merged = {**cmd, **self._body(request)}
        problems = v.check_command(merged, ())
        if problems:
            return self.reject(request, problems)
        cmd.update(self._stored(merged, guild_id, [cmd]))
        return json_response(cmd)

    async def delete_command(self, request: web.Request) -> web.Response:
        found = self._command(request)
        if isinstance(found, web.Response):
            return found
        guild_id, cmd = found
        self.fake.commands[guild_id].remove(cmd)
        return no_content()
