"""change notifications: PostgreSQL NOTIFY on commit of anything the portfolio read shows

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 15:20:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "mysymbols_changes"
TABLES = ("portfolio_member", "portfolio_history", "scoring_run", "system_configuration", "symbol")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: one process, which checks a version instead of listening
    # Statement-level and delivered at commit: a write that rolls back notifies nobody, and
    # PostgreSQL folds identical notifications of one transaction into one.
    op.execute(
        f"""
        CREATE FUNCTION mysymbols_notify_change() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
            RETURN NULL;
        END $$ LANGUAGE plpgsql
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify_change AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION mysymbols_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_change ON {table}")
    op.execute("DROP FUNCTION IF EXISTS mysymbols_notify_change()")
