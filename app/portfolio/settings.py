"""The portfolio's runtime settings, read from `system_configuration` in the caller's transaction:
the decision policy's (`app/portfolio/policy/settings.py`, shared with the replay; `load_policy`,
the one loader the live services read the policy through) and those only a live portfolio has
(data age, order-book depth, the sizing target)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from app.portfolio.policy.settings import PolicySettings
from app.settings.registry import read_typed
from app.settings.typed.setting import setting


@dataclass(frozen=True)
class PortfolioConfig:
    policy: PolicySettings  # its fields name their settings
    stale_data_limit_s: float = field(metadata=setting("stale_data_limit_s"))
    liquidity_reference_balance: float = field(metadata=setting("liquidity_reference_balance_usdt"))
    liquidity_max_depth_share: float = field(metadata=setting("liquidity_max_depth_share"))
    target_volatility: float = field(metadata=setting("target_volatility"))


async def load_portfolio_config(session: AsyncSession) -> PortfolioConfig:
    """The policy's settings and the live portfolio's own, in one read."""
    return await read_typed(session, PortfolioConfig)


async def load_policy(session: AsyncSession) -> PolicySettings:
    """The policy's settings stored in `system_configuration` (or their registered defaults)."""
    return await read_typed(session, PolicySettings)
