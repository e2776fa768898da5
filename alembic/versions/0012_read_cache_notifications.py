"""read cache notifications: every table a cached read shows notifies on commit (0005 covered
only what the portfolio read shows)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 05:10:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Beside 0005's portfolio_member, portfolio_history, scoring_run, system_configuration, symbol.
# Not the outbox, idempotency keys, job runs or webhook deliveries: no cached read shows them.
TABLES = (
    "symbol_score",
    "scoring_algorithm",
    "scoring_config_change",
    "candle",
    "candle_gap",
    "funding_settlement",
    "performance_record",
    "alert",
    "signal",
    "api_key",
    "replay_run",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: one process, whose own commits invalidate
    for table in TABLES:  # the function is 0005's
        op.execute(
            f"CREATE TRIGGER {table}_notify_change AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION mysymbols_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_change ON {table}")
