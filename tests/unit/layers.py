"""The layers of `app/`, declared once: the pure packages and who may import whom, by folder.

`test_layering.py` (what the pure packages may import) and `test_import_graph.py` (the import
direction) check the source against these; `scripts/docs_layers.py` writes them into
docs/architecture.md and AGENTS.md, and `test_docs_layers.py` fails when those are stale.
"""

from __future__ import annotations

# Sync maths that decide live and in replay alike: no I/O, ORM, pydantic or logging.
PURE_PACKAGES: tuple[str, ...] = (
    "stats",
    "scoring",
    "portfolio",
    "policy",
    "replay",
    "calibration",
    "signals",
    "records",
)
# What a pure package may import besides the standard library and the other pure packages:
# numpy, TA-Lib and scikit-learn (the learned scorer) do no I/O; app.core.units is constants.
PURE_EXTERNAL: tuple[str, ...] = ("numpy", "talib", "sklearn", "app.core.units")

# Below the services: what every layer may use.
LOW: frozenset[str] = frozenset({"core", "runtime", "observability"})
_PURE = frozenset(PURE_PACKAGES)

# Who may import whom, by folder of app/ (every module may import `app` itself: its version).
# The wiring (main, state) may import anything; the drivers (api, scheduler, cli) the layers
# below them; below the drivers, nothing imports `app.state` or `app.api`. Services name what they
# take from the app's state as protocols (`app.services.context`).
MAY_IMPORT: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "runtime": frozenset({"core"}),
    "observability": frozenset({"core", "runtime"}),
    "db": frozenset({"core", "runtime", "observability", "exchange"}),  # the shared rate window
    "exchange": LOW,
    **{package: frozenset({"core", *_PURE}) for package in PURE_PACKAGES},  # core: its units
    "stats": frozenset({"core"}),  # the statistics every other layer uses: below them all
    "dashboard": LOW,
    # validation shared with services; the pure packages' report shapes (`schemas/shapes.py`)
    "schemas": LOW | {"exchange", "services"} | _PURE,
    "services": LOW | {"db", "exchange", "schemas"} | _PURE,
    "scheduler": LOW | {"db", "exchange", "services", "state"},
    "cli": LOW | {"db", "exchange", "schemas", "services"} | _PURE,
    "api": LOW | {"db", "exchange", "schemas", "services", "scheduler", "state"} | _PURE,
}
# The app's root modules: the entry (create_app and its lifespan) and the app state.
WIRING: frozenset[str] = frozenset({"main", "state"})
