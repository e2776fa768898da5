"""The start command's migration step: upgrade a database behind this release, leave one ahead.

A rolling update and a rollback both run a release on a schema that a newer release has
migrated (an `alembic_version` revision this release's scripts do not know). Migrations are
expand/contract, so that schema serves this code; upgrading would fail ("Can't locate
revision") and crash-loop the rollback, so the step skips it with a warning.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from app.db.migrations import Position, database_revision, head_revision, position_of
from app.db.migrations import upgrade_to_head as upgrade

logger = logging.getLogger(__name__)

Outcome = Literal["at_head", "ahead", "upgraded", "behind"]


async def migrate(database_url: str, *, upgrade_behind: bool) -> Outcome:
    """Bring the database to this release's head if it is behind (`upgrade_behind`; else only
    say so: the replica is not ready until someone upgrades it), never past it, never back."""
    revision = await database_revision(database_url)
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
    await asyncio.to_thread(upgrade, database_url)
    logger.info("migrations: upgraded from %s to %s", revision or "nothing", head)
    return "upgraded"
