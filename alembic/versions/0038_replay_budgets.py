"""replay budgets: the runtime settings `replay_max_decision_members` (100 000), the most
decisions x members one `POST /replays` may ask for, and `replay_time_limit_s` (3 600), the
longest a replay, calibration or what-if run computes

Revision ID: 0038
Revises: 0037
Create Date: 2026-11-26 18:20:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0038"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# As of this revision (the registry in app.configuration.registry keeps the live copy).
SETTINGS = {
    "replay_max_decision_members": (
        100_000,
        "Most decisions x members one POST /replays may ask for (a year of hourly decisions "
        "for 10 members is 87 600); more is a 422.",
    ),
    "replay_time_limit_s": (
        3600,
        "Longest a replay, calibration or what-if run computes (seconds); past it, the run "
        "stops and ends failed (`run-time-limit`).",
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
    rows = [
        {
            "key": key,
            "value": default,
            "description": description,
            "updated_at": datetime.now(UTC),
            "updated_by": "migration",
        }
        for key, (default, description) in SETTINGS.items()
        if key not in present
    ]
    if rows:
        op.bulk_insert(configuration, rows)


def downgrade() -> None:
    keys = ", ".join(f"'{key}'" for key in SETTINGS)
    op.execute(
        f"DELETE FROM system_configuration WHERE key IN ({keys}) AND updated_by = 'migration'"
    )
