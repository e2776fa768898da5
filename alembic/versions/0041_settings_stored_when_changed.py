"""settings stored only when changed: drop the rows of `system_configuration` that merely copy
a default, so that a default lives in code alone (each runtime setting is declared beside the rule
that reads it, and a setting without a row is at its declared default).

A row is such a copy when the migrations wrote it (`updated_by = 'migration'`) and it still holds
the value they seeded (`SEEDED`, as of this revision): the same JSON value, a number equal as a
number (some seeds wrote `40` for the default `40.0`), a boolean as a boolean. A row an operator set
(`PUT /config` writes the operator's name), or one whose value differs from the seed, stays; so
does every row of `configuration_change`. `GET /config` answers with the same values: a missing
row reads as its default, the value the dropped row held (a number seeded as `40` now reads as
its declared `40.0`).

The database's own cap on active ranks (the `portfolio_member_rank_within_max` triggers, which
read `max_portfolio_symbols` from the table) would lapse without its row: it now falls back to the
setting's declared default, `RANK_CAP_DEFAULT` (a trigger cannot read Python; a test holds the two
equal, so a release changing the default changes the triggers with it).

The downgrade seeds the missing rows again, as the migrations before it left them, and restores
the triggers as they were.

Revision ID: 0041
Revises: 0040
Create Date: 2026-11-28 09:00:00+00:00
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0041"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MIGRATION = "migration"

RANK_CAP_DEFAULT = 10  # max_portfolio_symbols' declared default (app/scoring/scorers/shortlist.py)

# The rank cap, as migration 0001 wrote it (`fallback` None) and with a fallback when no row is
# stored: PostgreSQL's function, SQLite's two triggers.
POSTGRES_RANK_CAP = """
CREATE OR REPLACE FUNCTION portfolio_member_rank_within_max() RETURNS trigger AS $$
DECLARE max_symbols integer;
BEGIN
    IF NEW.status = 'active' THEN
        SELECT floor((value #>> '{{}}')::numeric)::integer INTO max_symbols
          FROM system_configuration WHERE key = 'max_portfolio_symbols';
        {fallback}
        IF max_symbols IS NOT NULL AND NEW.rank > max_symbols THEN
            RAISE EXCEPTION 'portfolio rank % exceeds max_portfolio_symbols %',
                NEW.rank, max_symbols USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql
"""
SQLITE_RANK_CAP = """
CREATE TRIGGER portfolio_member_rank_within_max_{event}
BEFORE {event} ON portfolio_member
WHEN NEW.status = 'active' AND NEW.rank > {cap}
BEGIN SELECT RAISE(ABORT, 'portfolio rank exceeds max_portfolio_symbols'); END
"""
SQLITE_STORED_CAP = (
    "(SELECT CAST(json_extract(value, '$') AS INTEGER) FROM system_configuration "
    "WHERE key = 'max_portfolio_symbols')"
)


def _rank_cap(fallback: int | None) -> None:
    if op.get_bind().dialect.name == "postgresql":
        line = "" if fallback is None else f"max_symbols := COALESCE(max_symbols, {fallback});"
        op.execute(POSTGRES_RANK_CAP.format(fallback=line))
        return
    cap = SQLITE_STORED_CAP if fallback is None else f"COALESCE({SQLITE_STORED_CAP}, {fallback})"
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS portfolio_member_rank_within_max_{event}")
        op.execute(SQLITE_RANK_CAP.format(event=event, cap=cap))


# Every runtime setting's seeded value and description as the migrations before this one left
# them (frozen here: the declarations in code may change their defaults later).
SEEDED: dict[str, tuple[object, str]] = {
    "alert_check_interval_s": (300, "Seconds between alert checks."),
    "alert_cooldown_s": (900, "A resolved alert that recurs within this reopens its row."),
    "alert_low_score": (40.0, "A member whose latest composite is below this: low_score."),
    "alert_max_drawdown_pct": (25.0, "A member's drawdown since inclusion above (percent)."),
    "alert_max_loss_pct": (15.0, "A member down more than this since inclusion (percent)."),
    "as_run_record_interval_s": (
        600,
        "Seconds between as-run record updates (the track_record job: each marks the hours "
        "whose candles are stored).",
    ),
    "auto_replace_exits": (
        True,
        "A member that must exit (delisted, not Open, expiring, Paused or stale past "
        "exit_grace_hours) is replaced by the scoring run; false: only proposed. With "
        "autopilot on, only proposed: the policy book's hourly pass makes the change.",
    ),
    "autopilot": (
        False,
        "Each hour the forward record marks (the forward_record job), the real portfolio "
        "follows the policy book's decision, as actor autopilot: its members (replacements, "
        "exits, vacancies filled) and its target weights, so the as-run record equals the "
        "policy's. False: replacements stay proposals.",
    ),
    "correlation_limit": (0.85, "Highest allowed correlation of a newcomer with a member."),
    "correlation_window_hours": (168, "Default window of the correlation check, hours."),
    "evidence_refresh_interval_s": (
        604800,
        "Seconds between walk-forward calibrations of the stored history (the evidence).",
    ),
    "excluded_categories": (
        ["stablecoin", "commodity", "equity"],
        "Contract categories never scored, picked or added (gate code "
        "excluded:category:<name>): any of crypto, stablecoin, commodity, equity.",
    ),
    "exit_grace_hours": (
        24,
        "Hours a member's contract may stay Paused, or its candles stale, before it exits "
        "without waiting for the replacement hysteresis.",
    ),
    "forward_record_interval_s": (
        600,
        "Seconds between forward record updates (the forward_record job: each marks the hours"
        " whose candles are stored).",
    ),
    "gate_max_abs_bar_return": (0.5, "Largest |log return| of one candle (EXTREME_MOVE)."),
    "gate_max_gap_ratio": (0.02, "Largest share of missing candles (CANDLE_GAPS)."),
    "gate_max_ticker_age_s": (300, "Oldest book/ticker a score may use (STALE_TICKER)."),
    "gate_min_history": (200, "Fewest candles a symbol needs (INSUFFICIENT_HISTORY)."),
    "liquidity_max_depth_share": (0.1, "Largest share of a member's 1% depth one notional takes."),
    "liquidity_reference_balance_usdt": (0, "Balance the liquidity cap is checked at; 0: off."),
    "max_portfolio_symbols": (10, "Most active portfolio members (ranks 1..n enforced)."),
    "max_position_weight": (25.0, "Largest weight of an active member, percent."),
    "min_holding_hours": (24, "Hours a member is held before it may be replaced."),
    "min_position_weight": (2.0, "Smallest weight of an active member, percent."),
    "rebalance_interval_s": (86400, "Seconds between automatic rebalances (when enabled)."),
    "rebalance_threshold_pct": (1.0, "Weight changes above this many points are applied."),
    "replacement_candidates": (2, "How many bottom members are replacement candidates."),
    "replacement_confirmation_hours": (
        24,
        "Hours the lead must hold: in every scoring run back to one this long before the "
        "latest (0: the latest alone), whatever the scoring cadence.",
    ),
    "replacement_margin": (5.0, "Composite points an outsider must lead a candidate by."),
    "replay_max_decision_members": (
        100000,
        "Most decisions x members one POST /replays may ask for (a year of hourly decisions "
        "for 10 members is 87 600); more is a 422.",
    ),
    "replay_time_limit_s": (
        3600,
        "Longest a replay, calibration or what-if run computes (seconds); past it, the run "
        "stops and ends failed (`run-time-limit`).",
    ),
    "retention_alert_days": (
        90,
        "Days a resolved alert is kept (open and acknowledged ones stay; and at least "
        "alert_cooldown_s, within which a recurrence reopens it).",
    ),
    "retention_batch_rows": (1000, "Most rows one retention transaction deletes or updates."),
    "retention_breakdown_days": (
        30,
        "Days a run keeps its inputs and its per-component score rows with their metric "
        "breakdowns (the composite, with its component scores, stays).",
    ),
    "retention_event_days": (14, "Days event outbox rows and webhook deliveries are kept."),
    "retention_interval_s": (3600, "Seconds between retention passes."),
    "retention_job_run_days": (90, "Days finished job runs are kept (each job's last stays)."),
    "retention_replay_days": (
        90,
        "Days an ended replay, calibration or what-if run is kept with its report (each "
        "kind's newest succeeded run, and each configuration's newest succeeded calibration, "
        "stay).",
    ),
    "retention_score_days": (400, "Days a run and its composite scores are kept."),
    "retention_signal_days": (
        90,
        "Days a decided or expired signal is kept (a pending one always; one whose outcome is"
        " not measured yet until its longest horizon, 24 h, ended this long ago). The agents'"
        " weights learn from the measured signals kept.",
    ),
    "score_refresh_interval_s": (900, "Seconds between scoring runs."),
    "scoring_candles": (500, "Hourly candles per symbol the scorer reads."),
    "scoring_max_abs_funding": (0.01, "Stage 1 skips contracts with |funding| above this."),
    "scoring_min_listing_days": (3, "Stage 1 skips contracts listed more recently than this."),
    "scoring_rotation": (
        True,
        "Also score the rest of the eligible universe, oldest first, each contract hourly.",
    ),
    "scoring_shortlist": (150, "Stage 2 scores this many contracts (stage-1 rank) + members."),
    "scoring_weight_budget": (
        1000,
        "KuCoin weight a scoring run may spend in all; its core is paid even past it.",
    ),
    "signal_approve_share": (
        0.5,
        "A signal is approved when the approving weight x confidence exceeds this share of "
        "the voting agents'.",
    ),
    "signal_max_funding_carry_bps": (
        10.0,
        "The fundamental agent rejects a BUY whose longs pay more funding than this per 8 h (bps).",
    ),
    "signal_max_spread_bps": (20.0, "The liquidity agent rejects a wider spread (bps)."),
    "signal_max_volatility": (1.5, "The risk agent rejects a higher annualised volatility."),
    "signal_process_interval_s": (60, "Seconds between signal processing passes."),
    "signal_quorum": (2, "Agents that must vote (not abstain) for a consensus."),
    "stale_data_limit_s": (1800, "Data older than this is stale; automatic changes freeze."),
    "target_volatility": (0.8, "Annualised volatility a volatility-adjusted size aims at."),
    "timeline_max_days": (
        366,
        "Longest range one GET /portfolio/timeline answers (days): a longer one is a 422, and"
        " without `from` it starts this long before `to` at most.",
    ),
    "track_record_fee_bps": (6.0, "Taker fee the track record pays on traded notional (bps)."),
    "track_record_interval_s": (
        600,
        "Superseded by as_run_record_interval_s and forward_record_interval_s; read by no "
        "job, and removed in a later release.",
    ),
    "track_record_slippage_bps": (0.0, "Slippage the track record pays on traded notional (bps)."),
    "universe_sync_interval_s": (3600, "Seconds between universe syncs."),
    "weighting_method": (
        "score",
        "score | score_squared | rank | equal | inverse_volatility | risk_parity | hrp.",
    ),
    "weights_lookback_hours": (500, "Hourly candles used for volatility and covariance."),
}


def _configuration() -> sa.TableClause:
    return sa.table(
        "system_configuration",
        sa.column("key", sa.String),
        sa.column("value", JSON),
        sa.column("description", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(value: object, seeded: object) -> bool:
    if _number(value) and _number(seeded):
        return value == seeded
    return json.dumps(value, sort_keys=True) == json.dumps(seeded, sort_keys=True)


def upgrade() -> None:
    _rank_cap(RANK_CAP_DEFAULT)
    configuration = _configuration()
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(configuration.c.key, configuration.c.value).where(
            configuration.c.updated_by == MIGRATION
        )
    ).all()
    copies = [key for key, value in rows if key in SEEDED and _same(value, SEEDED[key][0])]
    if copies:
        bind.execute(sa.delete(configuration).where(configuration.c.key.in_(copies)))


def downgrade() -> None:
    configuration = _configuration()
    present = set(op.get_bind().scalars(sa.select(configuration.c.key)).all())
    now = datetime.now(UTC)
    rows = [
        {
            "key": key,
            "value": value,
            "description": description,
            "updated_at": now,
            "updated_by": MIGRATION,
        }
        for key, (value, description) in SEEDED.items()
        if key not in present
    ]
    if rows:
        op.bulk_insert(configuration, rows)
    _rank_cap(None)
