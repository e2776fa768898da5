"""Alembic environment: async engine, the models' metadata, batch mode on SQLite."""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, pool, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

import app.tables  # noqa: F401  (registers every table on Base.metadata)
from alembic import context
from app.platform.core.environment import Environment
from app.platform.db.base import Base
from app.platform.db.migrations import MIGRATION_LOCK_KEY, migration_target
from app.platform.db.types import ExactDecimal, UTCDateTime
from app.platform.db.unreachable import connected

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def render_item(type_: str, obj: object, autogen_context: AutogenContext) -> str | bool:
    """Render the project's portable column types as plain SQLAlchemy types in migrations."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, ExactDecimal):
        return f"sa.Numeric(precision={obj.precision}, scale={obj.scale})"
    return False


def target() -> tuple[str, str]:
    """The URL given to Alembic, else the one migrations run on (`migration_target`); and what
    gave it: the caller's name for it, else the variable it came from (a database that cannot
    be reached is said in a sentence naming it)."""
    url, variable = migration_target(Environment())
    given = config.get_main_option("sqlalchemy.url")
    return given or url, str(config.attributes.get("named_by") or variable)


def configure(connection: Connection | None = None, **kwargs: object) -> None:
    url, _ = target()
    context.configure(
        connection=connection,
        url=None if connection is not None else url,
        target_metadata=target_metadata,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
        render_item=render_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    configure(literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def advisory(connection: AsyncConnection, function: str) -> None:
    """Call pg_advisory_lock/unlock on the migration key, in a transaction of its own."""
    await connection.execute(text(f"SELECT {function}(:key)"), {"key": MIGRATION_LOCK_KEY})
    await connection.commit()


async def run_migrations_online() -> None:
    """Migrate; on PostgreSQL under the migration lock (SQLite is one embedded process)."""
    url, named_by = target()
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with connected(engine, named_by) as connection:
            locked = connection.dialect.name == "postgresql"
            if locked:
                # Waits while another starter migrates; its transaction then reads the version
                # that one committed, so it has nothing left to do.
                await advisory(connection, "pg_advisory_lock")
            await connection.run_sync(do_run_migrations)
            await connection.commit()
            if locked:
                # On failure the lock goes with the connection (NullPool closes it on exit).
                await advisory(connection, "pg_advisory_unlock")
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
