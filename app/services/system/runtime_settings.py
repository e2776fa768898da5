"""The registry of runtime settings: every `system_configuration` key the service reads, with its
default and meaning. The migrations seed exactly these values (a test holds them together); code
reads a setting only through this module, so a default is written once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories.config import ConfigRepository


@dataclass(frozen=True)
class RuntimeSetting:
    key: str
    default: Any
    description: str


RUNTIME_SETTINGS: tuple[RuntimeSetting, ...] = tuple(
    RuntimeSetting(key, default, description)
    for key, default, description in [
        # portfolio
        ("max_portfolio_symbols", 10, "Most active portfolio members (ranks 1..n enforced)."),
        ("min_position_weight", 2.0, "Smallest weight of an active member, percent."),
        ("max_position_weight", 25.0, "Largest weight of an active member, percent."),
        (
            "weighting_method",
            "score",
            "score | score_squared | rank | equal | inverse_volatility | risk_parity | hrp.",
        ),
        ("rebalance_threshold_pct", 1.0, "Weight changes above this many points are applied."),
        ("replacement_candidates", 2, "How many bottom members are replacement candidates."),
        ("replacement_margin", 5.0, "Composite points an outsider must lead a candidate by."),
        ("replacement_confirmations", 2, "Consecutive scoring runs the lead must hold."),
        ("min_holding_hours", 24, "Hours a member is held before it may be replaced."),
        ("correlation_limit", 0.85, "Highest allowed correlation of a newcomer with a member."),
        ("stale_data_limit_s", 1800, "Data older than this is stale; automatic changes freeze."),
        ("liquidity_reference_balance_usdt", 0, "Balance the liquidity cap is checked at; 0: off."),
        (
            "liquidity_max_depth_share",
            0.1,
            "Largest share of a member's 1% depth one notional takes.",
        ),
        ("weights_lookback_hours", 500, "Hourly candles used for volatility and covariance."),
        ("correlation_window_hours", 168, "Default window of the correlation check, hours."),
        ("target_volatility", 0.8, "Annualised volatility a volatility-adjusted size aims at."),
        # scoring
        ("scoring_shortlist", 150, "Stage 2 scores this many contracts (stage-1 rank) + members."),
        ("scoring_candles", 500, "Hourly candles per symbol the scorer reads."),
        ("scoring_min_listing_days", 3, "Stage 1 skips contracts listed more recently than this."),
        ("scoring_max_abs_funding", 0.01, "Stage 1 skips contracts with |funding| above this."),
        (
            "scoring_rotation",
            True,
            "Also score the rest of the eligible universe, oldest first, each contract hourly.",
        ),
        ("gate_min_history", 200, "Fewest candles a symbol needs (INSUFFICIENT_HISTORY)."),
        ("gate_max_gap_ratio", 0.02, "Largest share of missing candles (CANDLE_GAPS)."),
        ("gate_max_ticker_age_s", 300, "Oldest book/ticker a score may use (STALE_TICKER)."),
        ("gate_max_abs_bar_return", 0.5, "Largest |log return| of one candle (EXTREME_MOVE)."),
        # alerts
        ("alert_low_score", 40.0, "A member whose latest composite is below this: low_score."),
        ("alert_max_loss_pct", 15.0, "A member down more than this since inclusion (percent)."),
        ("alert_max_drawdown_pct", 25.0, "A member's drawdown since inclusion above (percent)."),
        ("alert_cooldown_s", 900, "A resolved alert that recurs within this reopens its row."),
        # signals
        ("signal_max_spread_bps", 20.0, "The liquidity agent rejects a wider spread (bps)."),
        ("signal_max_volatility", 1.5, "The risk agent rejects a higher annualised volatility."),
        # jobs (seconds between runs)
        ("universe_sync_interval_s", 3600, "Seconds between universe syncs."),
        ("score_refresh_interval_s", 900, "Seconds between scoring runs."),
        ("alert_check_interval_s", 300, "Seconds between alert checks."),
        ("signal_process_interval_s", 60, "Seconds between signal processing passes."),
        ("rebalance_interval_s", 86400, "Seconds between automatic rebalances (when enabled)."),
        (
            "evidence_refresh_interval_s",
            604800,
            "Seconds between walk-forward calibrations of the stored history (the evidence).",
        ),
    ]
)
DEFAULTS: dict[str, Any] = {s.key: s.default for s in RUNTIME_SETTINGS}


def default_of(key: str) -> Any:
    """The registered default of `key` (KeyError for a key nobody registered)."""
    return DEFAULTS[key]


async def read_settings(session: AsyncSession, keys: Iterable[str]) -> dict[str, Any]:
    """The stored value of each key, or its registered default when not stored."""
    return await ConfigRepository(session).get_many({key: DEFAULTS[key] for key in keys})


async def read_setting(session: AsyncSession, key: str) -> Any:
    return (await read_settings(session, [key]))[key]
