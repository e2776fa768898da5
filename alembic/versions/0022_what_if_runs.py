"""what-if runs: a replay run may judge a proposed scoring change (`kind` 'what_if'), the dry run
of `PUT /scoring/algorithms` run in the background

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-28 10:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op
from app.platform.db.downgrade_guard import refuse_unless_forced

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KNOWN = "ck_replay_run_kind_known"


def upgrade() -> None:
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(KNOWN), type_="check")
        batch_op.create_check_constraint(
            op.f(KNOWN), "kind IN ('replay', 'calibration', 'what_if')"
        )


def downgrade() -> None:
    refuse_unless_forced("0022", "the what-if runs, the evidence scoring changes were judged on")
    op.execute("DELETE FROM replay_run WHERE kind = 'what_if'")
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(KNOWN), type_="check")
        batch_op.create_check_constraint(op.f(KNOWN), "kind IN ('replay', 'calibration')")
