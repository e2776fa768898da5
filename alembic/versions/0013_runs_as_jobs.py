"""runs as jobs: the job ledger also holds runs requested over the API (no tick), with their
progress, heartbeat, requester and problem; at most one run of a job at a time (a partial unique
index); runs cut short by a stopping process are `aborted`, jobs and replays alike

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 06:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    # Runs a process left `running` before this version had no heartbeat: they are over.
    op.execute("UPDATE job_run SET status = 'failed' WHERE status = 'running'")
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.alter_column(
            "scheduled_tick", existing_type=sa.DateTime(timezone=True), nullable=True
        )
        batch_op.add_column(sa.Column("requested_by", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("progress", sa.Float(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("problem", JSON, nullable=True))
        batch_op.drop_constraint(op.f("ck_job_run_status_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_job_run_status_known"),
            "status IN ('running', 'succeeded', 'failed', 'skipped', 'aborted')",
        )
        batch_op.create_index(
            "uq_job_run_running",
            ["job"],
            unique=True,
            postgresql_where=RUNNING,
            sqlite_where=RUNNING,
        )
        batch_op.create_index("ix_job_run_job_id", ["job", "id"], unique=False)
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_replay_run_status_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_replay_run_status_known"),
            "status IN ('queued', 'running', 'succeeded', 'failed', 'aborted')",
        )


def downgrade() -> None:
    op.execute("UPDATE replay_run SET status = 'failed' WHERE status = 'aborted'")
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_replay_run_status_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_replay_run_status_known"),
            "status IN ('queued', 'running', 'succeeded', 'failed')",
        )
    # Requested runs had no tick; an older version cannot hold them.
    op.execute("DELETE FROM job_run WHERE scheduled_tick IS NULL")
    op.execute("UPDATE job_run SET status = 'failed' WHERE status IN ('aborted', 'running')")
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_index("ix_job_run_job_id")
        batch_op.drop_index("uq_job_run_running")
        batch_op.drop_constraint(op.f("ck_job_run_status_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_job_run_status_known"),
            "status IN ('running', 'succeeded', 'failed', 'skipped')",
        )
        batch_op.drop_column("problem")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("progress")
        batch_op.drop_column("requested_by")
        batch_op.alter_column(
            "scheduled_tick", existing_type=sa.DateTime(timezone=True), nullable=False
        )
