"""replay cancellation: a run may end `cancelled` (`DELETE /replays/{id}`), and the row records
who cancelled it; queued runs heartbeat too (no schema change: `heartbeat_at` is reused)

Expand only: code without cancellation runs on this schema (it never writes the new status).

Revision ID: 0031
Revises: 0030
Create Date: 2026-11-25 18:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KNOWN = "ck_replay_run_status_known"
BEFORE = "status IN ('queued', 'running', 'succeeded', 'failed', 'aborted')"
AFTER = "status IN ('queued', 'running', 'succeeded', 'failed', 'aborted', 'cancelled')"


def upgrade() -> None:
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_by", sa.String(length=80), nullable=True))
        batch_op.drop_constraint(op.f(KNOWN), type_="check")
        batch_op.create_check_constraint(op.f(KNOWN), AFTER)


def downgrade() -> None:
    # A cancelled run stays a run that did not finish: aborted, with who stopped it in its error.
    op.execute(
        "UPDATE replay_run SET status = 'aborted', "
        "error = 'cancelled by ' || COALESCE(cancelled_by, 'unknown') WHERE status = 'cancelled'"
    )
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(KNOWN), type_="check")
        batch_op.create_check_constraint(op.f(KNOWN), BEFORE)
        batch_op.drop_column("cancelled_by")
