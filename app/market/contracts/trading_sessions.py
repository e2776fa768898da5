"""The data rule of what a contract is: a perpetual on a session-traded underlying (a share, an
ETF, an index, a metal, oil) goes quiet when its home market is shut.

Such a perpetual trades around the clock, but its index stops moving on weekends (every
exchange of shares and commodities is shut from Saturday to Sunday evening, UTC), so its hourly
range, its hourly move and its volume fall there to a fraction of what they are in its busiest
weekday hours. A coin trades the same market all week: its weekends are calmer too, but nothing
like as much. The rule compares three medians, the weekend's (Saturday 00:00 to Sunday 19:59
UTC, before any market reopens) with those of the contract's `SESSION_HOURS` busiest hours of
Tuesday to Thursday (full days away from the weekend; the busiest hours, not the whole day, so
that a market shut every night as well is caught too), and multiplies the three ratios: under
`QUIET_MAX`, the contract is session-traded. The medians make one wild hour or one odd weekend
count for little; the product asks all three to fall together.

A session-traded contract is `equity` when its weekday moves crowd into one session (the 8
busiest hours of the day hold at least `SESSION_SHARE` of its typical hourly move: a stock
exchange's day), else `commodity` (a market open nearly round the clock on weekdays, as metals
and oil are). That split only names the kind; both are excluded by default.

The quietness is an estimate from a few weekends, so the verdict reads it with a margin: the
one-sided 95 % bounds `quiet_low` and `quiet_high` (`Z` standard errors of its log). Its standard
error is that of three medians of independent hours taken as moving together: `WEEK_SD` for one
week (a weekend's 44 hours, `WEEKEND_SD`, over the week's 24 busiest weekday hours, `BUSY_SD`),
over sqrt(k) for k weekends. Crypto when `quiet_low` is at or above `QUIET_MAX`, session-traded
when `quiet_high` is below it. Between them the weekends cannot tell, and the rule reads a second
piece of evidence: whether the contract keeps moving with the crypto market while its home market
would be shut, the correlation of its weekend hours' log returns with the market's (the mean of
`MARKET`'s, BTC's and ETH's, given as `market_close`). Crypto when its one-sided 95 % lower bound
(Fisher's z) is at least `CO_MOVE_MIN` (the market explains at least half of its weekend hourly
variance), else `unknown` until more weekends decide. None of these numbers was fitted
(docs/decisions.md, "What a contract is").

The rule is decided once a day, at 00:00 UTC, from the `WINDOW_HOURS` candles closed by then,
and only once it holds `MIN_WEEKEND_HOURS` weekend and `MIN_WEEKDAY_HOURS` Tuesday-to-Thursday
candles (two weeks): a younger listing is `unknown`. Live and in a replay the same day reads the
same candles (the market's too), so a decision at t reads nothing later than t.

The thresholds were set on real Binance perpetual history (docs/decisions.md, "What a contract
is", and `python -m scripts.category_evidence`, which reproduces every figure there).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from app.market.contracts.categories import COMMODITY, CRYPTO, EQUITY, UNKNOWN
from app.platform.core.units import DAY_MS, HOUR_MS

WINDOW_HOURS = 8 * 7 * 24
"""Eight weeks of hourly candles: the latest ones closed by the day's 00:00 UTC."""
MIN_WEEKEND_HOURS = 80
"""Weekend candles needed to decide: two weekends' 44 hours each, a few missing allowed."""
MIN_WEEKDAY_HOURS = 120
"""Tuesday-to-Thursday candles needed to decide: two weeks' 144, a few missing allowed."""
QUIET_MAX = 0.03
"""The weekend's range, move and volume ratios multiplied: below this, session-traded."""
SESSION_HOURS = 8
SESSION_SHARE = 0.55
"""The `SESSION_HOURS` busiest hours' share of the day's typical hourly moves, from which a
session-traded contract is an `equity` (one trading session a day)."""

SATURDAY, SUNDAY = 5, 6
WEEKEND_SUNDAY_END_HOUR = 20  # Sunday hours before this are weekend: no market has reopened
WEEKDAYS = (1, 2, 3)  # Tuesday, Wednesday, Thursday

Z = 1.645
"""The one-sided 95 % normal quantile: the bounds the verdict reads."""
MEDIAN_SE = 1.166
"""The relative standard error of the median of n independent half-normal values, times sqrt(n):
1 / (2 f(m) m) at the median m = 0.6745 sigma, f(m) = 2 phi(0.6745) / sigma."""
WEEKEND_HOURS = 44
"""A weekend's hours: Saturday 00:00 to Sunday 19:59 UTC."""
WEEKEND_SD = 3 * MEDIAN_SE / math.sqrt(WEEKEND_HOURS)
"""The log quietness's standard deviation from one weekend's medians (three, taken as moving
together), were its hours independent."""
BUSY_SD = 3 * MEDIAN_SE / math.sqrt(SESSION_HOURS * len(WEEKDAYS))
"""The same from one week's busiest weekday hours (8 a day, Tuesday to Thursday)."""
WEEK_SD = math.hypot(WEEKEND_SD, BUSY_SD)
"""One week's share of the log quietness's standard deviation (0.89): over k weekends, the
window's is this over sqrt(k)."""
MIN_HOURS_A_WEEKEND = WEEKEND_HOURS // 2
"""A weekend with fewer candles does not count as one of the window's weekends."""
MARKET = ("BTCUSDT", "ETHUSDT")
"""The crypto market whose co-movement is the second piece of evidence."""
CO_MOVE_MIN = 1 / math.sqrt(2)
"""The lower bound of the weekend correlation with the market from which a contract whose
weekends cannot tell is crypto: the market explains at least half of its hourly variance."""


@dataclass(frozen=True)
class SessionFigures:
    """The rule's figures for one contract on one day."""

    weekend_range: float
    """Median hourly high/low range (log) on weekends, over its busiest Tue-Thu hours'."""
    weekend_move: float
    """Median hourly |close/open| move (log) on weekends, over its busiest Tue-Thu hours'."""
    weekend_volume: float
    """Median hourly volume on weekends, over its busiest Tue-Thu hours'."""
    quietness: float
    """The three ratios multiplied; session-traded below `QUIET_MAX`."""
    session_share: float
    """The 8 busiest hours' share of the day's typical moves (Tuesday to Thursday)."""
    weekend_hours: int
    weekday_hours: int
    weekends: int
    """Weekends in the window with at least `MIN_HOURS_A_WEEKEND` candles."""
    quiet_low: float
    """The quietness's one-sided 95 % lower bound: crypto from `QUIET_MAX`."""
    quiet_high: float
    """Its upper bound: session-traded below `QUIET_MAX`."""
    market_corr: float
    """Correlation of the weekend hours' log returns with the crypto market's (`MARKET`)."""
    market_corr_low: float
    """Its one-sided 95 % lower bound: crypto from `CO_MOVE_MIN` where the weekends cannot
    tell."""
    market_hours: int
    """Weekend hours with a return of both the contract and the market."""
    verdict: str
    """`crypto`, `commodity`, `equity`, or `unknown` (too little history, or evidence not
    clearly on either side)."""

    def to_json(self) -> dict[str, Any]:
        """The figures as stored and shown: ratios rounded to 4 places, null where unmeasured
        (no candle on a weekend or a weekday; infinite: a weekend moved, its weekdays never)."""
        return {k: _stored(v) if isinstance(v, float) else v for k, v in asdict(self).items()}


def _stored(value: float) -> float | None:
    return round(value, 4) if math.isfinite(value) else None


def day_start_ms(t_ms: int) -> int:
    """The 00:00 UTC (epoch ms) at or before `t_ms`: the rule's decision time for `t_ms`."""
    return t_ms - t_ms % DAY_MS


def session_figures(
    open_ms: np.ndarray,
    open_: np.ndarray,
    high: np.ndarray,
    low: np.ndarray,
    close: np.ndarray,
    volume: np.ndarray,
    market_close: np.ndarray | None = None,
) -> list[SessionFigures]:
    """The rule for `(n, T)` hourly candles on one grid (`open_ms`: `(T,)` each column's open
    time, epoch ms; NaN: no candle), reading the last `WINDOW_HOURS` columns; `market_close`:
    `(m, T)` hourly closes of `MARKET`'s contracts on the same grid (None or all NaN: the
    co-movement is unmeasured). The caller gives the candles closed by the decision time and no
    later."""
    window = slice(-WINDOW_HOURS, None)
    times = np.asarray(open_ms, dtype=np.int64)[window]
    day = times // DAY_MS
    dow = (day + 3) % 7  # 1970-01-01 was a Thursday
    hour = (times // HOUR_MS) % 24
    weekend = (dow == SATURDAY) | ((dow == SUNDAY) & (hour < WEEKEND_SUNDAY_END_HOUR))
    weekday = np.isin(dow, WEEKDAYS)
    with np.errstate(invalid="ignore", divide="ignore"):
        hourly_range = np.log(
            np.asarray(high, float)[:, window] / np.asarray(low, float)[:, window]
        )
        move = np.abs(
            np.log(np.asarray(close, float)[:, window] / np.asarray(open_, float)[:, window])
        )
    volumes = np.asarray(volume, dtype=float)[:, window]
    present = ~np.isnan(np.asarray(close, float)[:, window])
    weekend_hours = (present & weekend).sum(axis=1)
    weekday_hours = (present & weekday).sum(axis=1)
    by_hour = np.column_stack([_median(move[:, weekday & (hour == h)]) for h in range(24)])
    busiest = np.argsort(np.nan_to_num(by_hour, nan=-1.0), axis=1)[:, -SESSION_HOURS:]
    session = np.zeros_like(by_hour, dtype=bool)
    np.put_along_axis(session, busiest, True, axis=1)
    in_session = weekday[None, :] & session[:, hour]  # (n, T): its busiest weekday hours
    values = (hourly_range, move, volumes)
    busy = [_median(np.where(in_session, x, np.nan)) for x in values]
    ratios = [_ratio(_median(x[:, weekend]), b) for x, b in zip(values, busy, strict=True)]
    quietness = ratios[0] * ratios[1] * ratios[2]
    weekends = _weekends(present, weekend, day)
    margin = np.exp(Z * WEEK_SD / np.sqrt(np.maximum(weekends, 1)))
    corr, corr_low, market_hours = _co_movement(
        np.asarray(close, float)[:, window],
        None if market_close is None else np.asarray(market_close, float)[:, window],
        weekend,
    )
    share = _session_share(by_hour)
    out = []
    for i in range(present.shape[0]):
        decided = weekend_hours[i] >= MIN_WEEKEND_HOURS and weekday_hours[i] >= MIN_WEEKDAY_HOURS
        q = float(quietness[i])
        q_low, q_high = q / float(margin[i]), q * float(margin[i])
        out.append(
            SessionFigures(
                weekend_range=float(ratios[0][i]),
                weekend_move=float(ratios[1][i]),
                weekend_volume=float(ratios[2][i]),
                quietness=q,
                session_share=float(share[i]),
                weekend_hours=int(weekend_hours[i]),
                weekday_hours=int(weekday_hours[i]),
                weekends=int(weekends[i]),
                quiet_low=q_low,
                quiet_high=q_high,
                market_corr=float(corr[i]),
                market_corr_low=float(corr_low[i]),
                market_hours=int(market_hours[i]),
                verdict=_verdict(decided, q_low, q_high, float(corr_low[i]), float(share[i])),
            )
        )
    return out


def _verdict(decided: bool, low: float, high: float, co_move: float, share: float) -> str:
    """From the quietness's bounds, and the co-movement's lower bound where they straddle
    `QUIET_MAX` (NaN: unmeasured, which is not evidence)."""
    if not decided or np.isnan(low) or np.isnan(high):
        return UNKNOWN
    if low >= QUIET_MAX:
        return CRYPTO
    if high < QUIET_MAX:
        return EQUITY if share >= SESSION_SHARE else COMMODITY
    return CRYPTO if co_move >= CO_MOVE_MIN else UNKNOWN


def _weekends(present: np.ndarray, weekend: np.ndarray, day: np.ndarray) -> np.ndarray:
    """`(n,)` the window's weekends with at least `MIN_HOURS_A_WEEKEND` candles."""
    weekend_of = np.where(weekend, (day + 3 - SATURDAY) // 7, -1)
    counted = np.zeros(present.shape[0], dtype=np.int64)
    for key in np.unique(weekend_of[weekend_of >= 0]).tolist():
        counted += present[:, weekend_of == key].sum(axis=1) >= MIN_HOURS_A_WEEKEND
    return counted


def _co_movement(
    close: np.ndarray, market_close: np.ndarray | None, weekend: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`(n,)` each contract's correlation of its weekend hours' log returns (`weekend`: `(T,)`)
    with the market's (the mean of `market_close`'s rows present that hour), its one-sided 95 %
    lower bound (Fisher's z), and the hours both have a return (NaN correlations under 4 such
    hours)."""
    n = close.shape[0]
    if market_close is None or market_close.size == 0:
        nan = np.full(n, np.nan)
        return nan, nan.copy(), np.zeros(n, dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.diff(np.log(close), axis=1)
        theirs = np.diff(np.log(market_close), axis=1)
        counts = (~np.isnan(theirs)).sum(axis=0)
        market = np.where(counts > 0, np.nansum(theirs, axis=0) / np.maximum(counts, 1), np.nan)
    both = ~np.isnan(own) & (~np.isnan(market) & weekend[1:])[None, :]
    hours = both.sum(axis=1)
    x = np.where(both, own, 0.0)
    y = np.where(both, market[None, :], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        x_dev = np.where(both, x - x.sum(axis=1, keepdims=True) / hours[:, None], 0.0)
        y_dev = np.where(both, y - y.sum(axis=1, keepdims=True) / hours[:, None], 0.0)
        corr = (x_dev * y_dev).sum(axis=1) / np.sqrt(
            (x_dev**2).sum(axis=1) * (y_dev**2).sum(axis=1)
        )
        corr = np.where(hours >= 4, np.clip(corr, -1.0, 1.0), np.nan)
        low = np.tanh(np.arctanh(np.clip(corr, -0.999999, 0.999999)) - Z / np.sqrt(hours - 3))
    return corr, np.where(np.isnan(corr), np.nan, low), hours


def _ratio(quiet: np.ndarray, busy_median: np.ndarray) -> np.ndarray:
    """`(n,)` a weekend median over the busy hours' median, 1 where both are 0: no evidence."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(busy_median > 0, quiet / busy_median, np.where(quiet > 0, np.inf, 1.0))
    return np.where(np.isnan(quiet) | np.isnan(busy_median), np.nan, ratio)


def _session_share(by_hour: np.ndarray) -> np.ndarray:
    """`(n,)` from `(n, 24)` each hour's median weekday move: the `SESSION_HOURS` largest over
    their sum (NaN without a weekday candle at every hour)."""
    total = by_hour.sum(axis=1)
    top = np.sort(by_hour, axis=1)[:, -SESSION_HOURS:].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, top / total, np.nan)


def _median(values: np.ndarray) -> np.ndarray:
    """`(n,)` each row's median of its present values (NaN for a row with none)."""
    out = np.full(values.shape[0], np.nan)
    if values.shape[1] == 0:
        return out
    some = ~np.isnan(values).all(axis=1)
    if some.any():
        out[some] = np.nanmedian(values[some], axis=1)
    return out
