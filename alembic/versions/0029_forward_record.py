"""forward record: the shadow books of the automated policy, of every registered challenger and
of the baselines on their own clock, marked hourly from deployment on (`forward_record`,
`forward_hour`, `forward_trade`, `forward_day`), and indexes of candles and settlements by
`fetched_at` (what was stored since a moment: the check of the record's kept window)

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-25 16:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op
from app.platform.db.downgrade_guard import refuse_unless_forced

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MOMENT = sa.DateTime(timezone=True)


def _costs() -> list[sa.Column[float]]:
    return [
        sa.Column("fee_bps", sa.Double, nullable=False),
        sa.Column("slippage_bps", sa.Double, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "forward_record",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("inception_at", MOMENT, nullable=False),
        sa.Column("last_hour", MOMENT, nullable=False),
        sa.Column("state", JSON, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_forward_record_forward_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forward_record")),
    )
    op.create_table(
        "forward_hour",
        sa.Column("book", sa.String(64), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("equity", sa.Double, nullable=False),
        sa.PrimaryKeyConstraint("book", "at", name=op.f("pk_forward_hour")),
    )
    op.create_table(
        "forward_trade",
        sa.Column("book", sa.String(64), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("weights", JSON, nullable=False),
        sa.Column("turnover", sa.Double, nullable=False),
        sa.Column("fees", sa.Double, nullable=False),
        sa.Column("config_hash", sa.String(64), nullable=False),
        *_costs(),
        sa.PrimaryKeyConstraint("book", "at", name=op.f("pk_forward_trade")),
    )
    op.create_table(
        "forward_day",
        sa.Column("book", sa.String(64), nullable=False),
        sa.Column("decided_at", MOMENT, nullable=False),
        sa.Column("entry_at", MOMENT, nullable=False),
        sa.Column("following_at", MOMENT, nullable=False),
        sa.Column("book_return", sa.Double, nullable=True),
        sa.Column("skill_ic", sa.Double, nullable=True),
        sa.Column("universe_return", sa.Double, nullable=True),
        sa.Column("config_hash", sa.String(64), nullable=False),
        *_costs(),
        sa.PrimaryKeyConstraint("book", "decided_at", name=op.f("pk_forward_day")),
    )
    op.create_index("ix_candle_fetched_at", "candle", ["fetched_at"])
    op.create_index("ix_funding_settlement_fetched_at", "funding_settlement", ["fetched_at"])


def downgrade() -> None:
    refuse_unless_forced(
        "0029", "the forward record (forward_record, forward_hour, forward_trade, forward_day)"
    )
    op.drop_index("ix_funding_settlement_fetched_at", table_name="funding_settlement")
    op.drop_index("ix_candle_fetched_at", table_name="candle")
    op.drop_table("forward_day")
    op.drop_table("forward_trade")
    op.drop_table("forward_hour")
    op.drop_table("forward_record")
