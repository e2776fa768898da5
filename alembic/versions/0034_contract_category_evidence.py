"""contract category evidence: what the exchange says a contract's underlying is (KuCoin's
`assetClass`, `asset_class`), and the data rule's last verdict on it (`category_data`), with its
figures (`category_figures`) and the UTC day it decided for (`category_data_day_ms`); the event
kind `category_changed`.

Expand only: nullable columns and one more allowed event kind, which code without them ignores.

Revision ID: 0034
Revises: 0033
Create Date: 2026-11-26 13:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
KINDS = (
    "portfolio_changed",
    "weights_updated",
    "replacement_proposed",
    "score_run_completed",
    "alert",
    "data_stale",
)
NEW_KIND = "category_changed"
EVENT_KIND_KNOWN = "ck_event_outbox_kind_known"
SQLITE_KEEPS_IDS = {"sqlite_autoincrement": True}  # SQLite's copy of the table: ids never reused


def _kinds_check(kinds: Sequence[str]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade() -> None:
    with op.batch_alter_table("symbol", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asset_class", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("category_data", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("category_figures", JSON, nullable=True))
        batch_op.add_column(sa.Column("category_data_day_ms", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("event_outbox", table_kwargs=SQLITE_KEEPS_IDS) as batch_op:
        batch_op.drop_constraint(op.f(EVENT_KIND_KNOWN), type_="check")
        batch_op.create_check_constraint(op.f(EVENT_KIND_KNOWN), _kinds_check((*KINDS, NEW_KIND)))


def downgrade() -> None:
    # notifications only (the outbox's): the audit and the records keep what they say
    op.execute(sa.text("DELETE FROM event_outbox WHERE kind = :kind").bindparams(kind=NEW_KIND))
    with op.batch_alter_table("event_outbox", table_kwargs=SQLITE_KEEPS_IDS) as batch_op:
        batch_op.drop_constraint(op.f(EVENT_KIND_KNOWN), type_="check")
        batch_op.create_check_constraint(op.f(EVENT_KIND_KNOWN), _kinds_check(KINDS))
    with op.batch_alter_table("symbol", schema=None) as batch_op:
        batch_op.drop_column("category_data_day_ms")
        batch_op.drop_column("category_figures")
        batch_op.drop_column("category_data")
        batch_op.drop_column("asset_class")
