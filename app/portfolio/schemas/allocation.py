"""The portfolio's allocation: target weights, rebalancing (with its orders plan) and position
sizes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.market.schemas import MarketData
from app.platform.schemas.bounds import MAX_POSITIONS, at_most
from app.platform.schemas.common import DecimalNumber, PositiveMoney, RequestBody, SymbolText
from app.platform.schemas.recorded import recorded_example

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
    model_config = ConfigDict(from_attributes=True)

    symbol: str
    current_weight: DecimalNumber
    target_weight: DecimalNumber
    difference: DecimalNumber
    above_threshold: bool
    applied: bool


class OrderLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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
