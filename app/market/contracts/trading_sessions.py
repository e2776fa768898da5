"""The data rule of what a contract is: a perpetual on a session-traded underlying (a share, an
ETF, an index, a metal, oil) goes quiet when its home market is shut.

Such a perpetual trades around the clock, but its index stops moving when its home market is
shut, so its hourly range, its hourly move and its volume fall then to a fraction of what they
are in session. A coin trades the same market all week. Two figures read that, each three ratios
of medians multiplied (the medians make one wild hour count for little; the product asks all
three to fall together):

- *the nights*: on weekdays (Monday to Friday), the hours when no exchange of a region trades
  over its session hours, for each of the fixed `TEMPLATES` (US, Europe, Asia, in UTC). A market
  shut every night is silent then: below `SILENT_MAX`, the contract is `equity` (one session a
  day). The nights are *awake* when every template's lower bound is at or above it, as a coin's
  are; metals and oil, traded about 23 hours a weekday, are awake too.
- *the weekend* (Saturday 00:00 to Sunday 19:59 UTC, before any market reopens: every exchange
  of shares and commodities is shut then) over the contract's `SESSION_HOURS` busiest hours of
  Tuesday to Thursday (full days away from the weekend). Below `WEEKEND_MAX`, session-traded:
  `equity` when its weekday moves crowd into one session (its busiest hours hold at least
  `SESSION_SHARE` of the day's typical move), else `commodity`. That split only names the kind;
  both are excluded by default.

Each figure is an estimate, read with a margin: its log's standard error is that of three
medians of independent hours taken as moving together, `MEDIANS MEDIAN_SE sqrt(1/n1 + 1/n2)` for
the candles n1 and n2 of its two sides (the estimators: `app.market.contracts.session_maths`),
and the verdict reads its one-sided 95 % bounds (`Z`; for the nights `Z_TEMPLATES`, shared over
the three templates since the smallest is read). A third piece of evidence may confirm crypto,
never withhold it: the correlation of the contract's weekend hours' log returns with the crypto
market's (the mean of `MARKET`'s, BTC's and ETH's, given as `market_close`), whose lower bound
(Fisher's z) at least `CO_MOVE_MIN` says the market explains at least half of its weekend hourly
variance.

The verdict, in order: silent nights, `equity`; awake nights with a clearly busy weekend or with
co-movement, `crypto`; a clearly quiet weekend, `equity` or `commodity`, from its first weekend
where the nights are read and not awake, else from `SETTLED_WEEKENDS`; else `unknown`. None of
these numbers was fitted but the two thresholds, each the round number above the real positives'
highest day (docs/decisions.md, "What a contract is").

The rule is decided once a day, at 00:00 UTC, from the `WINDOW_HOURS` candles closed by then.
Live and in a replay the same day reads the same candles (the market's too), so a decision at t
reads nothing later than t (`python -m scripts.category_evidence` reproduces every figure
docs/decisions.md quotes).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from app.market.contracts.categories import COMMODITY, CRYPTO, EQUITY, UNKNOWN
from app.market.contracts.session_maths import (
    Figure,
    co_movement,
    figure,
    median,
    quietest_night,
    session_share,
)
from app.platform.core.units import DAY_MS, HOUR_MS
from app.stats.distinct import distinct

WINDOW_HOURS = 8 * 7 * 24
"""Eight weeks of hourly candles: the latest ones closed by the day's 00:00 UTC."""
WEEKEND_MAX = 0.03
"""The weekend's range, move and volume ratios to the busiest weekday hours' multiplied: below
this, session-traded (the round number above every TradFi perpetual's day, docs/decisions.md)."""
SILENT_MAX = WEEKEND_MAX
"""The nights' ratios to the session's multiplied: below this, silent. Shut hours over session
hours, as the weekend's figure is: the same threshold."""
SESSION_HOURS = 8
SESSION_SHARE = 0.55
"""The `SESSION_HOURS` busiest hours' share of the day's typical hourly moves, from which a
session-traded contract is an `equity` (one trading session a day)."""

SATURDAY, SUNDAY = 5, 6
WEEKEND_SUNDAY_END_HOUR = 20  # Sunday hours before this are weekend: no market has reopened
WEEKDAYS = (1, 2, 3)  # Tuesday, Wednesday, Thursday: the weekend's comparison, away from it
MONDAY_TO_FRIDAY = (0, 1, 2, 3, 4)  # the nights' days


@dataclass(frozen=True)
class Template:
    """A region's trading hours on weekdays, in UTC: its session and its night (no exchange of
    the region trades then, pre- and after-market included), wide enough for daylight saving."""

    name: str
    session: tuple[int, ...]
    night: tuple[int, ...]


TEMPLATES = (
    # NYSE, Nasdaq 09:30-16:00 New York; pre-market from 04:00, after-hours to 20:00
    Template("us", tuple(range(13, 21)), tuple(range(1, 8))),
    # LSE, Xetra, Euronext 08:00/09:00-16:30/17:30 local; retail venues to 23:00 CET
    Template("europe", tuple(range(8, 16)), (22, 23, 0, 1, 2, 3, 4, 5)),
    # Tokyo, Seoul 09:00-15:30; Hong Kong, Shanghai 09:30-16:00 local
    Template("asia", tuple(range(0, 8)), tuple(range(15, 23))),
)

Z = 1.645
"""The one-sided 95 % normal quantile: the weekend's bounds."""
Z_TEMPLATES = 2.128
"""The one-sided 95 % quantile shared over the three templates (Bonferroni, 0.05 / 3): the
nights' bounds, since the smallest of three is read."""
WEEKEND_HOURS = 44
"""A weekend's hours: Saturday 00:00 to Sunday 19:59 UTC."""
MIN_HOURS_A_WEEKEND = WEEKEND_HOURS // 2
"""A weekend with fewer candles does not count as one; the weekend decides from one that does."""
NIGHT_WEEKDAYS = 5
"""Weekdays of a template's night and session hours it needs to be read: a week's, so that a
listing's first hours (often flat before trading starts) cannot pass for silent nights."""
SETTLED_WEEKENDS = 2
"""Weekends from which a quiet weekend says session-traded whatever the nights say; on one, a
coin's quiet week can pass for a shut market, so it says so only where the nights, read, are
not awake."""
MIN_SESSION_HOURS = SESSION_HOURS
"""Busiest Tuesday-to-Thursday candles the weekend needs beside it: one day's."""
MARKET = ("BTCUSDT", "ETHUSDT")
"""The crypto market whose co-movement may confirm crypto."""
CO_MOVE_MIN = 1 / math.sqrt(2)
"""The lower bound of the weekend correlation with the market from which it confirms crypto:
the market explains at least half of the contract's weekend hourly variance."""


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
    """The three ratios multiplied; session-traded below `WEEKEND_MAX`."""
    session_share: float
    """The 8 busiest hours' share of the day's typical moves (Tuesday to Thursday)."""
    weekend_hours: int
    weekday_hours: int
    weekends: int
    """Weekends in the window with at least `MIN_HOURS_A_WEEKEND` candles."""
    quiet_low: float
    """The quietness's one-sided 95 % lower bound: crypto from `WEEKEND_MAX`."""
    quiet_high: float
    """Its upper bound: session-traded below `WEEKEND_MAX`."""
    market_corr: float
    """Correlation of the weekend hours' log returns with the crypto market's (`MARKET`)."""
    market_corr_low: float
    """Its one-sided 95 % lower bound: it confirms crypto from `CO_MOVE_MIN`."""
    market_hours: int
    """Weekend hours with a return of both the contract and the market."""
    night_template: str | None
    """The template (`TEMPLATES`) whose night reads quietest (smallest upper bound); None
    before one weekday's night and session hours."""
    night_quietness: float
    """Its night's range, move and volume ratios to its session's, multiplied."""
    night_low: float
    """Its one-sided lower bound."""
    night_high: float
    """Its upper bound: silent nights, `equity`, below `SILENT_MAX`."""
    night_floor: float
    """The smallest lower bound over the templates read: awake nights from `SILENT_MAX`."""
    verdict: str
    """`crypto`, `commodity`, `equity`, or `unknown` (too little history, or evidence not
    clearly on either side)."""

    def to_json(self) -> dict[str, Any]:
        """The figures as stored and shown: ratios rounded to 4 places, null where unmeasured
        (no candle on a side; infinite: a quiet side moved, its other never)."""
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
    values = (hourly_range, move, np.asarray(volume, dtype=float)[:, window])
    present = ~np.isnan(np.asarray(close, float)[:, window])
    weekends = _weekends(present, weekend, day)
    by_hour = np.column_stack([median(move[:, weekday & (hour == h)]) for h in range(24)])
    share = session_share(by_hour, SESSION_HOURS)
    busiest = np.argsort(np.nan_to_num(by_hour, nan=-1.0), axis=1)[:, -SESSION_HOURS:]
    session = np.zeros_like(by_hour, dtype=bool)
    np.put_along_axis(session, busiest, True, axis=1)
    in_session = weekday[None, :] & session[:, hour]  # (n, T): its busiest weekday hours
    least = (MIN_HOURS_A_WEEKEND, MIN_SESSION_HOURS)
    week = figure(values, present, weekend[None, :], in_session, Z, least)
    weekend_read = week.read & (weekends >= 1)
    nights = _nights(values, present, hour, np.isin(dow, MONDAY_TO_FRIDAY))
    corr, corr_low, market_hours = co_movement(
        np.asarray(close, float)[:, window],
        None if market_close is None else np.asarray(market_close, float)[:, window],
        weekend,
        Z,
    )
    out = []
    for i in range(present.shape[0]):
        night, floor = quietest_night(nights, i)
        q_low, q_high = (
            float(b[i]) if weekend_read[i] else math.nan for b in (week.low, week.high)
        )
        out.append(
            SessionFigures(
                weekend_range=float(week.ratios[0][i]),
                weekend_move=float(week.ratios[1][i]),
                weekend_volume=float(week.ratios[2][i]),
                quietness=float(week.value[i]),
                session_share=float(share[i]),
                weekend_hours=int((present[i] & weekend).sum()),
                weekday_hours=int((present[i] & weekday).sum()),
                weekends=int(weekends[i]),
                quiet_low=q_low,
                quiet_high=q_high,
                market_corr=float(corr[i]),
                market_corr_low=float(corr_low[i]),
                market_hours=int(market_hours[i]),
                night_template=None if night is None else night[0],
                night_quietness=math.nan if night is None else night[1],
                night_low=math.nan if night is None else night[2],
                night_high=math.nan if night is None else night[3],
                night_floor=floor,
                verdict=_verdict(
                    q_low,
                    q_high,
                    int(weekends[i]),
                    math.nan if night is None else night[3],
                    floor,
                    float(corr_low[i]),
                    float(share[i]),
                ),
            )
        )
    return out


def _nights(
    values: tuple[np.ndarray, ...], present: np.ndarray, hour: np.ndarray, weekday: np.ndarray
) -> dict[str, Figure]:
    """Each template's night figure, on the window's Monday-to-Friday hours."""
    return {
        t.name: figure(
            values,
            present,
            weekday & np.isin(hour, t.night),
            weekday & np.isin(hour, t.session),
            Z_TEMPLATES,
            (NIGHT_WEEKDAYS * len(t.night), NIGHT_WEEKDAYS * len(t.session)),
        )
        for t in TEMPLATES
    }


def _verdict(
    low: float,
    high: float,
    weekends: int,
    night_high: float,
    night_floor: float,
    co_move: float,
    share: float,
) -> str:
    """From the weekend's bounds (NaN: too little history) and its weekends, the quietest
    night's upper bound, the smallest night lower bound and the co-movement's lower bound (NaN:
    unmeasured, which is not evidence), in the order docs/decisions.md gives."""
    co_moves = co_move >= CO_MOVE_MIN
    awake = night_floor >= SILENT_MAX
    if night_high < SILENT_MAX:
        return EQUITY
    if awake and (low >= WEEKEND_MAX or co_moves):
        return CRYPTO
    if high < WEEKEND_MAX and (weekends >= SETTLED_WEEKENDS or night_floor < SILENT_MAX):
        return EQUITY if share >= SESSION_SHARE else COMMODITY
    return UNKNOWN


def _weekends(present: np.ndarray, weekend: np.ndarray, day: np.ndarray) -> np.ndarray:
    """`(n,)` the window's weekends with at least `MIN_HOURS_A_WEEKEND` candles."""
    weekend_of = np.where(weekend, (day + 3 - SATURDAY) // 7, -1)
    counted = np.zeros(present.shape[0], dtype=np.int64)
    for key in distinct(weekend_of[weekend_of >= 0]).tolist():
        counted += present[:, weekend_of == key].sum(axis=1) >= MIN_HOURS_A_WEEKEND
    return counted
