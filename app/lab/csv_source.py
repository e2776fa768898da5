"""History from CSV folders in the `shared/market-data` layout.

`<BASE>_USDT-1h.csv` holds `ts_ms,open,high,low,close,volume` (ts = candle open, epoch ms UTC);
the optional `<BASE>_USDT-funding.csv` holds `ts_ms,rate` (settlement time, fraction). Either may
be gzipped (`.csv.gz`). A symbol without a funding file has unknown funding, never zero.
"""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

import numpy as np

from app.books.simulation.funding_index import Funding
from app.books.simulation.market_history import MarketHistory, common_grid
from app.platform.core.units import HOUR_MS

CANDLES = re.compile(r"^(?P<base>[A-Z0-9]+)_USDT-1h\.csv(\.gz)?$")


class HistoryFolderError(ValueError):
    """The folder holds no usable history (or a file is malformed)."""


def _read(path: Path, columns: int) -> np.ndarray:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    try:
        data = np.loadtxt(io.BytesIO(raw), delimiter=",", skiprows=1, ndmin=2, dtype=float)
    except ValueError as exc:
        raise HistoryFolderError(f"{path.name}: {exc}") from exc
    if data.size and data.shape[1] != columns:
        raise HistoryFolderError(f"{path.name}: {data.shape[1]} columns, expected {columns}")
    return data


def _funding_file(folder: Path, base: str) -> Path | None:
    for name in (f"{base}_USDT-funding.csv", f"{base}_USDT-funding.csv.gz"):
        if (folder / name).is_file():
            return folder / name
    return None


def load_csv_folder(folder: Path) -> MarketHistory:
    """Every `<BASE>_USDT-1h.csv` of `folder` on one hourly grid, with its funding if present."""
    files = sorted(p for p in folder.iterdir() if CANDLES.match(p.name)) if folder.is_dir() else []
    if not files:
        raise HistoryFolderError(f"no <BASE>_USDT-1h.csv files in {folder}")
    bases, candles = [], []
    for path in files:
        base = CANDLES.match(path.name).group("base")  # type: ignore[union-attr]
        data = _read(path, 6)
        if data.size == 0:
            continue
        if (np.diff(data[:, 0]) <= 0).any() or (data[:, 0] % HOUR_MS != 0).any():
            raise HistoryFolderError(f"{path.name}: open times not hourly and ascending")
        bases.append(base)
        candles.append(data)
    grid = common_grid([int(c[0, 0]) for c in candles], [int(c[-1, 0]) for c in candles])
    shape = (len(bases), grid.size)
    arrays = {name: np.full(shape, np.nan) for name in ("open", "high", "low", "close", "volume")}
    funding: list[Funding | None] = []
    for i, (base, data) in enumerate(zip(bases, candles, strict=True)):
        columns = ((data[:, 0] - grid[0]) // HOUR_MS).astype(np.int64)
        for k, name in enumerate(("open", "high", "low", "close", "volume"), start=1):
            arrays[name][i, columns] = data[:, k]
        funding_path = _funding_file(folder, base)
        if funding_path is None:
            funding.append(None)
            continue
        rates = _read(funding_path, 2)
        order = np.argsort(rates[:, 0], kind="stable")
        funding.append(Funding(rates[order, 0].astype(np.int64), rates[order, 1]))
    return MarketHistory(
        symbols=[f"{base}USDT" for base in bases],
        grid_ms=grid,
        funding=funding,
        open=arrays["open"],
        high=arrays["high"],
        low=arrays["low"],
        close=arrays["close"],
        volume=arrays["volume"],
        source=f"csv:{folder.name}",
    )
