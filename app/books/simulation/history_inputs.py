"""The scorer's inputs as known at t, from history alone.

What history holds is measured: candles, 24 h turnover (sum of close x volume over the last 24
candles), funding settlements (the latest settled rate stands in for the current estimate).
What it cannot hold is unmeasured, never invented: order books, open interest and tickers are
NaN, so their metrics drop out and the confidence shows it; freshness is the age of the last
candle's close (the gate's "candles" freshness).
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from typing import Any

import numpy as np

from app.books.simulation.data_categories import data_categories
from app.books.simulation.funding_index import SettledFunding
from app.books.simulation.market_history import MarketHistory, PointInTime
from app.market.contracts.depth import BOOK_LEVELS
from app.platform.core.units import HOUR_MS
from app.scoring.scorers.assemble import FUNDING_POINTS
from app.scoring.scorers.market_inputs import MarketInputs

FUNDING_LOOKBACK_MS = 14 * 24 * HOUR_MS  # what a live run fetches


def settled_funding(view: PointInTime) -> SettledFunding:
    """What a live run's funding fetch would have returned at `view.t_ms`, for every symbol."""
    return view.settled(since_ms=view.t_ms - FUNDING_LOOKBACK_MS, points=FUNDING_POINTS)


def quote_turnover(view: PointInTime) -> np.ndarray:
    """`(n,)` every symbol's sum of close x volume over the last 24 candles (0 where none)."""
    close = view.candles("close", 24)
    volume = view.candles("volume", 24)
    with np.errstate(invalid="ignore"):
        return np.nansum(close * volume, axis=1)


def market_inputs(
    view: PointInTime,
    rows: np.ndarray,
    *,
    candles: int,
    benchmark: str,
    funding: SettledFunding | None = None,
    turnover: np.ndarray | None = None,
) -> MarketInputs:
    """The inputs of the symbols at `rows` (indices into the history) at `view.t_ms`
    (`funding`: `settled_funding(view)`, `turnover`: `quote_turnover(view)`, when the caller
    has them already)."""
    history = view.history
    close = view.candles("close", candles)[rows]
    volume = view.candles("volume", candles)[rows]
    n = rows.size
    turnover_24h = (quote_turnover(view) if turnover is None else turnover)[rows]
    turnover_24h[np.isnan(close[:, -24:]).all(axis=1)] = np.nan
    settled = settled_funding(view) if funding is None else funding
    known = settled.count[rows] > 0  # a symbol without settlements in the window has none
    funding_rate = settled.latest[rows]
    interval = np.where(known, settled.interval_h[rows], np.nan)
    funding_history = settled.recent[rows]
    age_s = (view.t_ms - view.last_candle_close_ms()[rows]) / 1000.0
    return WindowedInputs.of(
        view,
        rows,
        candles,
        symbols=[history.symbols[i] for i in rows.tolist()],
        close=close,
        volume=volume,
        is_open=~np.isnan(age_s),
        turnover_24h=turnover_24h,
        open_interest_usdt=np.full(n, np.nan),
        previous_open_interest_usdt=np.full(n, np.nan),
        funding_rate=funding_rate,
        funding_interval_h=interval,
        funding_history=funding_history,
        bid=np.full(n, np.nan),
        ask=np.full(n, np.nan),
        ticker_age_s=age_s,
        bid_levels=np.full((n, BOOK_LEVELS, 2), np.nan),
        ask_levels=np.full((n, BOOK_LEVELS, 2), np.nan),
        benchmark=benchmark,
        as_of_ms=view.t_ms,
        category=given_categories(history, rows),
        exchange_class=None,  # history has no exchange's word: the data and the table decide
        data_category=_data_categories(view, rows),
    )


class WindowedInputs(MarketInputs):
    """`MarketInputs` whose open, high and low windows are copied from the history when first
    read. The built-in scorer reads only closes and volumes
    (tests/unit/books/simulation/test_inputs.py holds it to that), so a decision copies two candle
    windows, not five; a plug-in that reads the others gets them, copied then. Rebuilt by
    `dataclasses.replace` (as `compute` does when the benchmark fails the gate), it holds every
    window, copied then.

    Its returns and candle counts are read from the history's own (computed once per history,
    not per decision: the same numbers, see tests/unit/books/simulation/test_inputs.py); rebuilt,
    it measures them on its windows as `MarketInputs` does."""

    @classmethod
    def of(cls, view: PointInTime, rows: np.ndarray, candles: int, **fields: Any) -> WindowedInputs:
        if fields.keys() != _FIELDS:
            raise TypeError(f"fields {sorted(fields.keys() ^ _FIELDS)} given or missing")
        inputs = cls.__new__(cls)
        inputs.__dict__.update(fields, _source=(view, rows, candles))  # frozen: set as __init__
        return inputs

    def _window(self, name: str) -> np.ndarray:
        view, rows, candles = self.__dict__["_source"]
        window: np.ndarray = view.candles(name, candles)[rows]
        return window

    def _presence(self) -> tuple[np.ndarray, np.ndarray]:
        view, rows, candles = self.__dict__["_source"]
        count, first = view.presence(candles)
        return count[rows], first[rows]

    @cached_property
    def returns(self) -> np.ndarray:
        if "_source" not in self.__dict__:
            return _measured(self, "returns")
        view, rows, candles = self.__dict__["_source"]
        returns: np.ndarray = view.log_returns(candles)[rows]
        return returns

    @cached_property
    def present_count(self) -> np.ndarray:
        if "_source" not in self.__dict__:
            return _measured(self, "present_count")
        return self._presence()[0]

    @cached_property
    def first_present(self) -> np.ndarray:
        if "_source" not in self.__dict__:
            return _measured(self, "first_present")
        return self._presence()[1]

    @cached_property
    def has_gaps(self) -> np.ndarray:
        if "_source" not in self.__dict__:
            return _measured(self, "has_gaps")
        gaps: np.ndarray = self.present_count < self.close.shape[1]
        return gaps

    @cached_property
    def open(self) -> np.ndarray:
        return self._window("open")

    @cached_property
    def high(self) -> np.ndarray:
        return self._window("high")

    @cached_property
    def low(self) -> np.ndarray:
        return self._window("low")


def given_categories(history: MarketHistory, rows: np.ndarray) -> tuple[str | None, ...] | None:
    """The categories `history` is given for `rows`, held as overrides (None: none given)."""
    given = history.given_categories
    return None if given is None else tuple(given[i] for i in rows.tolist())


def _data_categories(view: PointInTime, rows: np.ndarray) -> tuple[str | None, ...]:
    """The data rule's verdicts for `rows`; not run where every category is given."""
    given = view.history.given_categories
    if given is not None and all(c is not None for c in given):
        return (None,) * len(rows)
    return tuple(data_categories(view)[i] for i in rows.tolist())


def _measured(inputs: MarketInputs, name: str) -> np.ndarray:
    """`MarketInputs`' own cached property `name`, measured on the inputs' windows."""
    value: np.ndarray = getattr(MarketInputs, name).func(inputs)
    return value


_WINDOWS = ("open", "high", "low")
_FIELDS = {f.name for f in dataclasses.fields(MarketInputs)} - set(_WINDOWS)
