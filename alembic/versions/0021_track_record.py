"""track record: the live book of the service's own decisions and of the baselines, marked
hourly (`track_record`, `track_record_hour`, `track_record_decision`), its settings, and an
index of candles by hour (its hourly read of every symbol)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-27 10:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op
from app.platform.db.downgrade_guard import refuse_unless_forced

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MOMENT = sa.DateTime(timezone=True)

SETTINGS = {
    "track_record_interval_s": (
        600,
        "Seconds between track record updates (each marks the hours whose candles are stored).",
    ),
    "track_record_fee_bps": (6.0, "Taker fee the track record pays on traded notional (bps)."),
    "track_record_slippage_bps": (0.0, "Slippage the track record pays on traded notional (bps)."),
}


def upgrade() -> None:
    op.create_table(
        "track_record",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("inception_at", MOMENT, nullable=False),
        sa.Column("last_hour", MOMENT, nullable=False),
        sa.Column("last_audit_id", sa.Integer, nullable=False),
        sa.Column("state", JSON, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_track_record_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_track_record")),
    )
    op.create_table(
        "track_record_hour",
        sa.Column("strategy", sa.String(20), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("equity", sa.Double, nullable=False),
        sa.Column("gap", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("strategy", "at", name=op.f("pk_track_record_hour")),
    )
    op.create_table(
        "track_record_decision",
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("audit_id", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("config_hash", sa.String(64), nullable=False),
        sa.Column("weights", JSON, nullable=False),
        sa.Column("turnover", JSON, nullable=False),
        sa.Column("fees", JSON, nullable=False),
        sa.PrimaryKeyConstraint("at", name=op.f("pk_track_record_decision")),
    )
    op.create_index("ix_candle_granularity_open_time", "candle", ["granularity_min", "open_time"])
    configuration = sa.table(
        "system_configuration",
        sa.column("key", sa.String),
        sa.column("value", JSON),
        sa.column("description", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )
    present = set(op.get_bind().scalars(sa.select(configuration.c.key)).all())
    now = datetime.now(UTC)
    rows = [
        {
            "key": key,
            "value": value,
            "description": text,
            "updated_at": now,
            "updated_by": "migration",
        }
        for key, (value, text) in SETTINGS.items()
        if key not in present
    ]
    if rows:
        op.bulk_insert(configuration, rows)


def downgrade() -> None:
    refuse_unless_forced(
        "0021", "the live track record (track_record, track_record_hour, track_record_decision)"
    )
    keys = ", ".join(f"'{key}'" for key in SETTINGS)
    op.execute(
        f"DELETE FROM system_configuration WHERE key IN ({keys}) AND updated_by = 'migration'"
    )
    op.drop_index("ix_candle_granularity_open_time", table_name="candle")
    op.drop_table("track_record_decision")
    op.drop_table("track_record_hour")
    op.drop_table("track_record")
