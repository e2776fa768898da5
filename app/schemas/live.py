"""The live track record's contract: `GET /evidence/live`."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

STRATEGY_NAMES = "policy, btc_hold, equal_weight, top_volume, momentum and random"


class LiveFigures(BaseModel):
    """One strategy over a window, after costs; fractions, None where undefined."""

    total_return: float | None
    cagr: float | None
    volatility: float | None
    sharpe: float | None
    max_drawdown: float | None
    turnover: float | None = Field(description="Mean sum of |weight change| per decision.")
    fees: float | None = Field(description="Paid in the window, as a fraction of the start.")


class AgainstUniverse(BaseModel):
    """The policy's daily returns regressed on the universe's (the `equal_weight` book)."""

    n: int
    alpha: float | None
    alpha_annualised: float | None
    alpha_se: float | None
    alpha_t: float | None
    alpha_se_hac: float | None = Field(None, description="Newey-West standard error of alpha.")
    alpha_t_hac: float | None = Field(
        None, description="alpha / its Newey-West SE (lags floor(4 (n / 100) ^ (2 / 9)))."
    )
    alpha_interval: list[float | None]
    alpha_interval_annualised: list[float | None]
    beta: float | None
    active_return: float | None = Field(description="Annualised mean of policy - universe.")
    tracking_error: float | None
    information_ratio: float | None


class LiveWindow(BaseModel):
    from_: datetime = Field(alias="from")
    to: datetime
    complete: bool = Field(description="False when the record is shorter than the window.")
    strategies: dict[str, LiveFigures] = Field(description=f"{STRATEGY_NAMES}.")
    against_universe: AgainstUniverse | None


class Segment(BaseModel):
    """A span under one configuration (a changed configuration hash starts a new one)."""

    config_hash: str
    from_: datetime = Field(alias="from")
    to: datetime
    decisions: int


class ReplacementOutcomes(BaseModel):
    """Each replacement's newcomer return minus the replaced member's over the horizon."""

    horizon_days: int
    n: int
    mean: float | None
    hit_rate: float | None
    hit_interval: list[float | None] = Field(description="95 % Wilson interval.")


class LiveEvidenceRead(BaseModel):
    inception: datetime = Field(description="The hour of the first decision: equity 1.0 there.")
    marked_to: datetime = Field(description="The last hour marked.")
    updated_at: datetime
    hours: int
    gap_hours: int = Field(
        description="Hours marked while a symbol the policy held had no candle (carried)."
    )
    decisions: int
    segments: list[Segment]
    windows: dict[str, LiveWindow] = Field(description="since_inception, last_30d and last_90d.")
    replacements: ReplacementOutcomes
    equity: dict[str, list[list[float]]] = Field(
        description=f"[epoch ms, equity] of {STRATEGY_NAMES}, at most 1 000 points each."
    )
