"""Stage 1 of a scoring run: which contracts are worth the full scoring, from listing facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ListingFact:
    key: int  # whatever identifies the contract to the caller
    symbol: str
    eligible: bool  # open, eligible and not delisted
    listed_hours: float | None  # None: unknown (not held against it)
    funding_rate: float | None  # current funding per interval; None: unknown
    turnover_24h: float | None  # USDT


def shortlist(
    facts: Sequence[ListingFact],
    *,
    members: set[int],
    benchmark: str,
    size: int,
    min_listing_days: float,
    max_abs_funding: float,
) -> list[int]:
    """Eligible, listed long enough, sane funding, the `size` best by 24 h turnover; plus every
    current member and the benchmark whatever their state. Keys in symbol order."""
    candidates = [
        f for f in facts
        if f.eligible
        and (f.listed_hours is None or f.listed_hours >= min_listing_days * 24)
        and (f.funding_rate is None or abs(f.funding_rate) <= max_abs_funding)
    ]  # fmt: skip
    candidates.sort(key=lambda f: (-(f.turnover_24h or 0.0), f.symbol))
    chosen = {f.key: f for f in candidates[:size]}
    for f in facts:
        if f.key in members or f.symbol == benchmark:
            chosen.setdefault(f.key, f)
    return [f.key for f in sorted(chosen.values(), key=lambda f: f.symbol)]
