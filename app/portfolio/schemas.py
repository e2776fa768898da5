"""The portfolio's contracts: members, changes, replacement advice and the audit trail; target
weights, rebalancing (with its orders plan) and position sizes; the analytics (correlation,
reported PnL, statistics, risk ratios); the dated membership export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.market.schemas import MarketData
from app.platform.schemas.bounds import MAX_POSITIONS, at_most
from app.platform.schemas.common import (
    DecimalNumber,
    IsoDateTime,
    NonNegativeMoney,
    Percent,
    PositiveMoney,
    RequestBody,
    SignedMoney,
    StorableText,
    SymbolText,
)
from app.platform.schemas.recorded import recorded_example

FROM_OBJECTS = ConfigDict(from_attributes=True)
WEIGHTS_AS_OF = (
    "When the weights were last set: the time of the newest change in the audit trail (a "
    "membership change or a rebalance, each of which sets every member's weight); null before "
    "the first. New scores move ranks and composites, not weights, so between changes the "
    "weights need not follow the ranks (`GET /portfolio/weights` gives the targets the latest "
    "scores would set). In a past snapshot (`as_of`), the time of the change it shows."
)


# The members, their changes, replacement advice, the audit trail.


class MemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    rank: int = Field(
        description="The order to read the members in: 1 = the best latest composite among "
        "them (members without a score last). A past snapshot (`as_of`) gives the ranks the "
        "change stored, by the scores of that time."
    )
    symbol: str
    kucoin_symbol: str = Field(description="KuCoin's code, as stored at the last sync.")
    ccxt_symbol: str = Field(description="ccxt's unified form, as stored at the last sync.")
    listed: bool = Field(
        description="False when KuCoin's contract list no longer holds the contract."
    )
    weight: DecimalNumber = Field(
        description="Percent of the portfolio, as the last change set it (`weights_as_of`)."
    )
    composite: float | None
    included_at: datetime
    entry_price: DecimalNumber | None
    current_price: float | None
    price_source: str | None = Field(description="websocket, rest or stored_mark.")
    performance_pct: float | None = Field(description="Price change since inclusion, percent.")
    is_replacement_candidate: bool = Field(
        description="Among the weakest members by score: what a replacement would take first "
        "once `replaceable_from` has passed."
    )
    replaceable_from: datetime | None = Field(
        description="When its minimum holding time (runtime setting min_holding_hours) ends: "
        "before then nothing replaces it but an exit; null in a reconstructed past snapshot."
    )
    data_age_s: float | None
    stale: bool


class PortfolioRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "as_of": "2026-11-22T09:00:00Z",
                    "members": [
                        {
                            "rank": 1,
                            "symbol": "SOLUSDT",
                            "kucoin_symbol": "SOLUSDTM",
                            "ccxt_symbol": "SOL/USDT:USDT",
                            "listed": True,
                            "weight": 12.5,
                            "composite": 74.2,
                            "included_at": "2026-11-20T09:00:00Z",
                            "entry_price": 142.31,
                            "current_price": 145.02,
                            "price_source": "websocket",
                            "performance_pct": 1.904293,
                            "is_replacement_candidate": False,
                            "replaceable_from": "2026-11-21T09:00:00Z",
                            "data_age_s": 0.4,
                            "stale": False,
                        }
                    ],
                    "max_symbols": 10,
                    "total_weight": 100.0,
                    "score_run_id": 42,
                    "score_age_s": 310.2,
                    "stale": False,
                    "weights_as_of": "2026-11-21T14:00:02Z",
                    "reconstructed": False,
                }
            ]
        },
    )

    as_of: datetime
    members: list[MemberRead]
    max_symbols: int
    total_weight: DecimalNumber
    score_run_id: int | None
    score_age_s: float | None
    stale: bool
    weights_as_of: datetime | None = Field(description=WEIGHTS_AS_OF)
    reconstructed: bool = Field(description="True when read from the audit trail (as_of).")


class AddSymbol(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"symbol": "SOLUSDT", "reason": "top composite, low correlation to the members"}
            ]
        },
    )

    symbol: SymbolText
    reason: StorableText | None = Field(default=None, max_length=500)


class RemoveSymbol(AddSymbol):
    """The same fields as AddSymbol: the member to remove and why."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"symbol": "DOGEUSDT", "reason": "delisting announced"}]}
    )


class ReplaceSymbol(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "old_symbol": "DOGEUSDT",
                    "new_symbol": "ADAUSDT",
                    "reason": "replacement proposal 812",
                }
            ]
        },
    )

    old_symbol: SymbolText
    new_symbol: SymbolText
    reason: StorableText | None = Field(default=None, max_length=500)


class HistoryRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("HistoryRead")
    )

    id: int
    occurred_at: datetime
    action: str
    symbol: str | None
    replaced_symbol: str | None
    old_rank: int | None
    new_rank: int | None
    old_weight: DecimalNumber | None
    new_weight: DecimalNumber | None
    reason: str | None
    actor: str
    request_id: str | None
    details: dict[str, Any] = Field(
        description="The portfolio after the change, weights before it, how weights were made."
    )


class ChangeRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("ChangeRead"))

    change: HistoryRead
    portfolio: PortfolioRead


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
    not_before: datetime | None = Field(
        description="The earliest time it may become actionable, only while its outsider leads "
        "by the replacement margin in the newest scoring run and what blocks it ends at a time "
        "(the member's minimum holding time; that lead confirmed, should it keep leading); null "
        "when actionable now, when no outsider leads by the margin (`actionability` then names "
        "the best one and its lead), or when nothing says when (a correlation)."
    )
    actionability: str = Field(
        description="Its state in the one wording the dashboard, the command line and the demo "
        "show: `actionable now`; `not actionable before 2026-11-29 09:00 UTC` (`not_before` to "
        "the minute); `not actionable: no outsider leads by 5 points (best: SIM340USDT, -0.1)` "
        "(the margin, the best-scored outsider and its lead, signed and cut to one decimal; "
        "`not actionable: no scored, tradable outsider` when there is none); or "
        "`not actionable: ` and the blocking reasons when no time is known."
    )


class ReplacementCandidatesRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("ReplacementCandidatesRead")
    )

    evaluated_at: datetime
    run_ids: list[int] = Field(description="Scoring runs the hysteresis read, newest first.")
    recommendations: list[RecommendationRead]


# Target weights, rebalancing (with its orders plan) and position sizes.

LOTS_LIMIT = 10**12  # lots of one contract: more is a typing error

Positions = Annotated[
    dict[SymbolText, Annotated[int, Field(ge=-LOTS_LIMIT, le=LOTS_LIMIT)]], *at_most(MAX_POSITIONS)
]


class WeightsRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("WeightsRead")
    )

    method: str
    weights: dict[str, DecimalNumber] = Field(description="Percent per member, summing to 100.")
    inputs: dict[str, Any] = Field(description="What the calculation read.")
    relaxed_caps: list[str] = Field(
        description="Caps no weights could meet with this many members, relaxed to 100/n."
    )
    market_data: MarketData = None


class RebalanceRequest(RequestBody):
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
    current_weight: DecimalNumber
    target_weight: DecimalNumber
    difference: DecimalNumber
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
    changes_applied: int = Field(description="Members whose weight this rebalance changed.")
    history_id: int | None
    orders: list[OrderLineRead]
    account_balance: float | None
    stale_inputs: list[str]
    forced: bool


class PositionSizeRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("PositionSizeRead"))

    symbol: str
    weight_pct: DecimalNumber
    price: float
    price_source: str
    notional_usdt: float
    capped: bool
    cap_reason: str | None
    contracts: int = Field(description="Lots, a multiple of the contract's lot size.")
    contract_notional_usdt: float
    max_leverage: int
    min_margin_usdt: float
    volatility: float | None = Field(
        description="The member's annualised realised volatility, when `volatility_adjusted` "
        "was asked for; null otherwise."
    )
    volatility_adjusted: bool = Field(
        description="Whether the volatility scaling reduced the notional: true only when it "
        "was asked for (`?volatility_adjusted=true`) and the member's volatility is above "
        "`target_volatility`. False when it was not asked for, and when it was but the "
        "volatility is at or below the target (the scaling never raises a size): "
        "`volatility_scale` tells the two apart. The name is the request parameter's, kept for "
        "compatibility; it answers whether the size changed, not what was asked."
    )
    volatility_scale: float | None = Field(
        description="The factor the notional was multiplied by, min(1, target_volatility / "
        "volatility): 1 when the scaling was asked for and left the size as it was; null when "
        "it was not asked for."
    )
    market_data: MarketData = None


# The analytics: correlation, reported PnL, statistics, risk ratios.


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
    market_data: MarketData = None


# The dated membership export: one row per interval and member (JSON; CSV has the same rows).

ROW_EXAMPLE: dict[str, Any] = {
    "from": "2026-11-20T09:00:00Z",
    "to": "2026-11-22T09:00:00Z",
    "symbol": "SOLUSDT",
    "kucoin_symbol": "SOLUSDTM",
    "ccxt_symbol": "SOL/USDT:USDT",
    "weight": 55.0,
    "rank": 1,
    "reason": "add",
    "listed": True,
}
COLUMN_NAMES: list[Any] = [
    "from",
    "to",
    "symbol",
    "kucoin_symbol",
    "ccxt_symbol",
    "weight",
    "rank",
    "reason",
    "listed",
]


class TimelineRow(BaseModel):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [ROW_EXAMPLE]})

    start: IsoDateTime = Field(alias="from", description="The interval's start (inclusive).")
    end: IsoDateTime = Field(
        alias="to",
        description="Its end (exclusive): the next change, or "
        "the range's end for an interval still open.",
    )
    symbol: str = Field(description="Canonical symbol, e.g. BTCUSDT.")
    kucoin_symbol: str = Field(description="KuCoin's code, as stored at the last sync.")
    ccxt_symbol: str = Field(description="ccxt's unified form, as stored at the last sync.")
    weight: float = Field(description="Percent; an interval's weights sum to 100.")
    rank: int = Field(ge=1)
    reason: str = Field(
        description="The decision that opened the interval: the audit row's reason (its action "
        "when none was given); in a replay exit:<code>, replaced, added or rebalance."
    )
    listed: bool = Field(
        description="False when KuCoin's contract list no longer holds the contract (or, in a "
        "replay, when the universe never held it)."
    )


class TimelineRead(BaseModel):
    model_config = ConfigDict(
        populate_by_name=True,
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-11-20T09:00:00Z",
                    "to": "2026-11-22T09:00:00Z",
                    "clamped_to_now": False,
                    "source": "audit",
                    "columns": COLUMN_NAMES,
                    "rows": [ROW_EXAMPLE],
                }
            ]
        },
    )

    start: IsoDateTime = Field(alias="from")
    end: IsoDateTime = Field(alias="to")
    clamped_to_now: bool = Field(
        description="True when the `to` asked for lay beyond now: the range ends now instead "
        "(`to` is now, and `from` too when it also lay beyond, so a range wholly in the future "
        "holds no rows): nothing is held in the future. Always false for a replay."
    )
    source: Literal["audit", "replay"] = Field(
        description="The audit trail, or a replay's decisions."
    )
    columns: list[str] = Field(description="The rows' fields, in the CSV's column order.")
    rows: list[TimelineRow] = Field(description="By interval, then rank; tiling the range.")


class Pairlist(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pairs": ["BTC/USDT:USDT", "ETH/USDT:USDT"],
                    "refresh_period": 900,
                    "ranks": {"BTC/USDT:USDT": 1, "ETH/USDT:USDT": 2},
                    "weights": {"BTC/USDT:USDT": 55.0, "ETH/USDT:USDT": 45.0},
                    "weights_as_of": "2026-11-21T14:00:02Z",
                }
            ]
        }
    )

    pairs: list[str] = Field(description="Members by rank, in ccxt's unified futures form.")
    refresh_period: int = Field(description="Seconds between scoring runs (the list may change).")
    ranks: dict[str, int] = Field(
        description="Each pair's rank (1 = first); freqtrade ignores it, a strategy may read it."
    )
    weights: dict[str, float] = Field(
        description="Each pair's weight, percent (summing to 100), as the last change set it: "
        "for stake sizing."
    )
    weights_as_of: datetime | None = Field(description=WEIGHTS_AS_OF)
