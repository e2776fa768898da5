"""Public WebSocket: welcome, ping/pong, tickerV2 subscriptions, drops and token expiry."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from tests.kucoin_sim.market import price_str
from tests.kucoin_sim.universe import decimals

if TYPE_CHECKING:
    from tests.kucoin_sim.app import KucoinSimulator

TICKER_V2 = "/contractMarket/tickerV2:"
INVALID_TOKEN_CLOSE = 4001  # close code after the 401 error frame (simulator's choice)
GONE = (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR)


@dataclass(eq=False)
class Connection:
    """One accepted client."""

    ws: web.WebSocketResponse
    request: web.Request
    connect_id: str
    symbols: set[str] = field(default_factory=set)
    sent: int = 0
    muted: bool = False  # `mute_all`: nothing more is sent, pongs and acks included


class WsHub:
    """Tokens, live connections and the per-connection push loops."""

    def __init__(self, sim: KucoinSimulator) -> None:
        """No tokens, no connections."""
        self.sim = sim
        self._tokens: dict[str, tuple[int, int]] = {}  # token -> (issued sim ms, generation)
        self._generation = 0
        self.connections: set[Connection] = set()
        self.accepted = 0
        self.refused = 0
        self.idle_closed = 0
        self.welcome_delay_s = 0.0  # `sim.ws_delay_welcome`: applies to later connections
        self.early_frames = 0  # client frames received while the welcome was held back

    # ---- tokens -----------------------------------------------------------------------
    def issue_token(self) -> str:
        """A new token, valid for `token_ttl_s` of simulated time."""
        token = secrets.token_urlsafe(96) + "." + secrets.token_urlsafe(16)
        self._tokens[token] = (self.sim.clock.now_ms(), self._generation)
        return token

    def token_valid(self, token: str) -> bool:
        """Issued by us, not expired by age, not revoked by `expire_tokens`."""
        issued = self._tokens.get(token)
        if issued is None or issued[1] != self._generation:
            return False
        return self.sim.clock.now_ms() - issued[0] <= self.sim.config.token_ttl_s * 1000

    def expire_tokens(self) -> None:
        """Every token issued so far becomes invalid (open connections stay up)."""
        self._generation += 1

    # ---- connections ------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serve one connection until the client leaves, goes silent, or is dropped."""
        ws = web.WebSocketResponse(autoping=True, heartbeat=None, timeout=2.0)
        await ws.prepare(request)
        connect_id = request.query.get("connectId") or uuid.uuid4().hex
        if not self.token_valid(request.query.get("token", "")):
            self.refused += 1
            error = {"id": connect_id, "type": "error", "code": 401, "data": "token is expired"}
            await ws.send_str(json.dumps(error))
            await ws.close(code=INVALID_TOKEN_CLOSE, message=b"token is expired")
            return ws
        self.accepted += 1
        conn = Connection(ws, request, connect_id)
        self.connections.add(conn)
        pusher: asyncio.Task[None] | None = None
        try:
            if self.welcome_delay_s > 0 and not await self._hold_welcome(conn):
                return ws
            await ws.send_str(json.dumps({"id": connect_id, "type": "welcome"}))
            pusher = asyncio.create_task(self._push(conn))
            await self._read(conn)
        finally:
            if pusher is not None:
                pusher.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await pusher
            self.connections.discard(conn)
        return ws

    async def _hold_welcome(self, conn: Connection) -> bool:
        """Wait `welcome_delay_s` before the welcome; frames meanwhile are counted and ignored.

        False when the client left during the wait.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.welcome_delay_s
        while (left := deadline - loop.time()) > 0:
            try:
                msg = await conn.ws.receive(timeout=left)
            except TimeoutError:
                return True
            if msg.type == WSMsgType.TEXT:
                self.early_frames += 1
            elif msg.type in GONE:
                return False
        return True

    async def _read(self, conn: Connection) -> None:
        """Answer client frames; say Bye after `idle_timeout_s` without any."""
        ws = conn.ws
        while not ws.closed:
            try:
                msg = await ws.receive(timeout=self.sim.config.idle_timeout_s)
            except TimeoutError:
                self.idle_closed += 1
                await ws.close(code=1000, message=b"Bye")
                return
            if msg.type == WSMsgType.TEXT:
                await self._on_text(conn, msg.data)
            elif msg.type in GONE:
                return

    async def _on_text(self, conn: Connection, text: str) -> None:
        """ping -> pong; subscribe/unsubscribe -> ack or a 404 error frame."""
        try:
            msg = json.loads(text)
            kind, msg_id = msg.get("type"), msg.get("id")
        except (ValueError, AttributeError):
            await self._send(
                conn, {"id": None, "type": "error", "code": 400, "data": "bad request"}
            )
            return
        if kind == "ping":
            await self._send(
                conn, {"id": msg_id, "type": "pong", "timestamp": self.sim.clock.now_us()}
            )
        elif kind in ("subscribe", "unsubscribe"):
            topic = str(msg.get("topic", ""))
            if not topic.startswith(TICKER_V2) or len(topic) == len(TICKER_V2):
                await self._send(
                    conn,
                    {"id": msg_id, "type": "error", "code": 404, "data": "topic does not exist"},
                )
                return
            symbols = {s for s in topic[len(TICKER_V2) :].split(",") if s}
            if kind == "subscribe":
                conn.symbols |= symbols
            else:
                conn.symbols -= symbols
            if msg.get("response", True):
                await self._send(conn, {"id": msg_id, "type": "ack"})
        else:
            await self._send(
                conn,
                {
                    "id": msg_id,
                    "type": "error",
                    "code": 404,
                    "data": f"unknown message type {kind!r}",
                },
            )

    async def _send(self, conn: Connection, payload: dict[str, Any]) -> None:
        """Send one JSON frame, ignoring a connection that is going away or muted."""
        if not conn.ws.closed and not conn.muted:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await conn.ws.send_str(json.dumps(payload))

    def ticker_v2(self, symbol: str) -> dict[str, Any] | None:
        """One tickerV2 message for a tradable contract, else None (unknown symbols stay silent)."""
        market, clock = self.sim.market, self.sim.clock
        i = market.tradable(symbol)
        if i is None:
            return None
        q = market.quote(i, clock.now_ms())
        dec = decimals(market.specs[i].tick)
        data = {
            "symbol": symbol,
            "sequence": q.sequence,
            "bestBidSize": q.bid_size,
            "bestBidPrice": price_str(q.bid, dec),
            "bestAskPrice": price_str(q.ask, dec),
            "bestAskSize": q.ask_size,
            "ts": clock.now_ns(),
        }
        return {
            "topic": TICKER_V2 + symbol,
            "type": "message",
            "subject": "tickerV2",
            "sn": q.sequence,
            "data": data,
        }

    async def _push(self, conn: Connection) -> None:
        """Every `ws_push_interval_ms`, one tickerV2 message per subscribed symbol."""
        while not conn.ws.closed:
            await asyncio.sleep(self.sim.config.ws_push_interval_ms / 1000)
            for symbol in sorted(conn.symbols):
                message = self.ticker_v2(symbol)
                if message is not None and not conn.muted:
                    await self._send(conn, message)
                    conn.sent += 1

    def mute_all(self) -> int:
        """Open connections stay up but send nothing more (no ticks, pongs or acks); how many.

        They still read client frames, so a client that keeps pinging is not closed for
        idleness. Connections opened later are not muted.
        """
        for conn in self.connections:
            conn.muted = True
        return len(self.connections)

    def drop_all(self) -> int:
        """Cut every connection without a close frame (clients see 1006); returns how many."""
        dropped = 0
        for conn in list(self.connections):
            transport = conn.request.transport
            if transport is not None:
                transport.abort()
                dropped += 1
            self.connections.discard(conn)
        return dropped

    async def close_all(self) -> None:
        """Close every connection politely (server shutdown)."""
        conns = list(self.connections)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(
                    *(c.ws.close(code=1001, message=b"server shutdown") for c in conns),
                    return_exceptions=True,
                ),
                timeout=2.0,
            )
        self.drop_all()
