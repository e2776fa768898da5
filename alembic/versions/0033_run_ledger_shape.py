"""run ledger shape: `replay_run` gets what `job_run` records of every run, so both ledgers of the
run engine have one shape: the replica running it (`replica`), how long it took (`duration_ms`)
and, when it did not succeed, its problem (RFC 9457, `problem`).

Expand only: nullable columns, which code without them ignores.

Revision ID: 0033
Revises: 0032
Create Date: 2026-11-26 05:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replica", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("duration_ms", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("problem", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.drop_column("problem")
        batch_op.drop_column("duration_ms")
        batch_op.drop_column("replica")
