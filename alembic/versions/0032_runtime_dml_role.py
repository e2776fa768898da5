"""runtime DML role: the app connects as a role that may read and write rows but owns nothing,
so it cannot drop a table or the append-only triggers (`portfolio_history`,
`configuration_change`); migrations keep running as the schema's owner

PostgreSQL only (SQLite has no roles). The group role (NOLOGIN; `mysymbols_dml`, or
MYSYMBOLS_DML_ROLE when one cluster holds several deployments: one role per database) is created
here if it does not exist yet (the owner then needs CREATEROLE; or create it beforehand, see
deploy/postgres/runtime-role.sql) and granted DML on every table and sequence, now and, through
default privileges, on those later migrations create. The app's login role is made a member of
it outside migrations (deploy/postgres/runtime-role.sql). The audit tables are append-only to
it (INSERT and SELECT only), and it cannot write `alembic_version`.

Revision ID: 0032
Revises: 0031
Create Date: 2026-11-25 18:30:00+00:00
"""

import os
import re
from collections.abc import Sequence

from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE_ENV = "MYSYMBOLS_DML_ROLE"
APPEND_ONLY = ("portfolio_history", "configuration_change")
DML = "SELECT, INSERT, UPDATE, DELETE"


def role() -> str:
    name = os.environ.get(ROLE_ENV) or "mysymbols_dml"
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"{ROLE_ENV} must be a plain lower-case SQL identifier, not {name!r}")
    return name


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    dml = role()
    # Replicas of several databases may migrate at once on one cluster (roles are shared).
    op.execute(
        f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{dml}') THEN
                CREATE ROLE {dml} NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$
        """
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {dml}")
    op.execute(f"GRANT {DML} ON ALL TABLES IN SCHEMA public TO {dml}")
    op.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {dml}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {DML} ON TABLES TO {dml}")
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES "
        f"TO {dml}"
    )
    op.execute(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {dml}")
    for table in APPEND_ONLY:
        op.execute(f"REVOKE UPDATE, DELETE ON {table} FROM {dml}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    dml = role()
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT, UPDATE ON SEQUENCES "
        f"FROM {dml}"
    )
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE {DML} ON TABLES FROM {dml}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {dml}")
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {dml}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {dml}")
    # The role stays: it is the cluster's, and other databases may grant it too.
