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
# Preferred first: the 487-perpetual year (2024-10 -> 2025-10, gzipped, no funding), then the two
# older folders. A base's candles come from the first folder that has it, its funding likewise.
FOLDERS = (
    "nmtrong062000-crypto_signal_scanner",
    "roshan7869-algotrading",
    "alpergulsen-freqtrade",
)
CANDLES = ("_USDT-1h.csv.gz", "_USDT-1h.csv")
FUNDING = "_USDT-funding.csv"
FALLBACK_T0_MS = 1_735_689_600_000  # 2025-01-01 00:00 UTC
FALLBACK_SOURCES = 32
# The real hour the namesake contracts show as "now": a month without a market-wide rally or crash
# before it (BTC +4 %, the median full-year perpetual -12 % over 30 days), so the Risk view's
# figures, annualised from such a month, stay plausible; 16 weeks of real rows follow for
# `advance`, and the 32-symbol folder's funding covers the 1000 h before it.
SHARED_INSTANT_MS = 1_751_587_200_000  # 2025-07-04 00:00 UTC
RESERVE_H = 24 * 90  # without that hour in the BTC series: this long before its end
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
    def funding(self) -> Funding:
        """Its own settlements."""
        return Funding(self.funding_ts, self.funding_rate)


@dataclass(frozen=True)
class Funding:
    """Real funding settlements: times (int64 ms, ascending) and rates."""

    ts: np.ndarray
    rate: np.ndarray

    def covers(self, instant_ms: int) -> bool:
        """Whether settlements exist on both sides of `instant_ms`."""
        return len(self.ts) > 1 and int(self.ts[0]) <= instant_ms <= int(self.ts[-1])

    @property
    def granularity_ms(self) -> int:
        """Dominant settlement interval, mapped onto KuCoin's 4 h / 8 h."""
        if len(self.ts) < 3:
            return 8 * HOUR_MS
        step = float(np.median(np.diff(self.ts)))
        return 4 * HOUR_MS if step <= 5 * HOUR_MS else 8 * HOUR_MS


def _table(path: Path) -> np.ndarray:
    """A numeric CSV (`.gz` by its name) as floats without its header; pandas' C parser is
    ~10x faster than `np.loadtxt`, which matters for the 487 gzipped files."""
    import pandas as pd  # a dev dependency; imported here so a generated market never pays it

    return np.asarray(pd.read_csv(path).to_numpy(dtype=float))


@lru_cache(maxsize=1024)
def load_funding(path: Path | None) -> Funding:
    """Settlements of one funding CSV, parsed once per process."""
    if path is None or not path.exists():
        return Funding(np.zeros(0, dtype=np.int64), np.zeros(0))
    table = _table(path)
    return Funding(table[:, 0].astype(np.int64), table[:, 1].copy())


@lru_cache(maxsize=1024)
def funding_span(path: Path) -> tuple[int, int]:
    """First and last settlement time of a funding CSV, from its second and last lines only."""
    lines = path.read_bytes().strip().splitlines()
    if len(lines) < 3:
        return 0, -1
    return int(lines[1].split(b",")[0]), int(lines[-1].split(b",")[0])


@lru_cache(maxsize=1024)
def load_raw(candles: Path, funding: Path | None) -> RawSeries:
    """Parse one `<BASE>_USDT-1h.csv[.gz]` (+ funding CSV) once per process."""
    table = _table(candles)
    ts = table[:, 0].astype(np.int64)
    if len(ts) > 1 and not np.all(np.diff(ts) == HOUR_MS):
        raise ValueError(f"{candles} has gaps; the simulator needs contiguous hours")
    funds = load_funding(funding)
    base = candles.name.split("_USDT-1h.csv")[0]
    label = f"{candles.parent.name}/{candles.name}"
    return RawSeries(label, base, int(ts[0]), table[:, 1:6].copy(), funds.ts, funds.rate)


@dataclass(frozen=True)
class SourceRef:
    """A candle file found on disk (and its base's funding file, maybe from another folder)."""

    base: str
    candles: Path
    funding: Path | None

    def load(self) -> RawSeries:
        """Parse (cached per process)."""
        return load_raw(self.candles, self.funding)


class Source:
    """One base's series: candles parsed on first use (cached per process), funding apart."""

    def __init__(self, ref: SourceRef | None = None, raw: RawSeries | None = None) -> None:
        """From a file on disk (`ref`) or an already built series (`raw`)."""
        if ref is None and raw is None:
            raise ValueError("a source needs a file or a series")
        self.ref = ref
        self._raw = raw

    @property
    def raw(self) -> RawSeries:
        """The parsed candles (and own funding)."""
        if self._raw is None:
            assert self.ref is not None
            self._raw = self.ref.load()
        return self._raw

    @property
    def base(self) -> str:
        """Base as the file names it (`1000PEPE`)."""
        return self.ref.base if self.ref is not None else self.raw.base

    @property
    def t0_ms(self) -> int:
        """Open time of the first real candle."""
        return self.raw.t0_ms

    @property
    def rows(self) -> int:
        """Real candles."""
        return len(self.raw.ohlcv)

    @property
    def end_ms(self) -> int:
        """Open time of the last real candle."""
        return self.t0_ms + (self.rows - 1) * HOUR_MS

    def covers(self, instant_ms: int, hours: int = 1) -> bool:
        """Whether the candles hold `instant_ms` and the `hours - 1` hours before it."""
        return self.t0_ms + (hours - 1) * HOUR_MS <= instant_ms <= self.end_ms

    def funding_covers(self, instant_ms: int) -> bool:
        """Whether its own real funding has settlements on both sides of `instant_ms`."""
        if self.ref is None:
            return self.raw.funding.covers(instant_ms)
        return _spans(self.ref.funding, instant_ms)

    @property
    def funding(self) -> Funding:
        """Its own settlements (parsed without the candles)."""
        return self.raw.funding if self.ref is None else load_funding(self.ref.funding)


def discover(market_dir: Path) -> dict[str, SourceRef]:
    """Candle files by base core (`PEPE` for `1000PEPE`), sorted; nothing is parsed here."""
    candles: dict[str, Path] = {}
    funding: dict[str, Path] = {}
    for folder in FOLDERS:
        for suffix in CANDLES:
            for path in sorted((market_dir / folder).glob(f"*{suffix}")):
                candles.setdefault(split_base(path.name[: -len(suffix)])[0], path)
        for path in sorted((market_dir / folder).glob(f"*{FUNDING}")):
            funding.setdefault(split_base(path.name[: -len(FUNDING)])[0], path)
    return {
        core: SourceRef(path.name.split("_USDT-1h.csv")[0], path, funding.get(core))
        for core, path in sorted(candles.items())
    }


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


class Library:
    """The shared history by base core, each series parsed on first use (cached per process);
    seeded GBM series when the folder is absent or empty (logged)."""

    def __init__(self, market_dir: Path, seed: int, candle_hours: int) -> None:
        """Find the candle files (cheap); parse nothing yet."""
        self.refs = discover(market_dir) if market_dir.is_dir() else {}
        self.real = bool(self.refs)
        self._loaded: dict[str, Source] = {}
        self._donors: list[str] | None = None
        if not self.real:
            logger.warning(
                "market data folder %s absent or empty: using seeded GBM series (seed=%d)",
                market_dir,
                seed,
            )
            for raw in gbm_sources(seed, candle_hours + RESERVE_H):
                self._loaded[raw.base] = Source(raw=raw)
        self.cores = sorted(self.refs) if self.real else list(self._loaded)

    def get(self, core: str) -> Source:
        """The series of a base core (KeyError when there is none)."""
        source = self._loaded.get(core)
        if source is None:
            source = self._loaded[core] = Source(self.refs[core])
        return source

    def instant_ms(self, candle_hours: int) -> int:
        """The one real hour every namesake contract shows as "now": SHARED_INSTANT_MS when the
        BTC series (else the first one) holds it and `candle_hours` before it, else RESERVE_H
        before the series' end (but with `candle_hours` of history before it)."""
        btc = self.get("BTC" if "BTC" in self.cores else self.cores[0])
        if btc.covers(SHARED_INSTANT_MS, candle_hours):
            return SHARED_INSTANT_MS
        lowest = min(btc.t0_ms + (candle_hours - 1) * HOUR_MS, btc.end_ms)
        return max(lowest, btc.end_ms - RESERVE_H * HOUR_MS)

    def funding_donor(self, instant_ms: int, i: int) -> Funding | None:
        """Real funding spanning `instant_ms` (donor `i` mod their count, by core; parsed when
        lent) for a contract whose own history has none there: the 487-perpetual folder has no
        funding at all. None when no file spans it."""
        if self._donors is None:
            if self.real:
                funded = [c for c in self.cores if self.refs[c].funding is not None]
                self._donors = [c for c in funded if _spans(self.refs[c].funding, instant_ms)]
            else:
                self._donors = [c for c in self.cores if self.get(c).funding_covers(instant_ms)]
        if not self._donors:
            return None
        core = self._donors[i % len(self._donors)]
        return load_funding(self.refs[core].funding) if self.real else self.get(core).funding


def _spans(path: Path | None, instant_ms: int) -> bool:
    """Whether the funding file at `path` has settlements on both sides of `instant_ms`."""
    first, last = funding_span(path) if path is not None else (0, -1)
    return first <= instant_ms <= last


class Track:
    """A source's candles, extended past its end by a deterministic bootstrap when needed."""

    def __init__(self, source: Source, seed: int, key: int) -> None:
        """Wrap `source` (parsed at the first read); extension draws from
        `default_rng([seed, key, row])`."""
        self.source = source
        self.seed = seed
        self.key = key
        self._data: np.ndarray | None = None
        self._paths: dict[int, np.ndarray] = {}

    @property
    def data(self) -> np.ndarray:
        """Real rows, then the extension so far."""
        if self._data is None:
            self._data = self.source.raw.ohlcv
        return self._data

    def rows(self, i0: int, i1: int) -> np.ndarray:
        """Rows `[i0, i1)`, `0 <= i0`; grows the track when `i1` passes the end."""
        if i0 < 0:
            raise IndexError("row before the start of the source")
        while len(self.data) < i1:
            self._extend()
        return self.data[i0:i1]

    def _extend(self) -> None:
        """Append one chunk of candles resampled from the source's own bars."""
        src = self.source.raw.ohlcv
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
        self._data = np.concatenate([self.data, chunk])

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
