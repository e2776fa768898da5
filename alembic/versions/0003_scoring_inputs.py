"""scoring run inputs snapshot and scoring tunables

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 14:45:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

SCORING_CONFIGURATION: list[tuple[str, object, str]] = [
    ("scoring_shortlist", 150, "Stage 2 scores this many contracts (by stage-1 rank) + members."),
    ("scoring_candles", 500, "Hourly candles per symbol the scorer reads."),
    ("scoring_min_listing_days", 3, "Stage 1 skips contracts listed more recently than this."),
    (
        "scoring_max_abs_funding",
        0.01,
        "Stage 1 skips contracts whose |funding| per interval is above.",
    ),
    ("gate_min_history", 200, "Fewest candles a symbol needs to be scored (INSUFFICIENT_HISTORY)."),
    ("gate_max_gap_ratio", 0.02, "Largest share of missing candles (CANDLE_GAPS)."),
    ("gate_max_ticker_age_s", 300, "Oldest book/ticker a score may use (STALE_TICKER)."),
    ("gate_max_abs_bar_return", 0.5, "Largest |log return| of one candle (EXTREME_MOVE)."),
]


def upgrade() -> None:
    with op.batch_alter_table("scoring_run") as batch:
        batch.add_column(sa.Column("inputs", JSON, nullable=True))
    configuration = sa.table(
        "system_configuration",
        sa.column("key", sa.String),
        sa.column("value", JSON),
        sa.column("description", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        configuration,
        [
            {"key": k, "value": v, "description": d, "updated_at": now, "updated_by": "migration"}
            for k, v, d in SCORING_CONFIGURATION
        ],
    )


def downgrade() -> None:
    keys = ", ".join(f"'{key}'" for key, _, _ in SCORING_CONFIGURATION)
    op.execute(f"DELETE FROM system_configuration WHERE key IN ({keys})")
    with op.batch_alter_table("scoring_run") as batch:
        batch.drop_column("inputs")
