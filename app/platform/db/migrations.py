"""Alembic entry points for the app and the tests: config, upgrade, and the start command's
migration step (`migrate`). Where a database's schema stands against this code's scripts, which
the running service asks, is `app.platform.db.revisions`, without Alembic."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from alembic.config import Config
from sqlalchemy import pool
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from alembic import command
from app.platform.core.environment import Environment
from app.platform.db.repositories.system_state import SystemRepository
from app.platform.db.revisions import ALEMBIC_INI, Position, head_revision, position_of
from app.platform.db.unreachable import connected

logger = logging.getLogger(__name__)

# Every replica runs `alembic upgrade head` as it starts. On PostgreSQL, alembic/env.py holds this
# session-level advisory lock around the run, so concurrent starters migrate one after another: the
# first migrates, the later ones find the schema at head and do nothing. The key is arbitrary but
# fixed (ASCII "MySymMig"); advisory locks are scoped to one database, so test databases on the same
# server never wait for each other.
MIGRATION_LOCK_KEY = 0x4D7953796D4D6967


# What a set-up failure tells the person to change when they gave no better name for it.
DATABASE_URL_ENV = "MYSYMBOLS_DATABASE_URL"
MIGRATION_DATABASE_URL_ENV = "MYSYMBOLS_MIGRATION_DATABASE_URL"


def migration_target(environment: Environment) -> tuple[str, str]:
    """The database migrations run on, the schema owner's when it is set (the app connects as a
    DML-only role), else the app's; and the variable that gave it."""
    if environment.migration_database_url:
        return environment.migration_database_url, MIGRATION_DATABASE_URL_ENV
    return environment.database_url, DATABASE_URL_ENV


def alembic_config(database_url: str, named_by: str = DATABASE_URL_ENV) -> Config:
    """Alembic's configuration for `database_url`, which `named_by` (a variable or an option)
    gave: a database that cannot be reached is said in a sentence naming it."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", database_url)
    config.attributes["configure_logging"] = False
    config.attributes["named_by"] = named_by
    return config


async def database_revision(database_url: str, named_by: str = DATABASE_URL_ENV) -> str | None:
    """The revision stamped in the database (None: not migrated); `DatabaseUnreachable` when
    no connection opens."""
    engine = create_async_engine(database_url, poolclass=pool.NullPool)
    try:
        async with connected(engine, named_by) as connection:
            try:
                return await SystemRepository(connection).migration_revision()
            except DBAPIError:  # reachable, but no alembic_version table
                return None
    finally:
        await engine.dispose()


def upgrade_to_head(database_url: str, named_by: str = DATABASE_URL_ENV) -> None:
    """Blocking: runs its own event loop, so call it from a thread or before the app starts.
    `DatabaseUnreachable`, naming `named_by`, when no connection opens."""
    command.upgrade(alembic_config(database_url, named_by), "head")


# The start command's migration step: a rolling update and a rollback both run a release on a
# schema that a newer release has migrated (a revision this release's scripts do not know).
# Migrations are expand/contract, so that schema serves this code; upgrading would fail ("Can't
# locate revision") and crash-loop the rollback, so the step skips it with a warning.
Outcome = Literal["at_head", "ahead", "upgraded", "behind"]


async def migrate(
    database_url: str, *, upgrade_behind: bool, named_by: str = DATABASE_URL_ENV
) -> Outcome:
    """Bring the database to this release's head if it is behind (`upgrade_behind`; else only
    say so: the replica is not ready until someone upgrades it), never past it, never back."""
    revision = await database_revision(database_url, named_by)
    position: Position = position_of(revision)
    head = head_revision()
    if position == "at_head":
        logger.info("migrations: the database is at this release's head %s", head)
        return "at_head"
    if position == "ahead":
        logger.warning(
            "migrations: the database is at %s, ahead of this release's head %s (a newer "
            "release migrated it): upgrade skipped; this release runs on it (expand/contract)",
            revision,
            head,
        )
        return "ahead"
    if not upgrade_behind:
        logger.warning(
            "migrations: the database is at %s, behind this release's head %s; not upgraded "
            "here (MYSYMBOLS_MIGRATE=check): this replica is not ready until the migration "
            "job upgrades it",
            revision or "nothing",
            head,
        )
        return "behind"
    await asyncio.to_thread(upgrade_to_head, database_url, named_by)
    logger.info("migrations: upgraded from %s to %s", revision or "nothing", head)
    return "upgraded"
