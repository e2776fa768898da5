"""Contracts for weights, replacement, rebalance, sizing, correlation, PnL and analytics."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.schemas.bounds import MAX_POSITIONS, at_most
from app.schemas.common import (
    IsoDateTime,
    NonNegativeMoney,
    Percent,
    PositiveMoney,
    SignedMoney,
    SymbolText,
)
from app.schemas.recorded import recorded_example

LOTS_LIMIT = 10**12  # lots of one contract: more is a typing error

FROM_OBJECTS = ConfigDict(from_attributes=True)
Positions = Annotated[
    dict[SymbolText, Annotated[int, Field(ge=-LOTS_LIMIT, le=LOTS_LIMIT)]], *at_most(MAX_POSITIONS)
]


class WeightsRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("WeightsRead")
    )

    method: str
    weights: dict[str, Decimal] = Field(description="Percent per member, summing to 100.")
    inputs: dict[str, Any] = Field(description="What the calculation read.")
    relaxed_caps: list[str] = Field(
        description="Caps no weights could meet with this many members, relaxed to 100/n."
    )


class ConfirmationRead(BaseModel):
    model_config = FROM_OBJECTS

    run_id: int
    member_score: float | None
    outsider_score: float | None
    lead: float | None


class RecommendationRead(BaseModel):
    model_config = FROM_OBJECTS

    member: str
    member_rank: int
    member_score: float | None
    outsider: str | None
    outsider_score: float | None
    lead: float | None
    held_hours: float
    confirmations: list[ConfirmationRead]
    max_correlation: float | None
    most_correlated_with: str | None
    reasons: list[str]
    blocking: list[str]
    actionable: bool


class ReplacementCandidatesRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("ReplacementCandidatesRead")
    )

    evaluated_at: datetime
    run_ids: list[int] = Field(description="Scoring runs the hysteresis read, newest first.")
    recommendations: list[RecommendationRead]


class RebalanceRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"dry_run": True, "account_balance": 25000}]},
    )

    dry_run: bool = False
    account_balance: PositiveMoney | None = Field(default=None, description="USDT.")
    positions: Positions | None = Field(
        default=None,
        description="The engine's current lots per symbol (at most "
        f"{MAX_POSITIONS}); without it the current weights' implied lots are used.",
    )
    force: bool = Field(default=False, description="Rebalance on stale inputs (admin only).")


class WeightChangeRead(BaseModel):
    model_config = FROM_OBJECTS

    symbol: str
    current_weight: Decimal
    target_weight: Decimal
    difference: Decimal
    above_threshold: bool
    applied: bool


class OrderLineRead(BaseModel):
    model_config = FROM_OBJECTS

    symbol: str
    target_weight_pct: float
    target_notional_usdt: float
    current_contracts: int
    target_contracts: int
    delta_contracts: int
    delta_notional_usdt: float
    side: str | None
    skipped_reason: str | None


class RebalanceRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("RebalanceRead")
    )

    evaluated_at: datetime
    request_id: str | None = Field(description="The request that ran this rebalance.")
    dry_run: bool
    method: str
    threshold_pct: float
    changes: list[WeightChangeRead]
    applied: int
    history_id: int | None
    orders: list[OrderLineRead]
    account_balance: float | None
    stale_inputs: list[str]
    forced: bool


class PositionSizeRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("PositionSizeRead"))

    symbol: str
    weight_pct: Decimal
    price: float
    price_source: str
    notional_usdt: float
    capped: bool
    cap_reason: str | None
    contracts: int = Field(description="Lots, a multiple of the contract's lot size.")
    contract_notional_usdt: float
    max_leverage: int
    min_margin_usdt: float
    volatility: float | None
    volatility_adjusted: bool
    volatility_scale: float | None


class CorrelationRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("CorrelationRead")
    )

    window_hours: int
    symbols: list[str]
    matrix: list[list[float | None]]
    limit: float
    pairs_over_limit: list[CorrelatedPair]
    average_pairwise: float | None
    clusters: list[list[str]]
    beta_to_btc: dict[str, float | None]
    common_hours: int


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


class PerformanceCreate(BaseModel):
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
    pnl_since_inclusion: Decimal
    max_drawdown: Decimal
    win_rate: float | None
    included_at: datetime


class StatisticsRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("StatisticsRead")
    )

    members: int
    max_symbols: int
    weights: dict[str, float]
    scores: dict[str, float | None]
    herfindahl: float | None = Field(description="Sum of squared weight fractions.")
    effective_members: float | None = Field(description="1 / HHI.")
    sectors: dict[str, float]


class RiskReportRead(BaseModel):
    model_config = FROM_OBJECTS

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
