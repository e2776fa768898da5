"""The import graph of `app/`, read from the source with `ast`: it has no cycle, so each module
can be understood (and imported) after the ones it uses.

What counts as an edge: `import app.a.b` is an edge to `app.a.b`; `from app.a import b` to
`app.a` and, when `b` is a module, to `app.a.b`; relative imports resolve the same way. The
parent packages Python initialises on the way are not counted (every module would depend on its
package's `__init__`). Two graphs are checked:

- at runtime: the imports a module executes when it is imported (module level, including
  `try`/`if` blocks there), but not those under `if TYPE_CHECKING:` nor inside functions. A cycle
  here breaks, or one day will break, importing the app;
- as designed: every import, also those under `if TYPE_CHECKING:` and those deferred into a
  function. Such an import hides a cycle from the interpreter, not from the reader: the modules
  still depend on each other (it is how `app.state` and the modules it builds were tied before
  issue 28). Neither kind may close a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.unit.layers import (
    BELOW_THE_DOMAINS,
    DEPENDENCIES,
    DOMAIN_ORDER,
    DOMAINS,
    JOBS,
    MAY_IMPORT,
    ROUTER,
    ROUTER_MAY_ALSO,
    ROUTERS,
    WIRING,
    unit,
)

APP = Path(__file__).resolve().parents[2] / "app"

Graph = dict[str, set[str]]


def modules() -> dict[str, Path]:
    """Every module under app/ by its dotted name (a package by its own name)."""
    found = {}
    for path in sorted(APP.rglob("*.py")):
        parts = list(path.relative_to(APP.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(body: list[ast.stmt], *, runtime_only: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements of `body`, nested blocks included; with `runtime_only`, not those
    under `if TYPE_CHECKING:` or inside functions (they do not run when the module is imported)."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            if not runtime_only:
                yield from _imports(node.body, runtime_only=runtime_only)
            yield from _imports(node.orelse, runtime_only=runtime_only)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if not runtime_only:
                yield from _imports(node.body, runtime_only=runtime_only)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    yield from _imports([child], runtime_only=runtime_only)
            for handler in getattr(node, "handlers", []):
                yield from _imports(handler.body, runtime_only=runtime_only)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        kept = package[: len(package) - node.level + 1]
        base = ".".join([*kept, node.module] if node.module else kept)
    else:
        base = node.module or ""
    yield base
    yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph(*, runtime_only: bool) -> Graph:
    """Module -> the app modules it imports."""
    known = modules()
    graph: Graph = {name: set() for name in known}
    for name, path in known.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in _imports(tree.body, runtime_only=runtime_only):
            for target in _targets(node, name, is_package):
                if target in known and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: Graph) -> list[str] | None:
    """One cycle of `graph` as the modules along it (the first repeated at the end), or None."""
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path: list[str] = [start]
        on_path = {start}
        stack = [iter(sorted(graph[start]))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                continue
            if nxt in on_path:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in done:
                path.append(nxt)
                on_path.add(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return None


def described(cycle: list[str] | None) -> str:
    return "no cycle" if cycle is None else "cycle: " + " -> ".join(cycle)


class TestImportGraph:
    def test_has_no_cycle_at_runtime(self) -> None:
        assert described(find_cycle(import_graph(runtime_only=True))) == "no cycle"

    def test_has_no_cycle_counting_type_checking_and_deferred_imports(self) -> None:
        assert described(find_cycle(import_graph(runtime_only=False))) == "no cycle"

    def test_sees_each_kind_of_import(self) -> None:
        """The guard itself: module-level, relative, TYPE_CHECKING and deferred imports."""
        tree = ast.parse(
            "from app.a import b\nfrom . import c\nif TYPE_CHECKING:\n    import app.d\n"
            "def f():\n    from app.e import g\n"
        )
        runtime = [_targets(n, "app.x.y", False) for n in _imports(tree.body, runtime_only=True)]
        every = [_targets(n, "app.x.y", False) for n in _imports(tree.body, runtime_only=False)]
        assert [sorted(t) for t in runtime] == [["app.a", "app.a.b"], ["app.x", "app.x.c"]]
        assert [sorted(t) for t in every][2:] == [["app.d"], ["app.e", "app.e.g"]]

    def test_reports_a_cycle_along_its_modules(self) -> None:
        graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
        assert find_cycle(graph) == ["a", "b", "c", "a"]
        assert find_cycle({"a": {"b"}, "b": set()}) is None


# Who may import whom is declared once, in tests/unit/layers.py (MAY_IMPORT, WIRING, DOMAINS).


def is_router(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 2 and parts[1] in DOMAINS and parts[2] in (ROUTER, ROUTERS)


def is_served(module: str) -> bool:
    """A domain's router or its request dependencies: what the HTTP layer serves."""
    parts = module.split(".")
    return is_router(module) or (
        len(parts) > 2 and parts[1] in DOMAINS and parts[2] == DEPENDENCIES
    )


def is_jobs(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 2 and parts[1] in DOMAINS and parts[2] == JOBS


def wrong_way(graph: Graph) -> list[str]:
    """Each import against `MAY_IMPORT`, as `importer -> imported`; a domain's router may also
    import `ROUTER_MAY_ALSO`. Whatever the table says, only the wiring (the assembly) imports a
    domain's jobs (besides the domain itself: its router starts them) and its router."""
    found = []
    for importer, imported in sorted(graph.items()):
        source = unit(importer)
        if source in WIRING or source == "app":
            continue
        allowed = MAY_IMPORT.get(source)
        for target in sorted(imported):
            into = unit(target)
            if into in (source, "app"):
                continue
            if is_served(importer) and into in ROUTER_MAY_ALSO:
                continue
            if is_jobs(target):  # the assembly's alone to register
                found.append(f"{importer} -> {target} (only the assembly imports jobs)")
                continue
            if is_router(target):  # the wiring's alone to include
                found.append(f"{importer} -> {target} (only the wiring includes a router)")
                continue
            if allowed is None or into not in allowed:
                found.append(
                    f"{importer} -> {target} ({source} may import: {sorted(allowed or ())})"
                )
    return found


class TestImportDirection:
    def test_every_folder_is_placed(self) -> None:
        units = {unit(m) for m in modules()} - {"app"}
        assert sorted(units - set(MAY_IMPORT) - WIRING) == []

    def test_imports_go_down_the_declared_layers(self) -> None:
        assert wrong_way(import_graph(runtime_only=False)) == []

    def test_names_the_offending_import(self) -> None:
        graph = {
            "app.platform.events.a": {"app.state", "app.platform.db.b"},
            "app.platform.core.c": {"app.platform.core.d"},
        }
        assert wrong_way(graph) == [
            f"app.platform.events.a -> app.state (events may import: "
            f"{sorted(MAY_IMPORT['events'])})"
        ]

    def test_places_the_platform_by_its_parts(self) -> None:
        assert [
            unit(m) for m in ("app.platform", "app.platform.db.engine", "app.lab.replay.x")
        ] == [
            "app",
            "db",
            "lab.replay",
        ]

    def test_the_platform_imports_no_domain_nor_the_wiring(self) -> None:
        """Whatever the table says: each domain hands the platform what it brings at the
        assembly; `kucoin`, the exchange adapter, is declared below the platform's database."""
        graph = import_graph(runtime_only=False)
        reaching = sorted(
            f"{importer} -> {target}"
            for importer, imported in graph.items()
            if importer.startswith("app.platform.")
            for target in imported
            if unit(target).split(".")[0] in DOMAINS or unit(target) in WIRING
        )
        assert reaching == []


class TestDomains:
    """The domain folders, one way in the declared order, on the platform."""

    def test_every_domain_in_a_folder_is_in_the_order(self) -> None:
        assert sorted(set(DOMAINS) - set(DOMAIN_ORDER)) == []

    def test_a_domain_imports_no_domain_after_it(self) -> None:
        """...but the units a later domain declares below them all (its alert log)."""
        below = {f"{d}.{m}" for d, ms in BELOW_THE_DOMAINS.items() for m in ms}
        for domain in DOMAINS:
            later = DOMAIN_ORDER[DOMAIN_ORDER.index(domain) + 1 :]
            reached = {u.split(".")[0] for u in MAY_IMPORT[domain] - below}
            assert sorted(reached & set(later)) == [], domain

    def test_an_import_of_a_later_domain_is_wrong_way_with_no_exception(self) -> None:
        """Whatever the module (a repository, a service, the pure maths), a domain that imports
        one after it in the order is refused: there is no list of allowed upward imports."""
        graph = {
            "app.market.repository": {"app.portfolio.models"},
            "app.scoring.service": {"app.portfolio.repository"},
            "app.portfolio.policy.settings": {"app.signals.voting.agents"},
            "app.alerts.settings": {"app.configuration.registry"},
        }
        assert [line.split(" (")[0] for line in wrong_way(graph)] == [
            "app.alerts.settings -> app.configuration.registry",
            "app.market.repository -> app.portfolio.models",
            "app.portfolio.policy.settings -> app.signals.voting.agents",
            "app.scoring.service -> app.portfolio.repository",
        ]

    def test_a_domain_starts_its_jobs_from_its_router_only(self) -> None:
        """...and only the assembly registers its jobs (`jobs.py`), which build on the platform's
        job primitives (`app.platform.runs.job`)."""
        graph = {
            "app.assembly": {"app.market.jobs", "app.signals.jobs"},
            "app.market.router": {"app.market.jobs", "app.platform.scheduler.on_request"},
            "app.market.jobs": {"app.platform.runs.job", "app.platform.scheduler.schedule"},
            "app.market.service": {"app.platform.scheduler.schedule"},
            "app.platform.scheduler.catalog": {"app.market.jobs"},
            "app.signals.service": {"app.market.jobs"},
        }
        assert [line.split(" (")[0] for line in wrong_way(graph)] == [
            "app.market.jobs -> app.platform.scheduler.schedule",
            "app.market.service -> app.platform.scheduler.schedule",
            "app.platform.scheduler.catalog -> app.market.jobs",
            "app.signals.service -> app.market.jobs",
        ]

    def test_only_the_wiring_includes_a_router(self) -> None:
        graph = import_graph(runtime_only=False)
        importers = sorted(m for m, imported in graph.items() if any(map(is_router, imported)))
        assert importers == ["app.assembly"]

    def test_names_an_import_of_a_later_domain_or_from_below(self) -> None:
        graph = {
            "app.signals.service": {"app.alerts.service", "app.signals.voting.agents"},
            "app.signals.voting.agents": {"app.signals.models"},
            "app.platform.db.repositories.x": {"app.signals.models", "app.signals.repository"},
            "app.platform.runs.run_engine": {"app.lab.service"},
            "app.platform.http.auth": {"app.callers.service", "app.signals.router"},
        }
        assert [line.split(" (")[0] for line in wrong_way(graph)] == [
            "app.platform.db.repositories.x -> app.signals.models",
            "app.platform.db.repositories.x -> app.signals.repository",
            "app.platform.http.auth -> app.callers.service",
            "app.platform.http.auth -> app.signals.router",
            "app.platform.runs.run_engine -> app.lab.service",
            "app.signals.service -> app.alerts.service",
            "app.signals.voting.agents -> app.signals.models",
        ]

    def test_names_a_lower_domain_reaching_the_alerts(self) -> None:
        """The old tangle, alerts -> portfolio -> market -> alerts: market and the earlier
        signals raise alerts through the platform's `db`, never through the alerts domain."""
        graph = {
            "app.market.category_verdicts": {
                "app.alerts.conditions",
                "app.platform.db.repositories.x",
            },
            "app.signals.service": {"app.alerts.repository", "app.signals.models"},
            "app.alerts.conditions": {"app.market.category_verdicts", "app.signals.service"},
        }
        assert [line.split(" (")[0] for line in wrong_way(graph)] == [
            "app.market.category_verdicts -> app.alerts.conditions",
            "app.signals.service -> app.alerts.repository",
        ]

    def test_a_domain_reaches_no_driver_but_from_its_router(self) -> None:
        graph = {
            "app.callers.service": {"app.platform.http.auth", "app.state"},
            "app.callers.router": {"app.platform.http.auth", "app.platform.scheduler.catalog"},
            "app.callers.idempotency": {"app.signals.models", "app.platform.db.base"},
        }
        assert [line.split(" (")[0] for line in wrong_way(graph)] == [
            "app.callers.idempotency -> app.signals.models",
            "app.callers.service -> app.platform.http.auth",
            "app.callers.service -> app.state",
        ]


def test_commits_are_announced_by_no_one() -> None:
    """Every commit is followed by the sessionmaker's hook (`app.platform.db.engine`), not by its
    caller."""
    mentions = [
        str(path.relative_to(APP))
        for path in sorted(APP.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and "announce_commit" in path.read_text(errors="replace")
    ]
    assert mentions == []
