"""Target weights of a member set (`calculate_dynamic_weights`): gather inputs, apply caps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypedDict

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.models import Symbol
from app.market.service import market_data_between
from app.platform.core.errors import ConflictError, ValidationFailedError
from app.portfolio.decision_inputs import in_reads_worker, latest_scores
from app.portfolio.maths.heavy_reads import risk_weights
from app.portfolio.maths.weighting import (
    METHODS,
    NEEDS_RETURNS,
    SCORE_METHODS,
    InfeasibleWeights,
    calculate_weights,
    liquidity_upper_bounds,
)
from app.portfolio.policy.weight_rules import (
    MIN_COMMON_HOURS,
    InsufficientReturns,
    effective_bounds,
    to_percent,
)
from app.portfolio.schemas.allocation import WeightsRead
from app.portfolio.settings import PortfolioConfig


class WeightsInfeasible(ConflictError):
    slug, title = "weights-infeasible", "The weight caps cannot all hold"


class InsufficientMarketData(ConflictError):
    slug, title = "insufficient-market-data", "Not enough stored market data for this"


class WeightInputs(TypedDict, total=False):
    """What a weighting read, as its audit row keeps it (under `weighting`)."""

    score_run_id: int | None
    unscored: list[str]
    lookback_hours: int
    volatility_annualised: dict[str, float]
    liquidity_cap_pct: dict[str, float | None]
    effective_bounds_pct: dict[str, float]  # min, max
    decided_at: str  # the policy book's decision its weights are (the autopilot's)


def caps_for(n: int, config: PortfolioConfig) -> tuple[float, float, list[str]]:
    """The caps n members can meet (see `app.portfolio.policy.weight_rules.effective_bounds`)."""
    return effective_bounds(n, config.policy.min_weight, config.policy.max_weight)


async def calculate_dynamic_weights(
    session: AsyncSession,
    symbols: Sequence[Symbol],
    config: PortfolioConfig,
    *,
    now: datetime,
    method: str | None = None,
) -> WeightsRead:
    """Weights for `symbols` by the configured (or given) method, within every cap: percent
    per canonical symbol, 4 decimals, summing to 100."""
    method = method or config.policy.weighting_method
    if method not in METHODS:
        raise ValidationFailedError(
            f"unknown weighting method {method!r}", extra={"methods": list(METHODS)}
        )
    if not symbols:
        return WeightsRead(method=method, weights={}, inputs={}, relaxed_caps=[])
    ids = [s.id for s in symbols]
    scores = await latest_scores(session, ids)
    liquidity = None
    if config.liquidity_reference_balance > 0:
        depth = np.array([scores.depth_usdt.get(i, np.nan) for i in ids])
        liquidity = liquidity_upper_bounds(
            depth, config.liquidity_reference_balance, config.liquidity_max_depth_share
        )
    low, high, relaxed = caps_for(len(symbols), config)
    weigh = partial(
        calculate_weights,
        method,
        scores=np.array([scores.composite.get(i, 0.0) for i in ids]),
        min_weight=low,
        max_weight=high,
        liquidity_upper=liquidity,
    )
    volatilities = None
    try:
        if method in NEEDS_RETURNS:
            volatilities, raw = await _risk_weights(session, symbols, config, now, weigh)
        else:
            raw = weigh(volatilities=None, covariance=None)
    except InfeasibleWeights as exc:
        raise WeightsInfeasible(str(exc), extra={"cap": exc.cap}) from exc
    inputs: WeightInputs = {"score_run_id": scores.run.id if scores.run else None}
    if method in SCORE_METHODS:
        inputs["unscored"] = [s.symbol for s in symbols if s.id not in scores.composite]
    if volatilities is not None:
        inputs["lookback_hours"] = config.policy.weights_lookback_hours
        inputs["volatility_annualised"] = {
            s.symbol: round(float(v), 6) for s, v in zip(symbols, volatilities, strict=True)
        }
    if liquidity is not None:
        inputs["liquidity_cap_pct"] = {
            s.symbol: None if not np.isfinite(c) else round(float(c), 4)
            for s, c in zip(symbols, liquidity, strict=True)
        }
    if relaxed:
        inputs["effective_bounds_pct"] = {"min": round(low, 6), "max": round(high, 6)}
    upper = np.full(len(symbols), high) if liquidity is None else np.minimum(high, liquidity)
    weights = dict(zip([s.symbol for s in symbols], to_percent(raw, upper), strict=True))
    read_hours = max(
        config.policy.weights_lookback_hours if volatilities is not None else 0,
        int(scores.run.config.get("candles", 0)) if scores.run and method in SCORE_METHODS else 0,
    )
    market_data = None
    if read_hours:  # weights from prices or from scores: where their candles came from
        since = now - timedelta(hours=read_hours)
        market_data = await market_data_between(session, since, now)
    return WeightsRead(
        method=method,
        weights=weights,
        inputs=inputs,
        relaxed_caps=relaxed,
        market_data=market_data,
    )


async def _risk_weights(
    session: AsyncSession,
    symbols: Sequence[Symbol],
    config: PortfolioConfig,
    now: datetime,
    weigh: Callable[..., np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """The volatilities over the lookback and the weights `weigh` gives with them and the
    covariance, computed in the reads worker."""
    hours = config.policy.weights_lookback_hours
    try:
        return await in_reads_worker(session, symbols, hours, now, risk_weights, weigh)
    except InsufficientReturns as exc:
        extra: dict[str, Any] = {}
        if exc.common_hours < MIN_COMMON_HOURS:
            extra = {
                "common_hours": exc.common_hours,
                "without_candles": [symbols[i].symbol for i in exc.without],
            }
        raise InsufficientMarketData(str(exc), extra=extra or None) from exc
