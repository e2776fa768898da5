"""KuCoin futures payloads parsed at the edge into typed, immutable models.

Field names follow KuCoin's camelCase through aliases. Core fields are required (a missing one is
a `BadResponse`); fields KuCoin added over time, or that the crawler's static list lacks, are
optional and stay `None` rather than becoming zero. Unknown keys are ignored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from app.platform.core.units import from_epoch_ms


class KucoinModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True
    )


def ns_to_datetime(ns: int) -> datetime:
    seconds, rem = divmod(ns, 1_000_000_000)
    return datetime.fromtimestamp(seconds, tz=UTC).replace(microsecond=rem // 1000)


def _positive(value: float) -> float:
    if value <= 0:
        raise ValueError("must be positive")
    return value


PositiveFloat = Annotated[float, AfterValidator(_positive)]


class Contract(KucoinModel):
    """A row of `contracts/active` (or `contracts/{symbol}`)."""

    symbol: str
    root_symbol: str
    type: str
    status: str
    base_currency: str
    quote_currency: str
    settle_currency: str
    multiplier: float
    lot_size: PositiveFloat
    tick_size: PositiveFloat
    max_leverage: int = Field(ge=1)
    is_inverse: bool
    first_open_date: int | None = None
    expire_date: int | None = None
    market_stage: str | None = None
    open_interest: float | None = None  # lots; KuCoin sends a string
    funding_fee_rate: float | None = None
    funding_rate_granularity: int | None = None
    next_funding_rate_time: int | None = None  # a countdown in ms, not a timestamp
    next_funding_rate_date_time: int | None = None
    turnover_of_24h: float | None = Field(default=None, alias="turnoverOf24h")
    volume_of_24h: float | None = Field(default=None, alias="volumeOf24h")
    mark_price: float | None = None
    index_price: float | None = None
    last_trade_price: float | None = None
    price_chg_pct: float | None = None
    # What KuCoin says the underlying is (CRYPTO, METAL, COMMODITY, STOCK), as sent; rows before
    # 2026 lack it.
    asset_class: str | None = Field(default=None, alias="assetClass")

    @field_validator("asset_class", mode="before")
    @classmethod
    def _asset_class_is_a_word(cls, value: object) -> str | None:
        return value if isinstance(value, str) and value.strip() else None

    @field_validator("turnover_of_24h")
    @classmethod
    def _turnover_is_unsigned(cls, value: float | None) -> float | None:
        # Inverse contracts have been recorded with a negative turnover.
        return abs(value) if value is not None else None

    @property
    def is_perpetual(self) -> bool:
        return self.type == "FFWCSX"

    @property
    def listed_at(self) -> datetime | None:
        return from_epoch_ms(self.first_open_date) if self.first_open_date else None

    @property
    def expires_at(self) -> datetime | None:
        return from_epoch_ms(self.expire_date) if self.expire_date else None


class Kline(KucoinModel):
    """One `kline/query` row `[time_ms, open, high, low, close, volume_lots]`."""

    open_time_ms: int
    open: float
    high: float
    low: float
    close: float
    volume: float

    @classmethod
    def from_row(cls, row: object) -> Kline:
        if not isinstance(row, list | tuple) or len(row) < 6:
            raise ValueError(f"kline row must have 6 values, got {row!r}")
        names = ("open_time_ms", "open", "high", "low", "close", "volume")
        return cls.model_validate(dict(zip(names, row[:6], strict=True)))

    @property
    def open_time(self) -> datetime:
        return from_epoch_ms(self.open_time_ms)


class FundingHistoryRow(KucoinModel):
    """`contract/funding-rates` row; note the lower-case `timepoint`."""

    symbol: str
    funding_rate: float
    timepoint: int = Field(alias="timepoint")

    @property
    def at(self) -> datetime:
        return from_epoch_ms(self.timepoint)


class OrderBook(KucoinModel):
    """`level2/depth{20,100}` or `level2/snapshot`: bids descending, asks ascending, lots."""

    symbol: str
    sequence: int
    bids: list[tuple[float, float]]
    asks: list[tuple[float, float]]
    ts: int

    @property
    def at(self) -> datetime:
        return ns_to_datetime(self.ts)


class InstanceServer(KucoinModel):
    endpoint: str
    encrypt: bool
    protocol: str
    ping_interval: int
    ping_timeout: int


class WsToken(KucoinModel):
    """`bullet-public`: a token (valid ~24 h) and where to connect, with the ping cadence."""

    token: str
    instance_servers: list[InstanceServer] = Field(min_length=1)


class TickerV2(KucoinModel):
    """Data of a `/contractMarket/tickerV2:{symbol}` push."""

    symbol: str
    sequence: int
    best_bid_price: float
    best_bid_size: int
    best_ask_price: float
    best_ask_size: int
    ts: int

    @property
    def mid(self) -> float:
        return (self.best_bid_price + self.best_ask_price) / 2

    @property
    def at(self) -> datetime:
        return ns_to_datetime(self.ts)


class Ticker(TickerV2):
    """`GET /api/v1/ticker`: the push's fields and the last trade; prices arrive as strings,
    sizes in lots, `ts` in nanoseconds."""

    price: float
    size: int
    side: str | None = None
    trade_id: str | None = None
