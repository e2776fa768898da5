"""TickerStream: KuCoin's public WebSocket `tickerV2` feed, reconnecting with a fresh token.

Protocol (KUCOIN.md §4): POST bullet-public for a token and server, connect with
`?token=…&connectId=…`, wait for `welcome`, subscribe (≤ 100 topics per message, symbols
comma-separated), ping every `pingInterval` ms. Nothing received for pingInterval + pingTimeout
→ close. Any drop, silence or expired token → new token, new connection, resubscribe, with
bounded exponential backoff. Symbols no longer followed are unsubscribed on the live connection.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import aiohttp
from pydantic import ValidationError

from app.kucoin.client import KucoinFuturesClient
from app.kucoin.errors import ExchangeError
from app.kucoin.models import TickerV2
from app.kucoin.symbols import SymbolConverter
from app.platform.core.clock import utcnow
from app.platform.runtime.background import BackgroundTask
from app.platform.runtime.backoff import backoff_delay

logger = logging.getLogger(__name__)

TOPIC_PREFIX = "/contractMarket/tickerV2:"
SYMBOLS_PER_SUBSCRIBE = 100
WELCOME_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class StreamTick:
    """A top-of-book update in canonical symbols."""

    symbol: str
    bid: float
    ask: float
    exchange_at: datetime
    received_at: datetime

    @property
    def mid(self) -> float:
        return (self.bid + self.ask) / 2


@dataclass
class StreamStats:
    state: str = "idle"
    connections: int = 0
    tokens_fetched: int = 0
    messages: int = 0
    consecutive_failures: int = 0
    last_message_at: datetime | None = None
    last_error: str | None = None


class TickerStream:
    def __init__(
        self,
        client: KucoinFuturesClient,
        converter: SymbolConverter,
        on_tick: Callable[[StreamTick], None],
        *,
        max_consecutive_failures: int = 8,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 30.0,
    ) -> None:
        self.client = client
        self.converter = converter
        self.on_tick = on_tick
        self.max_consecutive_failures = max_consecutive_failures
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.stats = StreamStats()
        self._symbols: set[str] = set()
        self._subscribed: set[str] = set()
        self._ws: aiohttp.ClientWebSocketResponse | None = None  # set once welcomed
        # Serialises (un)subscribe sends so `_subscribed` always describes the live connection.
        self._sync_lock = asyncio.Lock()
        self._last_frame_at = 0.0  # time.monotonic() of the last frame of any kind
        self._went_silent = False
        self._task = BackgroundTask("kucoin-ticker-stream", self.run)

    async def set_symbols(self, symbols: set[str]) -> None:
        """Follow these canonical symbols; (un)subscribes the difference on the live connection."""
        self._symbols = {self.converter.to_kucoin(s) for s in symbols}
        async with self._sync_lock:
            ws = self._ws
            if ws is None or ws.closed:
                return  # the next connection subscribes the whole set after its welcome
            try:
                await self._send_difference(ws)
            except (aiohttp.ClientError, ConnectionError) as exc:
                logger.info("ticker stream subscription change not sent (%r); reconnect will", exc)

    def start(self) -> None:
        self._task.start()

    async def stop(self) -> None:
        await self._task.stop()
        self.stats.state = "stopped"

    async def run(self) -> None:
        """Connect, stream, and reconnect until stopped or failures exceed the bound."""
        while True:
            try:
                await self._session()
            except asyncio.CancelledError:
                raise
            except (ExchangeError, aiohttp.ClientError, TimeoutError, ConnectionError) as exc:
                self.stats.consecutive_failures += 1
                self.stats.last_error = f"{exc.__class__.__name__}: {exc}"
                logger.warning("ticker stream failed (%s)", self.stats.last_error)
            if self.stats.consecutive_failures >= self.max_consecutive_failures:
                self.stats.state = "failed"
                logger.error(
                    "ticker stream gave up after %d failures", self.stats.consecutive_failures
                )
                return
            self.stats.state = "reconnecting"
            await asyncio.sleep(self._backoff())

    def _backoff(self) -> float:
        return backoff_delay(
            self.stats.consecutive_failures, base_s=self.backoff_base_s, max_s=self.backoff_max_s
        )

    async def _session(self) -> None:
        """One connection's life; always ends in an exception (a drop is a failure to recover)."""
        token = await self.client.get_ws_token()  # always fresh: old tokens may have expired
        self.stats.tokens_fetched += 1
        server = token.instance_servers[0]
        connect_id = uuid.uuid4().hex
        url = f"{server.endpoint}?token={token.token}&connectId={connect_id}"
        interval_s = server.ping_interval / 1000
        silence_s = (server.ping_interval + server.ping_timeout) / 1000
        # Without a bound, closing a peer that stopped answering waits aiohttp's default 10 s.
        timeout = aiohttp.ClientWSTimeout(ws_close=server.ping_timeout / 1000)
        self.stats.state = "connecting"
        self._went_silent = False
        async with self.client.http.ws_connect(
            url, heartbeat=None, autoping=True, timeout=timeout
        ) as ws:
            await self._await_welcome(ws, connect_id)
            self._last_frame_at = time.monotonic()
            self.stats.connections += 1
            self.stats.consecutive_failures = 0
            self.stats.state = "streaming"
            try:
                await self._follow(ws)
                pinger = asyncio.create_task(self._ping(ws, interval_s, silence_s))
                try:
                    await self._read(ws)
                finally:
                    pinger.cancel()
                    await asyncio.wait([pinger])  # unlike awaiting it, keeps our own cancel
                    if not pinger.cancelled() and (error := pinger.exception()) is not None:
                        raise error  # a failed ping send ends the session with its error
            finally:
                self._ws = None
        if self._went_silent:
            raise TimeoutError(f"no frame for {silence_s:g} s (pingInterval + pingTimeout)")
        raise ConnectionError(f"WebSocket closed (code {ws.close_code})")

    async def _await_welcome(self, ws: aiohttp.ClientWebSocketResponse, connect_id: str) -> None:
        async with asyncio.timeout(WELCOME_TIMEOUT_S):
            message = await ws.receive()
        frame = _json(message)
        if frame.get("type") != "welcome":
            raise ConnectionError(f"expected welcome, got {frame or message.type!r}")

    async def _follow(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Make the welcomed `ws` the live connection and subscribe the current set on it."""
        async with self._sync_lock:
            self._ws = ws
            self._subscribed = set()
            await self._send_difference(ws)

    async def _send_difference(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Unsubscribe what is no longer followed, subscribe what is new (caller holds the lock)."""
        gone, new = self._subscribed - self._symbols, self._symbols - self._subscribed
        await self._send_topics(ws, "unsubscribe", gone)
        await self._send_topics(ws, "subscribe", new)

    async def _send_topics(
        self, ws: aiohttp.ClientWebSocketResponse, kind: str, symbols: set[str]
    ) -> None:
        ordered = sorted(symbols)
        for start in range(0, len(ordered), SYMBOLS_PER_SUBSCRIBE):
            batch = ordered[start : start + SYMBOLS_PER_SUBSCRIBE]
            await ws.send_json(
                {
                    "id": uuid.uuid4().hex,
                    "type": kind,
                    "topic": TOPIC_PREFIX + ",".join(batch),
                    "privateChannel": False,
                    "response": True,
                }
            )
            if kind == "subscribe":
                self._subscribed.update(batch)
            else:
                self._subscribed.difference_update(batch)

    async def _ping(
        self, ws: aiohttp.ClientWebSocketResponse, interval_s: float, silence_s: float
    ) -> None:
        """Ping every `interval_s`; close `ws` once nothing has arrived for `silence_s`."""
        next_ping = time.monotonic() + interval_s
        while not ws.closed:
            now = time.monotonic()
            deadline = self._last_frame_at + silence_s
            if now >= deadline:
                self._went_silent = True
                logger.warning(
                    "ticker stream silent for %.1f s; closing", now - self._last_frame_at
                )
                await ws.close(message=b"no pong")
                return
            if now >= next_ping:
                await ws.send_json({"id": uuid.uuid4().hex, "type": "ping"})
                next_ping = now + interval_s
            await asyncio.sleep(min(next_ping, deadline) - now)

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            self._last_frame_at = time.monotonic()
            frame = _json(message)
            if frame.get("type") == "message" and frame.get("subject") == "tickerV2":
                self._handle_ticker(frame.get("data"))
            elif frame.get("type") == "error":
                logger.warning("ticker stream error frame: %s", frame)

    def _handle_ticker(self, data: object) -> None:
        try:
            ticker = TickerV2.model_validate(data)
            if ticker.symbol not in self._symbols:
                return  # unfollowed: pushed before the unsubscribe took effect
            symbol = self.converter.to_standard(ticker.symbol)
        except (ValidationError, ExchangeError) as exc:
            logger.warning("ignored malformed ticker frame: %s", exc)
            return
        now = utcnow()
        self.stats.messages += 1
        self.stats.last_message_at = now
        tick = StreamTick(symbol, ticker.best_bid_price, ticker.best_ask_price, ticker.at, now)
        try:
            self.on_tick(tick)
        except Exception:
            logger.exception("on_tick failed for %s; the stream carries on", symbol)


def _json(message: aiohttp.WSMessage) -> dict[str, object]:
    if message.type is not aiohttp.WSMsgType.TEXT:
        return {}
    try:
        frame = json.loads(message.data)
    except ValueError:
        return {}
    return frame if isinstance(frame, dict) else {}
