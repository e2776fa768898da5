"""timeline range: the runtime setting `timeline_max_days` (366), the longest range one
`GET /portfolio/timeline` answers; without `from`, it starts at most this long before `to`

Revision ID: 0036
Revises: 0035
Create Date: 2026-11-26 17:10:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# As of this revision (the registry in app.configuration.registry keeps the live copy).
KEY = "timeline_max_days"
DEFAULT = 366
DESCRIPTION = (
    "Longest range one GET /portfolio/timeline answers (days): a longer one is a 422, and "
    "without `from` it starts this long before `to` at most."
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
