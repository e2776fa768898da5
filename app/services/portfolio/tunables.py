"""The portfolio's tunables, read from `system_configuration` in the caller's transaction: the
decision policy's settings (`app/policy/config.py`, shared with the replay) and the settings
only a live portfolio has (data age, order-book depth, the sizing target)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.policy.config import POLICY_KEYS, PolicySettings, policy_from_settings
from app.services.settings.registry import read_settings

LIVE_KEYS = (
    "stale_data_limit_s",
    "liquidity_reference_balance_usdt",
    "liquidity_max_depth_share",
    "target_volatility",
)


@dataclass(frozen=True)
class PortfolioConfig:
    policy: PolicySettings
    stale_data_limit_s: float
    liquidity_reference_balance: float
    liquidity_max_depth_share: float
    target_volatility: float


async def load_portfolio_config(session: AsyncSession) -> PortfolioConfig:
    """The policy's settings and the live portfolio's own, in one read."""
    v = await read_settings(session, (*POLICY_KEYS, *LIVE_KEYS))
    return PortfolioConfig(
        policy=policy_from_settings(v),
        stale_data_limit_s=float(v["stale_data_limit_s"]),
        liquidity_reference_balance=float(v["liquidity_reference_balance_usdt"]),
        liquidity_max_depth_share=float(v["liquidity_max_depth_share"]),
        target_volatility=float(v["target_volatility"]),
    )
