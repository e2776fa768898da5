"""Per-contract price, volume and funding series mapped onto the simulator clock."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tests.kucoin_sim.sources import HOUR_MS, Funding, Library, Source, Track, split_base

WINDOW_STRIDE_H = 613  # hours between the windows of contracts that reuse one source
MAX_STAND_IN_MOVE = 0.35  # largest |log return| of one hour in a stand-in's shown history
NAME_CLASH_DECADES = 1.0
"""A namesake whose real price at the instant is further than this many powers of ten from the
row's price level is another coin under the same ticker (Binance's NEIRO trades near 0.0005,
KuCoin's NEIRO near 0.08): it is scaled to the row's level, or the row's tick would leave most
hours without a move."""
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
        funding: Funding | None = None,
    ) -> None:
        """`anchor_idx` is the source row shown as the hour `anchor_hour_ms`; `funding` (default:
        the source's own) is shifted like the candles."""
        self.track = track
        self.source: Source = track.source
        self.anchor_idx = anchor_idx
        self.anchor_hour_ms = anchor_hour_ms
        origin = anchor_hour_ms - anchor_idx * HOUR_MS
        self.first_ms = max(first_ms, origin)
        self.price_factor = price_factor
        self.volume_factor = volume_factor
        shift = anchor_hour_ms - (self.source.t0_ms + anchor_idx * HOUR_MS)
        self.funding_shift_ms = shift // EIGHT_H * EIGHT_H
        self.funding = funding if funding is not None else self.source.funding
        self.funding_granularity_ms = self.funding.granularity_ms

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
        real_ts = self.funding.ts + self.funding_shift_ms
        rates = self.funding.rate
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


def _fit_stand_in(source: Source, instant: int, candle_hours: int) -> bool:
    """Full history at the instant and no hour-to-hour move above MAX_STAND_IN_MOVE in it: a
    generated contract should not trip the service's extreme-move gate (|log return| > 0.5) by
    accident; namesakes keep their real spikes."""
    if not source.covers(instant, candle_hours):
        return False
    end = (instant - source.t0_ms) // HOUR_MS + 1
    closes = source.raw.ohlcv[end - candle_hours : end, 3]
    return bool(np.max(np.abs(np.diff(np.log(closes))), initial=0.0) <= MAX_STAND_IN_MOVE)


def _clash(price: float, level: float) -> bool:
    """Whether a namesake's real `price` is too far from its row's price `level` to be the same
    coin (`NAME_CLASH_DECADES`)."""
    return abs(math.log10(price / level)) > NAME_CLASH_DECADES


def assign(
    library: Library,
    bases: list[str],
    targets: list[float],
    listed_ms: list[int],
    anchor_hour_ms: int,
    candle_hours: int,
    seed: int,
) -> list[ContractSeries]:
    """Contract i -> its namesake's series at the shared real instant, else an unused series.

    A namesake (same base core, `XBT` = `BTC`) whose candles hold the instant is shown at its
    real price (scaled only for `1000PEPE` vs `PEPE` style prefixes), so the namesakes move
    together as they did; one whose real price is more than ten times off its row's level is
    another coin of the same name, scaled to the row's level. A contract without one takes a
    series no other contract shows, in a seeded order, with `candle_hours` of history at the
    same instant and no extreme hour; only when none is left does it reuse one through a window
    shifted by multiples of WINDOW_STRIDE_H hours. Both are scaled to the contract's price level
    (recorded rows: the middle of buyLimit/sellLimit); stand-ins keep their real turnover,
    windows get a seeded liquidity.
    Funding: the series' own when it spans the instant, else lent.
    """
    instant = library.instant_ms(candle_hours)
    picks: list[str | None] = []
    for base in bases:
        core = split_base(base)[0]
        own = core in library.cores and library.get(core).covers(instant)
        picks.append(core if own else None)
    spare = [c for c in library.cores if c not in set(picks)]
    spare = [spare[j] for j in np.random.default_rng([seed, 4_000]).permutation(len(spare))]
    for i, core in enumerate(picks):
        while core is None and spare:
            candidate = spare.pop(0)
            if _fit_stand_in(library.get(candidate), instant, candle_hours):
                core = picks[i] = candidate
    keys = {core: k for k, core in enumerate(library.cores)}
    tracks: dict[str, Track] = {}
    users: dict[str, int] = {}
    primary_taken: set[str] = set()
    out: list[ContractSeries] = []
    for i, base in enumerate(bases):
        rng = np.random.default_rng([seed, 1_000, i])
        core = picks[i]
        exact = core is not None and core == split_base(base)[0]
        shifted = core is None
        if core is None:
            pool = sorted({c for c in picks if c is not None}) or [library.cores[0]]
            core = pool[i % len(pool)]
        source = library.get(core)
        track = tracks.setdefault(core, Track(source, seed, keys[core]))
        n = source.rows
        low = min(candle_hours, n) - 1
        anchor = min(n - 1, max(low, (instant - source.t0_ms) // HOUR_MS))
        if shifted:
            users[core] = users.get(core, 0) + 1
            anchor = low + (anchor - low - users[core] * WINDOW_STRIDE_H) % max(1, n - low)
        if exact:
            price_factor = split_base(base)[1] / split_base(source.base)[1]
            real = float(track.rows(anchor, anchor + 1)[0, 3])
            if targets[i] > 0 and _clash(real * price_factor, targets[i]):
                price_factor = targets[i] / real
            volume_factor = 1.0 if core not in primary_taken else float(10 ** rng.uniform(-2, -0.5))
            primary_taken.add(core)
        else:
            ref = float(track.rows(anchor, anchor + 1)[0, 3])
            price_factor = targets[i] / ref if targets[i] > 0 else float(10 ** rng.uniform(-2, 2))
            # a stand-in keeps its own real turnover; a window of a shown series is thinned
            volume_factor = float(10 ** rng.uniform(-2.5, -0.3)) if shifted else 1.0
        funding = None if source.funding_covers(instant) else library.funding_donor(instant, i)
        history_start = anchor_hour_ms - (candle_hours - 1) * HOUR_MS
        first = max(history_start, -(-listed_ms[i] // HOUR_MS) * HOUR_MS)
        volume_factor /= price_factor  # keep quote turnover when prices are rescaled
        factors = (price_factor, volume_factor)
        out.append(ContractSeries(track, anchor, anchor_hour_ms, first, *factors, funding))
    return out
