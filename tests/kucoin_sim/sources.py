"""Hourly source series: real Binance CSVs read in place (cached), or a seeded GBM fallback."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

HOUR_MS = 3_600_000
FOLDERS = ("roshan7869-algotrading", "alpergulsen-freqtrade")  # preferred first
FALLBACK_T0_MS = 1_735_689_600_000  # 2025-01-01 00:00 UTC
FALLBACK_SOURCES = 32
EXTEND_CHUNK = 720
PATH_CACHE = 50_000
_PREFIX = re.compile(r"^(10+)(?=[A-Z])")


def split_base(base: str) -> tuple[str, float]:
    """`1000PEPE` -> (`PEPE`, 1000.0); `XBT` -> (`BTC`, 1.0); `1INCH` stays whole."""
    base = "BTC" if base.upper() == "XBT" else base.upper()
    match = _PREFIX.match(base)
    if match is None:
        return base, 1.0
    return base[match.end() :], float(match.group(1))


@dataclass(frozen=True)
class RawSeries:
    """One source: hourly candles from `t0_ms` (no gaps) and its funding settlements."""

    label: str
    base: str
    t0_ms: int
    ohlcv: np.ndarray  # shape (n, 5): open, high, low, close, base volume
    funding_ts: np.ndarray  # int64 ms, ascending
    funding_rate: np.ndarray

    @property
    def funding_granularity_ms(self) -> int:
        """Dominant settlement interval, mapped onto KuCoin's 4 h / 8 h."""
        if len(self.funding_ts) < 3:
            return 8 * HOUR_MS
        step = float(np.median(np.diff(self.funding_ts)))
        return 4 * HOUR_MS if step <= 5 * HOUR_MS else 8 * HOUR_MS


@lru_cache(maxsize=256)
def _count_rows(path: Path) -> int:
    """Data rows of a CSV (newlines minus the header)."""
    return max(0, path.read_bytes().count(b"\n") - 1)


@lru_cache(maxsize=256)
def load_raw(candles: Path, funding: Path | None) -> RawSeries:
    """Parse one `<BASE>_USDT-1h.csv` (+ funding CSV) once per process."""
    table = np.loadtxt(candles, delimiter=",", skiprows=1, ndmin=2)
    ts = table[:, 0].astype(np.int64)
    if len(ts) > 1 and not np.all(np.diff(ts) == HOUR_MS):
        raise ValueError(f"{candles} has gaps; the simulator needs contiguous hours")
    f_ts = np.zeros(0, dtype=np.int64)
    f_rate = np.zeros(0)
    if funding is not None and funding.exists():
        ftab = np.loadtxt(funding, delimiter=",", skiprows=1, ndmin=2)
        if len(ftab):
            f_ts = ftab[:, 0].astype(np.int64)
            f_rate = ftab[:, 1].copy()
    base = candles.name.split("_USDT-1h.csv")[0]
    label = f"{candles.parent.name}/{candles.name}"
    return RawSeries(label, base, int(ts[0]), table[:, 1:6].copy(), f_ts, f_rate)


@dataclass(frozen=True)
class SourceRef:
    """A CSV found on disk, not yet parsed."""

    base: str
    candles: Path
    funding: Path
    rows: int

    def load(self) -> RawSeries:
        """Parse (cached per process)."""
        return load_raw(self.candles, self.funding)


def discover(market_dir: Path, min_rows: int) -> list[SourceRef]:
    """Distinct bases with at least `min_rows` hours (all files if none qualifies), sorted."""
    found: dict[str, SourceRef] = {}
    for folder in FOLDERS:
        for path in sorted((market_dir / folder).glob("*_USDT-1h.csv")):
            base = path.name.split("_USDT-1h.csv")[0]
            funding = path.with_name(f"{base}_USDT-funding.csv")
            ref = SourceRef(base, path, funding, _count_rows(path))
            if base not in found:
                found[base] = ref
    refs = sorted(found.values(), key=lambda r: r.base)
    long_enough = [r for r in refs if r.rows >= min_rows]
    return long_enough or refs


def gbm_sources(seed: int, rows: int, count: int = FALLBACK_SOURCES) -> list[RawSeries]:
    """Deterministic geometric-Brownian hourly series; BTC and ETH first."""
    out: list[RawSeries] = []
    for k in range(count):
        rng = np.random.default_rng([seed, 9_000, k])
        base = ("BTC", "ETH")[k] if k < 2 else f"GBM{k:02d}"
        start = (95_000.0, 3_200.0)[k] if k < 2 else float(10 ** rng.uniform(-3, 3))
        sigma = (0.005, 0.007)[k] if k < 2 else float(rng.uniform(0.006, 0.02))
        rets = rng.normal(0.0, sigma, rows)
        close = start * np.exp(np.cumsum(rets))
        opens = np.concatenate(([start], close[:-1]))
        wick = np.abs(rng.normal(0.0, sigma / 2, (2, rows)))
        high = np.maximum(opens, close) * (1 + wick[0])
        low = np.minimum(opens, close) * (1 - wick[1])
        turnover = float(10 ** rng.uniform(5.5, 8.5)) if k >= 2 else (2e9, 9e8)[k]
        vol = turnover / close * rng.lognormal(0.0, 0.5, rows)
        step = 4 * HOUR_MS if k >= 2 and rng.random() < 0.15 else 8 * HOUR_MS
        f_ts = np.arange(FALLBACK_T0_MS, FALLBACK_T0_MS + rows * HOUR_MS, step, dtype=np.int64)
        level = rng.normal(1e-4, 5e-5)
        f_rate = np.round(level + np.cumsum(rng.normal(0, 2e-5, len(f_ts))) * 0.3, 8)
        ohlcv = np.column_stack([opens, high, low, close, vol])
        out.append(RawSeries(f"gbm:{seed}:{k}", base, FALLBACK_T0_MS, ohlcv, f_ts, f_rate))
    return out


def load_sources(market_dir: Path, min_rows: int, seed: int) -> list[RawSeries]:
    """Real series from `market_dir`, or the seeded fallback (logged) when it is absent."""
    refs = discover(market_dir, min_rows) if market_dir.is_dir() else []
    if refs:
        return [ref.load() for ref in refs]
    logger.warning(
        "market data folder %s absent or empty: using seeded GBM series (seed=%d)",
        market_dir,
        seed,
    )
    return gbm_sources(seed, min_rows + 24 * 90)


class Track:
    """A source's candles, extended past its end by a deterministic bootstrap when needed."""

    def __init__(self, raw: RawSeries, seed: int, key: int) -> None:
        """Wrap `raw`; extension draws from `default_rng([seed, key, row])`."""
        self.raw = raw
        self.seed = seed
        self.key = key
        self.data = raw.ohlcv
        self._paths: dict[int, np.ndarray] = {}

    def rows(self, i0: int, i1: int) -> np.ndarray:
        """Rows `[i0, i1)`, `0 <= i0`; grows the track when `i1` passes the end."""
        if i0 < 0:
            raise IndexError("row before the start of the source")
        while len(self.data) < i1:
            self._extend()
        return self.data[i0:i1]

    def _extend(self) -> None:
        """Append one chunk of candles resampled from the source's own bars."""
        src = self.raw.ohlcv
        n = len(self.data)
        rng = np.random.default_rng([self.seed, self.key, n])
        picks = rng.integers(1, len(src), EXTEND_CHUNK)
        gap = src[picks, 0] / src[picks - 1, 3]
        body = src[picks, 3] / src[picks, 0]
        opens = self.data[-1, 3] * np.cumprod(gap * body) / body
        rel = src[picks] / src[picks, 0:1]
        chunk = np.column_stack(
            [opens, opens * rel[:, 1], opens * rel[:, 2], opens * rel[:, 3], src[picks, 4]]
        )
        self.data = np.concatenate([self.data, chunk])

    def minute_path(self, idx: int) -> np.ndarray:
        """61 prices through hour `idx`: a seeded bridge that hits its open, high, low, close."""
        path = self._paths.get(idx)
        if path is None:
            if len(self._paths) > PATH_CACHE:
                self._paths.clear()
            o, h, lo, c, _ = self.rows(idx, idx + 1)[0]
            path = bridge_path(o, h, lo, c, np.random.default_rng([self.seed, self.key, idx, 60]))
            self._paths[idx] = path
        return path


def bridge_path(o: float, h: float, lo: float, c: float, rng: np.random.Generator) -> np.ndarray:
    """Minute path from o to c whose max is exactly h and min exactly lo."""
    grid = np.linspace(0.0, 1.0, 61)
    walk = np.concatenate(([0.0], np.cumsum(rng.normal(0.0, 1.0, 60))))
    raw = o + (c - o) * grid + (walk - grid * walk[-1]) * max(h - lo, 1e-300) / 6
    bottom, top = min(o, c), max(o, c)
    inner = raw[1:-1]
    if h > top and inner.max() <= top:
        inner[int(np.argmax(inner))] = top + (h - top) / 2
    if lo < bottom and inner.min() >= bottom:
        inner[int(np.argmin(inner))] = bottom - (bottom - lo) / 2
    out = raw.copy()
    above, below = raw > top, raw < bottom
    if above.any():
        out[above] = top + (raw[above] - top) * (h - top) / (raw.max() - top)
    if below.any():
        out[below] = bottom - (bottom - raw[below]) * (bottom - lo) / (bottom - raw.min())
    out[0], out[-1] = o, c
    return out
