"""replay runs and funding settlements: replays started over the API with their reports, and
the funding history a replay of the service's own past reads

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 02:16:31.663258+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op
from app.platform.db.downgrade_guard import refuse_unless_forced

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "replay_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column("config", JSON, nullable=True),
        sa.Column("config_hash", sa.String(length=64), nullable=True),
        sa.Column("data_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data_to", sa.DateTime(timezone=True), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("report", JSON, nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed')",
            name=op.f("ck_replay_run_status_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replay_run")),
    )
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.create_index("ix_replay_run_created", ["created_at"], unique=False)

    op.create_table(
        "funding_settlement",
        sa.Column("symbol_id", sa.Integer(), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rate", sa.Double(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["symbol_id"],
            ["symbol.id"],
            name=op.f("fk_funding_settlement_symbol_id_symbol"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("symbol_id", "settled_at", name=op.f("pk_funding_settlement")),
    )


def downgrade() -> None:
    refuse_unless_forced(
        "0010", "every replay run and its report (replay_run) and the stored funding settlements"
    )
    op.drop_table("funding_settlement")
    with op.batch_alter_table("replay_run", schema=None) as batch_op:
        batch_op.drop_index("ix_replay_run_created")

    op.drop_table("replay_run")
