"""auto replace exits: a member that must exit (`app.policy.exits`) is replaced at once by the
scoring run, or only proposed (`auto_replace_exits`)

The time a member's contract has been Paused needs no column of its own: `symbol.delisted_at` is
set by the universe sync when a contract stops being Open, and cleared when it reopens.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26 10:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

KEY = "auto_replace_exits"
DEFAULT = True
DESCRIPTION = (
    "A member that must exit (delisted, not Open, expiring, Paused or stale past "
    "exit_grace_hours) is replaced by the scoring run; false: only proposed."
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
