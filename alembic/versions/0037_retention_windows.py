"""retention windows for what grows with use: the runtime settings `retention_signal_days` (90),
`retention_replay_days` (90) and `retention_alert_days` (90), the days settled signals, ended
replay runs with their reports and resolved alerts are kept

Revision ID: 0037
Revises: 0036
Create Date: 2026-11-26 18:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# As of this revision (the registry in app.configuration.registry keeps the live copy).
SETTINGS = {
    "retention_signal_days": (
        90,
        "Days a decided or expired signal is kept (a pending one always; one whose outcome is "
        "not measured yet until its longest horizon, 24 h, ended this long ago). The agents' "
        "weights learn from the measured signals kept.",
    ),
    "retention_replay_days": (
        90,
        "Days an ended replay, calibration or what-if run is kept with its report (each kind's "
        "newest succeeded run, and each configuration's newest succeeded calibration, stay).",
    ),
    "retention_alert_days": (
        90,
        "Days a resolved alert is kept (open and acknowledged ones stay; and at least "
        "alert_cooldown_s, within which a recurrence reopens it).",
    ),
}


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
        {
            "key": key,
            "value": value,
            "description": description,
            "updated_at": now,
            "updated_by": "migration",
        }
        for key, (value, description) in SETTINGS.items()
        if key not in present
    ]
    if rows:
        op.bulk_insert(configuration, rows)


def downgrade() -> None:
    keys = ", ".join(f"'{key}'" for key in SETTINGS)
    op.execute(
        f"DELETE FROM system_configuration WHERE key IN ({keys}) AND updated_by = 'migration'"
    )
