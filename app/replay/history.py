"""Point-in-time market history: what was known at time t, and nothing later.

`MarketHistory` holds every symbol's hourly candles on one common grid of open times (NaN where a
symbol has no candle) and its funding settlements. `at(t)` returns a `PointInTime` view that
answers only from candles closed at or before t (open time + 1 h <= t) and settlements at or
before t; asking it for anything later raises `LookAheadError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from app.scoring.indicators import forward_fill

HOUR_MS = 3_600_000
FIELDS = ("open", "high", "low", "close", "volume")


class LookAheadError(RuntimeError):
    """A replay at time t asked for data from after t."""


@dataclass(frozen=True)
class Funding:
    """One symbol's settlements: times (epoch ms, ascending) and rates (fraction per interval)."""

    at_ms: np.ndarray
    rate: np.ndarray


@dataclass(frozen=True)
class MarketHistory:  # frozen, yet `marks` is cached on first use
    symbols: list[str]  # canonical, e.g. BTCUSDT
    grid_ms: np.ndarray  # (T,) candle open times, hourly, ascending
    open: np.ndarray  # (n, T)
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray  # base units
    funding: list[Funding | None]  # per symbol; None: unknown (never taken as zero)
    source: str = "unknown"  # what the history was read from, for the report
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        steps = np.diff(self.grid_ms)
        if steps.size and not (steps == HOUR_MS).all():
            raise ValueError("the candle grid must be hourly without holes (NaN marks a gap)")
        self._index.update({s: i for i, s in enumerate(self.symbols)})

    @property
    def size(self) -> int:
        return len(self.symbols)

    @property
    def funding_known(self) -> bool:
        return any(f is not None for f in self.funding)

    @cached_property
    def marks(self) -> np.ndarray:
        """`(n, T)` closes carried forward over holes (a column depends only on earlier ones):
        what a holding is marked at while its market is silent."""
        return forward_fill(self.close)

    @cached_property
    def _first_close_ms(self) -> np.ndarray:
        present = ~np.isnan(self.close)
        first = np.argmax(present, axis=1)
        return np.where(present.any(axis=1), self.grid_ms[first] + HOUR_MS, np.iinfo(np.int64).max)

    def last_close_ms_each(self) -> np.ndarray:
        """Each symbol's last candle close (for choosing a replay's range, not for deciding)."""
        present = ~np.isnan(self.close)
        last = self.close.shape[1] - 1 - np.argmax(present[:, ::-1], axis=1)
        return self.grid_ms[last] + HOUR_MS

    def first_close_ms_of(self, index: int) -> int:
        """When symbol `index` was listed: its first candle's close (a fact of that moment)."""
        return int(self._first_close_ms[index])

    def index_of(self, symbol: str) -> int:
        return self._index[symbol]

    def first_close_ms(self) -> int:
        return int(self.grid_ms[0]) + HOUR_MS

    def last_close_ms(self) -> int:
        return int(self.grid_ms[-1]) + HOUR_MS

    def at(self, t_ms: int) -> PointInTime:
        return PointInTime(self, int(t_ms))


class PointInTime:
    """The history as known at `t_ms`: candles closed at or before it, settlements at or before
    it. Every read checks its bound; none can return a later value."""

    def __init__(self, history: MarketHistory, t_ms: int) -> None:
        self.history = history
        self.t_ms = t_ms
        # Columns [0, end) are the candles closed by t: open time + 1 h <= t.
        self.end = int(np.searchsorted(history.grid_ms, t_ms - HOUR_MS, side="right"))

    def _check(self, until_ms: int) -> None:
        if until_ms > self.t_ms:
            raise LookAheadError(
                f"asked for data until {until_ms} ms from a replay at {self.t_ms} ms"
            )

    def candles(self, name: str, hours: int, *, until_ms: int | None = None) -> np.ndarray:
        """`(n, hours)` of a candle field, the last column being the candle that closed at
        `until_ms` (default t); columns before the history's start are NaN."""
        if name not in FIELDS:
            raise ValueError(f"unknown candle field {name!r}")
        until = self.t_ms if until_ms is None else until_ms
        self._check(until)
        end = int(np.searchsorted(self.history.grid_ms, until - HOUR_MS, side="right"))
        values: np.ndarray = getattr(self.history, name)
        start = end - hours
        if start >= 0:
            return values[:, start:end]
        pad = np.full((self.history.size, -start), np.nan)
        return np.concatenate([pad, values[:, :end]], axis=1)

    def close_times_ms(self, hours: int) -> np.ndarray:
        """The close times of the `hours` candle columns `candles` returns."""
        closes = self.history.grid_ms[: self.end][-hours:] + HOUR_MS
        missing = hours - closes.size
        if missing > 0:
            first = int(self.history.grid_ms[0]) + HOUR_MS
            closes = np.concatenate([first - HOUR_MS * np.arange(missing, 0, -1), closes])
        return closes

    def last_close(self) -> np.ndarray:
        """`(n,)` the latest known close of every symbol (carried over holes), NaN before its
        first candle."""
        if self.end == 0:
            return np.full(self.history.size, np.nan)
        return self.history.marks[:, self.end - 1].copy()

    def last_candle_close_ms(self) -> np.ndarray:
        """`(n,)` the close time of each symbol's latest candle (NaN if none yet)."""
        closes = self.history.close[:, : self.end]
        present = ~np.isnan(closes)
        out = np.full(self.history.size, np.nan)
        has = present.any(axis=1)
        last = closes.shape[1] - 1 - np.argmax(present[:, ::-1], axis=1)
        out[has] = self.history.grid_ms[last[has]] + HOUR_MS
        return out

    def listed(self) -> np.ndarray:
        """`(n,)` bool: symbols that exist at t (a candle of theirs has closed)."""
        return ~np.isnan(self.last_candle_close_ms())

    def funding(
        self, symbol_index: int, *, since_ms: int, until_ms: int | None = None
    ) -> np.ndarray | None:
        """Rates settled in (since, until] (default until t), oldest first; None if unknown."""
        until = self.t_ms if until_ms is None else until_ms
        self._check(until)
        record = self.history.funding[symbol_index]
        if record is None:
            return None
        lo = int(np.searchsorted(record.at_ms, since_ms, side="right"))
        hi = int(np.searchsorted(record.at_ms, until, side="right"))
        return record.rate[lo:hi]

    def funding_interval_h(self, symbol_index: int) -> float:
        """Hours between the last two settlements known at t (NaN when fewer than two)."""
        record = self.history.funding[symbol_index]
        if record is None:
            return float("nan")
        hi = int(np.searchsorted(record.at_ms, self.t_ms, side="right"))
        if hi < 2:
            return float("nan")
        return float(record.at_ms[hi - 1] - record.at_ms[hi - 2]) / HOUR_MS


def common_grid(starts_ms: Sequence[int], ends_ms: Sequence[int]) -> np.ndarray:
    """The hourly open times spanning every symbol's first to last candle."""
    return np.arange(min(starts_ms), max(ends_ms) + HOUR_MS, HOUR_MS, dtype=np.int64)
