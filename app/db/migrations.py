"""Alembic entry points for the app and the tests: config, head revision, upgrade."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from alembic import command

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


def upgrade_to_head(database_url: str) -> None:
    """Blocking: runs its own event loop, so call it from a thread or before the app starts."""
    command.upgrade(alembic_config(database_url), "head")
