"""The scorer's inputs as known at t, from history alone.

What history holds is measured: candles, 24 h turnover (sum of close x volume over the last 24
candles), funding settlements (the latest settled rate stands in for the current estimate).
What it cannot hold is unmeasured, never invented: order books, open interest and tickers are
NaN, so their metrics drop out and the confidence shows it; freshness is the age of the last
candle's close (the gate's "candles" freshness).
"""

from __future__ import annotations

import numpy as np

from app.replay.history import HOUR_MS, PointInTime
from app.scoring.assemble import BOOK_LEVELS, FUNDING_POINTS
from app.scoring.inputs import MarketInputs

FUNDING_LOOKBACK_MS = 14 * 24 * HOUR_MS  # what a live run fetches


def market_inputs(
    view: PointInTime, rows: np.ndarray, *, candles: int, benchmark: str
) -> MarketInputs:
    """The inputs of the symbols at `rows` (indices into the history) at `view.t_ms`."""
    history = view.history
    window = {name: view.candles(name, candles)[rows] for name in ("open", "high", "low")}
    close = view.candles("close", candles)[rows]
    volume = view.candles("volume", candles)[rows]
    n = rows.size
    with np.errstate(invalid="ignore"):
        turnover = np.nansum(close[:, -24:] * volume[:, -24:], axis=1)
    turnover[np.isnan(close[:, -24:]).all(axis=1)] = np.nan
    funding_rate = np.full(n, np.nan)
    interval = np.full(n, np.nan)
    funding_history = np.full((n, FUNDING_POINTS), np.nan)
    for k, i in enumerate(rows.tolist()):
        settled = view.funding(i, since_ms=view.t_ms - FUNDING_LOOKBACK_MS)
        if settled is None or settled.size == 0:
            continue
        recent = settled[-FUNDING_POINTS:]
        funding_history[k, FUNDING_POINTS - recent.size :] = recent
        funding_rate[k] = settled[-1]
        interval[k] = view.funding_interval_h(i)
    age_s = (view.t_ms - view.last_candle_close_ms()[rows]) / 1000.0
    return MarketInputs(
        symbols=[history.symbols[i] for i in rows.tolist()],
        close=close,
        volume=volume,
        is_open=~np.isnan(age_s),
        turnover_24h=turnover,
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
        **window,
    )
