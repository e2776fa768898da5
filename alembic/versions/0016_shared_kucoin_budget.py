"""shared KuCoin budget: every replica's sends in one window (`exchange_weight`), a scoring run's
planned and spent weight (`scoring_run.spend`), until when each contract's funding was asked
(`funding_checked`), and the rotation through the eligible universe

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-23 10:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

BUDGET_CONFIGURATION: list[tuple[str, object, str]] = [
    (
        "scoring_rotation",
        True,
        "Also score the rest of the eligible universe, oldest first, each contract hourly.",
    ),
]


def upgrade() -> None:
    op.create_table(
        "exchange_weight",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("pool", sa.String(length=200), nullable=False),
        sa.Column("spent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("replica", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_weight")),
    )
    op.create_index(
        "ix_exchange_weight_pool_spent_at", "exchange_weight", ["pool", "spent_at"], unique=False
    )
    op.create_table(
        "funding_checked",
        sa.Column("symbol_id", sa.Integer(), nullable=False),
        sa.Column("checked_until", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["symbol_id"],
            ["symbol.id"],
            name=op.f("fk_funding_checked_symbol_id_symbol"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("symbol_id", name=op.f("pk_funding_checked")),
    )
    with op.batch_alter_table("scoring_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("spend", JSON, nullable=True))
    configuration = sa.table(
        "system_configuration",
        sa.column("key", sa.String),
        sa.column("value", JSON),
        sa.column("description", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )
    present = set(op.get_bind().scalars(sa.select(configuration.c.key)).all())
    now = datetime.now(UTC)
    rows = [
        {"key": k, "value": v, "description": d, "updated_at": now, "updated_by": "migration"}
        for k, v, d in BUDGET_CONFIGURATION
        if k not in present
    ]
    if rows:
        op.bulk_insert(configuration, rows)


def downgrade() -> None:
    keys = ", ".join(f"'{key}'" for key, _, _ in BUDGET_CONFIGURATION)
    op.execute(
        f"DELETE FROM system_configuration WHERE key IN ({keys}) AND updated_by = 'migration'"
    )
    with op.batch_alter_table("scoring_run", schema=None) as batch_op:
        batch_op.drop_column("spend")
    op.drop_table("funding_checked")
    op.drop_index("ix_exchange_weight_pool_spent_at", table_name="exchange_weight")
    op.drop_table("exchange_weight")
