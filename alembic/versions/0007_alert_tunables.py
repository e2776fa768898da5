"""alert thresholds

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 15:50:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

ALERT_CONFIGURATION: list[tuple[str, object, str]] = [
    ("alert_low_score", 40.0, "A member whose latest composite is below this raises low_score."),
    ("alert_max_loss_pct", 15.0, "A member down more than this since inclusion (percent)."),
    ("alert_max_drawdown_pct", 25.0, "A member's drawdown since inclusion above this (percent)."),
    ("alert_cooldown_s", 900, "A resolved alert that recurs within this reopens its row."),
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
            for k, v, d in ALERT_CONFIGURATION
        ],
    )


def downgrade() -> None:
    keys = ", ".join(f"'{key}'" for key, _, _ in ALERT_CONFIGURATION)
    op.execute(f"DELETE FROM system_configuration WHERE key IN ({keys})")
