"""The target weights' building blocks (`MySymbolsService.weights_for` weighs): the caps a member
count can meet, the volatilities and risk weights computed in the reads worker, what a weighting
read, and its refusals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypedDict

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.models import Symbol
from app.platform.core.errors import ConflictError
from app.portfolio.decision_inputs import in_reads_worker
from app.portfolio.maths.heavy_reads import risk_weights
from app.portfolio.policy.weight_rules import (
    MIN_COMMON_HOURS,
    InsufficientReturns,
    effective_bounds,
)
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


async def weights_from_returns(
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
