"""What each process imports (issue 84: a worker held 30-80 MB of packages it never used): a
worker's entry modules import the pure maths and numpy, not the database's packages, pydantic or
the web framework; the service's process imports neither Alembic (it reads its migrations'
revisions without it) nor, until its scheduler starts, TA-Lib (its workers score; the forward
record's books, scored in the service's process, import it at the scheduler's start), nor
asyncpg until it connects to PostgreSQL: a service on SQLite never holds it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
# What no worker needs: the database's packages, validation, the web and HTTP stacks, metrics.
NOT_IN_A_WORKER = (
    "sqlalchemy",
    "asyncpg",
    "aiosqlite",
    "alembic",
    "pydantic",
    "fastapi",
    "starlette",
    "aiohttp",
    "prometheus_client",
)
# The modules the workers' calls name (app.platform.runtime.offload): a worker imports these.
WORKER_ENTRIES = {
    "scoring": ["app.scoring.run_scores"],
    "evidence": ["app.lab.compute", "app.lab.reports"],
    "reads": ["app.portfolio.maths.heavy_reads"],
}


def imported_by(*modules: str) -> set[str]:
    """The top-level packages a fresh interpreter holds after importing `modules`."""
    probe = (
        f"import sys\nfor m in {list(modules)!r}: __import__(m)\n"
        "print(*sorted({n.split('.')[0] for n in sys.modules}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(out.stdout.split())


@pytest.mark.slow
@pytest.mark.parametrize("worker", sorted(WORKER_ENTRIES))
def test_a_workers_entry_imports_only_the_maths(worker: str) -> None:
    packages = imported_by(*WORKER_ENTRIES[worker])
    assert "numpy" in packages
    assert packages.isdisjoint(NOT_IN_A_WORKER), packages & set(NOT_IN_A_WORKER)


@pytest.mark.slow
def test_the_service_imports_neither_alembic_nor_talib_nor_asyncpg() -> None:
    """The app as uvicorn loads it, asked where a database stands."""
    packages = imported_by("app.main", "app.platform.db.revisions")
    assert {"fastapi", "sqlalchemy"} <= packages
    assert packages.isdisjoint({"alembic", "mako", "talib", "asyncpg"}), packages
