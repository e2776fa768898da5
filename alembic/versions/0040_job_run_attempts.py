"""job run attempts: how many times a job run's body ran (`attempts`), more than once when a
busy database (a lock, a snapshot another commit made stale) undid an attempt and the run was
attempted again. Until now only the log said so.

Expand only: a column with a server default of 1, which code without it neither writes nor
reads (code N runs on schema N+1).

Revision ID: 0040
Revises: 0039
Create Date: 2026-11-27 18:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0040"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )


def downgrade() -> None:
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_column("attempts")
