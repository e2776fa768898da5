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

The rule is decided once a day, at 00:00 UTC, from the `WINDOW_HOURS` candles closed by then,
and only once it holds `MIN_WEEKEND_HOURS` weekend and `MIN_WEEKDAY_HOURS` Tuesday-to-Thursday
candles (two weeks): a younger listing is `unknown`. Live and in a replay the same day reads the
same candles, so a decision at t reads nothing later than t.

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
    verdict: str
    """`crypto`, `commodity`, `equity`, or `unknown` (too little history to decide)."""

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
) -> list[SessionFigures]:
    """The rule for `(n, T)` hourly candles on one grid (`open_ms`: `(T,)` each column's open
    time, epoch ms; NaN: no candle), reading the last `WINDOW_HOURS` columns; the caller gives
    the candles closed by the decision time and no later."""
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
    ratios = [_ratio(x, weekend, in_session) for x in (hourly_range, move, volumes)]
    quietness = ratios[0] * ratios[1] * ratios[2]
    share = _session_share(by_hour)
    out = []
    for i in range(present.shape[0]):
        decided = weekend_hours[i] >= MIN_WEEKEND_HOURS and weekday_hours[i] >= MIN_WEEKDAY_HOURS
        out.append(
            SessionFigures(
                weekend_range=float(ratios[0][i]),
                weekend_move=float(ratios[1][i]),
                weekend_volume=float(ratios[2][i]),
                quietness=float(quietness[i]),
                session_share=float(share[i]),
                weekend_hours=int(weekend_hours[i]),
                weekday_hours=int(weekday_hours[i]),
                verdict=_verdict(decided, float(quietness[i]), float(share[i])),
            )
        )
    return out


def _verdict(decided: bool, quietness: float, share: float) -> str:
    if not decided or np.isnan(quietness):
        return UNKNOWN
    if quietness >= QUIET_MAX:
        return CRYPTO
    return EQUITY if share >= SESSION_SHARE else COMMODITY


def _ratio(values: np.ndarray, weekend: np.ndarray, busy: np.ndarray) -> np.ndarray:
    """`(n,)` the weekend median (`weekend`: `(T,)`) over the busy hours' (`busy`: `(n, T)`),
    1 where both are 0: no evidence."""
    quiet = _median(values[:, weekend])
    busy_median = _median(np.where(busy, values, np.nan))
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
