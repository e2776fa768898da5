"""Alembic entry points for the app and the tests: config, head revision, upgrade."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from alembic import command

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


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
