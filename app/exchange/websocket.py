"""TickerStream: KuCoin's public WebSocket `tickerV2` feed, reconnecting with a fresh token.

Protocol (KUCOIN.md §4): POST bullet-public for a token and server, connect with
`?token=…&connectId=…`, wait for `welcome`, subscribe (≤ 100 topics per message, symbols
comma-separated), ping every `pingInterval` ms. Any drop or expired token → new token, new
connection, resubscribe, with bounded exponential backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import aiohttp
from pydantic import ValidationError

from app.db.types import utcnow
from app.exchange.client import KucoinFuturesClient
from app.exchange.errors import ExchangeError
from app.exchange.models import TickerV2
from app.exchange.symbols import SymbolConverter

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
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._task: asyncio.Task[None] | None = None

    async def set_symbols(self, symbols: set[str]) -> None:
        """Follow these canonical symbols; subscribes the new ones on the live connection."""
        self._symbols = {self.converter.to_kucoin(s) for s in symbols}
        if self._ws is not None and not self._ws.closed:
            await self._subscribe(self._ws, self._symbols - self._subscribed)

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(), name="kucoin-ticker-stream")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
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
        failures = max(self.stats.consecutive_failures, 1)
        ceiling = min(self.backoff_max_s, self.backoff_base_s * 2 ** (failures - 1))
        return ceiling / 2 + random.random() * ceiling / 2

    async def _session(self) -> None:
        """One connection's life; always ends in an exception (a drop is a failure to recover)."""
        token = await self.client.get_ws_token()  # always fresh: old tokens may have expired
        self.stats.tokens_fetched += 1
        server = token.instance_servers[0]
        connect_id = uuid.uuid4().hex
        url = f"{server.endpoint}?token={token.token}&connectId={connect_id}"
        self.stats.state = "connecting"
        async with self.client.http.ws_connect(url, heartbeat=None, autoping=True) as ws:
            self._ws = ws
            self._subscribed = set()
            try:
                await self._await_welcome(ws, connect_id)
                self.stats.connections += 1
                self.stats.consecutive_failures = 0
                self.stats.state = "streaming"
                await self._subscribe(ws, self._symbols)
                pinger = asyncio.create_task(self._ping(ws, server.ping_interval / 1000))
                try:
                    await self._read(ws)
                finally:
                    pinger.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await pinger
            finally:
                self._ws = None
        raise ConnectionError(f"WebSocket closed (code {ws.close_code})")

    async def _await_welcome(self, ws: aiohttp.ClientWebSocketResponse, connect_id: str) -> None:
        async with asyncio.timeout(WELCOME_TIMEOUT_S):
            message = await ws.receive()
        frame = _json(message)
        if frame.get("type") != "welcome":
            raise ConnectionError(f"expected welcome, got {frame or message.type!r}")

    async def _subscribe(self, ws: aiohttp.ClientWebSocketResponse, symbols: set[str]) -> None:
        ordered = sorted(symbols)
        for start in range(0, len(ordered), SYMBOLS_PER_SUBSCRIBE):
            batch = ordered[start : start + SYMBOLS_PER_SUBSCRIBE]
            await ws.send_json(
                {
                    "id": uuid.uuid4().hex,
                    "type": "subscribe",
                    "topic": TOPIC_PREFIX + ",".join(batch),
                    "privateChannel": False,
                    "response": True,
                }
            )
            self._subscribed.update(batch)

    async def _ping(self, ws: aiohttp.ClientWebSocketResponse, interval_s: float) -> None:
        while not ws.closed:
            await asyncio.sleep(interval_s)
            await ws.send_json({"id": uuid.uuid4().hex, "type": "ping"})

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            frame = _json(message)
            if frame.get("type") == "message" and frame.get("subject") == "tickerV2":
                self._handle_ticker(frame.get("data"))
            elif frame.get("type") == "error":
                logger.warning("ticker stream error frame: %s", frame)

    def _handle_ticker(self, data: object) -> None:
        try:
            ticker = TickerV2.model_validate(data)
            symbol = self.converter.to_standard(ticker.symbol)
        except (ValidationError, ExchangeError) as exc:
            logger.warning("ignored malformed ticker frame: %s", exc)
            return
        now = utcnow()
        self.stats.messages += 1
        self.stats.last_message_at = now
        self.on_tick(
            StreamTick(symbol, ticker.best_bid_price, ticker.best_ask_price, ticker.at, now)
        )


def _json(message: aiohttp.WSMessage) -> dict[str, object]:
    if message.type is not aiohttp.WSMsgType.TEXT:
        return {}
    try:
        frame = json.loads(message.data)
    except ValueError:
        return {}
    return frame if isinstance(frame, dict) else {}
