"""retention and configuration audit: the retention windows and job period as runtime settings,
and `configuration_change`, one append-only row per runtime setting changed over the API

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 10:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op
from app.platform.db.downgrade_guard import refuse_unless_forced

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

RETENTION_CONFIGURATION: list[tuple[str, object, str]] = [
    ("retention_interval_s", 3600, "Seconds between retention passes."),
    (
        "retention_breakdown_days",
        30,
        "Days a run keeps its inputs and its per-component score rows with their metric "
        "breakdowns (the composite, with its component scores, stays).",
    ),
    ("retention_score_days", 400, "Days a run and its composite scores are kept."),
    ("retention_event_days", 14, "Days event outbox rows and webhook deliveries are kept."),
    ("retention_job_run_days", 90, "Days finished job runs are kept (each job's last stays)."),
    ("retention_batch_rows", 1000, "Most rows one retention transaction deletes or updates."),
]

APPEND_ONLY_POSTGRES = [
    """
    CREATE FUNCTION configuration_change_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'configuration_change is append-only' USING ERRCODE = 'restrict_violation';
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER configuration_change_append_only
    BEFORE UPDATE OR DELETE ON configuration_change
    FOR EACH ROW EXECUTE FUNCTION configuration_change_append_only()
    """,
]
_APPEND_ONLY_SQLITE = """
    CREATE TRIGGER configuration_change_append_only_{event}
    BEFORE {event} ON configuration_change
    BEGIN SELECT RAISE(ABORT, 'configuration_change is append-only'); END
"""


def upgrade() -> None:
    op.create_table(
        "configuration_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("old_value", JSON, nullable=True),
        sa.Column("new_value", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_configuration_change")),
    )
    with op.batch_alter_table("configuration_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_configuration_change_changed_at"), ["changed_at"], unique=False
        )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in APPEND_ONLY_POSTGRES:
            op.execute(statement)
    else:
        for event in ("update", "delete"):
            op.execute(_APPEND_ONLY_SQLITE.format(event=event))
    configuration = sa.table(
        "system_configuration",
        sa.column("key", sa.String),
        sa.column("value", JSON),
        sa.column("description", sa.Text),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String),
    )
    # An operator may already have set one of these by hand: keep what they set.
    present = set(bind.scalars(sa.select(configuration.c.key)).all())
    now = datetime.now(UTC)
    rows = [
        {"key": k, "value": v, "description": d, "updated_at": now, "updated_by": "migration"}
        for k, v, d in RETENTION_CONFIGURATION
        if k not in present
    ]
    if rows:
        op.bulk_insert(configuration, rows)


def downgrade() -> None:
    refuse_unless_forced(
        "0014", "the audit of runtime-setting changes (configuration_change, append-only)"
    )
    keys = ", ".join(f"'{key}'" for key, _, _ in RETENTION_CONFIGURATION)
    op.execute(
        f"DELETE FROM system_configuration WHERE key IN ({keys}) AND updated_by = 'migration'"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP TRIGGER IF EXISTS configuration_change_append_only ON configuration_change"
        )
        op.execute("DROP FUNCTION IF EXISTS configuration_change_append_only()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS configuration_change_append_only_{event}")
    with op.batch_alter_table("configuration_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_configuration_change_changed_at"))
    op.drop_table("configuration_change")
