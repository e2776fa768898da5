"""where stored candles came from: `market_data_source`, for each kind of source that filled
some (`live` KuCoin, the `simulator`, a `custom` URL), the open times it stored, first to last
(`app.market.repository.MarketDataSourceRepository`). A figure computed from candles says
whether any was generated.

Candles stored before this revision have no recorded source: nothing here guesses one (a
scoring run's `data_source` URL does not tell a simulator from another URL), so their figures
read as "source not recorded" until candles stored since cover their windows.

Revision ID: 0043
Revises: 0042
Create Date: 2026-11-28 21:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "market_data_source",
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("first_open_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_open_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "source IN ('live', 'simulator', 'custom')",
            name=op.f("ck_market_data_source_source_known"),
        ),
        sa.CheckConstraint(
            "last_open_time >= first_open_time", name=op.f("ck_market_data_source_ordered")
        ),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_market_data_source")),
    )


def downgrade() -> None:
    op.drop_table("market_data_source")
