"""Histories for replay tests: generated random walks (written as CSV when a folder is wanted)
and the shared real ones (read in place; skipped, saying why, when absent)."""

from __future__ import annotations

import dataclasses
import gzip
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from app.books.replay_config import default_run_config
from app.books.simulation.funding_index import Funding
from app.books.simulation.market_history import MarketHistory
from app.lab.csv_source import load_csv_folder
from app.platform.core.units import HOUR_MS
from app.scoring.run_config import RunConfig
from tests.shared_data import MARKET_DATA

START_MS = 1_700_000_000_000 // HOUR_MS * HOUR_MS  # 2023-11-14 22:00 UTC


def generated_run_config() -> RunConfig:
    """The seeded scoring configuration for replays of generated random walks that decide in
    their first two weeks: every contract there is as young as its history, so the session rule
    cannot tell yet what it is (`unknown`, excluded while any category is). These universes hold
    only crypto, so here nothing is excluded for its category, as before the rule;
    tests/unit/lab/replay/test_categories.py runs the rule with the defaults."""
    run = default_run_config()
    return dataclasses.replace(run, gate=dataclasses.replace(run.gate, excluded_categories=()))


def shared_history(name: str = "roshan7869-algotrading") -> MarketHistory:
    folder = MARKET_DATA / name
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent (../shared/market-data is read in place, not copied)")
    return load_csv_folder(folder)


def random_walks(
    n: int, hours: int, *, seed: int = 7, funding: bool = True, start_ms: int = START_MS
) -> MarketHistory:
    """`n` symbols (BTC first) of hourly candles following correlated random walks, with
    8-hourly funding settlements when `funding`."""
    rng = np.random.default_rng(seed)
    market = rng.normal(0, 0.006, hours)
    loadings = rng.uniform(0.3, 1.2, n)
    returns = loadings[:, None] * market + rng.normal(0, 0.008, (n, hours))
    grid = start_ms + HOUR_MS * np.arange(hours, dtype=np.int64)
    settlements = grid[(grid + HOUR_MS) % (8 * HOUR_MS) == 0] + HOUR_MS

    def rates(_: int) -> Funding | None:
        return Funding(settlements, rng.normal(1e-4, 1e-4, settlements.size)) if funding else None

    return generated(rng, returns, start_ms, "S", 0.003, rates)


def generated(
    rng: np.random.Generator,
    returns: np.ndarray,
    start_ms: int,
    prefix: str,
    spread_sd: float,
    funding: Callable[[int], Funding | None],
) -> MarketHistory:
    """Hourly candles of `(n, hours)` log `returns` from random starting prices, with random
    wicks and volumes, named BTCUSDT then `<prefix>001USDT`...; `funding(i)` is symbol i's."""
    n, hours = returns.shape
    close = 100.0 * rng.uniform(0.5, 2.0, n)[:, None] * np.exp(np.cumsum(returns, axis=1))
    open_ = np.concatenate([close[:, :1], close[:, :-1]], axis=1)
    spread = np.abs(rng.normal(0, spread_sd, (n, hours)))
    volume = rng.uniform(1e3, 1e5, (n, hours))
    return MarketHistory(
        symbols=["BTCUSDT", *(f"{prefix}{i:03d}USDT" for i in range(1, n))],
        grid_ms=start_ms + HOUR_MS * np.arange(hours, dtype=np.int64),
        open=open_,
        high=np.maximum(open_, close) * (1 + spread),
        low=np.minimum(open_, close) * (1 - spread),
        close=close,
        volume=volume,
        funding=[funding(i) for i in range(n)],
        source="generated",
    )


def write_csv_folder(history: MarketHistory, folder: Path, *, gzip_every: int = 0) -> Path:
    """The history as `<BASE>_USDT-1h.csv` (+ `-funding.csv`) files; every `gzip_every`-th
    symbol's files gzipped."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, symbol in enumerate(history.symbols):
        base = symbol.removesuffix("USDT")
        rows = ["ts_ms,open,high,low,close,volume"]
        for k, t in enumerate(history.grid_ms.tolist()):
            if np.isnan(history.close[i, k]):
                continue
            values = (history.open, history.high, history.low, history.close, history.volume)
            rows.append(f"{t}," + ",".join(repr(float(v[i, k])) for v in values))
        files = {f"{base}_USDT-1h.csv": "\n".join(rows) + "\n"}
        record = history.funding[i]
        if record is not None:
            pairs = zip(record.at_ms.tolist(), record.rate.tolist(), strict=True)
            lines = ["ts_ms,rate", *(f"{t},{r!r}" for t, r in pairs)]
            files[f"{base}_USDT-funding.csv"] = "\n".join(lines) + "\n"
        for name, text in files.items():
            if gzip_every and i % gzip_every == 0:
                (folder / f"{name}.gz").write_bytes(gzip.compress(text.encode()))
            else:
                (folder / name).write_text(text)
    return folder


DAY_START_MS = 1_700_006_400_000  # 2023-11-15 00:00 UTC: decisions fall on whole days


def planted_signal(
    n: int, days: int, *, strength: float, seed: int = 11, start_ms: int = DAY_START_MS
) -> MarketHistory:
    """`n` symbols (BTC first) over `days` whole UTC days whose returns on day d drift by
    `strength` x s[i, d] (s standard normal) on top of correlated noise, with s[i, d] told in
    advance by the funding settled over the day before (rate -1e-4 x s, every 8 h): the funding
    carry metric predicts the next day's returns, every other metric is noise. `strength=0`:
    pure noise."""
    rng = np.random.default_rng(seed)
    hours = days * 24
    signal = rng.normal(0.0, 1.0, (n, days + 1))
    market = rng.normal(0, 0.004, hours)
    returns = (
        rng.uniform(0.5, 1.0, n)[:, None] * market
        + rng.normal(0, 0.008, (n, hours))
        + np.repeat(strength * signal[:, :days] / 24.0, 24, axis=1)
    )
    settlements = start_ms + 8 * HOUR_MS * np.arange(1, days * 3 + 1, dtype=np.int64)
    # The settlement at tau in (D_d - 24 h, D_d] tells s[:, d] (day d starts at D_d).
    day_told = -(-(settlements - start_ms) // (24 * HOUR_MS))
    return generated(
        rng,
        returns,
        start_ms,
        "P",
        0.002,
        lambda i: Funding(settlements, -1e-4 * signal[i, day_told]),
    )


def altered(history: MarketHistory, rows: np.ndarray, columns: np.ndarray) -> MarketHistory:
    """`history` with the prices of `rows` tripled in the candles at `columns`."""
    arrays = {}
    for name in ("open", "high", "low", "close"):
        values = getattr(history, name).copy()
        values[np.ix_(rows, columns)] *= 3.0
        arrays[name] = values
    return dataclasses.replace(history, **arrays, _index={})


def known_until(history: MarketHistory, moment_ms: int) -> MarketHistory:
    """`history` as it stood at `moment_ms`: the candles closed and the funding settled by then."""
    kept = int(np.count_nonzero(history.grid_ms + HOUR_MS <= moment_ms))
    fields = ("open", "high", "low", "close", "volume")
    arrays = {name: getattr(history, name)[:, :kept] for name in fields}
    funding = [
        None if f is None else Funding(f.at_ms[f.at_ms <= moment_ms], f.rate[f.at_ms <= moment_ms])
        for f in history.funding
    ]
    return dataclasses.replace(
        history, grid_ms=history.grid_ms[:kept], **arrays, funding=funding, _index={}
    )


EQUITY_SESSION_HOURS = range(14, 20)  # 14:00-19:59 UTC, a US exchange's day
COMMODITY_CLOSED_HOURS = (21,)  # a metals or oil market's daily break, UTC


def in_session(open_ms: np.ndarray, kind: str) -> np.ndarray:
    """`(T,)`: the hours whose candle opens while a `kind` (`equity` or `commodity`) market is
    open: weekdays only, an equity's session or all but a commodity's daily break."""
    day = open_ms // (24 * HOUR_MS)
    dow = (day + 3) % 7  # 0: Monday
    hour = (open_ms // HOUR_MS) % 24
    weekday = dow < 5
    if kind == "equity":
        return weekday & np.isin(hour, EQUITY_SESSION_HOURS)
    return weekday & ~np.isin(hour, COMMODITY_CLOSED_HOURS)


def session_traded(
    history: MarketHistory, rows: dict[int, str], *, seed: int = 11
) -> MarketHistory:
    """`history` with each row in `rows` (index -> `equity` or `commodity`) replaced by a
    perpetual on a session-traded underlying: the index moves only in session (hourly sd
    0.8 %), the perpetual trades around the clock, pinned near it (sd 0.05 %) out of session,
    with a tenth of the volume: the calmest contracts by risk whenever weekends weigh in."""
    rng = np.random.default_rng(seed)
    arrays = {name: getattr(history, name).copy() for name in ("open", "high", "low", "close")}
    volume = history.volume.copy()
    for i, kind in rows.items():
        live = in_session(history.grid_ms, kind)
        index = 50.0 * np.exp(np.cumsum(np.where(live, rng.normal(0, 0.008, live.size), 0.0)))
        close = index * np.exp(rng.normal(0, np.where(live, 0.001, 0.0005)))
        open_ = np.concatenate([close[:1], close[:-1]])
        spread = np.abs(rng.normal(0, np.where(live, 0.003, 0.0003)))
        arrays["open"][i], arrays["close"][i] = open_, close
        arrays["high"][i] = np.maximum(open_, close) * (1 + spread)
        arrays["low"][i] = np.minimum(open_, close) * (1 - spread)
        volume[i] = rng.uniform(1e4, 1e5, live.size) * np.where(live, 1.0, 0.1)
    return dataclasses.replace(history, **arrays, volume=volume, _index={})


def weekend_priced(
    history: MarketHistory,
    rows: set[int],
    *,
    weekend_activity: float = 0.25,
    listed_from_h: int = 0,
    seed: int = 13,
) -> MarketHistory:
    """GENERATED positives that look like the rule's miss: `history` with each of `rows` replaced
    by a perpetual on an equity index (a US session, 14:00-19:59 UTC, hourly sd 0.8 %; the rest
    of a weekday 0.35x) whose weekend still prices, at `weekend_activity` of a session hour's
    move, range and volume (its own noise, not the crypto market's: its market is shut), listed
    at hour `listed_from_h` (NaN before) under the history's unknown ticker. Weekday session
    moves load on the history's first row (BTC) at a correlation of about 0.3, as an index does.
    No real history has one; these are generated, and never to be read as a market's."""
    rng = np.random.default_rng(seed)
    arrays = {name: getattr(history, name).copy() for name in ("open", "high", "low", "close")}
    volume = history.volume.copy()
    hours = history.grid_ms.size
    dow = (history.grid_ms // (24 * HOUR_MS) + 3) % 7
    weekend = dow >= 5
    session = in_session(history.grid_ms, "equity")
    activity = np.where(session, 1.0, np.where(weekend, weekend_activity, 0.35))
    with np.errstate(invalid="ignore"):
        btc = np.nan_to_num(np.diff(np.log(history.close[0]), prepend=np.log(history.close[0, 0])))
    btc_unit = btc / (np.std(btc) or 1.0)
    for i in sorted(rows):
        own = rng.normal(0, 1, hours)
        loading = np.where(session, 0.3, 0.0)
        step = 0.008 * activity * (loading * btc_unit + np.sqrt(1 - loading**2) * own)
        close = 40.0 * np.exp(np.cumsum(step))
        open_ = np.concatenate([close[:1], close[:-1]])
        wick = np.abs(rng.normal(0, 0.003, hours)) * activity
        arrays["open"][i], arrays["close"][i] = open_, close
        arrays["high"][i] = np.maximum(open_, close) * (1 + wick)
        arrays["low"][i] = np.minimum(open_, close) * (1 - wick)
        volume[i] = rng.uniform(1e4, 2e4, hours) * activity
        for values in (*(a[i] for a in arrays.values()), volume[i]):
            values[:listed_from_h] = np.nan
    return dataclasses.replace(history, **arrays, volume=volume, _index={})
