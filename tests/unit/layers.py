"""The layers of `app/`, declared once: the domains' order, the pure packages and who may import
whom, by unit (a folder of `app/`; in a domain's folder, its pure sub-folder and its `models`).

`test_layering.py` (what the pure packages may import) and `test_import_graph.py` (the import
direction) check the source against these; `python -m scripts.docgen` (`scripts/docgen/
layers_table.py`) writes them into docs/architecture.md and AGENTS.md, and
`test_docs_generated.py` fails when those are stale.
"""

from __future__ import annotations

from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

# `app/` holds one folder per domain (its routers, schemas, service, repository, models and jobs;
# its pure maths in sub-folders) on top of the platform (`app/platform`), in a declared order: a
# domain imports the platform and the domains before it, never one after it. `kucoin` (the exchange
# gateway) comes first, below the platform's database, whose shared rate window imports it.
# `callers` (who may call, their retried writes and who did what: API keys, `Idempotency-Key`,
# `Actor`; not `access`, the name of the access log's logger) comes before the domains whose writes
# it guards and whose audit rows name its `Actor`. Each domain declares the runtime settings it
# reads (the platform's `settings_store` reads them). `market` (the contract universe, candles,
# funding, prices; the contracts' categories and trading sessions in its pure `contracts`) follows:
# scoring, the portfolio, the replay and the records all read its rows. `scoring` (its runs,
# rankings and algorithm; stage one and the scorers in its pure `scorers`) comes next. `portfolio`
# (the members, their weights and changes, the audit trail, the score refresh; the decision policy
# and the portfolio maths in its pure `policy` and `maths`) follows. `books` (the simulation core in
# its pure `simulation`: point-in-time history, the policy as a strategy, the baselines, the
# figures; and the configuration a run or a record runs with) comes before both that step it:
# `records` (the as-run and forward records; the challengers, the forward rule and the candidate
# family they come from in its pure `keeping`), then `lab` (replays, walk-forward calibrations, the
# what-if of a scoring change and the editable algorithm it judges, which reads the forward record's
# verdicts; its pure `replay` and `calibration`). `signals` and `alerts` follow, and `operations`
# (health, status, first start, retention: what reads or thins every domain) comes after them, and
# `configuration` (the configuration API: every domain's runtime settings, listed and changed)
# last.
DOMAIN_ORDER: tuple[str, ...] = (
    "kucoin",
    "callers",
    "market",
    "scoring",
    "portfolio",
    "books",
    "records",
    "lab",
    "signals",
    "alerts",
    "operations",
    "configuration",
)
# The domains with a folder (all but `kucoin`, a layer below the platform's database), each with
# its pure sub-folders (each a pure package below; none when it has no maths of its own).
DOMAINS: dict[str, tuple[str, ...]] = {
    "callers": (),
    "configuration": (),
    "market": ("contracts",),
    "scoring": ("scorers",),
    "portfolio": ("policy", "maths"),
    "books": ("simulation",),
    "records": ("keeping",),
    "lab": ("replay", "calibration"),
    "signals": ("voting",),
    "alerts": (),
    "operations": (),
}
# Only the wiring includes a domain's router (`router.py`, or one module per resource in a
# `routers` package), and only the scheduler imports a domain's jobs (`jobs.py`). There is no
# container of services: a domain's router, jobs and builders build its services, and the
# command line (a driver) imports a domain's other modules to build them.
ROUTER = "router"
ROUTERS = "routers"
JOBS = "jobs"
# A domain's request dependencies (its services for its routers), when its routers are several.
DEPENDENCIES = "dependencies"

# A URL prefix served from more than one domain's folder: the other domain, and why.
SHARED_PREFIXES: dict[str, dict[str, str]] = {
    "scoring": {
        "lab": "changing the algorithm in force (`/scoring/algorithms`) and reading its evidence "
        "(`/scoring/evidence`) need the lab's what-if replays and the records' forward verdicts, "
        "which scoring, earlier in the order, cannot import",
    },
}

# Sync maths that decide live and in replay alike: no I/O, ORM, pydantic or logging. A domain's
# pure sub-folder is one of them, named `domain.sub` (the folder app/domain/sub).
PURE_PACKAGES: tuple[str, ...] = (
    "stats",
    *(f"{domain}.{pure}" for domain, pures in DOMAINS.items() for pure in pures),
)
# What a pure package may import besides the standard library and the other pure packages:
# numpy, TA-Lib and scikit-learn (the learned scorer) do no I/O; app.platform.core.units is
# constants; a runtime setting's declaration, and the fields that declare or read one, are data.
PURE_EXTERNAL: tuple[str, ...] = (
    "numpy",
    "talib",
    "sklearn",
    "app.platform.core.units",
    "app.platform.core.patterns",
    "app.platform.settings_store.declaration",
    "app.platform.settings_store.fields",
)

# The platform (`app/platform/<part>`; each part is a unit of the rules, named by its folder):
# below every domain but `kucoin`, what every layer may use (`LOW`), the database, the shared
# request and answer types (`schemas`), background runs and the job's primitives (`runs`), events
# and webhooks; and the two drivers that serve the domains, the HTTP layer (`http`) and the
# scheduler. `app/cli` (the command line) and `app/dashboard` (its static pages) are drivers too.
PLATFORM: tuple[str, ...] = (
    "core",
    "runtime",
    "observability",
    "db",
    "settings_store",
    "schemas",
    "runs",
    "events",
    "webhooks",
    "http",
    "scheduler",
)
DRIVERS: frozenset[str] = frozenset({"http", "scheduler", "cli"})
LOW: frozenset[str] = frozenset({"core", "runtime", "observability"})
_PURE = frozenset(PURE_PACKAGES)
# A domain's tables (`domain.models`, where it has any) sit with the database: its registry
# (`app.platform.db.models`, the one metadata of Alembic and the tests) imports them, and so may
# whatever may import `db`, but a domain only those of the domains before it.
_MODELS = frozenset(f"{d}.models" for d in DOMAINS if (APP / d / "models.py").is_file())
_DB = frozenset({"db"}) | _MODELS
# The alert log (`alerts/log.py`, with its table, `alerts/models.py`) sits below every domain, as
# the event outbox does: market, the portfolio's exits and the forward record raise and resolve
# alerts in their own transactions, and the alerts domain, after them all, reads what they raised.
BELOW_THE_DOMAINS: dict[str, tuple[str, ...]] = {"alerts": ("models", "log")}
_ALERT_LOG = frozenset(f"{d}.{m}" for d, ms in BELOW_THE_DOMAINS.items() for m in ms)
# What the platform's drivers may import of the platform below them: no domain's.
_PLATFORM_UNDER_DRIVERS = LOW | {
    "kucoin",
    "db",
    "settings_store",
    "schemas",
    "runs",
    "events",
    "webhooks",
}
# What every domain may import of the platform: all of it below the drivers.
_BELOW_DOMAINS = (
    _ALERT_LOG
    | LOW
    | {
        "kucoin",
        "db",
        "settings_store",
        "schemas",
        "runs",
        "events",
        "webhooks",
        "stats",
    }
)


def _domain_units(domain: str) -> frozenset[str]:
    models = {f"{domain}.models"} & _MODELS
    return frozenset({domain, *models, *(f"{domain}.{pure}" for pure in DOMAINS[domain])})


def _before(domain: str) -> frozenset[str]:
    """The units of the domains that come before `domain` in the order."""
    earlier = DOMAIN_ORDER[: DOMAIN_ORDER.index(domain)]
    return frozenset().union(*(_domain_units(d) for d in earlier if d in DOMAINS))


_EVERY_DOMAIN = frozenset().union(*(_domain_units(d) for d in DOMAINS))


def _pure_reach(package: str) -> frozenset[str]:
    """The pure packages `package` may import: `stats`, and those of its domain and the domains
    before it."""
    domain = package.split(".")[0]
    if domain not in DOMAINS:
        return frozenset({package})
    mine = {f"{domain}.{pure}" for pure in DOMAINS[domain]}
    return frozenset({"stats", *mine, *(_before(domain) & _PURE)})


def _reach(domain: str) -> frozenset[str]:
    """What `domain`'s folder may import: its own units, the domains before it and the platform
    below the drivers."""
    return _BELOW_DOMAINS | _before(domain) | (_domain_units(domain) - {domain})


# A domain's router (and its dependencies) is a driver: it is served by the HTTP layer (`http`:
# its dependencies, problems, cache) and may start a job (`scheduler`), which the domain's other
# modules may not import.
ROUTER_MAY_ALSO: frozenset[str] = frozenset({"http", "scheduler"})


# Who may import whom, by unit (every module may import `app` itself: its version). The wiring
# (main, state) may import anything; the drivers (http, scheduler, cli) the layers below them and
# each other; below the drivers, nothing imports `app.state` or a driver. A service names what it
# takes from the app's state as a protocol beside it.
_UNDER_DRIVERS = _BELOW_DOMAINS | _PURE | _MODELS | _EVERY_DOMAIN
MAY_IMPORT: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "runtime": frozenset({"core"}),
    "observability": frozenset({"core", "runtime"}),
    "kucoin": LOW,
    "db": LOW | {"kucoin"},  # the rate window
    **{
        models: LOW | {"kucoin", "db"}
        for models in sorted(_MODELS, key=lambda m: DOMAIN_ORDER.index(m.split(".")[0]))
    },
    "alerts.log": LOW | {"kucoin", "db", "alerts.models"},
    "schemas": LOW | {"kucoin"},  # the contract forms a request names
    "settings_store": LOW | {"db"},
    "runs": LOW | {"db", "settings_store"},
    "events": LOW | {"db"},
    "webhooks": LOW | {"db", "events"},
    # core: its units; settings_store: a setting's declaration and fields; the pure packages of
    # its domain and of those before it
    **{
        package: frozenset({"core", "settings_store", *_pure_reach(package)})
        for package in PURE_PACKAGES
    },
    "stats": frozenset({"core"}),  # the statistics every other layer uses: below them all
    **{domain: _reach(domain) for domain in DOMAIN_ORDER if domain in DOMAINS},
    "dashboard": LOW,
    # The platform's drivers serve the domains without naming one: each domain hands them its
    # routers, jobs and gauges at the assembly (app/assembly.py).
    "http": _PLATFORM_UNDER_DRIVERS | {"scheduler"},
    "scheduler": _PLATFORM_UNDER_DRIVERS | {"http"},
    "cli": _UNDER_DRIVERS,
}
# The app's root modules: the entry (create_app and its lifespan), the app state, the assembly of
# what each domain brings (its routers, jobs and gauges) and the list of every table (`tables`).
WIRING: frozenset[str] = frozenset({"main", "state", "assembly", "tables"})


def unit(module: str) -> str:
    """The unit of `app.x.y…` the rules place: its folder `x`, in the platform its part
    (`app.platform.db…` is `db`), or in a domain's folder its pure sub-folder or its models
    (`x.sub`); `app` for the package itself and the platform's."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1:] == ["platform"]:
        return "app"
    top = parts[1]
    if top == "platform":
        return parts[2]
    if top in DOMAINS and len(parts) > 2 and parts[2] in (*DOMAINS[top], "models"):
        return f"{top}.{parts[2]}"
    if len(parts) > 2 and parts[2] in BELOW_THE_DOMAINS.get(top, ()):
        return f"{top}.{parts[2]}"
    return top


def folder(unit_: str) -> str:
    """Where a unit sits under `app/`: `db` is `platform/db`, `signals.voting` `signals/voting`,
    a domain's models the module `signals/models.py`."""
    path = f"platform/{unit_}" if unit_ in PLATFORM else unit_.replace(".", "/")
    return f"{path}.py" if unit_.endswith(".models") or unit_ in _ALERT_LOG else path
