"""a key's last use is quiet: `api_key`'s change notification fires for every column but
`last_used_at`, which no cached read shows (a stored key's use, once a minute, emptied every
replica's read caches).

Revision ID: 0035
Revises: 0034
Create Date: 2026-11-26 16:30:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHOWN = "name, role, prefix, key_hash, created_at, created_by, revoked_at"  # all but last_used_at
TRIGGER = "api_key_notify_change"  # 0012's; the function is 0005's


def _replace(events: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: one process, whose own commits invalidate
    op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON api_key")
    op.execute(
        f"CREATE TRIGGER {TRIGGER} AFTER {events} ON api_key "
        "FOR EACH STATEMENT EXECUTE FUNCTION mysymbols_notify_change()"
    )


def upgrade() -> None:
    _replace(f"INSERT OR DELETE OR UPDATE OF {SHOWN}")


def downgrade() -> None:
    _replace("INSERT OR UPDATE OR DELETE")
