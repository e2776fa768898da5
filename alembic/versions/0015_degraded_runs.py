"""degraded runs: a job run that ended keeping its work while an outside dependency (KuCoin)
kept it from its purpose is `degraded`, with its problem (a score refresh that could not reach
KuCoin and scored nothing; a universe sync that could not reach it)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-23 10:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_job_run_status_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_job_run_status_known"),
            "status IN ('running', 'succeeded', 'degraded', 'failed', 'skipped', 'aborted')",
        )


def downgrade() -> None:
    # Before this version a run either succeeded or failed; a degraded one did not succeed.
    op.execute("UPDATE job_run SET status = 'failed' WHERE status = 'degraded'")
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_job_run_status_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_job_run_status_known"),
            "status IN ('running', 'succeeded', 'failed', 'skipped', 'aborted')",
        )
