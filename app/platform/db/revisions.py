"""Where a database's schema stands against this release's migration scripts: their revisions
and head, read from each script's own `revision` and `down_revision` assignments
(alembic/versions) without importing Alembic. The running service asks only this (readiness,
`/status`); Alembic, its templates and every script imported cost its process some 15 MB
(issue 84), so only the start command's migration step (`app.platform.db.migrations`) loads
them. `tests/integration/platform/db/test_migrations.py` holds this reading equal to Alembic's."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import Literal

ALEMBIC_INI = Path(__file__).resolve().parents[3] / "alembic.ini"
SCRIPTS = ALEMBIC_INI.parent / "alembic" / "versions"  # alembic.ini's script_location


def _assigned(script: Path) -> dict[str, object]:
    """The module-level `revision` and `down_revision` of a migration script."""
    found: dict[str, object] = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        targets: list[ast.expr]
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        elif isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                found[target.id] = ast.literal_eval(value)
    return found


@cache
def _graph() -> dict[str, frozenset[str]]:
    """Each revision and the revisions it follows."""
    graph: dict[str, frozenset[str]] = {}
    for script in sorted(SCRIPTS.glob("*.py")):
        assigned = _assigned(script)
        revision, down = assigned.get("revision"), assigned.get("down_revision")
        if not isinstance(revision, str):
            raise RuntimeError(f"{script.name} assigns no revision")
        if down is None:
            graph[revision] = frozenset()
        elif isinstance(down, str):
            graph[revision] = frozenset({down})
        else:  # a merge revision: a tuple of the revisions it joins
            graph[revision] = frozenset(str(d) for d in down)  # type: ignore[attr-defined]
    return graph


@cache
def head_revision() -> str:
    graph = _graph()
    followed = frozenset().union(*graph.values())
    heads = sorted(set(graph) - followed)
    if len(heads) != 1:
        raise RuntimeError(f"the migration scripts have {len(heads)} heads: {heads}")
    return heads[0]


Position = Literal["at_head", "ahead", "behind", "not_migrated"]
"""Where a database's schema stands against this code: at its head; ahead (a revision its
scripts do not know: a newer release migrated it, and code N runs on schema N+1); behind (an
older revision it knows); or not migrated at all."""


def known_revisions() -> frozenset[str]:
    """Every revision this code's scripts hold."""
    return frozenset(_graph())


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
