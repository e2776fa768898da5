"""webhook claims: who holds a `sending` delivery (`claimant`, one per dispatcher process) and
when it last said so (`heartbeat_at`), so a live replica re-claims the deliveries of one that
died and a stopping one hands its own back; a partial index over the `sending` rows for that
sweep. Expand only: nullable columns, which code without them ignores (a row it claims has no
heartbeat, so its `created_at` stands in for one).

Revision ID: 0030
Revises: 0029
Create Date: 2026-11-25 18:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SENDING = sa.text("status = 'sending'")


def upgrade() -> None:
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimant", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_webhook_delivery_sending",
            ["url", "heartbeat_at"],
            unique=False,
            postgresql_where=SENDING,
            sqlite_where=SENDING,
        )


def downgrade() -> None:
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_webhook_delivery_sending", postgresql_where=SENDING, sqlite_where=SENDING
        )
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("claimant")
