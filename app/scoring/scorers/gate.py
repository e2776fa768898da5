"""Data-quality gate: which symbols may be scored, and a reason code for each that may not."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.market.contracts.categories import (
    EXCLUDED_CATEGORIES,
    STABLECOIN,
    categorise,
    exclusion_code,
    is_excluded,
)
from app.platform.settings_store.declaration import DAY, between, declare
from app.platform.settings_store.fields import reads
from app.scoring.scorers.indicators import forward_fill
from app.scoring.scorers.market_inputs import MarketInputs

NOT_OPEN = "NOT_OPEN"
INSUFFICIENT_HISTORY = "INSUFFICIENT_HISTORY"
CANDLE_GAPS = "CANDLE_GAPS"
ZERO_VOLUME = "ZERO_VOLUME"
STALE_TICKER = "STALE_TICKER"
EXTREME_MOVE = "EXTREME_MOVE"
REASONS = (NOT_OPEN, INSUFFICIENT_HISTORY, CANDLE_GAPS, ZERO_VOLUME, STALE_TICKER, EXTREME_MOVE)

# The gate's runtime settings, declared here: their defaults are also the gate's own (a replay's
# without a database).
MIN_HISTORY = declare(
    "gate_min_history",
    200,
    "Fewest candles a symbol needs (INSUFFICIENT_HISTORY).",
    between(24, 5000),
)
MAX_GAP_RATIO = declare(
    "gate_max_gap_ratio", 0.02, "Largest share of missing candles (CANDLE_GAPS).", between(0, 1)
)
MAX_TICKER_AGE_S = declare(
    "gate_max_ticker_age_s",
    300,
    "Oldest book/ticker a score may use (STALE_TICKER).",
    between(1, DAY),
)
MAX_ABS_BAR_RETURN = declare(
    "gate_max_abs_bar_return",
    0.5,
    "Largest |log return| of one candle (EXTREME_MOVE).",
    between(0.01, 10),
)


@dataclass(frozen=True)
class GateParams:
    """The gate's thresholds. A live run reads each field that `reads` a runtime setting from it
    (`from_settings`); the others keep their defaults."""

    min_history: int = field(default=MIN_HISTORY.default, metadata=reads(MIN_HISTORY))
    """Fewest candles a symbol needs (the slowest indicator's warm-up and then some)."""
    max_gap_ratio: float = field(default=MAX_GAP_RATIO.default, metadata=reads(MAX_GAP_RATIO))
    """Largest share of missing candles between a symbol's first candle and now."""
    max_ticker_age_s: float = field(
        default=float(MAX_TICKER_AGE_S.default), metadata=reads(MAX_TICKER_AGE_S)
    )
    max_abs_bar_return: float = field(
        default=MAX_ABS_BAR_RETURN.default, metadata=reads(MAX_ABS_BAR_RETURN)
    )
    """Largest |log return| of one candle over the window before a symbol is distrusted."""
    volume_lookback: int = 24
    freshness: str = "ticker"
    """What `max_ticker_age_s` is measured on: "ticker" (live: the book/ticker's age, and a book
    is required) or "candles" (replay: `ticker_age_s` is the age of the last candle's close,
    since history holds no book)."""
    excluded_categories: tuple[str, ...] = field(default=(), metadata=reads(EXCLUDED_CATEGORIES))
    """Contract categories (`app.market.contracts.categories`) never scored: such a symbol gets
    the code `excluded:category:<name>` before any data check (stablecoin, commodity, equity by
    the runtime setting's default)."""

    def __post_init__(self) -> None:
        # A configuration read back from JSON holds a list: kept as a tuple, so equal and hashable.
        object.__setattr__(self, "excluded_categories", tuple(self.excluded_categories))


def gate(inputs: MarketInputs, params: GateParams) -> list[str | None]:
    """Per symbol: `excluded:category:<name>` when its category is excluded, else the first
    failing check (in `REASONS` order), or None when it may be scored."""
    total = inputs.close.shape[1]
    first = inputs.first_present
    history = inputs.present_count
    span = total - first
    with np.errstate(invalid="ignore", divide="ignore"):
        gap_ratio = np.where(span > 0, (span - history) / span, 1.0)
    biggest_move = biggest_moves(inputs)
    recent_volume = np.nansum(inputs.volume[:, -params.volume_lookback :], axis=1)
    zero_volume = (recent_volume <= 0) | ~(inputs.turnover_24h > 0)
    stale = ~(inputs.ticker_age_s <= params.max_ticker_age_s)
    if params.freshness == "ticker":
        stale |= ~(inputs.bid > 0)
    checks = (
        (NOT_OPEN, ~inputs.is_open),
        (INSUFFICIENT_HISTORY, history < params.min_history),
        (CANDLE_GAPS, gap_ratio > params.max_gap_ratio),
        (ZERO_VOLUME, zero_volume),
        (STALE_TICKER, stale),
        (EXTREME_MOVE, biggest_move > params.max_abs_bar_return),
    )
    reasons = category_exclusions(inputs, params.excluded_categories)
    for code, failed in checks:
        for i in np.flatnonzero(failed):
            if reasons[i] is None:
                reasons[i] = code
    return reasons


def category_exclusions(inputs: MarketInputs, excluded: tuple[str, ...]) -> list[str | None]:
    """`excluded:category:<name>` for each symbol whose category (`categorise`: the override,
    the exchange, the data rules, the table) is in `excluded`, or is `unknown` while anything
    is excluded (it may be any category); None for the others."""
    if not excluded:
        return [None] * inputs.size
    close = inputs.close if STABLECOIN in excluded else inputs.close[:, :0]  # the peg: only then
    categories = categorise(
        inputs.symbols, close, inputs.category, inputs.exchange_class, inputs.data_category
    )
    return [exclusion_code(c) if is_excluded(c, excluded) else None for c in categories]


def biggest_moves(inputs: MarketInputs) -> np.ndarray:
    """`(n,)` each row's largest |log return| between present candles (0 without one), so that
    a jump across a hole is still seen. A row without holes moves as its `returns` say (the
    same logs and differences: the scorer's returns, computed once)."""
    biggest = np.zeros(inputs.size)
    gappy = inputs.has_gaps
    if not gappy.all():
        returns = inputs.returns if not gappy.any() else inputs.returns[~gappy]
        biggest[~gappy] = _largest(returns)
    if gappy.any():
        with np.errstate(invalid="ignore", divide="ignore"):
            filled = np.diff(np.log(forward_fill(inputs.close[gappy])), axis=1)
        biggest[gappy] = _largest(filled)
    return biggest


def _largest(moves: np.ndarray) -> np.ndarray:
    """`np.max(np.nan_to_num(np.abs(moves)), axis=1, initial=0.0)`, without `nan_to_num`'s
    copy where every move is finite (it changes nothing there)."""
    largest = np.max(np.abs(moves), axis=1, initial=0.0)
    odd = ~np.isfinite(largest)  # a NaN or an infinite move: nan_to_num's answer
    if odd.any():
        largest[odd] = np.max(np.nan_to_num(np.abs(moves[odd])), axis=1, initial=0.0)
    return largest
