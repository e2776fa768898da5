"""Price cache: WebSocket ticks when fresh, REST tickers otherwise, last-good when KuCoin fails."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from app.kucoin.exchange_errors import ExchangeError
from app.kucoin.gateway import KucoinGateway
from app.kucoin.websocket import StreamTick
from app.platform.core.clock import utcnow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PricePoint:
    symbol: str
    bid: float
    ask: float
    at: datetime
    source: str  # "websocket" | "rest"
    stale: bool = False

    @property
    def mid(self) -> float:
        return (self.bid + self.ask) / 2

    def age_s(self, now: datetime | None = None) -> float:
        return ((now or utcnow()) - self.at).total_seconds()


class PriceCache:
    """Live prices by canonical symbol: streamed ticks, else a REST ticker, else the last good."""

    def __init__(self, gateway: KucoinGateway, *, fresh_for_s: float = 10.0) -> None:
        self.gateway = gateway
        self.fresh_for_s = fresh_for_s
        self._prices: dict[str, PricePoint] = {}

    def on_tick(self, tick: StreamTick) -> None:
        self._prices[tick.symbol] = PricePoint(
            tick.symbol, tick.bid, tick.ask, tick.received_at, "websocket"
        )

    def peek_fresh(self, symbol: str, now: datetime) -> PricePoint | None:
        """The cached price of a canonical symbol if it is fresh, without asking KuCoin."""
        cached = self._prices.get(symbol)
        if cached is None or cached.age_s(now) > self.fresh_for_s:
            return None
        return cached

    async def get(self, symbol: str) -> PricePoint:
        """A fresh price, or the last good one marked stale; never an invented one."""
        canonical = self.gateway.converter.to_standard(symbol)
        cached = self._prices.get(canonical)
        if cached is not None and cached.age_s() <= self.fresh_for_s:
            return cached
        try:
            quote = await self.gateway.get_quote(canonical)
        except ExchangeError as exc:
            if cached is None or exc.status == 404:
                raise
            logger.warning("price for %s from cache (%s)", canonical, exc.slug)
            return replace(cached, stale=True)
        point = PricePoint(canonical, quote.bid, quote.ask, utcnow(), "rest")
        self._prices[canonical] = point
        return point
