"""REST routes under ``/api/v10``: login, command sync, interaction callbacks, webhooks and
channel messages, with Discord's validation and error bodies. Unknown routes answer 404
like Discord and are recorded in ``FakeDiscord.unhandled``."""

from __future__ import annotations

from aiohttp import web

from .rest_base import API_PREFIX, RECORD, discord_error
from .rest_channels import ChannelRoutes
from .rest_commands import CommandRoutes
from .rest_interactions import InteractionRoutes


class Rest(CommandRoutes, InteractionRoutes, ChannelRoutes):
    def routes(self) -> list[web.RouteDef]:
        p = API_PREFIX
        cmds = p + "/applications/{app_id}/commands"
        gcmds = p + "/applications/{app_id}/guilds/{guild_id}/commands"
        hook = p + "/webhooks/{app_id}/{token}"
        chan = p + "/channels/{channel_id}"
        return [
            web.get(p + "/users/@me", self.users_me),
            web.get(p + "/oauth2/applications/@me", self.application_me),
            web.get(p + "/applications/@me", self.application_me),
            web.get(p + "/gateway", self.gateway),
            web.get(p + "/gateway/bot", self.gateway_bot),
            web.get(cmds, self.list_commands),
            web.put(cmds, self.put_commands),
            web.post(cmds, self.post_command),
            web.get(cmds + "/{command_id}", self.get_command),
            web.patch(cmds + "/{command_id}", self.patch_command),
            web.delete(cmds + "/{command_id}", self.delete_command),
            web.get(gcmds, self.list_commands),
            web.put(gcmds, self.put_commands),
            web.post(gcmds, self.post_command),
            web.get(gcmds + "/{command_id}", self.get_command),
            web.patch(gcmds + "/{command_id}", self.patch_command),
            web.delete(gcmds + "/{command_id}", self.delete_command),
            web.post(p + "/interactions/{interaction_id}/{token}/callback", self.callback),
            web.post(hook, self.followup),
            web.get(hook + "/messages/{message_id}", self.get_webhook_message),
            web.patch(hook + "/messages/{message_id}", self.edit_webhook_message),
            web.delete(hook + "/messages/{message_id}", self.delete_webhook_message),
            web.get(chan, self.get_channel),
            web.post(chan + "/typing", self.typing),
            web.post(chan + "/messages", self.create_message),
            web.get(chan + "/messages/{message_id}", self.get_message),
            web.patch(chan + "/messages/{message_id}", self.edit_message),
            web.delete(chan + "/messages/{message_id}", self.delete_message),
            web.put(chan + "/messages/{message_id}/reactions/{emoji}/@me", self.reaction),
            web.delete(chan + "/messages/{message_id}/reactions/{emoji}/@me", self.reaction),
            web.get("/attachments/{channel_id}/{attachment_id}/{filename}", self.cdn),
            web.route("*", "/{tail:.*}", self.not_found),
        ]

    async def not_found(self, request: web.Request) -> web.Response:
        if request.path.startswith(API_PREFIX + "/"):
            self.fake.unhandled.append(request[RECORD])
        return discord_error(404, "404: Not Found", 0)
