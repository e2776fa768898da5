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

# Issue 72 sorts `app/` by domain, one folder each (router, schemas, service, repository, models),
# landing domain by domain beside the kind folders (api, schemas, services, db, ...) it empties. The
# domains, lowest first: a domain imports the platform and kind folders and the domains before it,
# never one after it. `kucoin` (the gateway, once `exchange`) is not a domain folder yet: it is
# still a layer below `db`, whose shared rate window imports it. `callers` (who may call, their
# retried writes and who did what: API keys, `Idempotency-Key`, `Actor`; not `access`, the name of
# the access log's logger) comes before the domains whose writes it guards and whose audit rows name
# its `Actor`. `settings` (the runtime settings' registry and values) comes right after it, below
# the kind folders too: almost every service reads its settings (`read_typed`, `read_setting`).
# `market` (the contract universe, candles, funding, prices; the contracts' categories and trading
# sessions in its pure `contracts`) follows, below the kind folders as well: scoring, the portfolio,
# the replay and the records all read its rows. `scoring` (its runs, rankings and algorithm; stage
# one and the scorers in its pure `scorers`) comes next, still below the kind folders: the
# portfolio's services, the replay and the records read its scores and run its maths. `portfolio`
# (the members, their weights and changes, the audit trail, the score refresh; the decision policy
# and the portfolio maths in its pure `policy` and `maths`) follows. `books` (the simulation core in
# its pure `simulation`: point-in-time history, the policy as a strategy, the baselines, the
# figures; and the configuration a run or a record runs with) comes before both that step it:
# `records` (the as-run and forward records; the challengers, the forward rule and the candidate
# family they come from in its pure `keeping`), then `lab` (replays, walk-forward calibrations, the
# what-if of a scoring change and the editable algorithm it judges, which reads the forward record's
# verdicts; its pure `replay` and `calibration`).
DOMAIN_ORDER: tuple[str, ...] = (
    "kucoin",
    "callers",
    "settings",
    "market",
    "scoring",
    "portfolio",
    "books",
    "records",
    "lab",
    "signals",
    "alerts",
)
# The domains in their own folder so far, each with its pure sub-folders (each a pure package
# below; none when it has no maths of its own).
DOMAINS: dict[str, tuple[str, ...]] = {
    "callers": (),
    "settings": ("typed",),
    "market": ("contracts",),
    "scoring": ("scorers",),
    "portfolio": ("policy", "maths"),
    "books": ("simulation",),
    "records": ("keeping",),
    "lab": ("replay", "calibration"),
    "signals": ("voting",),
    "alerts": (),
}
# Only the wiring includes a domain's router (`router.py`, or one module per resource in a
# `routers` package); below the drivers, only the services' factory imports a domain's modules
# (not its router): the command line builds every service there. The command line, a driver,
# imports a domain's other modules too (the lab's history sources, the books' configuration),
# never a router or jobs. A domain's jobs (`jobs.py`) are the scheduler's to register. A domain
# below the kind folders (`BELOW_KINDS`) is theirs to import too.
ROUTER = "router"
ROUTERS = "routers"
JOBS = "jobs"
DOMAIN_BUILDER = "app.services.factory"

# Sync maths that decide live and in replay alike: no I/O, ORM, pydantic or logging. A domain's
# pure sub-folder is one of them, named `domain.sub` (the folder app/domain/sub).
PURE_PACKAGES: tuple[str, ...] = (
    "stats",
    *(f"{domain}.{pure}" for domain, pures in DOMAINS.items() for pure in pures),
)
# What a pure package may import besides the standard library and the other pure packages:
# numpy, TA-Lib and scikit-learn (the learned scorer) do no I/O; app.core.units is constants.
PURE_EXTERNAL: tuple[str, ...] = ("numpy", "talib", "sklearn", "app.core.units")

# Below the services: what every layer may use.
LOW: frozenset[str] = frozenset({"core", "runtime", "observability"})
_PURE = frozenset(PURE_PACKAGES)
# A domain's tables (`domain.models`, where it has any) sit with the database: its registry
# (`app.db.models`, the one metadata of Alembic and the tests) imports them, and so may whatever
# may import `db`, but a domain only those of the domains before it.
_MODELS = frozenset(f"{d}.models" for d in DOMAINS if (APP / d / "models.py").is_file())
_DB = frozenset({"db"}) | _MODELS
# What every domain may import: the platform and every kind folder but the wiring.
_UNDER_DOMAINS = LOW | {"kucoin", "schemas", "services", "api", "db"} | _PURE


def _domain_units(domain: str) -> frozenset[str]:
    models = {f"{domain}.models"} & _MODELS
    return frozenset({domain, *models, *(f"{domain}.{pure}" for pure in DOMAINS[domain])})


def _before(domain: str) -> frozenset[str]:
    """The units of the domains in their folder that come before `domain` in the order."""
    earlier = DOMAIN_ORDER[: DOMAIN_ORDER.index(domain)]
    return frozenset().union(*(_domain_units(d) for d in earlier if d in DOMAINS))


# A domain in its folder before every domain still laid out by kind (`kucoin` aside, a layer below
# `db`) sits below the kind folders, which hold those later domains: they may import it (its
# router excepted), and it imports none of their use cases (`services`). Once every domain has its
# folder (`BY_KIND` empty), the kind folders hold no domain's use case, only the platform's
# (the run engine, events, webhooks, health, retention, what a service takes from the app's
# state): they may import every domain, and every domain may import them.
BY_KIND: tuple[str, ...] = tuple(d for d in DOMAIN_ORDER if d not in DOMAINS and d != "kucoin")
BELOW_KINDS: frozenset[str] = frozenset(
    d for d in DOMAINS if not BY_KIND or DOMAIN_ORDER.index(d) < DOMAIN_ORDER.index(BY_KIND[0])
)
_FOUNDATION = frozenset().union(*(_domain_units(d) for d in BELOW_KINDS))
_EVERY_DOMAIN = frozenset().union(*(_domain_units(d) for d in DOMAINS))


def _reach(domain: str) -> frozenset[str]:
    """What `domain`'s folder may import: its own units, the domains before it (no unit of one
    after it) and the kind folders but the wiring (for a domain below them, not their use cases
    while a later domain's are among them)."""
    later = set(DOMAIN_ORDER[DOMAIN_ORDER.index(domain) + 1 :])
    below = {"services"} if domain in BELOW_KINDS and BY_KIND else set()
    reach = (_UNDER_DOMAINS - below) | _before(domain) | (_domain_units(domain) - {domain})
    return frozenset(u for u in reach if u.split(".")[0] not in later)


# The imports of a later domain that a domain still makes, module by module, each with its reason
# and the issue that removes it: the settings' registry takes the choices of `weighting_method`
# and `excluded_categories` from the pure maths of later domains (the portfolio's weighting
# methods, market's contract categories) until issue 73 gives each domain its own settings, and a
# change of `max_portfolio_symbols` is checked against the active members under the portfolio's
# write lock (its repository) until then too. Market follows the portfolio's members (the price
# stream subscribes their tickers, the sync and the scoring run keep them apart) from the
# `portfolio_member` rows, until the portfolio tells it which symbols it holds (issue 72).
UPWARD: dict[str, frozenset[str]] = {
    "app.settings.registry": frozenset(
        {"app.portfolio.maths.weighting", "app.market.contracts.categories"}
    ),
    "app.settings.service": frozenset({"app.portfolio.repository"}),
    "app.market.repository": frozenset({"app.portfolio.models"}),
}
# A domain's router is a driver: like the kind folder's routers it may start a job
# (`app.scheduler`), which the domain's other modules may not import but its jobs (`jobs.py`),
# which the scheduler runs (its `Degraded`, `JobSkipped`, who asked).
ROUTER_MAY_ALSO: frozenset[str] = frozenset({"scheduler"})


# Who may import whom, by folder of app/ (every module may import `app` itself: its version).
# The wiring (main, state) may import anything; the drivers (api, scheduler, cli) the layers
# below them; below the drivers, nothing imports `app.state` or `app.api`. Services name what they
# take from the app's state as protocols (`app.services.context`).
MAY_IMPORT: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "runtime": frozenset({"core"}),
    "observability": frozenset({"core", "runtime"}),
    "db": frozenset({"core", "runtime", "observability", "kucoin"}) | _MODELS,  # the rate window
    **{
        models: frozenset({"core", "runtime", "observability", "kucoin", "db"})
        for models in sorted(_MODELS, key=lambda m: DOMAIN_ORDER.index(m.split(".")[0]))
    },
    "kucoin": LOW,
    **{package: frozenset({"core", *_PURE}) for package in PURE_PACKAGES},  # core: its units
    "stats": frozenset({"core"}),  # the statistics every other layer uses: below them all
    "dashboard": LOW,
    # validation shared with services; the pure packages' report shapes (`schemas/shapes.py`)
    "schemas": LOW | {"kucoin", "services"} | _PURE | BELOW_KINDS,
    "services": LOW | {"kucoin", "schemas"} | _DB | _PURE | _FOUNDATION,
    "scheduler": LOW | {"kucoin", "services", "state"} | _DB | _FOUNDATION,
    "cli": LOW | {"kucoin", "schemas", "services"} | _DB | _PURE | _EVERY_DOMAIN,
    "api": LOW
    | {"kucoin", "schemas", "services", "scheduler", "state"}
    | _DB
    | _PURE
    | _FOUNDATION,
    **{domain: _reach(domain) for domain in DOMAIN_ORDER if domain in DOMAINS},
}
# The app's root modules: the entry (create_app and its lifespan) and the app state.
WIRING: frozenset[str] = frozenset({"main", "state"})


def unit(module: str) -> str:
    """The unit of `app.x.y…` the rules place: its folder `x`, or in a domain's folder its pure
    sub-folder or its models (`x.sub`); `app` for the package itself."""
    parts = module.split(".")
    if len(parts) < 2:
        return "app"
    top = parts[1]
    if top in DOMAINS and len(parts) > 2 and parts[2] in (*DOMAINS[top], "models"):
        return f"{top}.{parts[2]}"
    return top
