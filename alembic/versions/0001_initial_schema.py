"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 08:57:23.098136+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op
from app.platform.db.downgrade_guard import refuse_unless_forced

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


SEED_CONFIGURATION: list[tuple[str, object, str]] = [
    (
        "max_portfolio_symbols",
        10,
        "Most active portfolio members (ranks 1..n are enforced below it).",
    ),
    ("min_position_weight", 2.0, "Smallest weight of an active member, percent."),
    ("max_position_weight", 25.0, "Largest weight of an active member, percent."),
    ("weighting_method", "score", "score | equal | inverse_volatility | risk_parity | hrp."),
    (
        "rebalance_threshold_pct",
        1.0,
        "Weight changes above this many percentage points are applied.",
    ),
    ("replacement_candidates", 2, "How many bottom-ranked members are replacement candidates."),
    ("replacement_margin", 5.0, "Composite points an outsider must lead a candidate by."),
    ("replacement_confirmations", 2, "Consecutive scoring runs the lead must hold."),
    ("min_holding_hours", 24, "Hours a member is held before it may be replaced."),
    (
        "correlation_limit",
        0.85,
        "Highest allowed return correlation of a newcomer with any member.",
    ),
    ("universe_sync_interval_s", 3600, "Seconds between universe syncs."),
    ("score_refresh_interval_s", 900, "Seconds between scoring runs."),
    ("alert_check_interval_s", 300, "Seconds between alert checks."),
    ("rebalance_interval_s", 86400, "Seconds between automatic rebalances (when enabled)."),
    ("stale_data_limit_s", 1800, "Market data older than this is stale; automatic changes freeze."),
]

SEED_ALGORITHMS: list[tuple[str, float, dict[str, object], str]] = [
    (
        "technical",
        0.30,
        {"rsi_period": 14, "macd": [12, 26, 9], "bollinger": [20, 2.0], "volume_window": 20},
        "RSI regime, MACD histogram, Bollinger %B and bandwidth, volume vs mean, EMA trend.",
    ),
    (
        "fundamental",
        0.25,
        {"volume_growth_windows_d": [7, 30]},
        "24h turnover, volume growth, open interest level and change, funding level and stability.",
    ),
    (
        "market_structure",
        0.25,
        {"depth_band_pct": 1.0, "reference_order_usdt": 10000, "efficiency_window": 20},
        "Relative spread, depth within 1% of mid, impact of a reference order, efficiency ratio.",
    ),
    (
        "risk",
        0.20,
        {"volatility_window": 168, "benchmark": "BTCUSDT"},
        "Realised volatility, max drawdown, beta and correlation to BTC, liquidity risk.",
    ),
]

# The database, not Python, keeps active ranks within 1..max_portfolio_symbols (with the partial
# unique index on rank this also caps the number of active members) and keeps the audit append-only.
POSTGRES_TRIGGERS = [
    """
    CREATE FUNCTION portfolio_member_rank_within_max() RETURNS trigger AS $$
    DECLARE max_symbols integer;
    BEGIN
        IF NEW.status = 'active' THEN
            SELECT floor((value #>> '{}')::numeric)::integer INTO max_symbols
              FROM system_configuration WHERE key = 'max_portfolio_symbols';
            IF max_symbols IS NOT NULL AND NEW.rank > max_symbols THEN
                RAISE EXCEPTION 'portfolio rank % exceeds max_portfolio_symbols %',
                    NEW.rank, max_symbols USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER portfolio_member_rank_within_max
    BEFORE INSERT OR UPDATE ON portfolio_member
    FOR EACH ROW EXECUTE FUNCTION portfolio_member_rank_within_max()
    """,
    """
    CREATE FUNCTION portfolio_history_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'portfolio_history is append-only' USING ERRCODE = 'restrict_violation';
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER portfolio_history_append_only
    BEFORE UPDATE OR DELETE ON portfolio_history
    FOR EACH ROW EXECUTE FUNCTION portfolio_history_append_only()
    """,
]
POSTGRES_TRIGGERS_DROP = [
    "DROP TRIGGER IF EXISTS portfolio_history_append_only ON portfolio_history",
    "DROP FUNCTION IF EXISTS portfolio_history_append_only()",
    "DROP TRIGGER IF EXISTS portfolio_member_rank_within_max ON portfolio_member",
    "DROP FUNCTION IF EXISTS portfolio_member_rank_within_max()",
]

_SQLITE_RANK_CHECK = """
    CREATE TRIGGER portfolio_member_rank_within_max_{event}
    BEFORE {event} ON portfolio_member
    WHEN NEW.status = 'active' AND NEW.rank > (
        SELECT CAST(json_extract(value, '$') AS INTEGER) FROM system_configuration
         WHERE key = 'max_portfolio_symbols')
    BEGIN SELECT RAISE(ABORT, 'portfolio rank exceeds max_portfolio_symbols'); END
"""
_SQLITE_APPEND_ONLY = """
    CREATE TRIGGER portfolio_history_append_only_{event}
    BEFORE {event} ON portfolio_history
    BEGIN SELECT RAISE(ABORT, 'portfolio_history is append-only'); END
"""
SQLITE_TRIGGERS = [
    _SQLITE_RANK_CHECK.format(event="insert"),
    _SQLITE_RANK_CHECK.format(event="update"),
    _SQLITE_APPEND_ONLY.format(event="update"),
    _SQLITE_APPEND_ONLY.format(event="delete"),
]
SQLITE_TRIGGERS_DROP = [
    "DROP TRIGGER IF EXISTS portfolio_member_rank_within_max_insert",
    "DROP TRIGGER IF EXISTS portfolio_member_rank_within_max_update",
    "DROP TRIGGER IF EXISTS portfolio_history_append_only_update",
    "DROP TRIGGER IF EXISTS portfolio_history_append_only_delete",
]


def _seed() -> None:
    now = datetime.now(UTC)
    configuration = sa.table(
        "system_configuration",
        sa.column("key", sa.String),
        sa.column("value", JSON),
        sa.column("description", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )
    op.bulk_insert(
        configuration,
        [
            {"key": k, "value": v, "description": d, "updated_at": now, "updated_by": "migration"}
            for k, v, d in SEED_CONFIGURATION
        ],
    )
    algorithm = sa.table(
        "scoring_algorithm",
        sa.column("name", sa.String),
        sa.column("weight", sa.Numeric(6, 4)),
        sa.column("parameters", JSON),
        sa.column("is_active", sa.Boolean),
        sa.column("description", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )
    op.bulk_insert(
        algorithm,
        [
            {
                "name": name,
                "weight": weight,
                "parameters": params,
                "is_active": True,
                "description": description,
                "updated_at": now,
                "updated_by": "migration",
            }
            for name, weight, params, description in SEED_ALGORITHMS
        ],
    )


def _execute_all(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("fingerprint", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("symbol", sa.String(length=40), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=80), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "severity IN ('info', 'warning', 'critical')", name=op.f("ck_alert_severity_known")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'resolved')", name=op.f("ck_alert_status_known")
        ),
        sa.CheckConstraint("occurrences >= 1", name=op.f("ck_alert_occurrences_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index("ix_alert_status_kind", ["status", "kind"], unique=False)
        batch_op.create_index(
            "uq_alert_unresolved_fingerprint",
            ["fingerprint"],
            unique=True,
            postgresql_where=sa.text("status <> 'resolved'"),
            sqlite_where=sa.text("status <> 'resolved'"),
        )

    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "role IN ('read', 'trade', 'admin')", name=op.f("ck_api_key_role_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_key_key_hash")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_key_prefix")),
    )
    op.create_table(
        "idempotency_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("principal", sa.String(length=80), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_headers", JSON, nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('in_progress', 'completed')", name=op.f("ck_idempotency_key_state_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_key")),
        sa.UniqueConstraint(
            "key",
            "principal",
            "method",
            "path",
            name=op.f("uq_idempotency_key_key_principal_method_path"),
        ),
    )
    with op.batch_alter_table("idempotency_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_key_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=60), nullable=False),
        sa.Column("scheduled_tick", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replica", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_ms", sa.Double(), nullable=True),
        sa.Column("result", JSON, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'succeeded', 'failed', 'skipped')",
            name=op.f("ck_job_run_status_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_run")),
        sa.UniqueConstraint("job", "scheduled_tick", name=op.f("uq_job_run_job_scheduled_tick")),
    )
    op.create_table(
        "portfolio_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("symbol", sa.String(length=40), nullable=True),
        sa.Column("replaced_symbol", sa.String(length=40), nullable=True),
        sa.Column("old_rank", sa.Integer(), nullable=True),
        sa.Column("new_rank", sa.Integer(), nullable=True),
        sa.Column("old_weight", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("new_weight", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("details", JSON, nullable=False),
        sa.CheckConstraint(
            "action IN ('add', 'remove', 'replace', 'weight_change', 'rebalance')",
            name=op.f("ck_portfolio_history_action_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_history")),
    )
    with op.batch_alter_table("portfolio_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portfolio_history_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_portfolio_history_symbol"), ["symbol"], unique=False)

    op.create_table(
        "scoring_algorithm",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("weight", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("parameters", JSON, nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=True),
        sa.CheckConstraint(
            "weight >= 0 AND weight <= 1", name=op.f("ck_scoring_algorithm_weight_fraction")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_algorithm")),
        sa.UniqueConstraint("name", name=op.f("uq_scoring_algorithm_name")),
    )
    op.create_table(
        "scoring_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("universe_size", sa.Integer(), nullable=False),
        sa.Column("scored_count", sa.Integer(), nullable=False),
        sa.Column("excluded_count", sa.Integer(), nullable=False),
        sa.Column("exclusions", JSON, nullable=False),
        sa.Column("data_source", sa.String(length=200), nullable=False),
        sa.Column("config_hash", sa.String(length=64), nullable=True),
        sa.Column("config", JSON, nullable=False),
        sa.Column("duration_ms", sa.Double(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("triggered_by", sa.String(length=80), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'completed', 'failed')", name=op.f("ck_scoring_run_status_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_run")),
    )
    with op.batch_alter_table("scoring_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scoring_run_started_at"), ["started_at"], unique=False)

    op.create_table(
        "symbol",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=40), nullable=False),
        sa.Column("kucoin_symbol", sa.String(length=40), nullable=False),
        sa.Column("base_currency", sa.String(length=30), nullable=False),
        sa.Column("quote_currency", sa.String(length=10), nullable=False),
        sa.Column("settle_currency", sa.String(length=30), nullable=False),
        sa.Column("contract_type", sa.String(length=10), nullable=False),
        sa.Column("is_inverse", sa.Boolean(), nullable=False),
        sa.Column("lot_size", sa.Numeric(precision=28, scale=10), nullable=False),
        sa.Column("tick_size", sa.Numeric(precision=28, scale=12), nullable=False),
        sa.Column("multiplier", sa.Numeric(precision=28, scale=12), nullable=False),
        sa.Column("max_leverage", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("is_eligible", sa.Boolean(), nullable=False),
        sa.Column("eligibility_reason", sa.String(length=60), nullable=True),
        sa.Column("sector", sa.String(length=40), nullable=True),
        sa.Column("mark_price", sa.Double(), nullable=True),
        sa.Column("index_price", sa.Double(), nullable=True),
        sa.Column("last_price", sa.Double(), nullable=True),
        sa.Column("turnover_24h", sa.Double(), nullable=True),
        sa.Column("volume_24h", sa.Double(), nullable=True),
        sa.Column("open_interest_lots", sa.Double(), nullable=True),
        sa.Column("funding_rate", sa.Double(), nullable=True),
        sa.Column("funding_interval_ms", sa.BigInteger(), nullable=True),
        sa.Column("listed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("market_data_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delisted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint("lot_size > 0", name=op.f("ck_symbol_lot_size_positive")),
        sa.CheckConstraint("max_leverage >= 1", name=op.f("ck_symbol_max_leverage_positive")),
        sa.CheckConstraint("tick_size > 0", name=op.f("ck_symbol_tick_size_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_symbol")),
        sa.UniqueConstraint("kucoin_symbol", name=op.f("uq_symbol_kucoin_symbol")),
        sa.UniqueConstraint("symbol", name=op.f("uq_symbol_symbol")),
    )
    with op.batch_alter_table("symbol", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_symbol_status"), ["status"], unique=False)

    op.create_table(
        "system_configuration",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", JSON, nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_system_configuration")),
    )
    op.create_table(
        "candle",
        sa.Column("symbol_id", sa.Integer(), nullable=False),
        sa.Column("granularity_min", sa.Integer(), nullable=False),
        sa.Column("open_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("open", sa.Double(), nullable=False),
        sa.Column("high", sa.Double(), nullable=False),
        sa.Column("low", sa.Double(), nullable=False),
        sa.Column("close", sa.Double(), nullable=False),
        sa.Column("volume", sa.Double(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("granularity_min > 0", name=op.f("ck_candle_granularity_positive")),
        sa.CheckConstraint("high >= low", name=op.f("ck_candle_high_not_below_low")),
        sa.CheckConstraint("volume >= 0", name=op.f("ck_candle_volume_not_negative")),
        sa.ForeignKeyConstraint(
            ["symbol_id"],
            ["symbol.id"],
            name=op.f("fk_candle_symbol_id_symbol"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "symbol_id", "granularity_min", "open_time", name=op.f("pk_candle")
        ),
    )
    op.create_table(
        "performance_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("symbol_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pnl", sa.Numeric(precision=28, scale=8), nullable=False),
        sa.Column("pnl_pct", sa.Numeric(precision=12, scale=6), nullable=True),
        sa.Column("notional", sa.Numeric(precision=28, scale=8), nullable=True),
        sa.Column("source", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["symbol_id"],
            ["symbol.id"],
            name=op.f("fk_performance_record_symbol_id_symbol"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_record")),
    )
    with op.batch_alter_table("performance_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_performance_record_symbol_time", ["symbol_id", "recorded_at"], unique=False
        )

    op.create_table(
        "portfolio_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("symbol_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("included_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("entry_price", sa.Numeric(precision=28, scale=12), nullable=True),
        sa.Column("is_replacement_candidate", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'active' AND removed_at IS NULL) OR "
            "(status = 'removed' AND removed_at IS NOT NULL)",
            name=op.f("ck_portfolio_member_removed_at_matches_status"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'removed')", name=op.f("ck_portfolio_member_status_known")
        ),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_portfolio_member_rank_positive")),
        sa.CheckConstraint(
            "weight >= 0 AND weight <= 100", name=op.f("ck_portfolio_member_weight_percent")
        ),
        sa.ForeignKeyConstraint(
            ["symbol_id"],
            ["symbol.id"],
            name=op.f("fk_portfolio_member_symbol_id_symbol"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_member")),
    )
    with op.batch_alter_table("portfolio_member", schema=None) as batch_op:
        batch_op.create_index(
            "uq_portfolio_member_active_rank",
            ["rank"],
            unique=True,
            postgresql_where=sa.text("status = 'active'"),
            sqlite_where=sa.text("status = 'active'"),
        )
        batch_op.create_index(
            "uq_portfolio_member_active_symbol",
            ["symbol_id"],
            unique=True,
            postgresql_where=sa.text("status = 'active'"),
            sqlite_where=sa.text("status = 'active'"),
        )

    op.create_table(
        "signal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("symbol_id", sa.Integer(), nullable=True),
        sa.Column("symbol", sa.String(length=40), nullable=True),
        sa.Column("signal_type", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("strength", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("confidence", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("timeframe", sa.String(length=20), nullable=True),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("votes", JSON, nullable=False),
        sa.Column("consensus", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("forward_return", sa.Double(), nullable=True),
        sa.CheckConstraint(
            "direction IN ('BUY', 'SELL', 'NEUTRAL')", name=op.f("ck_signal_direction_known")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'processing', 'approved', 'rejected', 'expired')",
            name=op.f("ck_signal_status_known"),
        ),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1", name=op.f("ck_signal_confidence_unit")
        ),
        sa.CheckConstraint("strength >= 0 AND strength <= 1", name=op.f("ck_signal_strength_unit")),
        sa.ForeignKeyConstraint(
            ["symbol_id"],
            ["symbol.id"],
            name=op.f("fk_signal_symbol_id_symbol"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal")),
    )
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signal_source"), ["source"], unique=False)
        batch_op.create_index("ix_signal_status_created", ["status", "created_at"], unique=False)

    op.create_table(
        "symbol_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("symbol_id", sa.Integer(), nullable=False),
        sa.Column("component", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("confidence", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("breakdown", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1", name=op.f("ck_symbol_score_confidence_range")
        ),
        sa.CheckConstraint("score >= 0 AND score <= 100", name=op.f("ck_symbol_score_score_range")),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["scoring_run.id"],
            name=op.f("fk_symbol_score_run_id_scoring_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["symbol_id"],
            ["symbol.id"],
            name=op.f("fk_symbol_score_symbol_id_symbol"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_symbol_score")),
        sa.UniqueConstraint(
            "run_id",
            "symbol_id",
            "component",
            name=op.f("uq_symbol_score_run_id_symbol_id_component"),
        ),
    )
    with op.batch_alter_table("symbol_score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_symbol_score_symbol_id"), ["symbol_id"], unique=False)

    # ### end Alembic commands ###
    is_sqlite = op.get_bind().dialect.name == "sqlite"
    _execute_all(SQLITE_TRIGGERS if is_sqlite else POSTGRES_TRIGGERS)
    _seed()


def downgrade() -> None:
    refuse_unless_forced(
        "0001",
        "the portfolio's audit trail (portfolio_history, append-only), the performance "
        "records and every other table",
    )
    is_sqlite = op.get_bind().dialect.name == "sqlite"
    _execute_all(SQLITE_TRIGGERS_DROP if is_sqlite else POSTGRES_TRIGGERS_DROP)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("symbol_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_symbol_score_symbol_id"))

    op.drop_table("symbol_score")
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.drop_index("ix_signal_status_created")
        batch_op.drop_index(batch_op.f("ix_signal_source"))

    op.drop_table("signal")
    with op.batch_alter_table("portfolio_member", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_portfolio_member_active_symbol",
            postgresql_where=sa.text("status = 'active'"),
            sqlite_where=sa.text("status = 'active'"),
        )
        batch_op.drop_index(
            "uq_portfolio_member_active_rank",
            postgresql_where=sa.text("status = 'active'"),
            sqlite_where=sa.text("status = 'active'"),
        )

    op.drop_table("portfolio_member")
    with op.batch_alter_table("performance_record", schema=None) as batch_op:
        batch_op.drop_index("ix_performance_record_symbol_time")

    op.drop_table("performance_record")
    op.drop_table("candle")
    op.drop_table("system_configuration")
    with op.batch_alter_table("symbol", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_symbol_status"))

    op.drop_table("symbol")
    with op.batch_alter_table("scoring_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scoring_run_started_at"))

    op.drop_table("scoring_run")
    op.drop_table("scoring_algorithm")
    with op.batch_alter_table("portfolio_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portfolio_history_symbol"))
        batch_op.drop_index(batch_op.f("ix_portfolio_history_occurred_at"))

    op.drop_table("portfolio_history")
    op.drop_table("job_run")
    with op.batch_alter_table("idempotency_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_key_expires_at"))

    op.drop_table("idempotency_key")
    op.drop_table("api_key")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_alert_unresolved_fingerprint",
            postgresql_where=sa.text("status <> 'resolved'"),
            sqlite_where=sa.text("status <> 'resolved'"),
        )
        batch_op.drop_index("ix_alert_status_kind")

    op.drop_table("alert")
    # ### end Alembic commands ###
