"""KucoinGateway: market data in canonical symbols; the only exchange object services see."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from app.kucoin.breaker import BreakerSnapshot
from app.kucoin.client import KucoinFuturesClient
from app.kucoin.exchange_errors import ExchangeError
from app.kucoin.models import Contract
from app.kucoin.ratelimit import BudgetSnapshot
from app.kucoin.symbols import SymbolConverter, info_from_contract
from app.platform.core.clock import utcnow
from app.platform.core.units import from_epoch_ms, to_epoch_ms

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ContractInfo:
    """A listed contract in canonical terms, with its latest market snapshot."""

    symbol: str
    kucoin_symbol: str
    ccxt_symbol: str
    base: str
    quote: str
    settle: str
    contract_type: str
    is_perpetual: bool
    is_inverse: bool
    status: str
    lot_size: float
    tick_size: float
    multiplier: float
    max_leverage: int
    listed_at: datetime | None
    expires_at: datetime | None
    market_stage: str | None
    asset_class: str | None  # KuCoin's `assetClass`, as sent; None on older rows
    open_interest_lots: float | None
    funding_rate: float | None
    funding_interval_ms: int | None
    next_funding_at: datetime | None
    turnover_24h: float | None
    volume_24h: float | None
    mark_price: float | None
    index_price: float | None
    last_price: float | None
    price_change_pct: float | None


@dataclass(frozen=True)
class Quote:
    symbol: str
    last: float
    bid: float
    ask: float
    at: datetime

    @property
    def mid(self) -> float:
        return (self.bid + self.ask) / 2


@dataclass(frozen=True)
class CandleBar:
    open_time: datetime
    open: float
    high: float
    low: float
    close: float
    volume: float

    @property
    def is_possible(self) -> bool:
        prices = (self.open, self.high, self.low, self.close)
        return (
            all(math.isfinite(p) and p > 0 for p in prices)
            and self.high >= self.low
            and math.isfinite(self.volume)
            and self.volume >= 0
        )


@dataclass(frozen=True)
class OrderBookView:
    symbol: str
    bids: list[tuple[float, float]]
    asks: list[tuple[float, float]]
    at: datetime


@dataclass(frozen=True)
class FundingPoint:
    at: datetime
    rate: float


class KucoinGateway:
    def __init__(self, client: KucoinFuturesClient, converter: SymbolConverter) -> None:
        self.client = client
        self.converter = converter

    @property
    def source(self) -> str:
        return self.client.base_url

    @property
    def source_kind(self) -> str:
        """`live`, `simulator` or `custom`: what the source's last answer said it is."""
        return self.client.source_kind

    def breaker(self) -> BreakerSnapshot:
        return self.client.breaker.snapshot()

    def budget(self) -> BudgetSnapshot:
        return self.client.limiter.snapshot()

    async def free_weight(self) -> int:
        """Weight KuCoin's window has free now (every replica's spend, when shared)."""
        return await self.client.limiter.available()

    async def list_contracts(self) -> list[ContractInfo]:
        """Every listed contract; also (re)loads the converter from this list."""
        contracts = await self.client.get_active_contracts()
        self.converter.load(contracts)
        fetched_at = utcnow()
        return [_contract_info(c, fetched_at) for c in contracts]

    async def ensure_converter_quietly(self) -> None:
        """Load the contract list if not yet loaded; on failure the string rules stand in."""
        if self.converter.is_loaded:
            return
        try:
            await self.list_contracts()
        except ExchangeError as exc:
            logger.warning("contract list unavailable (%s); using symbol string rules", exc.slug)

    async def canonical(self, symbol: str) -> str:
        """Any symbol form (canonical, KuCoin's, ccxt's) as the canonical one, e.g. BTCUSDT."""
        await self.ensure_converter_quietly()
        return self.converter.to_standard(symbol)

    async def get_quote(self, symbol: str) -> Quote:
        info = self.converter.resolve(symbol)
        ticker = await self.client.get_ticker(info.kucoin)
        return Quote(
            info.canonical, ticker.price, ticker.best_bid_price, ticker.best_ask_price, ticker.at
        )

    async def get_candles(
        self, symbol: str, granularity_min: int, start: datetime, end: datetime
    ) -> list[CandleBar]:
        """Candles whose open time lies in [start, end], oldest first. A bar no market can print
        (a price not finite and positive, high under low, a negative or non-finite volume) is
        left out: the store records it as a gap, never as a price."""
        kucoin = self.converter.to_kucoin(symbol)
        klines = await self.client.get_klines(
            kucoin, granularity_min, to_epoch_ms(start), to_epoch_ms(end)
        )
        bars = [CandleBar(k.open_time, k.open, k.high, k.low, k.close, k.volume) for k in klines]
        kept = [bar for bar in bars if bar.is_possible]
        if len(kept) < len(bars):
            logger.warning("%s: %d impossible candle(s) left out", symbol, len(bars) - len(kept))
        return kept

    async def get_book_top(self, symbol: str, levels: int) -> OrderBookView:
        """The best `levels` per side at the lowest weight (the full book, truncated)."""
        info = self.converter.resolve(symbol)
        book = await self.client.get_book_top(info.kucoin, levels)
        return OrderBookView(info.canonical, book.bids, book.asks, book.at)

    async def get_funding_history(
        self, symbol: str, start: datetime, end: datetime
    ) -> list[FundingPoint]:
        kucoin = self.converter.to_kucoin(symbol)
        rows = await self.client.get_funding_history(kucoin, to_epoch_ms(start), to_epoch_ms(end))
        return [FundingPoint(r.at, r.funding_rate) for r in rows]


def _contract_info(contract: Contract, fetched_at: datetime) -> ContractInfo:
    info = info_from_contract(contract)
    next_funding = None
    if contract.next_funding_rate_date_time:
        next_funding = from_epoch_ms(contract.next_funding_rate_date_time)
    elif contract.next_funding_rate_time is not None:  # a countdown, not a timestamp
        next_funding = fetched_at + timedelta(milliseconds=contract.next_funding_rate_time)
    return ContractInfo(
        symbol=info.canonical,
        kucoin_symbol=contract.symbol,
        ccxt_symbol=info.ccxt,
        base=info.base,
        quote=info.quote,
        settle=info.settle,
        contract_type=contract.type,
        is_perpetual=contract.is_perpetual,
        is_inverse=contract.is_inverse,
        status=contract.status,
        lot_size=contract.lot_size,
        tick_size=contract.tick_size,
        multiplier=abs(contract.multiplier),
        max_leverage=contract.max_leverage,
        listed_at=contract.listed_at,
        expires_at=contract.expires_at,
        market_stage=contract.market_stage,
        asset_class=contract.asset_class,
        open_interest_lots=contract.open_interest,
        funding_rate=contract.funding_fee_rate,
        funding_interval_ms=contract.funding_rate_granularity,
        next_funding_at=next_funding,
        turnover_24h=contract.turnover_of_24h,
        volume_24h=contract.volume_of_24h,
        mark_price=contract.mark_price,
        index_price=contract.index_price,
        last_price=contract.last_trade_price,
        price_change_pct=contract.price_chg_pct,
    )


class WithGateway(Protocol):
    """What a job that reads KuCoin takes from the app's state: its one gateway."""

    @property
    def gateway(self) -> KucoinGateway: ...
