"""The routers' files: each module under `app/platform/http/routers/` (or each package there, when
the routes of one prefix fill several modules) is named after the URL prefix it serves, and a domain
in its own folder serves its routes from its `router.py` (or the modules of its `routers` package)
under its own name (or, where the URL is older than the domain's name, under the prefixes
`DOMAIN_PREFIXES` gives it). A prefix is one domain's, but where `SHARED_PREFIXES` declares why."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict
from types import ModuleType

from fastapi import APIRouter
from fastapi.routing import APIRoute

from app.platform.core.environment_sections import MetricsEnvironment
from app.platform.http import routers
from app.platform.http.routers.metrics import prometheus_router
from tests.unit.layers import APP, DOMAINS, ROUTER, ROUTERS, SHARED_PREFIXES

# A domain whose URL prefix is not its name (URLs stay as they are): the prefixes it serves.
DOMAIN_PREFIXES: dict[str, tuple[str, ...]] = {
    "callers": ("api-keys",),
    "configuration": ("config",),
    "market": ("symbols",),
    "operations": ("health", "status"),
    "portfolio": ("portfolio", "pairlist"),
    "records": ("evidence",),
    "lab": ("replays",),
}


def served() -> dict[str, list[str]]:
    """Each name directly under `app/platform/http/routers/` -> the paths its routes serve."""
    paths: dict[str, list[str]] = defaultdict(list)
    for info in pkgutil.walk_packages(routers.__path__, f"{routers.__name__}."):
        module = importlib.import_module(info.name)
        found = [v for v in vars(module).values() if isinstance(v, APIRouter)]
        if module.__name__ == prometheus_router.__module__:
            found.append(prometheus_router(MetricsEnvironment()))
        name = info.name.removeprefix(f"{routers.__name__}.").split(".")[0]
        for router in found:
            paths[name] += [r.path for r in router.routes if isinstance(r, APIRoute)]
    for domain in DOMAINS:
        for module in domain_router_modules(domain):
            for router in [v for v in vars(module).values() if isinstance(v, APIRouter)]:
                paths[domain] += [r.path for r in router.routes if isinstance(r, APIRoute)]
    return paths


def domain_router_modules(domain: str) -> list[ModuleType]:
    """A domain's `router.py`, or each module of its `routers` package (none: a domain without
    routes of its own, as `books`)."""
    if (APP / domain / f"{ROUTER}.py").is_file():
        return [importlib.import_module(f"app.{domain}.{ROUTER}")]
    if not (APP / domain / ROUTERS).is_dir():
        return []
    package = importlib.import_module(f"app.{domain}.{ROUTERS}")
    found = pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    return [importlib.import_module(info.name) for info in found]


def named_after_another_prefix(paths: dict[str, list[str]]) -> list[str]:
    """The paths served from a file whose name is not their first segment."""
    return [
        f"{name}: {path}"
        for name, served_paths in sorted(paths.items())
        for path in served_paths
        if path.split("/")[1] not in prefixes_of(name)
    ]


def prefixes_of(name: str) -> tuple[str, ...]:
    """The prefixes a domain (or a platform router's file) serves: its own, and those it shares."""
    own = DOMAIN_PREFIXES.get(name, (name.replace("_", "-"),))
    return own + tuple(p for p, sharers in SHARED_PREFIXES.items() if name in sharers)


def shared_undeclared(paths: dict[str, list[str]]) -> list[str]:
    """The prefixes served from several domains' folders that `SHARED_PREFIXES` does not give."""
    by_prefix: dict[str, set[str]] = defaultdict(set)
    for name, served_paths in paths.items():
        for path in served_paths:
            by_prefix[path.split("/")[1]].add(name)
    return sorted(
        f"/{prefix}: {sorted(names)}"
        for prefix, names in by_prefix.items()
        if len(names) > 1 and len(names - set(SHARED_PREFIXES.get(prefix, {}))) != 1
    )


class TestRouterFiles:
    def test_each_is_named_after_the_prefix_it_serves(self) -> None:
        paths = served()
        assert sum(map(len, paths.values())) > 50, "every router is found"
        routed = [d for d in DOMAINS if domain_router_modules(d)]
        assert all(paths[domain] for domain in routed), "every domain's router is found"
        assert sorted(set(DOMAINS) - set(routed)) == ["books"], "only the books serve no route"
        assert named_after_another_prefix(paths) == []

    def test_a_prefix_is_served_from_one_domain_but_where_declared(self) -> None:
        assert shared_undeclared(served()) == []
        undeclared = {"records": ["/evidence"], "lab": ["/evidence/x"], "scoring": ["/scoring"]}
        assert shared_undeclared(undeclared) == ["/evidence: ['lab', 'records']"]

    def test_names_a_path_served_from_the_wrong_file(self) -> None:
        paths = {
            "portfolio": ["/portfolio", "/portfolio/weights"],
            "records": ["/evidence/live", "/records"],
            "callers": ["/api-keys", "/callers"],
        }
        assert named_after_another_prefix(paths) == ["callers: /callers", "records: /records"]
