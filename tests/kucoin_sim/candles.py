"""`kline/query`: KuCoin's window rules over the hourly series (aggregated or interpolated)."""

from __future__ import annotations

import numpy as np

from tests.kucoin_sim.clock import HOUR_MS
from tests.kucoin_sim.series import ContractSeries, Span
from tests.kucoin_sim.universe import decimals

MAX_ROWS = 500
WEEK_ORIGIN_MS = 4 * 24 * HOUR_MS  # weekly candles open on Mondays (1970-01-05 00:00 UTC)


def _floor(t: int, g_ms: int, origin: int) -> int:
    """Open time of the bucket containing `t`."""
    return (t - origin) // g_ms * g_ms + origin


def window(
    g_ms: int, first_ms: int, now_ms: int, frm: int | None, to: int | None, limit: int = MAX_ROWS
) -> tuple[int, int] | None:
    """First and last bucket open time to return, or None when the window is empty.

    from only: `limit` rows from the first bucket opening at/after `from`; to only: `limit` rows
    ending at the last bucket opening at/before `to`; neither: the latest `limit`; both: buckets
    opening in [from, to], the newest `limit` of them when there are more.
    """
    origin = WEEK_ORIGIN_MS if g_ms == 10080 * 60_000 else 0
    first = _floor(first_ms, g_ms, origin)
    last = _floor(now_ms, g_ms, origin)
    step = (limit - 1) * g_ms
    if frm is not None:
        lo = max(first, -(-(frm - origin) // g_ms) * g_ms + origin)
        hi = min(last, _floor(to, g_ms, origin)) if to is not None else min(last, lo + step)
        if to is not None:
            lo = max(lo, hi - step)
    else:
        hi = min(last, _floor(to, g_ms, origin)) if to is not None else last
        lo = max(first, hi - step)
    return (lo, hi) if lo <= hi else None


def _aggregate(span: Span, lo: int, g_ms: int) -> Span:
    """Group hourly pieces into buckets of `g_ms` starting at `lo`."""
    bucket = (span.times - lo) // g_ms
    starts = np.concatenate(([0], np.flatnonzero(np.diff(bucket)) + 1))
    ends = np.concatenate((starts[1:], [len(bucket)])) - 1
    return Span(
        lo + bucket[starts] * g_ms,
        span.o[starts],
        np.maximum.reduceat(span.h, starts),
        np.minimum.reduceat(span.lo, starts),
        span.c[ends],
        np.add.reduceat(span.v, starts),
    )


def kline_rows(
    series: ContractSeries,
    tick: float,
    multiplier: float,
    inverse: bool,
    granularity_min: int,
    frm: int | None,
    to: int | None,
    now_ms: int,
) -> list[list[float | int]]:
    """Rows `[time_ms, open, high, low, close, volume_lots]`, oldest first, at most 500."""
    g_ms = granularity_min * 60_000
    bounds = window(g_ms, series.first_ms, now_ms, frm, to)
    if bounds is None or series.first_ms > now_ms:
        return []
    lo, hi = bounds
    if g_ms >= HOUR_MS:
        span = _aggregate(series.span(lo, min(hi + g_ms, now_ms + 1)), lo, g_ms)
    else:
        span = series.sub_hour(g_ms, lo, hi, now_ms)
    dec = decimals(tick)
    prices = [np.round(np.round(a / tick) * tick, dec) for a in (span.o, span.h, span.lo, span.c)]
    lots = span.v * (span.o + span.c) / 2 if inverse else span.v / abs(multiplier)
    volume = np.round(lots).astype(np.int64)
    table = zip(span.times.tolist(), *(p.tolist() for p in prices), volume.tolist(), strict=True)
    return [list(row) for row in table]
