"""The portfolio's analytics: correlation, reported PnL, statistics and risk ratios."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.market.schemas import MarketData
from app.platform.schemas.common import (
    DecimalNumber,
    IsoDateTime,
    NonNegativeMoney,
    Percent,
    RequestBody,
    SignedMoney,
    SymbolText,
)
from app.platform.schemas.recorded import recorded_example


class CorrelationRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("CorrelationRead")
    )

    window_hours: int
    symbols: list[str]
    matrix: list[list[float | None]]
    correlation_limit: float = Field(description="The runtime setting correlation_limit.")
    pairs_over_limit: list[CorrelatedPair]
    average_pairwise: float | None
    clusters: list[list[str]]
    beta_to_btc: dict[str, float | None]
    common_hours: int
    market_data: MarketData = None


class CorrelatedPair(BaseModel):
    """Two members whose correlation is over the limit."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"a": "ETHUSDT", "b": "SOLUSDT", "correlation": 0.91}]}
    )

    a: str
    b: str
    correlation: float

    @model_validator(mode="before")
    @classmethod
    def _from_triple(cls, value: Any) -> Any:
        if isinstance(value, tuple | list) and len(value) == 3:
            return dict(zip(("a", "b", "correlation"), value, strict=True))
        return value


class PerformanceCreate(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "symbol": "SOLUSDT",
                    "pnl": 125.5,
                    "timestamp": "2026-11-23T06:00:00Z",
                    "pnl_pct": 2.4,
                    "notional": 5074.25,
                }
            ]
        },
    )

    symbol: SymbolText
    pnl: SignedMoney = Field(description="Realised plus unrealised PnL of the period, USDT.")
    timestamp: IsoDateTime
    pnl_pct: Percent | None = None
    notional: NonNegativeMoney | None = None


class PerformanceRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("PerformanceRead")
    )

    symbol: str
    records: int
    pnl_since_inclusion: DecimalNumber
    max_drawdown: DecimalNumber
    win_rate: float | None
    included_at: datetime


class StatisticsRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("StatisticsRead")
    )

    member_count: int
    max_symbols: int
    weights: dict[str, float]
    composite_summary: dict[str, float | None] = Field(
        description="min, max and mean of the members' latest composite scores."
    )
    herfindahl: float | None = Field(description="Sum of squared weight fractions.")
    effective_members: float | None = Field(description="1 / HHI.")
    sectors: dict[str, float]


class RiskReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    observations: int
    mean: float
    volatility: float | None
    sharpe: float | None
    sortino: float | None
    calmar: float | None
    max_drawdown: float
    var: float
    es: float
    level: float


class MetricsRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("MetricsRead")
    )

    window_hours: int
    observations: int
    members_used: list[str]
    periods: str = "hourly returns of the current weights, annualised over 8760 h"
    report: RiskReportRead | None
    market_data: MarketData = None
