"""signal rules: the fundamental agent's funding limit and the consensus quorum and approval share,
until now constants in code, become runtime settings with those values

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-24 09:30:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

SIGNAL_RULES: list[tuple[str, object, str]] = [
    (
        "signal_max_funding_carry_bps",
        10.0,
        "The fundamental agent rejects a BUY whose longs pay more funding than this per 8 h (bps).",
    ),
    ("signal_quorum", 2, "Agents that must vote (not abstain) for a consensus."),
    (
        "signal_approve_share",
        0.5,
        "A signal is approved when the approving weight x confidence "
        "exceeds this share of the voting agents'.",
    ),
]


def upgrade() -> None:
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
        for k, v, d in SIGNAL_RULES
        if k not in present
    ]
    if rows:
        op.bulk_insert(configuration, rows)


def downgrade() -> None:
    keys = ", ".join(f"'{key}'" for key, _, _ in SIGNAL_RULES)
    op.execute(
        f"DELETE FROM system_configuration WHERE key IN ({keys}) AND updated_by = 'migration'"
    )
