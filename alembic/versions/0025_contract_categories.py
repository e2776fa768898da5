"""contract categories: an admin's category override on each `symbol` row (NULL: the table in
app.market.contracts.categories and the peg rule decide), and the runtime setting
`excluded_categories` (stablecoin, commodity and equity: the evidence covers the crypto
cross-section only)

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-25 12:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# As of this revision (the registry in app.configuration.registry keeps the live copy).
SETTING = (
    "excluded_categories",
    ["stablecoin", "commodity", "equity"],
    "Contract categories never scored, picked or added (gate code excluded:category:<name>): "
    "any of crypto, stablecoin, commodity, equity.",
)


def upgrade() -> None:
    with op.batch_alter_table("symbol") as batch:
        batch.add_column(sa.Column("category_override", sa.String(20), nullable=True))
        batch.create_check_constraint(
            op.f("ck_symbol_category_override_known"),
            "category_override IS NULL OR category_override IN "
            "('crypto', 'stablecoin', 'commodity', 'equity')",
        )
    configuration = sa.table(
        "system_configuration",
        sa.column("key", sa.String),
        sa.column("value", JSON),
        sa.column("description", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )
    present = set(op.get_bind().scalars(sa.select(configuration.c.key)).all())
    key, value, description = SETTING
    if key not in present:
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
    op.execute(
        f"DELETE FROM system_configuration WHERE key = '{SETTING[0]}' AND updated_by = 'migration'"
    )
    with op.batch_alter_table("symbol") as batch:
        batch.drop_constraint(op.f("ck_symbol_category_override_known"), type_="check")
        batch.drop_column("category_override")
