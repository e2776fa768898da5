"""The layering rules of AGENTS.md, checked on the source so that a change cannot quietly break
them: queries live in repositories, transactions end only at their owners, the pure packages
stay pure, the drivers reach the use cases through their services, and no module runs long."""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

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
    "platform/http/sessions.py",  # get_session / SessionSource: one transaction per request
    "callers/dependencies.py",  # AnswerOnce: a keyed request's, inside its guard
    "platform/db/sqlite_writer.py",  # end_write_turn: SQLite's long work, step by step
    "platform/scheduler/runs.py",  # JobRunner: a run's claim (and a skipped tick's record)
    "platform/scheduler/execution.py",  # JobExecutor: a run's work and outcome, or its end
    "platform/runs/run_engine.py",  # RunEngine: every run's heartbeats, the start-up sweep
    "callers/idempotency.py",  # IdempotencyGuard: claims, stored answers, releases
    "platform/webhooks/dispatcher.py",  # WebhookDispatcher: claims, heartbeats, hand-back
    "platform/webhooks/queue.py",  # ReceiverQueue: each delivery's outcome
    "lab/history_import.py",  # HistoryImportService: each symbol's rows, so it can resume
    "lab/runner.py",  # ReplayRunner: a run's start, then its report
    "operations/retention.py",  # RetentionService: each bounded batch, so no lock lasts
}
DRIVERS = (
    *("platform/http", "platform/scheduler", "cli", "main.py", "state.py", "assembly.py"),
    *(f"{d}/{ROUTER}.py" for d in DOMAINS if (APP / d / f"{ROUTER}.py").is_file()),
    *(f"{d}/{ROUTERS}" for d in DOMAINS if (APP / d / ROUTERS).is_dir()),
)
# A domain's queries live in its repository module, as the platform's do under app/platform/db.
REPOSITORIES = {f"{domain}/repository.py" for domain in DOMAINS} | {
    "alerts/log.py",  # the alert log's own queries: it sits below every domain (layers.py)
}
# Or in its repository package, one module per record or resource (`records/repository/`).
REPOSITORY_PACKAGES = tuple(f"{domain}/repository/" for domain in DOMAINS)
# The only use case a driver calls as a function, not as a method of a service, and why.
UNFACTORED_USE_CASES = {
    # `python -m app.cli migrate`: the schema comes before any app state or session exists.
    "app.platform.db.migrations.migrate",
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
        if not o.startswith(("platform/db/", *REPOSITORY_PACKAGES))
        and o.split(":")[0] not in REPOSITORIES
    ]
    assert outside == [], "move these queries into a repository (app/platform/db, or the domain's)"


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


def test_no_container_builds_the_services() -> None:
    """Each domain builds its own services (its router's dependencies, its jobs, its builders):
    no module outside a domain's folder and the drivers constructs a `…Service`."""
    constructions = [
        o
        for o in occurrences(r"\b[A-Z]\w*Service\(")
        if not o.startswith(
            (*(f"{d}/" for d in DOMAINS), "platform/http/", "platform/scheduler/", "cli/")
        )
        and not o.startswith("platform/events/stream.py")  # the stream's builder, beside it
    ]
    assert constructions == [], "build a domain's service in its folder or in a driver"


def test_drivers_reach_use_cases_only_through_services() -> None:
    """A use case is a method of a service: the commands call no function of a domain that does
    I/O (a coroutine or an async generator)."""
    direct = []
    for path in [
        p for d in DRIVERS for p in ([APP / d] if d.endswith(".py") else sources(APP / d))
    ]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
                tuple(f"app.{d}." for d in DOMAINS)
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
    assert direct == [], "make it a method of the domain's service"


def test_every_public_service_and_repository_class_has_a_docstring() -> None:
    """Plain classes, that is: dataclasses and subclasses (errors) document themselves."""
    missing = []
    domains = [p for d in DOMAINS for p in sources(APP / d) if p.parent.name not in DOMAINS[d]]
    services = ("events", "webhooks", "runs", "db/repositories")  # the platform's services
    platform = [p for part in services for p in sources(APP / "platform" / part)]
    for path in [*platform, *domains]:
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


# What a forwarder may wrap its one call in and still be one: a conversion of the answer.
CONVERSIONS = frozenset({"list", "tuple", "dict", "set", "frozenset"})


def forwarded(value: ast.expr, module: ModuleType) -> str | None:
    """The callee when `value` is one call, awaited or not, of a module-level function
    (`f(...)`, `module.f(...)`) or of another object's method (`self.repository.get(...)`,
    `session.get(...)`, `Other(...).run(...)`), or such a call converted (`list(...)`); None for
    the service's own method (`self._x(...)`, `super().x(...)`), a class built or asked
    (`Read.model_validate(...)`) and anything else."""
    if isinstance(value, ast.Await):
        value = value.value
    if not isinstance(value, ast.Call):
        return None
    callee = value.func
    if isinstance(callee, ast.Name):
        if callee.id in CONVERSIONS and len(value.args) == 1 and not value.keywords:
            return forwarded(value.args[0], module)
        found = vars(module).get(callee.id, getattr(builtins, callee.id, None))
        return callee.id if inspect.isfunction(found) or inspect.isbuiltin(found) else None
    if not isinstance(callee, ast.Attribute):
        return None
    owner = callee.value
    if isinstance(owner, ast.Call) and ast.unparse(owner.func) == "super":
        return None  # its own method, inherited
    if isinstance(owner, ast.Name):
        if owner.id in ("self", "cls"):
            return None  # its own method
        found = vars(module).get(owner.id)
        if inspect.isclass(found):
            return None  # a class built or asked
        if inspect.ismodule(found):
            named = getattr(found, callee.attr, None)
            return ast.unparse(callee) if inspect.isroutine(named) else None
    return ast.unparse(callee)  # a collaborator's, a parameter's, a local's method


def forwarding_methods(tree: ast.Module, module: ModuleType) -> list[str]:
    """`Class.method -> callee` of each public method of a `…Service` class in `tree` whose body
    (its docstring aside) is one `return` of what `forwarded` finds."""
    found = []
    for service in ast.walk(tree):
        if not isinstance(service, ast.ClassDef) or not service.name.endswith("Service"):
            continue
        for method in service.body:
            if not isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            body = method.body[1:] if ast.get_docstring(method) else method.body
            if method.name.startswith("_") or len(body) != 1:
                continue
            [statement] = body
            if isinstance(statement, ast.Return) and statement.value is not None:
                callee = forwarded(statement.value, module)
                if callee is not None:
                    found.append(f"{service.name}.{method.name} -> {callee}")
    return found


def test_no_service_method_only_forwards() -> None:
    """AGENTS.md, "A service": a use case is a method of a service whose body is the use case.
    A public method of a `…Service` that only returns what a module's function or another
    object's method answers is a second door onto it: move that body into the method (its
    helpers beside it), or let the caller use the door it forwards to."""
    offenders = []
    for path in sources():
        text = path.read_text()
        if not re.search(r"^\s*class \w+Service\b", text, re.MULTILINE):
            continue
        module = importlib.import_module(
            ".".join(("app", *path.relative_to(APP).with_suffix("").parts))
        )
        offenders += [f"{relative(path)}: {m}" for m in forwarding_methods(ast.parse(text), module)]
    assert offenders == [], "make each body the use case itself: " + "; ".join(offenders)


FORWARDERS = '''
class FooService:
    async def by_function(self):
        """The docstring aside."""
        return await read_setting(self.session)

    async def by_module_function(self):
        return reader.read(self.session)

    async def by_repository(self, limit):
        return await self.repository.page(limit)

    async def by_other(self):
        return list(await Other(self.session).rows())

    async def by_parameter(self, session):
        return await session.get(1)

    async def own(self):
        return await self._rows()

    async def inherited(self):
        return await super().rows()

    async def schema(self, row):
        return Read.model_validate(row)

    async def built(self, row):
        return Read(row=row)

    async def two_steps(self):
        rows = await self.repository.page(1)
        return [Read.model_validate(r) for r in rows]

    async def _private(self):
        return await self.repository.page(1)
'''


def test_the_forwarder_rule_tells_a_forwarder_from_a_use_case() -> None:
    module = ModuleType("fake")
    reader = ModuleType("reader")
    vars(reader).update(read=lambda session: None)
    vars(module).update(read_setting=lambda session: None, reader=reader, Read=dict, Other=dict)
    assert forwarding_methods(ast.parse(FORWARDERS), module) == [
        "FooService.by_function -> read_setting",
        "FooService.by_module_function -> reader.read",
        "FooService.by_repository -> self.repository.page",
        "FooService.by_other -> Other(self.session).rows",
        "FooService.by_parameter -> session.get",
    ]


def test_the_app_root_holds_only_the_entry_and_its_wiring() -> None:
    loose = sorted(p.name for p in APP.glob("*.py"))
    assert loose == ["__init__.py", "assembly.py", "main.py", "state.py", "tables.py"], (
        "move it to the folder of its concern"
    )


MAX_MODULE_LINES = 350  # AGENTS.md: modules under about 300 lines; past this, split by purpose


def test_no_module_over_350_lines() -> None:
    """No module of `app/` runs over `MAX_MODULE_LINES` physical lines (as `wc -l` counts them):
    a longer one holds more than one job, and is split by what its parts are for."""
    long = {
        relative(path): lines
        for path in sources()
        if (lines := path.read_bytes().count(b"\n")) > MAX_MODULE_LINES
    }
    offenders = ", ".join(f"{path} ({n} lines)" for path, n in sorted(long.items()))
    assert long == {}, f"split by what their parts are for: {offenders}"


# Names a module's `__all__` offers from another module, and why.
RE_EXPORTS: dict[str, tuple[str, frozenset[str]]] = {
    "app.scoring.scorers.component_registry": (
        "the plug-in author's one import: what a plug-in is, beside how it is registered",
        frozenset({"PLUGIN_PARAMETERS", "ScorerFunction", "ScorerPlugin"}),
    ),
}


def packages() -> list[str]:
    return sorted(
        ".".join(("app", *path.parent.relative_to(APP).parts)) for path in APP.rglob("__init__.py")
    )


@pytest.mark.parametrize("package", packages())
def test_every_package_star_imports(package: str) -> None:
    exec(f"from {package} import *", {})


def test_a_modules_all_names_only_what_it_defines() -> None:
    """One home per name: `__all__` offers what its module defines (a package: its modules),
    other re-exports declared."""
    offered = {}
    for path in sources():
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
            ):
                module = ".".join(("app", *path.relative_to(APP).with_suffix("").parts))
                offered[module.removesuffix(".__init__")] = ast.literal_eval(node.value)
    foreign = {}
    for module, names in offered.items():
        loaded = importlib.import_module(module)
        elsewhere = {
            name
            for name in names
            if not f"{getattr(getattr(loaded, name), '__module__', module)}.".startswith(
                f"{module}."
            )
            and not isinstance(getattr(loaded, name), type(importlib))
        }
        elsewhere -= RE_EXPORTS.get(module, ("", frozenset()))[1]
        if elsewhere:
            foreign[module] = sorted(elsewhere)
    assert foreign == {}, "import these from their own module"
