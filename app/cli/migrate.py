"""`migrate`: the start command's migration step (the image's CMD, the compose service and the
Kubernetes Job run it before anything else).

python -m app.cli migrate [--check | --upgrade]

Reads MYSYMBOLS_MIGRATION_DATABASE_URL (the schema owner), else MYSYMBOLS_DATABASE_URL. Behind
this release's head: upgrades (`--upgrade`, the default, or MYSYMBOLS_MIGRATE=upgrade) or only
says so (`--check`, MYSYMBOLS_MIGRATE=check). Ahead of it (a revision its scripts do not know):
skips the upgrade with a warning. Exit 0 unless an upgrade was due and failed, or the database
could not be read while upgrading (1); with `--check` an unreachable database is a warning.
A database that cannot be reached is one line naming its address and what to do, its traceback
only with MYSYMBOLS_DEBUG=1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

from app.platform.core.environment import Environment
from app.platform.core.log import configure_logging
from app.platform.db.migrations import migrate, migration_target
from app.platform.db.unreachable import DatabaseUnreachable, busy_file, debugging

logger = logging.getLogger(__name__)


def add_commands(commands: Any) -> None:
    """The `migrate` command's options."""
    command = commands.add_parser(
        "migrate",
        help="upgrade the database to this release's head; skip with a warning when ahead",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = command.add_mutually_exclusive_group()
    mode.add_argument("--check", dest="mode", action="store_const", const="check")
    mode.add_argument("--upgrade", dest="mode", action="store_const", const="upgrade")


def run(args: argparse.Namespace) -> int:
    """Run the migration step; its exit code."""
    environment = Environment()
    configure_logging(environment.log_level, environment.log_format)
    mode = args.mode or environment.migrate
    url, named_by = migration_target(environment)
    try:
        asyncio.run(migrate(url, upgrade_behind=mode == "upgrade", named_by=named_by))
    except DatabaseUnreachable as exc:
        if mode == "check":
            logger.warning("migrations: not checked, %s Starting anyway.", exc)
            return 0
        logger.error("migrations: %s", exc)
        return 1
    except Exception as exc:
        if mode == "check":
            logger.warning("migrations: not checked (%s); starting anyway", type(exc).__name__)
            return 0
        busy = busy_file(exc)
        if busy is not None and not debugging():
            logger.error("migrations: not run: %s", busy)
            return 1
        logger.exception("migrations: failed")
        return 1
    return 0
