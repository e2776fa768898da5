"""event outbox for the live event stream, with a PostgreSQL notification per event

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 15:40:06+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "portfolio_changed",
    "weights_updated",
    "replacement_proposed",
    "score_run_completed",
    "alert",
    "data_stale",
)
CHANNEL = "mysymbols_events"


def upgrade() -> None:
    op.create_table(
        "event_outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in KINDS) + ")",
            name=op.f("ck_event_outbox_kind_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_outbox")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("event_outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_outbox_created_at"), ["created_at"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        # Wakes the stream on every replica at commit; the outbox stays the source of truth.
        op.execute(
            f"""
            CREATE FUNCTION mysymbols_notify_event() RETURNS trigger AS $$
            BEGIN
                PERFORM pg_notify('{CHANNEL}', NEW.id::text);
                RETURN NULL;
            END $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER event_outbox_notify AFTER INSERT ON event_outbox "
            "FOR EACH ROW EXECUTE FUNCTION mysymbols_notify_event()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS event_outbox_notify ON event_outbox")
        op.execute("DROP FUNCTION IF EXISTS mysymbols_notify_event()")
    with op.batch_alter_table("event_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_outbox_created_at"))
    op.drop_table("event_outbox")
