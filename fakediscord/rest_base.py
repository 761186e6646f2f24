"""Plumbing shared by the REST route groups: recording, body parsing, Discord-style errors."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import validation as v
from .records import RecordedRequest, Violation

if TYPE_CHECKING:
    from .server import FakeDiscord

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
RECORD = web.RequestKey("record", RecordedRequest)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_response(data: Any, status: int = 200) -> web.Response:
    """JSON with Content-Type exactly ``application/json`` (discord.py checks equality)."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def discord_error(status: int, message: str, code: int) -> web.Response:
    return json_response({"message": message, "code": code}, status)


def no_content() -> web.Response:
    return web.Response(status=204)


class RestBase:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.world = fake.world

    # --- plumbing --------------------------------------------------------------------------

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX + "/"):
            return await handler(request)
        record = RecordedRequest(
            request.method, request.path[len(API_PREFIX) :], dict(request.query), None
        )
        request[RECORD] = record
        self.fake.requests.append(record)
        try:
            record.body, record.files = await self._read_body(request)
            for hold in list(self.fake.holds):
                if not hold.released and hold.matches(record):
                    self.fake.changes.bump()  # tests may wait for a request to be held
                    await hold.wait(record)
            if self._needs_auth(request) and (
                request.headers.get("Authorization") != f"Bot {self.fake.token}"
            ):
                response: web.StreamResponse = discord_error(401, "401: Unauthorized", 0)
            else:
                response = await handler(request)
        except Exception as exc:  # a bug in the fake: fail loudly, never answer 5xx (retries)
            self.fake.record_violation(
                Violation(
                    f"{request.method} {record.path}",
                    "fake",
                    f"the fake crashed: {exc!r}\n" + traceback.format_exc(),
                )
            )
            response = discord_error(400, f"fake discord crashed: {exc!r}", 0)
        record.status = response.status
        self.fake.changes.bump()
        return response

    async def cdn(self, request: web.Request) -> web.Response:
        """GET of an attachment's url: its bytes, as Discord's CDN serves them (no token)."""
        raw = request.match_info["attachment_id"]
        data = self.world.attachments.get(int(raw)) if raw.isdigit() else None
        if data is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=data, content_type="application/octet-stream")

    @staticmethod
    def _needs_auth(request: web.Request) -> bool:
        path = request.path[len(API_PREFIX) :]
        return not (path.startswith("/interactions/") or path.startswith("/webhooks/"))

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
        if not request.can_read_body:
            return None, []
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            body: Any = None
            files: list[dict[str, Any]] = []
            for name, value in form.items():
                if name == "payload_json":
                    raw_json = value.file.read() if isinstance(value, web.FileField) else value
                    body = json.loads(raw_json)
                elif isinstance(value, web.FileField):
                    data = value.file.read()
                    files.append(
                        {
                            "field": name,
                            "filename": value.filename,
                            "content_type": value.content_type,
                            "size": len(data),
                            "data": data,
                        }
                    )
            return body, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError:
            return raw.decode("utf-8", "replace"), []

    def _route(self, request: web.Request) -> str:
        return f"{request.method} {request[RECORD].path}"

    def reject(
        self, request: web.Request, problems: list[v.Problem], prefix: v.Path = ()
    ) -> web.Response:
        """400 Invalid Form Body, each problem recorded as a violation."""
        shifted = [v.Problem((*prefix, *p.path), p.code, p.message) for p in problems]
        for problem in shifted:
            self.fake.record_violation(
                Violation(self._route(request), problem.where(), problem.message, problem.code)
            )
        return json_response(v.error_body(shifted), 400)

    def refuse(
        self, request: web.Request, status: int, message: str, code: int, why: str
    ) -> web.Response:
        """A Discord error the bot should never provoke: answer it and record a violation."""
        self.fake.record_violation(Violation(self._route(request), "request", why, str(code)))
        return discord_error(status, message, code)

    def _body(self, request: web.Request) -> dict[str, Any]:
        body = request[RECORD].body
        return body if isinstance(body, dict) else {}

    def _attachments(
        self, request: web.Request, body: dict[str, Any], existing: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        files = request[RECORD].files
        by_index = {f["field"]: f for f in files}
        out: list[dict[str, Any]] = []
        listed = body.get("attachments")
        if listed is None:
            listed = [{"id": i} for i in range(len(files))]
        old = {str(a["id"]): a for a in existing}
        for entry in listed:
            key = str(entry.get("id"))
            if key in old:
                out.append(old[key])
                continue
            upload = by_index.get(f"files[{key}]")
            if upload is None:
                continue
            filename = entry.get("filename") or upload["filename"]
            aid, url = self.world.store_file(upload["data"], filename)
            out.append(
                {
                    "id": str(aid),
                    "filename": filename,
                    "size": upload["size"],
                    "url": url,
                    "proxy_url": url,
                    "content_type": upload["content_type"],
                    "description": entry.get("description"),
                }
            )
        return out
