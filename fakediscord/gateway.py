"""The gateway websocket: HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats, RESUME, dispatch.

Frames are sent as plain JSON text (discord.py accepts text frames even when it asked for
``compress=zlib-stream``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections import deque
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .models import INTENT_GUILD_MEMBERS, INTENT_GUILDS, PRIVILEGED_INTENTS
from .records import Violation

if TYPE_CHECKING:
    from .server import FakeDiscord

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE_STATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11

BACKLOG = 2000  # dispatches kept per session for RESUME


class Session:
    """A gateway session (survives reconnects; RESUME replays what was missed)."""

    def __init__(self, intents: int) -> None:
        self.id = secrets.token_hex(16)
        self.intents = intents
        self.seq = 0
        self.ws: web.WebSocketResponse | None = None
        self.ready = False  # READY (or RESUMED) and the GUILD_CREATEs went out
        self.backlog: deque[dict[str, Any]] = deque(maxlen=BACKLOG)
        self.lock = asyncio.Lock()
        self.identifies = 1
        self.resumes = 0
        self.presence: dict[str, Any] | None = None

    def has(self, intent: int) -> bool:
        return bool(self.intents & intent)


class Gateway:
    def __init__(self, fake: FakeDiscord, *, heartbeat_interval_ms: int) -> None:
        self.fake = fake
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, Session] = {}
        self.active: Session | None = None
        self.sockets: set[web.WebSocketResponse] = set()
        self.received: list[dict[str, Any]] = []  # every frame the bot sent (heartbeats too)
        self.close_codes: list[int | None] = []
        # An outage: new connections are refused with HTTP 503 before the websocket upgrade.
        self.unavailable = False
        # Shards Discord requires (it closes IDENTIFY with 4011 when the bot has too many
        # guilds for fewer): 1 means no sharding needed.
        self.shards_required = 1
        self.refused = 0  # connections refused during an outage

    # --- sending ---------------------------------------------------------------------------

    async def _send(self, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        if not ws.closed:
            await ws.send_str(json.dumps(frame))

    async def dispatch(
        self, event: str, data: dict[str, Any], session: Session | None = None
    ) -> None:
        """Send a DISPATCH to the (active) session, or keep it for a RESUME if it is away."""
        session = session or self.active
        if session is None:
            raise RuntimeError(f"cannot dispatch {event}: no bot has identified on the gateway")
        async with session.lock:
            session.seq += 1
            frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
            session.backlog.append(frame)
            if session.ws is not None:
                try:
                    await self._send(session.ws, frame)
                except ConnectionError:
                    log.debug("bot went away while sending %s", event)
        self.fake.changes.bump()

    # --- the websocket ---------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.unavailable:
            self.refused += 1
            self.fake.changes.bump()
            return web.Response(status=503, text="upstream connect error")
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self.sockets.add(ws)
        session: Session | None = None
        try:
            if request.query.get("v", "10") != "10":
                await ws.close(code=4012, message=b"Invalid API version")
                return ws
            if request.query.get("encoding", "json") != "json":
                await ws.close(code=4002, message=b"Only JSON encoding is supported")
                return ws
            await self._send(
                ws,
                {
                    "op": HELLO,
                    "d": {"heartbeat_interval": self.heartbeat_interval_ms},
                    "s": None,
                    "t": None,
                },
            )
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    if msg.type == WSMsgType.BINARY:
                        await ws.close(code=4002, message=b"Binary frames are not supported")
                    break
                try:
                    frame = json.loads(msg.data)
                except ValueError:
                    await ws.close(code=4002, message=b"Decode error")
                    break
                self.received.append(frame)
                session = await self._on_frame(ws, frame, session)
        finally:
            self.sockets.discard(ws)
            self.close_codes.append(ws.close_code)
            if session is not None and session.ws is ws:
                session.ws = None
                session.ready = False
            self.fake.changes.bump()
        return ws

    async def _on_frame(
        self, ws: web.WebSocketResponse, frame: dict[str, Any], session: Session | None
    ) -> Session | None:
        op, data = frame.get("op"), frame.get("d")
        if op == HEARTBEAT:
            await self._send(ws, {"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
            return session
        if op == IDENTIFY:
            if session is not None:
                await ws.close(code=4005, message=b"Already authenticated")
                return session
            return await self._identify(ws, data or {})
        if op == RESUME:
            return await self._resume(ws, data or {})
        if session is None:
            await ws.close(code=4003, message=b"Not authenticated")
            return None
        if op == PRESENCE:
            session.presence = data
        elif op == REQUEST_MEMBERS:
            await self._send_member_chunks(session, data or {})
        elif op != VOICE_STATE:
            await ws.close(code=4001, message=b"Unknown opcode")
        return session

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        if data.get("token") != self.fake.token:
            await ws.close(code=4004, message=b"Authentication failed")
            return None
        intents = data.get("intents")
        if not isinstance(intents, int):
            await ws.close(code=4013, message=b"Invalid intent(s)")
            return None
        if intents & PRIVILEGED_INTENTS & ~self.fake.allowed_privileged_intents:
            await ws.close(code=4014, message=b"Disallowed intent(s)")
            return None
        shard = data.get("shard")
        if (shard[1] if isinstance(shard, list) else 1) < self.shards_required:
            await ws.close(code=4011, message=b"Sharding required")
            return None
        if not intents & INTENT_GUILDS:
            self.fake.record_violation(
                Violation(
                    "gateway",
                    "IDENTIFY.intents",
                    "the GUILDS intent is off: discord.py's cache (guilds, channels) stays empty",
                )
            )
        session = Session(intents)
        if self.active is not None and self.active.ws is not None:
            await self.active.ws.close(code=4000)
        self.sessions[session.id] = session
        self.active = session
        session.ws = ws
        world = self.fake.world
        # A sharded client identifies as [shard_id, num_shards]; READY echoes it back.
        shard = {"shard": data["shard"]} if isinstance(data.get("shard"), list) else {}
        await self.dispatch(
            "READY",
            {
                **shard,
                "v": 10,
                "user": {
                    **world.bot_user.payload(),
                    "verified": True,
                    "mfa_enabled": False,
                    "flags": 0,
                },
                "guilds": [{"id": str(g), "unavailable": True} for g in world.guilds],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": self.fake.gateway_url,
                "application": {"id": str(world.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
            },
            session,
        )
        for guild in list(world.guilds.values()):
            await self.dispatch("GUILD_CREATE", guild.payload(), session)
        session.ready = True
        self.fake.changes.bump()
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        session = self.sessions.get(data.get("session_id") or "")
        if data.get("token") != self.fake.token:
            await ws.close(code=4004, message=b"Authentication failed")
            return None
        if session is None:
            await self._send(ws, {"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return None
        seq = data.get("seq") or 0
        if session.ws is not None and session.ws is not ws:
            await session.ws.close(code=4000)
        session.ws = ws
        session.resumes += 1
        self.active = session
        async with session.lock:
            for frame in list(session.backlog):
                if frame["s"] > seq:
                    await self._send(ws, frame)
        await self.dispatch("RESUMED", {}, session)
        session.ready = True
        self.fake.changes.bump()
        return session

    async def _send_member_chunks(self, session: Session, data: dict[str, Any]) -> None:
        if not session.has(INTENT_GUILD_MEMBERS) and not data.get("user_ids"):
            if session.ws is not None:
                await session.ws.close(code=4013, message=b"Invalid intent(s)")
            return
        ids = data.get("guild_id")
        for gid in ids if isinstance(ids, list) else [ids]:
            guild = self.fake.world.guilds.get(int(gid))
            if guild is None:
                continue
            members = list(guild.members.values())
            wanted = {int(u) for u in data.get("user_ids") or []}
            query = (data.get("query") or "").lower()
            if wanted:
                members = [m for m in members if m.id in wanted]
            elif query:
                members = [m for m in members if m.name.lower().startswith(query)]
            limit = data.get("limit") or 0
            if limit:
                members = members[:limit]
            chunk: dict[str, Any] = {
                "guild_id": str(guild.id),
                "members": [m.payload() for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
            }
            if data.get("nonce"):
                chunk["nonce"] = data["nonce"]
            await self.dispatch("GUILD_MEMBERS_CHUNK", chunk, session)

    async def drop_connection(self, code: int = 4000) -> None:
        """Close the bot's socket (the session stays resumable)."""
        if self.active is not None and self.active.ws is not None:
            await self.active.ws.close(code=code)

    async def close_all(self) -> None:
        for ws in list(self.sockets):
            await ws.close(code=1001, message=b"server shutting down")
