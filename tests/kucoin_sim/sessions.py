"""Session-traded generated contracts: 24/7 perpetuals on an underlying (a share, a commodity)
that trades only while its home market is open, laid on the simulator's real UTC hours."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np

from tests.kucoin_sim.series import ContractSeries
from tests.kucoin_sim.sources import EXTEND_CHUNK, HOUR_MS, Library, RawSeries, Source, Track

OPEN, THIN, SHUT = 0, 1, 2  # the home market: in session, in extended hours, closed
DAY_MS = 24 * HOUR_MS
BASIS_KEEP = 0.7  # hourly AR(1) of the perp's log gap to the index: it drifts back, no walk
MAX_STEP = 0.2  # cap on one hour's log move of the index (the service's gate is at 0.5)
TRACK_KEY = 1_000_000  # Track keys of these contracts (library sources use 0..N)


@dataclass(frozen=True)
class Profile:
    """How one kind of underlying moves; the sds are multiples of its in-session hourly sd."""

    sigma: tuple[float, float]  # seeded range of the in-session hourly log sd
    thin: float  # index sd in extended hours (a share's pre-market, after-hours, overnight)
    gap: float  # sd of the index's jump at the regular open
    basis: tuple[float, float, float]  # sd of the perp's hourly basis shock, by state
    wick: tuple[float, float, float]  # sd of each wick beyond the body, by state
    volume: tuple[float, float, float]  # hourly volume by state, x in-session
    price: tuple[float, float]  # log10 range of the seeded price level
    leverage: int


# Fitted to Binance's TradFi perpetuals (../shared/market-data/binance-tradfi-perps-*): TSLA's
# weekend hours move ~0.17x and its weekday extended hours ~0.5x its session's sd; XAU's weekend
# range is ~0.25x its weekday one. Without the extended hours a weekday's median hour would be a
# quiet one and the weekend would not stand out from it.
PROFILES = {
    "equity": Profile(
        sigma=(0.006, 0.01),
        thin=0.45,
        gap=0.8,
        basis=(0.04, 0.06, 0.16),
        wick=(0.45, 0.2, 0.1),
        volume=(1.0, 0.45, 0.1),
        price=(1.3, 2.7),
        leverage=20,
    ),
    "commodity": Profile(
        sigma=(0.0035, 0.0045),
        thin=0.0,
        gap=0.0,
        basis=(0.04, 0.04, 0.22),
        wick=(0.3, 0.3, 0.12),
        volume=(1.0, 1.0, 0.2),
        price=(0.3, 3.6),
        leverage=50,
    ),
}


def session_states(kind: str, hours_ms: np.ndarray) -> np.ndarray:
    """OPEN, THIN or SHUT for each hour (open time, UTC ms) of an equity's or a commodity's
    home market: shares Mon-Fri 13:30-20:00 (hours 13..19), extended hours the rest of Mon-Fri;
    commodities Sun 23:00 to Fri 21:00 but for the daily 21:00-22:00 break."""
    hour = hours_ms // HOUR_MS % 24
    day = (hours_ms // DAY_MS + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    weekday = day < 5
    states = np.full(len(hours_ms), SHUT)
    if kind == "equity":
        states[weekday] = THIN
        states[weekday & (hour >= 13) & (hour <= 19)] = OPEN
    else:
        week = (weekday & (hour != 21) & ~((day == 4) & (hour > 21))) | ((day == 6) & (hour == 23))
        states[week] = OPEN
    return states


class SessionPath:
    """The hourly rows of one contract, generated in order from a seeded state."""

    def __init__(self, kind: str, level: float, turnover: float, origin_ms: int, seed: int) -> None:
        """Row 0 opens at `origin_ms` at `level`; `turnover` is an in-session hour's (quote)."""
        self.kind, self.profile = kind, PROFILES[kind]
        self.origin_ms, self.seed = origin_ms, seed
        rng = np.random.default_rng([seed, 0])
        self.sigma = float(rng.uniform(*self.profile.sigma))
        self.level, self.turnover = level, turnover
        self.log_index, self.basis, self.rows = 0.0, 0.0, 0
        self.close = level

    def next(self, n: int) -> np.ndarray:
        """The next `n` rows `[open, high, low, close, base volume]`."""
        p, sigma = self.profile, self.sigma
        hours = self.origin_ms + (self.rows + np.arange(n, dtype=np.int64)) * HOUR_MS
        states = session_states(self.kind, hours)
        first_open = (states == OPEN) & (hours // HOUR_MS % 24 == 13) & (self.kind == "equity")
        rng = np.random.default_rng([self.seed, 1, self.rows])
        shock, noise = rng.normal(0.0, 1.0, (2, n)), rng.normal(0.0, 1.0, (3, n))
        index_sd = np.choose(states, (sigma, p.thin * sigma, 0.0))
        steps = shock[0] * index_sd + first_open * shock[1] * p.gap * sigma
        steps = np.clip(steps, -MAX_STEP, MAX_STEP)
        basis_sd = np.choose(states, p.basis) * sigma
        wick_sd = np.choose(states, p.wick) * sigma
        out = np.empty((n, 5))
        for k in range(n):
            self.log_index += steps[k]
            self.basis = BASIS_KEEP * self.basis + noise[0, k] * basis_sd[k]
            close = self.level * math.exp(self.log_index + self.basis)
            top, bottom = max(self.close, close), min(self.close, close)
            high = top * math.exp(abs(noise[1, k]) * wick_sd[k])
            low = bottom * math.exp(-abs(noise[2, k]) * wick_sd[k])
            out[k, :4] = self.close, high, low, close
            self.close = close
        volume = np.choose(states, p.volume) * rng.lognormal(0.0, 0.35, n)
        out[:, 4] = self.turnover * volume / out[:, 3]
        self.rows += n
        return out


class SessionTrack(Track):
    """A Track whose rows come from a SessionPath, extended by it (not by a bootstrap)."""

    def __init__(self, path: SessionPath, rows: int, t0_ms: int, key: int) -> None:
        """The first `rows` rows now; `t0_ms` labels row 0 for the funding shift."""
        raw = RawSeries(
            f"session:{path.kind}:{key}",
            path.kind.upper(),
            t0_ms,
            path.next(rows),
            np.zeros(0, dtype=np.int64),
            np.zeros(0),
        )
        super().__init__(Source(raw=raw), path.seed, key)
        self.path = path

    def _extend(self) -> None:
        """Append the next chunk of the same process."""
        self._data = np.concatenate([self.data, self.path.next(EXTEND_CHUNK)])


def symbol_key(symbol: str) -> int:
    """A stable per-symbol number: adding a contract leaves the others' series as they were."""
    return zlib.crc32(symbol.encode())


def session_series(
    library: Library,
    specs: list[tuple[str, str, float]],
    first_index: int,
    anchor_hour_ms: int,
    candle_hours: int,
    seed: int,
) -> list[ContractSeries]:
    """One ContractSeries per (symbol, kind, price level), `candle_hours` of history up to the
    hour `anchor_hour_ms`, with funding lent as to other generated contracts (contract index
    `first_index + k`)."""
    instant = library.instant_ms(candle_hours)
    anchor_idx = candle_hours - 1
    origin = anchor_hour_ms - anchor_idx * HOUR_MS
    out = []
    for k, (symbol, kind, level) in enumerate(specs):
        key = symbol_key(symbol)
        rng = np.random.default_rng([seed, 6_000, key])
        turnover = float(10 ** rng.uniform(4.8, 5.8))
        path = SessionPath(kind, level, turnover, origin, int(rng.integers(2**32)))
        # row 0 labelled so that the anchor row falls on the shared instant, as a stand-in's
        # does: lent funding then shifts onto the simulator's hours the same way
        track = SessionTrack(path, candle_hours, instant - anchor_idx * HOUR_MS, TRACK_KEY + key)
        funding = library.funding_donor(instant, first_index + k)
        out.append(ContractSeries(track, anchor_idx, anchor_hour_ms, origin, 1.0, 1.0, funding))
    return out
