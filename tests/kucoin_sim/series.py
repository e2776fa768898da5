"""Per-contract price, volume and funding series mapped onto the simulator clock."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tests.kucoin_sim.sources import HOUR_MS, RawSeries, Track, split_base

WINDOW_STRIDE_H = 613  # hours between the windows of contracts that reuse one source
RESERVE_H = 24 * 90  # real future hours kept after the start window for `advance`
EIGHT_H = 8 * HOUR_MS
MINUTES = 60


def _interp(path: np.ndarray, minute: float) -> float:
    """Path value at a fractional minute (0..60)."""
    k = min(int(minute), MINUTES - 1)
    return float(path[k] + (path[k + 1] - path[k]) * (minute - k))


def piece(path: np.ndarray, f0: float, f1: float) -> tuple[float, float, float, float]:
    """OHLC of a minute path between fractions f0 < f1 of its hour."""
    m0, m1 = f0 * MINUTES, f1 * MINUTES
    o, c = _interp(path, m0), _interp(path, m1)
    inner = path[math.ceil(m0) : math.floor(m1) + 1]
    hi = max(o, c, float(inner.max())) if len(inner) else max(o, c)
    lo = min(o, c, float(inner.min())) if len(inner) else min(o, c)
    return o, hi, lo, c


@dataclass
class Span:
    """Hourly pieces covering a time span: open times, OHLC and base volume of each piece."""

    times: np.ndarray
    o: np.ndarray
    h: np.ndarray
    lo: np.ndarray
    c: np.ndarray
    v: np.ndarray

    def __len__(self) -> int:
        """Number of pieces."""
        return len(self.times)


class ContractSeries:
    """One contract's view of a source: window, price scale, volume scale, funding shift."""

    def __init__(
        self,
        track: Track,
        anchor_idx: int,
        anchor_hour_ms: int,
        first_ms: int,
        price_factor: float,
        volume_factor: float,
    ) -> None:
        """`anchor_idx` is the source row shown as the hour `anchor_hour_ms`."""
        self.track = track
        self.raw: RawSeries = track.raw
        self.anchor_idx = anchor_idx
        self.anchor_hour_ms = anchor_hour_ms
        origin = anchor_hour_ms - anchor_idx * HOUR_MS
        self.first_ms = max(first_ms, origin)
        self.price_factor = price_factor
        self.volume_factor = volume_factor
        shift = anchor_hour_ms - (self.raw.t0_ms + anchor_idx * HOUR_MS)
        self.funding_shift_ms = shift // EIGHT_H * EIGHT_H
        self.funding_granularity_ms = self.raw.funding_granularity_ms

    def _idx(self, hour_ms: int) -> int:
        """Source row shown at `hour_ms`."""
        return self.anchor_idx + (hour_ms - self.anchor_hour_ms) // HOUR_MS

    def span(self, t0: int, t1: int) -> Span:
        """Pieces of [t0, t1) clipped to the listing; partial first/last hours are cut."""
        t0 = max(t0, self.first_ms)
        if t1 <= t0:
            e = np.zeros(0)
            return Span(e.astype(np.int64), e, e, e, e, e)
        h0 = t0 // HOUR_MS * HOUR_MS
        h1 = (t1 - 1) // HOUR_MS * HOUR_MS
        n = (h1 - h0) // HOUR_MS + 1
        i0 = self._idx(h0)
        rows = self.track.rows(i0, i0 + n).copy()
        f0 = np.zeros(n)
        f1 = np.ones(n)
        f0[0] = (t0 - h0) / HOUR_MS
        f1[-1] = (t1 - h1) / HOUR_MS
        for k in {0, n - 1}:
            if f0[k] > 0 or f1[k] < 1:
                rows[k, :4] = piece(self.track.minute_path(i0 + k), f0[k], f1[k])
        p = rows[:, :4] * self.price_factor
        v = rows[:, 4] * self.volume_factor * (f1 - f0)
        times = np.arange(h0, h1 + HOUR_MS, HOUR_MS, dtype=np.int64)
        return Span(times, p[:, 0], p[:, 1], p[:, 2], p[:, 3], v)

    def prices(self, ts_ms: np.ndarray) -> np.ndarray:
        """Path price at each time (clipped to the listing start)."""
        ts = np.maximum(np.asarray(ts_ms, dtype=np.int64), self.first_ms)
        out = np.empty(len(ts))
        for k, t in enumerate(ts.tolist()):
            hour = t // HOUR_MS * HOUR_MS
            path = self.track.minute_path(self._idx(hour))
            out[k] = _interp(path, (t - hour) / HOUR_MS * MINUTES)
        return out * self.price_factor

    def price(self, now_ms: int) -> float:
        """Path price now."""
        return float(self.prices(np.array([now_ms]))[0])

    def sub_hour(self, g_ms: int, lo: int, hi: int, now_ms: int) -> Span:
        """Buckets of `g_ms` < 1 h from `lo` to `hi` (open times), cut from the minute paths."""
        times = np.arange(lo, hi + 1, g_ms, dtype=np.int64)
        n = len(times)
        ohlc = np.empty((n, 4))
        v = np.empty(n)
        for k, t in enumerate(times.tolist()):
            hour = t // HOUR_MS * HOUR_MS
            idx = self._idx(hour)
            f0 = (t - hour) / HOUR_MS
            f1 = min(f0 + g_ms / HOUR_MS, max(f0, (now_ms - hour) / HOUR_MS))
            ohlc[k] = piece(self.track.minute_path(idx), f0, f1)
            v[k] = self.track.rows(idx, idx + 1)[0, 4] * (f1 - f0)
        p = ohlc * self.price_factor
        return Span(times, p[:, 0], p[:, 1], p[:, 2], p[:, 3], v * self.volume_factor)

    def funding_events(self, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray]:
        """Settlements with time in [t0, t1] (after listing), oldest first."""
        t0 = max(t0, self.first_ms)
        real_ts = self.raw.funding_ts + self.funding_shift_ms
        rates = self.raw.funding_rate
        if len(real_ts) == 0 or t1 < t0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        a, b = np.searchsorted(real_ts, [t0, t1 + 1])
        ts, rs = real_ts[a:b], rates[a:b]
        last, step = int(real_ts[-1]), self.funding_granularity_ms
        if t1 > last:
            k0 = max(1, -(-(t0 - last) // step))
            k1 = (t1 - last) // step
            if k1 >= k0:
                ks = np.arange(k0, k1 + 1, dtype=np.int64)
                ts = np.concatenate([ts, last + ks * step])
                rs = np.concatenate([rs, rates[(ks - 1) % len(rates)]])
        return ts, rs

    def funding_around(self, now_ms: int) -> tuple[float, float]:
        """(last settled rate, rate of the next settlement)."""
        step = self.funding_granularity_ms
        ts, rs = self.funding_events(now_ms - 400 * step, now_ms + 400 * step)
        if len(ts) == 0:
            return 0.0001, 0.0001
        k = int(np.searchsorted(ts, now_ms, side="right"))
        prev = float(rs[k - 1]) if k > 0 else float(rs[0])
        nxt = float(rs[k]) if k < len(rs) else prev
        return prev, nxt


def _base_anchors(sources: list[RawSeries], candle_hours: int) -> list[int]:
    """Row shown as "now" for a source's own contract: one real instant shared by all sources.

    That instant is RESERVE_H before the end of the BTC source (else the latest source), so
    exact-base contracts keep their real cross-correlations and have future rows to `advance` into.
    """
    ends = {split_base(s.base)[0]: s.t0_ms + (len(s.ohlcv) - 1) * HOUR_MS for s in sources}
    instant = ends.get("BTC", max(ends.values())) - RESERVE_H * HOUR_MS
    anchors = []
    for s in sources:
        n = len(s.ohlcv)
        low = min(candle_hours, n) - 1
        anchors.append(min(n - 1, max(low, (instant - s.t0_ms) // HOUR_MS)))
    return anchors


def assign(
    sources: list[RawSeries],
    bases: list[str],
    targets: list[float],
    listed_ms: list[int],
    anchor_hour_ms: int,
    candle_hours: int,
    seed: int,
) -> list[ContractSeries]:
    """Contract i -> source `i mod K`, or the source of its own base when one exists.

    A contract with its own base shows that source at the shared real instant, at its real
    price (scaled only for `1000PEPE` vs `PEPE` style prefixes). Others reuse source `i mod K`
    through a window shifted by multiples of WINDOW_STRIDE_H hours, scaled to the contract's
    price level (recorded rows: the middle of buyLimit/sellLimit) and to a seeded liquidity.
    """
    by_core = {split_base(s.base)[0]: k for k, s in enumerate(sources)}
    tracks = [Track(s, seed, k) for k, s in enumerate(sources)]
    anchors = _base_anchors(sources, candle_hours)
    users = [0] * len(sources)
    primary_taken: set[int] = set()
    out: list[ContractSeries] = []
    for i, base in enumerate(bases):
        core, c_scale = split_base(base)
        rng = np.random.default_rng([seed, 1_000, i])
        k = by_core.get(core)
        exact = k is not None
        k = k if k is not None else i % len(sources)
        raw = sources[k]
        n = len(raw.ohlcv)
        span_n = max(1, n - candle_hours + 1)
        low = min(candle_hours, n) - 1
        if exact:
            anchor = anchors[k]
            price_factor = c_scale / split_base(raw.base)[1]
            volume_factor = 1.0 if k not in primary_taken else float(10 ** rng.uniform(-2, -0.5))
            primary_taken.add(k)
        else:
            users[k] += 1
            anchor = low + (anchors[k] - low - users[k] * WINDOW_STRIDE_H) % span_n
            ref = float(raw.ohlcv[anchor, 3])
            price_factor = targets[i] / ref if targets[i] > 0 else float(10 ** rng.uniform(-2, 2))
            volume_factor = float(10 ** rng.uniform(-2.5, -0.3))
        history_start = anchor_hour_ms - (candle_hours - 1) * HOUR_MS
        first = max(history_start, -(-listed_ms[i] // HOUR_MS) * HOUR_MS)
        volume_factor /= price_factor  # keep quote turnover when prices are rescaled
        out.append(
            ContractSeries(tracks[k], anchor, anchor_hour_ms, first, price_factor, volume_factor)
        )
    return out
