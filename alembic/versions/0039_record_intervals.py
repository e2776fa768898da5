"""record intervals: each live record's job gets its own runtime setting,
`as_run_record_interval_s` (the `track_record` job) and `forward_record_interval_s` (the
`forward_record` job), both seeded with the stored value of `track_record_interval_s` (or its
default, 600), which the two jobs shared until now

Expand only: `track_record_interval_s` stays, read by no job of this release but by the release
before it, still running during a rollout (code N runs on schema N+1). A later release deletes
it (contract) once no release in service reads it.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-02 12:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

SHARED = "track_record_interval_s"
SHARED_DEFAULT = 600
# As of this revision (the registry in app.configuration.registry keeps the live copy).
SETTINGS = {
    "as_run_record_interval_s": "Seconds between as-run record updates (the track_record job: "
    "each marks the hours whose candles are stored).",
    "forward_record_interval_s": "Seconds between forward record updates (the forward_record "
    "job: each marks the hours whose candles are stored).",
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
    stored = dict(
        op.get_bind().execute(sa.select(configuration.c.key, configuration.c.value)).all()
    )
    value = stored.get(SHARED, SHARED_DEFAULT)  # what both jobs ran at
    rows = [
        {
            "key": key,
            "value": value,
            "description": description,
            "updated_at": datetime.now(UTC),
            "updated_by": "migration",
        }
        for key, description in SETTINGS.items()
        if key not in stored
    ]
    if rows:
        op.bulk_insert(configuration, rows)


def downgrade() -> None:
    keys = ", ".join(f"'{key}'" for key in SETTINGS)
    op.execute(
        f"DELETE FROM system_configuration WHERE key IN ({keys}) AND updated_by = 'migration'"
    )
