"""Alembic entry points for the app and the tests: config, head revision, where a database's
schema stands against this code's scripts, upgrade."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import pool
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from alembic import command
from app.db.repositories.system import SystemRepository

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"

# Every replica runs `alembic upgrade head` as it starts. On PostgreSQL, alembic/env.py holds this
# session-level advisory lock around the run, so concurrent starters migrate one after another: the
# first migrates, the later ones find the schema at head and do nothing. The key is arbitrary but
# fixed (ASCII "MySymMig"); advisory locks are scoped to one database, so test databases on the same
# server never wait for each other.
MIGRATION_LOCK_KEY = 0x4D7953796D4D6967


def alembic_config(database_url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", database_url)
    config.attributes["configure_logging"] = False
    return config


@cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_current_head()
    if head is None:
        raise RuntimeError("the Alembic script directory has no head revision")
    return head


Position = Literal["at_head", "ahead", "behind", "not_migrated"]
"""Where a database's schema stands against this code: at its head; ahead (a revision its
scripts do not know: a newer release migrated it, and code N runs on schema N+1); behind (an
older revision it knows); or not migrated at all."""


@cache
def known_revisions() -> frozenset[str]:
    """Every revision this code's scripts hold."""
    script = ScriptDirectory.from_config(Config(str(ALEMBIC_INI)))
    return frozenset(s.revision for s in script.walk_revisions())


def position_of(revision: str | None) -> Position:
    """Where the database at `revision` (None: no alembic_version) stands against this code."""
    if revision is None:
        return "not_migrated"
    if revision == head_revision():
        return "at_head"
    return "behind" if revision in known_revisions() else "ahead"


def serves(position: Position) -> bool:
    """Whether this code serves a database in `position`: at its head, or ahead of it (the
    migrations are expand/contract: a release's schema keeps the previous release working)."""
    return position in ("at_head", "ahead")


async def database_revision(database_url: str) -> str | None:
    """The revision stamped in the database (None: not migrated); raises when unreachable."""
    engine = create_async_engine(database_url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            try:
                return await SystemRepository(connection).migration_revision()
            except DBAPIError:  # reachable, but no alembic_version table
                return None
    finally:
        await engine.dispose()


def upgrade_to_head(database_url: str) -> None:
    """Blocking: runs its own event loop, so call it from a thread or before the app starts."""
    command.upgrade(alembic_config(database_url), "head")
