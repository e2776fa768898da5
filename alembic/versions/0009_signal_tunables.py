"""signal tunables: the three runtime settings read with a default but never seeded

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 09:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

SIGNAL_CONFIGURATION: list[tuple[str, object, str]] = [
    ("signal_max_spread_bps", 20.0, "The liquidity agent rejects a wider spread (bps)."),
    ("signal_max_volatility", 1.5, "The risk agent rejects a higher annualised volatility."),
    ("signal_process_interval_s", 60, "Seconds between signal processing passes."),
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
    # An operator may already have set one of these by hand: keep what they set.
    present = set(op.get_bind().scalars(sa.select(configuration.c.key)).all())
    now = datetime.now(UTC)
    rows = [
        {"key": k, "value": v, "description": d, "updated_at": now, "updated_by": "migration"}
        for k, v, d in SIGNAL_CONFIGURATION
        if k not in present
    ]
    if rows:
        op.bulk_insert(configuration, rows)


def downgrade() -> None:
    keys = ", ".join(f"'{key}'" for key, _, _ in SIGNAL_CONFIGURATION)
    op.execute(
        f"DELETE FROM system_configuration WHERE key IN ({keys}) AND updated_by = 'migration'"
    )
