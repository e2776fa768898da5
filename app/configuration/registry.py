"""Every runtime setting there is, gathered from the domains that declare them (each beside the
rule that reads it: `app/<domain>/settings.py`, the policy's and the scorers' fields), in the
domains' order: what the configuration API lists and validates, and the generated configuration
page shows. A setting is declared once; a new one is its field and the rule that reads it, with
no migration (the store keeps only the values an operator set)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.alerts.settings import SETTINGS as ALERTS
from app.books.settings import SETTINGS as BOOKS
from app.lab.settings import SETTINGS as LAB
from app.market.settings import SETTINGS as MARKET
from app.operations.settings import SETTINGS as OPERATIONS
from app.platform.settings_store.declaration import RuntimeSetting
from app.portfolio.settings import SETTINGS as PORTFOLIO
from app.records.settings import SETTINGS as RECORDS
from app.scoring.settings import SETTINGS as SCORING
from app.signals.settings import SETTINGS as SIGNALS


def _gathered(*groups: Iterable[RuntimeSetting]) -> tuple[RuntimeSetting, ...]:
    """Each setting once, in first-seen order; ValueError when two declarations share a key (a
    group names a setting another declares by reading that declaration, never by a copy)."""
    found: dict[str, RuntimeSetting] = {}
    for group in groups:
        for declared in group:
            seen = found.setdefault(declared.key, declared)
            if seen is not declared:
                raise ValueError(f"the runtime setting {declared.key} is declared twice")
    return tuple(found.values())


RUNTIME_SETTINGS: tuple[RuntimeSetting, ...] = _gathered(
    MARKET,
    SCORING,
    PORTFOLIO,
    BOOKS,
    RECORDS,
    LAB,
    SIGNALS,
    ALERTS,
    OPERATIONS,
)
SETTINGS: dict[str, RuntimeSetting] = {s.key: s for s in RUNTIME_SETTINGS}
DEFAULTS: dict[str, Any] = {s.key: s.default for s in RUNTIME_SETTINGS}
