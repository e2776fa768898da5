"""Point-in-time market history: what was known at time t, and nothing later.

`MarketHistory` holds every symbol's hourly candles on one common grid of open times (NaN where a
symbol has no candle) and its funding settlements (`app.books.simulation.funding_index`). `at(t)`
returns a `PointInTime` view that answers only from candles closed at or before t (open time +
1 h <= t) and settlements at or before t; asking it for anything later raises `LookAheadError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from app.books.simulation.funding_index import Funding, FundingIndex, SettledFunding
from app.platform.core.units import HOUR_MS
from app.scoring.scorers.indicators import forward_fill

FIELDS = ("open", "high", "low", "close", "volume")


class LookAheadError(RuntimeError):
    """A replay at time t asked for data from after t."""


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
    market_sources: tuple[str, ...] | None = None
    """For a history read from the database: the kinds of source that stored its candles
    (`MarketDataSourceRepository`; empty: not recorded). None: read elsewhere (`source` says
    where)."""
    given_categories: tuple[str | None, ...] | None = None
    """Each symbol's category held as an admin's override holds it (None: the evidence decides
    it): a truth map, to measure what the data rule costs against categories known."""
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
    def data_verdicts(self) -> dict[int, tuple[str, ...]]:
        """The data rule's verdicts by UTC day (`app.books.simulation.data_categories`), filled
        as asked."""
        return {}

    @cached_property
    def marks(self) -> np.ndarray:
        """`(n, T)` closes carried forward over holes (a column depends only on earlier ones):
        what a holding is marked at while its market is silent."""
        return forward_fill(self.close)

    @cached_property
    def alphabetical(self) -> np.ndarray:
        """`(n,)` each symbol's place in alphabetical order (ties broken by name, in numpy)."""
        places = np.empty(self.size, dtype=np.int64)
        places[sorted(range(self.size), key=self.symbols.__getitem__)] = np.arange(self.size)
        return places

    @cached_property
    def _first_close_ms(self) -> np.ndarray:
        present = ~np.isnan(self.close)
        first = np.argmax(present, axis=1)
        return np.where(present.any(axis=1), self.grid_ms[first] + HOUR_MS, np.iinfo(np.int64).max)

    @cached_property
    def _latest_column(self) -> np.ndarray:
        """`(n, T)`: the column of each symbol's latest candle at or before each column (-1:
        none yet)."""
        present = ~np.isnan(self.close)
        columns = np.where(present, np.arange(self.close.shape[1]), -1)
        return np.maximum.accumulate(columns, axis=1)

    @cached_property
    def _next_column(self) -> np.ndarray:
        """`(n, T + 1)`: the column of each symbol's first candle at or after each column (T:
        none)."""
        size = self.close.shape[1]
        present = ~np.isnan(self.close)
        columns = np.where(present, np.arange(size), size)[:, ::-1]
        after = np.minimum.accumulate(columns, axis=1)[:, ::-1]
        return np.concatenate([after, np.full((self.size, 1), size)], axis=1)

    @cached_property
    def log_returns(self) -> np.ndarray:
        """`(n, T - 1)` hourly log returns of the closes, NaN where either candle is missing:
        column k is the return into column k + 1. Elementwise, so a window of it is exactly
        what `np.diff(np.log(window))` gives on the same closes (computed once, not per
        decision)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.diff(np.log(self.close), axis=1)

    @cached_property
    def _missing_before(self) -> np.ndarray:
        """`(n, T + 1)` int: how many of each symbol's first k columns have no close."""
        missing = np.zeros((self.size, self.close.shape[1] + 1), dtype=np.int64)
        np.cumsum(np.isnan(self.close), axis=1, out=missing[:, 1:])
        return missing

    @cached_property
    def _funding_index(self) -> FundingIndex:
        return FundingIndex.of(self.funding)

    @cached_property
    def _funding_by_hour(self) -> np.ndarray:
        """`(n, T + 1)`: `_funding_index.upto` at each hour of the grid from its first open time
        to its last close (one lookup instead of a search for a decision on the hour)."""
        hours = self.grid_ms[0] + HOUR_MS * np.arange(self.grid_ms.size + 1, dtype=np.int64)
        index = self._funding_index
        return np.searchsorted(index.keys, index.base[:, None] + hours, "right")

    @cached_property
    def _settled_memo(self) -> list[tuple[np.ndarray, np.ndarray, int, SettledFunding]]:
        """The last `PointInTime.settled`: its window's bounds and points, and its answer."""
        return []

    def _funding_upto(self, t_ms: int) -> np.ndarray:
        """`_funding_index.upto(t_ms)`."""
        column, off = divmod(t_ms - int(self.grid_ms[0]), HOUR_MS)
        if off == 0 and 0 <= column <= self.grid_ms.size:
            return self._funding_by_hour[:, column]
        return self._funding_index.upto(t_ms)

    def last_close_ms_each(self) -> np.ndarray:
        """Each symbol's last candle close (for choosing a replay's range, not for deciding)."""
        present = ~np.isnan(self.close)
        last = self.close.shape[1] - 1 - np.argmax(present[:, ::-1], axis=1)
        return self.grid_ms[last] + HOUR_MS

    def first_close_ms_each(self) -> np.ndarray:
        """`(n,)` every symbol's listing time, its first candle's close (int64)."""
        return self._first_close_ms

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

    def log_returns(self, hours: int) -> np.ndarray:
        """`(n, hours - 1)`: `np.diff(np.log(candles("close", hours)), axis=1)`, read from the
        history's returns (a view where the window lies within the history)."""
        start = self.end - hours
        returns = self.history.log_returns
        if start >= 0:
            return returns[:, start : self.end - 1]
        pad = np.full((self.history.size, min(-start, hours - 1)), np.nan)
        return np.concatenate([pad, returns[:, : max(self.end - 1, 0)]], axis=1)

    def presence(self, hours: int) -> tuple[np.ndarray, np.ndarray]:
        """`(n,)` each, over `candles("close", hours)`: how many closes are present, and the
        column of the first present one (`hours` where none), without building the window."""
        start = self.end - hours
        lo = max(start, 0)
        missing = self.history._missing_before
        count = (self.end - lo) - (missing[:, self.end] - missing[:, lo])
        first = self.history._next_column[:, lo] - start
        return count, np.where(count > 0, first, hours)

    def last_close(self) -> np.ndarray:
        """`(n,)` the latest known close of every symbol (carried over holes), NaN before its
        first candle."""
        if self.end == 0:
            return np.full(self.history.size, np.nan)
        return self.history.marks[:, self.end - 1].copy()

    def last_candle_close_ms(self) -> np.ndarray:
        """`(n,)` the close time of each symbol's latest candle (NaN if none yet)."""
        out = np.full(self.history.size, np.nan)
        if self.end == 0:
            return out
        last = self.history._latest_column[:, self.end - 1]
        has = last >= 0
        out[has] = self.history.grid_ms[last[has]] + HOUR_MS
        return out

    def first_close_within(self, hours: int) -> np.ndarray:
        """`(n,)` each symbol's first known close among the last `hours` candles (NaN if none):
        what `candles("close", hours)` shows first, without building the window."""
        out = np.full(self.history.size, np.nan)
        if self.end == 0 or hours <= 0:
            return out
        first = self.history._next_column[:, max(self.end - hours, 0)]
        has = first < self.end
        out[has] = self.history.close[has, first[has]]
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

    def settled(self, *, since_ms: int, points: int) -> SettledFunding:
        """`funding(i, since_ms=...)` of every symbol at once, summarised: how many settled in
        (since, t], the last rate, the last `points` rates, and the hours between the last
        two settlements."""
        index = self.history._funding_index
        hi = self.history._funding_upto(self.t_ms)
        lo = np.maximum(self.history._funding_upto(since_ms), index.start)
        # Settlements come every few hours: most hourly decisions see the same window of each
        # symbol as the last, hence the same answer (a pure function of hi, lo and points).
        memo = self.history._settled_memo
        if memo and memo[0][2] == points and all(map(np.array_equal, memo[0][:2], (hi, lo))):
            return memo[0][3]
        answer = self._settled(index, hi, lo, points)
        for array in (answer.count, answer.latest, answer.recent, answer.interval_h):
            array.flags.writeable = False  # shared by the views that reuse it
        memo[:] = [(hi, lo, points, answer)]
        return answer

    @staticmethod
    def _settled(
        index: FundingIndex, hi: np.ndarray, lo: np.ndarray, points: int
    ) -> SettledFunding:
        n = hi.size
        count = np.maximum(hi - lo, 0)
        interval = np.full(n, np.nan)
        if index.rate.size == 0:
            return SettledFunding(count, np.full(n, np.nan), np.full((n, points), np.nan), interval)
        # Indices outside a symbol's window are clipped, then masked (a pick, not arithmetic).
        latest = np.where(count > 0, index.rate.take(hi - 1, mode="clip"), np.nan)
        taken = hi[:, None] - points + np.arange(points)
        recent = np.where(taken >= lo[:, None], index.rate.take(taken, mode="clip"), np.nan)
        two = hi - index.start >= 2
        gap = index.at_ms[hi[two] - 1] - index.at_ms[hi[two] - 2]
        interval[two] = gap.astype(float) / HOUR_MS
        return SettledFunding(count, latest, recent, interval)


def common_grid(starts_ms: Sequence[int], ends_ms: Sequence[int]) -> np.ndarray:
    """The hourly open times spanning every symbol's first to last candle."""
    return np.arange(min(starts_ms), max(ends_ms) + HOUR_MS, HOUR_MS, dtype=np.int64)
