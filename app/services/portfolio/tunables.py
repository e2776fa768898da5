"""The portfolio's tunables, read from `system_configuration` in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.services.settings.registry import read_settings

KEYS = (
    "max_portfolio_symbols",
    "min_position_weight",
    "max_position_weight",
    "weighting_method",
    "rebalance_threshold_pct",
    "replacement_candidates",
    "replacement_margin",
    "replacement_confirmation_hours",
    "min_holding_hours",
    "correlation_limit",
    "stale_data_limit_s",
    "liquidity_reference_balance_usdt",
    "liquidity_max_depth_share",
    "weights_lookback_hours",
    "correlation_window_hours",
    "target_volatility",
    "exit_grace_hours",
)


@dataclass(frozen=True)
class PortfolioConfig:
    max_symbols: int
    min_weight: float
    max_weight: float
    weighting_method: str
    rebalance_threshold_pct: float
    replacement_candidates: int
    replacement_margin: float
    replacement_confirmation_hours: float
    min_holding_hours: float
    correlation_limit: float
    stale_data_limit_s: float
    liquidity_reference_balance: float
    liquidity_max_depth_share: float
    weights_lookback_hours: int
    correlation_window_hours: int
    target_volatility: float
    exit_grace_hours: float


async def load_portfolio_config(session: AsyncSession) -> PortfolioConfig:
    v = await read_settings(session, KEYS)
    return PortfolioConfig(
        max_symbols=int(v["max_portfolio_symbols"]),
        min_weight=float(v["min_position_weight"]),
        max_weight=float(v["max_position_weight"]),
        weighting_method=str(v["weighting_method"]),
        rebalance_threshold_pct=float(v["rebalance_threshold_pct"]),
        replacement_candidates=int(v["replacement_candidates"]),
        replacement_margin=float(v["replacement_margin"]),
        replacement_confirmation_hours=float(v["replacement_confirmation_hours"]),
        min_holding_hours=float(v["min_holding_hours"]),
        correlation_limit=float(v["correlation_limit"]),
        stale_data_limit_s=float(v["stale_data_limit_s"]),
        liquidity_reference_balance=float(v["liquidity_reference_balance_usdt"]),
        liquidity_max_depth_share=float(v["liquidity_max_depth_share"]),
        weights_lookback_hours=int(v["weights_lookback_hours"]),
        correlation_window_hours=int(v["correlation_window_hours"]),
        target_volatility=float(v["target_volatility"]),
        exit_grace_hours=float(v["exit_grace_hours"]),
    )
