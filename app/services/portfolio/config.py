"""The portfolio's tunables, read from `system_configuration` in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories.config import ConfigRepository

DEFAULTS: dict[str, Any] = {
    "max_portfolio_symbols": 10,
    "min_position_weight": 2.0,
    "max_position_weight": 25.0,
    "weighting_method": "score",
    "rebalance_threshold_pct": 1.0,
    "replacement_candidates": 2,
    "replacement_margin": 5.0,
    "replacement_confirmations": 2,
    "min_holding_hours": 24,
    "correlation_limit": 0.85,
    "stale_data_limit_s": 1800,
    "liquidity_reference_balance_usdt": 0,
    "liquidity_max_depth_share": 0.1,
    "weights_lookback_hours": 500,
    "correlation_window_hours": 168,
    "target_volatility": 0.8,
}


@dataclass(frozen=True)
class PortfolioConfig:
    max_symbols: int
    min_weight: float
    max_weight: float
    weighting_method: str
    rebalance_threshold_pct: float
    replacement_candidates: int
    replacement_margin: float
    replacement_confirmations: int
    min_holding_hours: float
    correlation_limit: float
    stale_data_limit_s: float
    liquidity_reference_balance: float
    liquidity_max_depth_share: float
    weights_lookback_hours: int
    correlation_window_hours: int
    target_volatility: float


async def load_portfolio_config(session: AsyncSession) -> PortfolioConfig:
    v = await ConfigRepository(session).get_many(DEFAULTS)
    return PortfolioConfig(
        max_symbols=int(v["max_portfolio_symbols"]),
        min_weight=float(v["min_position_weight"]),
        max_weight=float(v["max_position_weight"]),
        weighting_method=str(v["weighting_method"]),
        rebalance_threshold_pct=float(v["rebalance_threshold_pct"]),
        replacement_candidates=int(v["replacement_candidates"]),
        replacement_margin=float(v["replacement_margin"]),
        replacement_confirmations=int(v["replacement_confirmations"]),
        min_holding_hours=float(v["min_holding_hours"]),
        correlation_limit=float(v["correlation_limit"]),
        stale_data_limit_s=float(v["stale_data_limit_s"]),
        liquidity_reference_balance=float(v["liquidity_reference_balance_usdt"]),
        liquidity_max_depth_share=float(v["liquidity_max_depth_share"]),
        weights_lookback_hours=int(v["weights_lookback_hours"]),
        correlation_window_hours=int(v["correlation_window_hours"]),
        target_volatility=float(v["target_volatility"]),
    )
