"""evidence: walk-forward calibrations stored beside replays (with the hash of the policy they
judged), the record of every scoring-configuration change with the replay evidence it was made
with, and the evidence refresh interval

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 04:30:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op
from app.platform.db.downgrade_guard import refuse_unless_forced

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
INTERVAL = (
    "evidence_refresh_interval_s",
    604800,
    "Seconds between walk-forward calibrations of the stored history (the evidence).",
)


def upgrade() -> None:
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="replay")
        )
        batch_op.add_column(sa.Column("policy_hash", sa.String(length=64), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_replay_run_kind_known"), "kind IN ('replay', 'calibration')"
        )
        batch_op.create_index("ix_replay_run_kind_policy", ["kind", "policy_hash"], unique=False)

    op.create_table(
        "scoring_config_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("before", JSON, nullable=False),
        sa.Column("after", JSON, nullable=False),
        sa.Column("evidence", JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_config_change")),
    )
    with op.batch_alter_table("scoring_config_change", schema=None) as batch_op:
        batch_op.create_index("ix_scoring_config_change_changed_at", ["changed_at"], unique=False)

    configuration = sa.table(
        "system_configuration",
        sa.column("key", sa.String),
        sa.column("value", JSON),
        sa.column("description", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )
    present = set(op.get_bind().scalars(sa.select(configuration.c.key)).all())
    if INTERVAL[0] not in present:  # an operator may have set it by hand: keep theirs
        key, value, description = INTERVAL
        op.bulk_insert(
            configuration,
            [
                {
                    "key": key,
                    "value": value,
                    "description": description,
                    "updated_at": datetime.now(UTC),
                    "updated_by": "migration",
                }
            ],
        )


def downgrade() -> None:
    refuse_unless_forced(
        "0011",
        "the record of scoring-configuration changes with their evidence "
        "(scoring_config_change) and the calibrations",
    )
    op.execute(
        f"DELETE FROM system_configuration WHERE key = '{INTERVAL[0]}' AND updated_by = 'migration'"
    )
    with op.batch_alter_table("scoring_config_change", schema=None) as batch_op:
        batch_op.drop_index("ix_scoring_config_change_changed_at")
    op.drop_table("scoring_config_change")
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.drop_index("ix_replay_run_kind_policy")
        batch_op.drop_constraint(op.f("ck_replay_run_kind_known"), type_="check")
        batch_op.drop_column("policy_hash")
        batch_op.drop_column("kind")
