"""Downgrades that would destroy the record or the audit refuse unless forced.

A rollback of the code never needs one (code N runs on schema N+1, see docs/operations.md,
"Deploying"); a downgrade that drops the live or forward record, the as-run decisions, the
replay evidence or an append-only audit table loses history that nothing can rebuild. The
migrations that would call `refuse_unless_forced` first; it lets them through with
`alembic -x force=1 downgrade ...` or `MYSYMBOLS_ALLOW_DESTRUCTIVE_DOWNGRADE=1` in the environment.
"""

from __future__ import annotations

import os

from alembic import context

FORCE_ENV = "MYSYMBOLS_ALLOW_DESTRUCTIVE_DOWNGRADE"
TRUE = ("1", "true", "yes")


class DestructiveDowngradeRefused(RuntimeError):
    """A downgrade would drop what cannot be rebuilt, and was not forced."""


def forced() -> bool:
    """Whether this migration run was told to go ahead (`-x force=1` or the environment)."""
    arguments = context.get_x_argument(as_dictionary=True)
    given = arguments.get("force") or os.environ.get(FORCE_ENV, "")
    return given.strip().lower() in TRUE


def refuse_unless_forced(revision: str, destroys: str) -> None:
    """Stop the downgrade of `revision`, which `destroys` (what it drops), unless forced."""
    if forced():
        return
    raise DestructiveDowngradeRefused(
        f"downgrading {revision} would destroy {destroys}; nothing can rebuild it. A rollback "
        f"of the code does not need it (the previous release runs on this schema). To go ahead "
        f"anyway, after a backup: alembic -x force=1 downgrade ..., or {FORCE_ENV}=1"
    )
