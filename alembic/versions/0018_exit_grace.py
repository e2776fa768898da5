"""exit grace: hours a member's contract may stay Paused, or its candles stale, before it exits
without waiting for the replacement hysteresis (`exit_grace_hours`)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-24 10:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

KEY = "exit_grace_hours"
DEFAULT = 24
DESCRIPTION = (
    "Hours a member's contract may stay Paused, or its candles stale, before it exits "
    "without waiting for the replacement hysteresis."
)


def upgrade() -> None:
    configuration = sa.table(
        "system_configuration",
        sa.column("key", sa.String),
        sa.column("value", JSON),
        sa.column("description", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )
    present = set(op.get_bind().scalars(sa.select(configuration.c.key)).all())
    if KEY not in present:
        op.bulk_insert(
            configuration,
            [
                {
                    "key": KEY,
                    "value": DEFAULT,
                    "description": DESCRIPTION,
                    "updated_at": datetime.now(UTC),
                    "updated_by": "migration",
                }
            ],
        )


def downgrade() -> None:
    op.execute(f"DELETE FROM system_configuration WHERE key = '{KEY}' AND updated_by = 'migration'")
