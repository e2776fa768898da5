"""Stage 1 of a scoring run: which contracts are worth the full scoring, from listing facts.

One rule over arrays, one row per contract: the live run calls it over the stored contract list,
the replay over the history's symbols listed at a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.platform.settings_store.declaration import between, declare
from app.platform.settings_store.fields import setting

# Declared with stage 1, the lowest of its readers: a fetch plan keeps twice as many of the last
# run's best (`app/scoring/fetch_plan.py`), and the policy holds at most this many members.
MAX_PORTFOLIO_SYMBOLS = declare(
    "max_portfolio_symbols",
    10,
    "Most active portfolio members (ranks 1..n enforced).",
    between(1, 50),
)


@dataclass(frozen=True)
class StageOneSettings:
    """Stage 1's runtime settings: the hourly candles a run reads, and the shortlist's size and
    filters. Declared once: the policy's settings and a scoring run's both build on them."""

    # The default is what the default algorithm's longest windows read (30 days of hourly
    # returns and the close before them), so that its windows fit: every window of an active
    # component must (`app/scoring/scorers/windows.py`). Before, it was 500, and a run read the
    # 721 anyway (the windows raised it): the runs, hashes and replays are the same.
    candles: int = field(
        metadata=setting(
            "scoring_candles",
            721,
            "Hourly candles per symbol a scoring run fetches and the scorer reads; every window "
            "of an active scoring component must fit in it (a longer one is refused, and this "
            "cannot be lowered under one in force).",
            between(100, 5000),
        )
    )
    shortlist: int = field(
        metadata=setting(
            "scoring_shortlist",
            150,
            "Stage 2 scores this many contracts (stage-1 rank) + members.",
            between(10, 500),
        )
    )
    min_listing_days: float = field(
        metadata=setting(
            "scoring_min_listing_days",
            3,
            "Stage 1 skips contracts listed more recently than this.",
            between(0, 365),
        )
    )
    max_abs_funding: float = field(
        metadata=setting(
            "scoring_max_abs_funding",
            0.01,
            "Stage 1 skips contracts with |funding| above this.",
            between(0, 1),
        )
    )


def shortlist(
    places: np.ndarray,
    eligible: np.ndarray,
    listed_hours: np.ndarray,
    funding_rate: np.ndarray,
    turnover_24h: np.ndarray,
    always: np.ndarray,
    *,
    size: int,
    min_listing_days: float,
    max_abs_funding: float,
) -> np.ndarray:
    """The rows eligible, listed long enough, with sane funding, the `size` best by 24 h
    turnover (ties to the symbol first by name); plus every row of `always` (the current members
    and the benchmark) whatever its state. Row indices in symbol order.

    `places`: each row's rank in symbol (name) order; `eligible`: open, eligible, not delisted;
    `listed_hours`, `funding_rate` (per interval): NaN when unknown, not held against the
    contract; `turnover_24h` (USDT): NaN when unknown, ranked as none.
    """
    with np.errstate(invalid="ignore"):  # NaN is unknown: never compared as too young or high
        candidate = (
            eligible
            & ~(listed_hours < min_listing_days * 24)
            & ~(np.abs(funding_rate) > max_abs_funding)
        )
    pool = np.flatnonzero(candidate)
    turnover = np.nan_to_num(turnover_24h[pool], nan=0.0)
    best = pool[np.lexsort((places[pool], -turnover))][:size]
    chosen = always.astype(bool, copy=True)
    chosen[best] = True
    rows = np.flatnonzero(chosen)
    return rows[np.argsort(places[rows])]
