"""The layering rules of AGENTS.md, checked on the source so that a change cannot quietly break
them: queries live in repositories, transactions end only at their owners, the pure packages
stay pure, and services are built in one place."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
import sys
import typing
from pathlib import Path

import pytest

from app.services import factory
from tests.unit.layers import DOMAINS, PURE_EXTERNAL, PURE_PACKAGES, ROUTER, ROUTERS

APP = Path(__file__).resolve().parents[2] / "app"
# Maths only (tests/unit/layers.py says why each is allowed), and the other pure packages.
PURE_ALLOWED = {*PURE_EXTERNAL} | {f"app.{p}" for p in PURE_PACKAGES}

# The only places a transaction is committed: the request boundary, and the classes that own
# transactions of their own (a job run is claimed before its work; each idempotency claim is
# committed before the work it guards; each webhook delivery is claimed and recorded in its own
# transaction; a history import commits symbol by symbol; a background replay records its
# progress as it goes; retention commits batch by batch; on SQLite, long work commits step by
# step so that no step holds the database's one write lock for long).
COMMIT_OWNERS = {
    "api/sessions.py",  # get_session / SessionSource: one transaction per request
    "api/idempotent.py",  # AnswerOnce: a keyed request's, inside its guard (a failure releases)
    "db/sqlite_locks.py",  # release_write_lock: SQLite's long work, step by step
    "scheduler/runs.py",  # JobRunner: a run's claim, its work and outcome
    "services/runs/engine.py",  # RunEngine: every background run's heartbeats, the start-up sweep
    "callers/idempotency.py",  # IdempotencyGuard: claims, stored answers, releases
    "services/webhooks/dispatcher.py",  # WebhookDispatcher: claims, heartbeats, hand-back
    "services/webhooks/queue.py",  # ReceiverQueue: each delivery's outcome
    "lab/history_import.py",  # HistoryImportService: each symbol's rows, so it can resume
    "lab/runner.py",  # ReplayRunner: a run's start, then its report
    "services/maintenance/retention.py",  # RetentionService: each bounded batch, so no lock lasts
}
DRIVERS = (
    *("api", "scheduler", "cli", "main.py", "state.py"),
    *(f"{d}/{ROUTER}.py" for d in DOMAINS if (APP / d / f"{ROUTER}.py").is_file()),
    *(f"{d}/{ROUTERS}" for d in DOMAINS if (APP / d / ROUTERS).is_dir()),
)
# A domain's queries live in its repository module, as the kind folders' do under app/db.
REPOSITORIES = {f"{domain}/repository.py" for domain in DOMAINS}
# The only use case a driver calls without the factory, and why.
UNFACTORED_USE_CASES = {
    # `python -m app.cli migrate`: the schema comes before any app state or session exists.
    "app.services.maintenance.schema.migrate",
}


def sources(under: Path = APP) -> list[Path]:
    return sorted(under.rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(APP).as_posix()


def code_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of lines that are not comments; strings stay (they may hold SQL)."""
    return [
        (n, line)
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if not line.lstrip().startswith("#")
    ]


def occurrences(pattern: str, allowed: set[str] | None = None, under: Path = APP) -> list[str]:
    found = []
    for path in sources(under):
        if allowed is not None and relative(path) in allowed:
            continue
        for n, line in code_lines(path):
            if re.search(pattern, line):
                found.append(f"{relative(path)}:{n}: {line.strip()}")
    return found


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_queries_are_built_only_in_the_db_layer() -> None:
    outside = [
        o
        for o in occurrences(r"\bselect\(")
        if not o.startswith("db/") and o.split(":")[0] not in REPOSITORIES
    ]
    assert outside == [], "move these queries into a repository (app/db, or the domain's)"


def test_transactions_are_committed_only_by_their_owners() -> None:
    assert occurrences(r"\.commit\(", allowed=COMMIT_OWNERS) == []


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_only_the_standard_library_and_maths(package: str) -> None:
    impure = {}
    assert sources(APP / package.replace(".", "/")), "the package exists"
    for path in sources(APP / package.replace(".", "/")):
        for module in imported_modules(path):
            root = module.split(".")[0]
            if root in sys.stdlib_module_names or root == "__future__":
                continue
            if not any(module == a or module.startswith(f"{a}.") for a in PURE_ALLOWED):
                impure[relative(path)] = module
    assert impure == {}


def test_services_are_built_only_by_the_factory_outside_the_services_layer() -> None:
    """Or by their own domain's folder (its router's dependency and the factory share a builder)."""
    constructions = [
        o
        for o in occurrences(r"\b[A-Z]\w*Service\(")
        if not o.startswith(("services/", *(f"{d}/" for d in DOMAINS)))
    ]
    assert constructions == [], "build services through app.services.factory.Services"


def test_every_service_the_factory_builds_is_named_for_its_domain() -> None:
    """`…Service`: what `Services` answers, and what the functions beside it build."""
    built = [
        typing.get_type_hints(getter.func)["return"]
        for getter in vars(factory.Services).values()
        if isinstance(getter, functools.cached_property)
    ] + [
        typing.get_type_hints(function)["return"]
        for function in vars(factory).values()
        if inspect.isfunction(function) and function.__module__ == factory.__name__
    ]
    assert len(built) > 5, "every service is found"  # fewer as the domains build their own
    assert [c.__name__ for c in built if not c.__name__.endswith("Service")] == []


def test_drivers_reach_use_cases_only_through_the_factory() -> None:
    """A use case is a method of a service the factory built: the routers, jobs and commands
    call no function of `app.services` that does I/O (a coroutine or an async generator), nor
    do the commands one of a domain's."""
    direct = []
    for path in [
        p for d in DRIVERS for p in ([APP / d] if d.endswith(".py") else sources(APP / d))
    ]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
                ("app.services.", *(f"app.{d}." for d in DOMAINS))
            ):
                continue
            if (node.module or "").split(".")[1] in DOMAINS and not path.is_relative_to(
                APP / "cli"
            ):
                continue  # a domain's router and jobs build its services themselves
            module = importlib.import_module(str(node.module))
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                used = getattr(module, alias.name)
                does_io = inspect.iscoroutinefunction(used) or inspect.isasyncgenfunction(used)
                if does_io and name not in UNFACTORED_USE_CASES:
                    direct.append(f"{relative(path)}: {name}")
    assert direct == [], "make it a method of a service that app.services.factory builds"


def test_no_module_other_than_the_wiring_sits_directly_in_services() -> None:
    """The factory, and the protocols of what it takes from the app state (context.py)."""
    direct = sorted(p.name for p in (APP / "services").glob("*.py"))
    assert direct == ["__init__.py", "context.py", "factory.py"]


def test_every_public_service_and_repository_class_has_a_docstring() -> None:
    """Plain classes, that is: dataclasses and subclasses (errors) document themselves."""
    missing = []
    domains = [p for d in DOMAINS for p in sources(APP / d) if p.parent.name not in DOMAINS[d]]
    for path in [*sources(APP / "services"), *sources(APP / "db" / "repositories"), *domains]:
        for node in ast.parse(path.read_text()).body:
            if (
                isinstance(node, ast.ClassDef)
                and not node.name.startswith("_")
                and not node.bases
                and not any("dataclass" in ast.unparse(d) for d in node.decorator_list)
                and ast.get_docstring(node) is None
            ):
                missing.append(f"{relative(path)}:{node.name}")
    assert missing == []


def test_the_app_root_holds_only_the_entry_and_its_wiring() -> None:
    loose = sorted(p.name for p in APP.glob("*.py"))
    assert loose == ["__init__.py", "main.py", "state.py"], "move it to the folder of its concern"
