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
# Events whose data is the guild itself (its id is "id", not "guild_id").
GUILD_OBJECT_EVENTS = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord delivers a guild's events on (DMs: shard 0)."""
    return (guild_id >> 22) % shard_count


def event_guild(event: str, data: dict[str, Any]) -> int | None:
    """The guild an event belongs to (None: a DM, or no guild at all)."""
    raw = data.get("id") if event in GUILD_OBJECT_EVENTS else data.get("guild_id")
    return int(raw) if raw is not None else None


class Session:
    """A gateway session (survives reconnects; RESUME replays what was missed).

    A sharded session (IDENTIFY with ``shard: [id, count]``) receives only the events of the
    guilds on its shard, and DMs only on shard 0, as Discord does."""

    def __init__(self, intents: int, shard: tuple[int, int] | None = None) -> None:
        self.id = secrets.token_hex(16)
        self.intents = intents
        self.shard = shard
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

    def receives(self, guild_id: int | None) -> bool:
        """Is an event of this guild (None: a DM) delivered on this session?"""
        if self.shard is None:
            return True
        number, count = self.shard
        return number == (0 if guild_id is None else shard_of(guild_id, count))


class Gateway:
    def __init__(self, fake: FakeDiscord, *, heartbeat_interval_ms: int) -> None:
        self.fake = fake
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, Session] = {}
        # The session serving each shard ([id, count], or None unsharded): the last to
        # IDENTIFY or RESUME on it. Events go to every one of them whose shard they are on.
        self.current: dict[tuple[int, int] | None, Session] = {}
        self.active: Session | None = None  # the last session to IDENTIFY or RESUME
        self.sockets: set[web.WebSocketResponse] = set()
        self.received: list[dict[str, Any]] = []  # every frame the bot sent (heartbeats too)
        self.close_codes: list[int | None] = []
        # An outage: new connections are refused with HTTP 503 before the websocket upgrade.
        self.unavailable = False
        # Shards Discord requires (it closes IDENTIFY with 4011 when the bot has too many
        # guilds for fewer, and recommends it in GET /gateway/bot): 1 means no sharding needed.
        self.shards_required = 1
        # GET /gateway/bot's session_start_limit.max_concurrency: IDENTIFYs allowed per 5 s.
        self.max_concurrency = 1
        self.refused = 0  # connections refused during an outage

    # --- sending ---------------------------------------------------------------------------

    async def _send(self, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        if not ws.closed:
            await ws.send_str(json.dumps(frame))

    @property
    def connected(self) -> bool:
        """Has any bot identified (its sessions receive events, or keep them to resume)?"""
        return bool(self.current)

    def recipients(self, guild_id: int | None, intent: int = 0) -> list[Session]:
        """The sessions an event of this guild (None: a DM) goes to: those on its shard (and
        holding ``intent``, if given)."""
        return [
            session
            for session in self.current.values()
            if session.receives(guild_id) and (not intent or session.has(intent))
        ]

    async def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        session: Session | None = None,
        *,
        intent: int = 0,
    ) -> None:
        """Send a DISPATCH to ``session``, or to every session on the event's shard (with
        ``intent``, if given); a session that is away keeps it for a RESUME."""
        if session is not None:
            await self._dispatch_to(session, event, data)
            return
        if not self.current:
            raise RuntimeError(f"cannot dispatch {event}: no bot has identified on the gateway")
        for recipient in self.recipients(event_guild(event, data), intent):
            await self._dispatch_to(recipient, event, data)

    async def _dispatch_to(self, session: Session, event: str, data: dict[str, Any]) -> None:
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
        if shard is not None and not _valid_shard(shard):
            await ws.close(code=4010, message=b"Invalid shard")
            return None
        key = (shard[0], shard[1]) if shard is not None else None
        if (key[1] if key is not None else 1) < self.shards_required:
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
        session = Session(intents, key)
        replaced = self.current.get(key)
        if replaced is not None and replaced.ws is not None:
            await replaced.ws.close(code=4000)
        self.sessions[session.id] = session
        self.current[key] = session
        self.active = session
        session.ws = ws
        world = self.fake.world
        guilds = [g for g in world.guilds.values() if session.receives(g.id)]
        # A sharded client identifies as [shard_id, num_shards]; READY echoes it back.
        echoed = {"shard": [key[0], key[1]]} if key is not None else {}
        await self.dispatch(
            "READY",
            {
                **echoed,
                "v": 10,
                "user": {
                    **world.bot_user.payload(),
                    "verified": True,
                    "mfa_enabled": False,
                    "flags": 0,
                },
                "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": self.fake.gateway_url,
                "application": {"id": str(world.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
            },
            session,
        )
        for guild in guilds:
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
        self.current[session.shard] = session
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
        # raw JSON: one snowflake or a list of them; a frame without any fails at int()
        ids: Any = data.get("guild_id")
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
        """Close the bot's (last identified) socket; the session stays resumable."""
        if self.active is not None and self.active.ws is not None:
            await self.active.ws.close(code=code)

    def ready(self, shard_count: int | None = None) -> bool:
        """Has the bot identified and been sent its guilds: on every shard of ``shard_count``
        (by any processes), or without it, on its last session?"""
        if shard_count is None:
            return self.active is not None and self.active.ready
        sessions = [self.current.get((number, shard_count)) for number in range(shard_count)]
        return all(session is not None and session.ready for session in sessions)

    async def close_all(self) -> None:
        for ws in list(self.sockets):
            await ws.close(code=1001, message=b"server shutting down")


def _valid_shard(shard: Any) -> bool:
    """IDENTIFY's ``shard``: [shard_id, num_shards], 0 <= shard_id < num_shards."""
    return (
        isinstance(shard, list)
        and len(shard) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in shard)
        and 0 <= shard[0] < shard[1]
    )
