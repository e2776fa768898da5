"""The portfolio's runtime settings: the decision policy's (`app/portfolio/policy/settings.py`,
shared with the replay; `load_policy`, the one loader the live services read the policy through),
and those only a live portfolio has (data age, order-book depth, the sizing target, exits,
autopilot, the timeline's range, the automatic rebalance's period), read from the store in the
caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from app.market.settings import STALE_DATA_LIMIT_S
from app.platform.settings_store.declaration import DAY, INTERVAL, Bounds, between, declare
from app.platform.settings_store.fields import declared_settings, reads, setting
from app.platform.settings_store.reader import read_typed
from app.portfolio.policy.settings import PolicySettings

AUTO_REPLACE_EXITS = declare(
    "auto_replace_exits",
    True,
    "A member that must exit (delisted, not Open, expiring, Paused or stale past "
    "exit_grace_hours) is replaced by the scoring run; false: only proposed. With autopilot on,"
    " only proposed: the policy book's hourly pass makes the change.",
    Bounds("boolean"),
)
AUTOPILOT_ON = declare(
    "autopilot",
    False,
    "Each hour the forward record marks (the forward_record job), the real portfolio follows "
    "the policy book's decision, as actor autopilot: its members (replacements, exits, "
    "vacancies filled) and its target weights, so the as-run record equals the policy's. False:"
    " replacements stay proposals.",
    Bounds("boolean"),
)
# Declared here, the lowest of its readers (an exit's alert, the alerts, retention).
ALERT_COOLDOWN_S = declare(
    "alert_cooldown_s",
    900,
    "A resolved alert that recurs within this reopens its row.",
    between(0, 30 * DAY),
)
TIMELINE_MAX_DAYS = declare(
    "timeline_max_days",
    366,
    "Longest range one GET /portfolio/timeline answers (days): a longer one is a 422, and "
    "without `from` it starts this long before `to` at most.",
    between(1, 3650),
)
REBALANCE_INTERVAL_S = declare(
    "rebalance_interval_s",
    DAY,
    "Seconds between automatic rebalances (when enabled).",
    INTERVAL,
)


@dataclass(frozen=True)
class PortfolioConfig:
    policy: PolicySettings  # its fields name their settings
    stale_data_limit_s: float = field(metadata=reads(STALE_DATA_LIMIT_S))
    liquidity_reference_balance: float = field(
        metadata=setting(
            "liquidity_reference_balance_usdt",
            0,
            "Balance the liquidity cap is checked at; 0: off.",
            between(0, 1e12, "number"),
        )
    )
    liquidity_max_depth_share: float = field(
        metadata=setting(
            "liquidity_max_depth_share",
            0.1,
            "Largest share of a member's 1% depth one notional takes.",
            between(0.001, 1),
        )
    )
    target_volatility: float = field(
        metadata=setting(
            "target_volatility",
            0.8,
            "Annualised volatility a volatility-adjusted size aims at.",
            between(0.01, 10),
        )
    )


async def load_portfolio_config(session: AsyncSession) -> PortfolioConfig:
    """The policy's settings and the live portfolio's own, in one read."""
    return await read_typed(session, PortfolioConfig)


async def load_policy(session: AsyncSession) -> PolicySettings:
    """The policy's settings in force (stored, or their declared defaults)."""
    return await read_typed(session, PolicySettings)


SETTINGS = (
    *declared_settings(PortfolioConfig),
    AUTO_REPLACE_EXITS,
    AUTOPILOT_ON,
    ALERT_COOLDOWN_S,
    TIMELINE_MAX_DAYS,
    REBALANCE_INTERVAL_S,
)
