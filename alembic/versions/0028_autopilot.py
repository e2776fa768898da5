"""autopilot: the runtime setting `autopilot` (false): when true, each scheduled scoring run
applies the policy to the real portfolio (exits, confirmed replacements, vacancies filled from
the ranking, the rebalance past its threshold) as actor `autopilot`; false keeps
recommendations as proposals

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-25 16:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# As of this revision (the registry in app.configuration.registry keeps the live copy).
KEY = "autopilot"
DEFAULT = False
DESCRIPTION = (
    "After each scheduled scoring run (the score_refresh job) the policy runs the real "
    "portfolio, as actor autopilot: exits executed (whatever auto_replace_exits says), "
    "confirmed replacements executed, vacancies filled from the ranking within "
    "correlation_limit, a rebalance past rebalance_threshold_pct. False: replacements "
    "stay proposals."
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
