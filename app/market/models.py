"""The market domain's tables: the contract universe (`symbol`), its candles and their gaps,
where the candles came from, and the funding settlements."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.core.clock import utcnow
from app.platform.db.base import Base
from app.platform.db.types import ExactDecimal, JSONType, UTCDateTime


class Symbol(Base):
    """One KuCoin futures contract, in canonical form, with its specs and latest market snapshot."""

    __tablename__ = "symbol"
    __table_args__ = (
        CheckConstraint("lot_size > 0", name="lot_size_positive"),
        CheckConstraint("tick_size > 0", name="tick_size_positive"),
        CheckConstraint("max_leverage >= 1", name="max_leverage_positive"),
        CheckConstraint(
            "category_override IS NULL OR category_override IN "
            "('crypto', 'stablecoin', 'commodity', 'equity')",
            name="category_override_known",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str] = mapped_column(String(40), unique=True)
    kucoin_symbol: Mapped[str] = mapped_column(String(40), unique=True)
    # ccxt's unified form, stored at sync: reads name a member without the live contract list
    ccxt_symbol: Mapped[str | None] = mapped_column(String(60))
    base_currency: Mapped[str] = mapped_column(String(30))
    quote_currency: Mapped[str] = mapped_column(String(10))
    settle_currency: Mapped[str] = mapped_column(String(30))
    contract_type: Mapped[str] = mapped_column(String(10))
    is_inverse: Mapped[bool] = mapped_column(Boolean, default=False)
    lot_size: Mapped[Decimal] = mapped_column(ExactDecimal(28, 10))
    tick_size: Mapped[Decimal] = mapped_column(ExactDecimal(28, 12))
    multiplier: Mapped[Decimal] = mapped_column(ExactDecimal(28, 12))
    max_leverage: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    is_eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    eligibility_reason: Mapped[str | None] = mapped_column(String(60))
    sector: Mapped[str | None] = mapped_column(String(40))
    # An admin's category (app.market.contracts.categories); None: the table and the peg rule
    # decide.
    category_override: Mapped[str | None] = mapped_column(String(20))
    # What KuCoin's contract row says the underlying is (`assetClass`: CRYPTO, METAL, COMMODITY,
    # STOCK), as last synced; None: the row did not say.
    asset_class: Mapped[str | None] = mapped_column(String(20))
    # The data rule's last verdict (app.market.contracts.trading_sessions), its figures and the
    # UTC day (epoch ms of its 00:00) it decided for; None: it has not run on this contract.
    category_data: Mapped[str | None] = mapped_column(String(20))
    category_figures: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    category_data_day_ms: Mapped[int | None] = mapped_column(BigInteger)
    mark_price: Mapped[float | None] = mapped_column(Double)
    index_price: Mapped[float | None] = mapped_column(Double)
    last_price: Mapped[float | None] = mapped_column(Double)
    turnover_24h: Mapped[float | None] = mapped_column(Double)
    volume_24h: Mapped[float | None] = mapped_column(Double)
    open_interest_lots: Mapped[float | None] = mapped_column(Double)
    funding_rate: Mapped[float | None] = mapped_column(Double)
    funding_interval_ms: Mapped[int | None] = mapped_column(BigInteger)
    listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    market_data_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(Text)


class Candle(Base):
    """One OHLCV bar; `fetched_at` keeps when we learned it (point-in-time replay)."""

    __tablename__ = "candle"
    __table_args__ = (
        CheckConstraint("granularity_min > 0", name="granularity_positive"),
        CheckConstraint("high >= low", name="high_not_below_low"),
        CheckConstraint("volume >= 0", name="volume_not_negative"),
        # Every symbol's candles of one hour or range (the track record, replays' history).
        Index("ix_candle_granularity_open_time", "granularity_min", "open_time"),
        # What was stored since a moment (the forward record's check of its kept window).
        Index("ix_candle_fetched_at", "fetched_at"),
    )

    symbol_id: Mapped[int] = mapped_column(
        ForeignKey("symbol.id", ondelete="CASCADE"), primary_key=True
    )
    granularity_min: Mapped[int] = mapped_column(Integer, primary_key=True)
    open_time: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    open: Mapped[float] = mapped_column(Double)
    high: Mapped[float] = mapped_column(Double)
    low: Mapped[float] = mapped_column(Double)
    close: Mapped[float] = mapped_column(Double)
    volume: Mapped[float] = mapped_column(Double)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MarketDataSource(Base):
    """Where the stored candles came from: for each kind of source that filled some (`live`
    KuCoin, the `simulator`, a `custom` URL), the open times of the candles it stored, first to
    last, and when it last stored one (`app.market.repository.MarketDataSourceRepository`)."""

    __tablename__ = "market_data_source"
    __table_args__ = (
        CheckConstraint("source IN ('live', 'simulator', 'custom')", name="source_known"),
        CheckConstraint("last_open_time >= first_open_time", name="ordered"),
    )

    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    first_open_time: Mapped[datetime] = mapped_column(UTCDateTime)
    last_open_time: Mapped[datetime] = mapped_column(UTCDateTime)
    last_stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CandleGap(Base):
    """A run of candles KuCoin did not return: recorded, never papered over."""

    __tablename__ = "candle_gap"
    __table_args__ = (
        UniqueConstraint("symbol_id", "granularity_min", "gap_start"),
        CheckConstraint("gap_end >= gap_start", name="ordered"),
        CheckConstraint("missing_count >= 1", name="missing_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol_id: Mapped[int] = mapped_column(ForeignKey("symbol.id", ondelete="CASCADE"))
    granularity_min: Mapped[int] = mapped_column(Integer)
    gap_start: Mapped[datetime] = mapped_column(UTCDateTime)
    gap_end: Mapped[datetime] = mapped_column(UTCDateTime)
    missing_count: Mapped[int] = mapped_column(Integer)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FundingSettlement(Base):
    """One funding settlement of a contract, stored as first seen (history for replays)."""

    __tablename__ = "funding_settlement"
    __table_args__ = (Index("ix_funding_settlement_fetched_at", "fetched_at"),)

    symbol_id: Mapped[int] = mapped_column(
        ForeignKey("symbol.id", ondelete="CASCADE"), primary_key=True
    )
    settled_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    rate: Mapped[float] = mapped_column(Double)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FundingChecked(Base):
    """Until when a contract's funding settlements were last asked of KuCoin (nothing new can
    appear before the next settlement after it)."""

    __tablename__ = "funding_checked"

    symbol_id: Mapped[int] = mapped_column(
        ForeignKey("symbol.id", ondelete="CASCADE"), primary_key=True
    )
    checked_until: Mapped[datetime] = mapped_column(UTCDateTime)
