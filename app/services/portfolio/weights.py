"""Target weights of a member set (`calculate_dynamic_weights`): gather inputs, apply caps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Symbol
from app.errors import ConflictError, ValidationFailedError
from app.portfolio.covariance import shrunk_covariance
from app.portfolio.weights import InfeasibleWeights, calculate_weights, liquidity_upper_bounds
from app.services.portfolio.config import PortfolioConfig
from app.services.portfolio.market import hourly_log_returns, latest_scores

METHODS = ("score", "equal", "inverse_volatility", "risk_parity", "hrp")
NEEDS_RETURNS = ("inverse_volatility", "risk_parity", "hrp")
STEP = Decimal("0.0001")
HOURS_PER_YEAR = 24 * 365


class WeightsInfeasible(ConflictError):
    slug, title = "weights-infeasible", "The weight caps cannot all hold"


class InsufficientMarketData(ConflictError):
    slug, title = "insufficient-market-data", "Not enough stored market data for this"


@dataclass(frozen=True)
class TargetWeights:
    method: str
    weights: dict[str, Decimal]  # canonical symbol -> percent, 4 decimals, summing to 100
    inputs: dict[str, Any] = field(default_factory=dict)  # what the calculation read
    relaxed_caps: list[str] = field(default_factory=list)


def effective_bounds(n: int, config: PortfolioConfig) -> tuple[float, float, list[str]]:
    """The min/max weight caps that n members can meet while summing to 100.

    With fewer than 100/max members (a portfolio being built up) no weights can respect the
    max cap, and with more than 100/min none can respect the min cap: such a cap is relaxed to
    the equal weight 100/n and reported, never silently dropped.
    """
    low, high, relaxed = config.min_weight, config.max_weight, []
    if n * high < 100:
        high = 100.0 / n
        relaxed.append("max_position_weight")
    if n * low > 100:
        low = 100.0 / n
        relaxed.append("min_position_weight")
    return low, high, relaxed


async def calculate_dynamic_weights(
    session: AsyncSession,
    symbols: Sequence[Symbol],
    config: PortfolioConfig,
    *,
    now: datetime,
    method: str | None = None,
) -> TargetWeights:
    """Weights for `symbols` by the configured (or given) method, within every cap."""
    method = method or config.weighting_method
    if method not in METHODS:
        raise ValidationFailedError(
            f"unknown weighting method {method!r}", extra={"methods": list(METHODS)}
        )
    if not symbols:
        return TargetWeights(method, {})
    ids = [s.id for s in symbols]
    scores = await latest_scores(session, ids)
    inputs: dict[str, Any] = {"score_run_id": scores.run.id if scores.run else None}
    volatilities = covariance = None
    if method == "score":
        inputs["unscored"] = [s.symbol for s in symbols if s.id not in scores.composite]
    if method in NEEDS_RETURNS:
        volatilities, covariance = await _risk_inputs(session, symbols, config, now)
        inputs["lookback_hours"] = config.weights_lookback_hours
        inputs["volatility_annualised"] = {
            s.symbol: round(float(v), 6) for s, v in zip(symbols, volatilities, strict=True)
        }
    liquidity = None
    if config.liquidity_reference_balance > 0:
        depth = np.array([scores.depth_usdt.get(i, np.nan) for i in ids])
        liquidity = liquidity_upper_bounds(
            depth, config.liquidity_reference_balance, config.liquidity_max_depth_share
        )
        inputs["liquidity_cap_pct"] = {
            s.symbol: None if not np.isfinite(c) else round(float(c), 4)
            for s, c in zip(symbols, liquidity, strict=True)
        }
    low, high, relaxed = effective_bounds(len(symbols), config)
    if relaxed:
        inputs["effective_bounds_pct"] = {"min": round(low, 6), "max": round(high, 6)}
    try:
        raw = calculate_weights(
            method,
            scores=np.array([scores.composite.get(i, 0.0) for i in ids]),
            volatilities=volatilities,
            covariance=covariance,
            min_weight=low,
            max_weight=high,
            liquidity_upper=liquidity,
        )
    except InfeasibleWeights as exc:
        raise WeightsInfeasible(str(exc), extra={"cap": exc.cap}) from exc
    upper = np.full(len(symbols), high) if liquidity is None else np.minimum(high, liquidity)
    weights = dict(zip([s.symbol for s in symbols], to_percent(raw, upper), strict=True))
    return TargetWeights(method, weights, inputs, relaxed)


async def _risk_inputs(
    session: AsyncSession, symbols: Sequence[Symbol], config: PortfolioConfig, now: datetime
) -> tuple[np.ndarray, np.ndarray]:
    returns = await hourly_log_returns(session, symbols, config.weights_lookback_hours, now)
    complete = ~np.isnan(returns).any(axis=0)
    if complete.sum() < 24:
        missing = [s.symbol for s, row in zip(symbols, returns, strict=True) if np.isnan(row).all()]
        raise InsufficientMarketData(
            "fewer than 24 hours of candles common to every member; run a scoring refresh",
            extra={"common_hours": int(complete.sum()), "without_candles": missing},
        )
    aligned = returns[:, complete]
    volatilities = aligned.std(axis=1, ddof=1) * np.sqrt(HOURS_PER_YEAR)
    if not (volatilities > 0).all():
        raise InsufficientMarketData("a member's price did not move over the lookback")
    return volatilities, shrunk_covariance(aligned.T)


def to_percent(weights: np.ndarray, upper: np.ndarray | None = None) -> list[Decimal]:
    """Round to 4 decimals so they sum to exactly 100: floor, then hand the remaining 0.0001
    steps to the largest remainders (ties to the earlier member) that stay within their upper
    cap, so rounding never lifts a weight over a cap the exact weights respected."""
    exact = [Decimal(repr(float(w))) for w in weights]
    floored = [w.quantize(STEP, rounding=ROUND_DOWN) for w in exact]
    missing = int((Decimal(100) - sum(floored, Decimal(0))) / STEP)
    caps = [Decimal("Infinity")] * len(exact)
    if upper is not None:
        caps = [Decimal(repr(float(u))) if np.isfinite(u) else Decimal("Infinity") for u in upper]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floored[i]), i))
    room = [i for i in order if floored[i] + STEP <= caps[i]]
    for i in (room + [i for i in order if i not in room])[: max(missing, 0)]:
        floored[i] += STEP
    return floored
