"""portfolio tunables: liquidity cap, read cache, performance windows

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 15:05:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

PORTFOLIO_CONFIGURATION: list[tuple[str, object, str]] = [
    (
        "liquidity_reference_balance_usdt",
        0,
        "Balance at which the liquidity cap is checked; 0 turns the cap off.",
    ),
    (
        "liquidity_max_depth_share",
        0.1,
        "Largest share of a member's depth within 1% of mid its notional may take.",
    ),
    ("weights_lookback_hours", 500, "Hourly candles used for volatility and covariance."),
    ("correlation_window_hours", 168, "Default window of the correlation check, hours."),
    ("target_volatility", 0.8, "Annualised volatility a volatility-adjusted size aims at."),
]


def upgrade() -> None:
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
            for k, v, d in PORTFOLIO_CONFIGURATION
        ],
    )


def downgrade() -> None:
    keys = ", ".join(f"'{key}'" for key, _, _ in PORTFOLIO_CONFIGURATION)
    op.execute(f"DELETE FROM system_configuration WHERE key IN ({keys})")
