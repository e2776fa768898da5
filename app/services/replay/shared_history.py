"""A history on its way to the evidence worker: its tables and settlements as shared arrays
(`app.runtime.shared_arrays`: no multi-megabyte pickle holding the event loop's GIL), its
symbols by pickle."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import numpy as np

from app.replay.history import Funding, MarketHistory
from app.runtime.shared_arrays import SharedArrays, sharing

TABLES = ("grid_ms", "open", "high", "low", "close", "volume")


@dataclass(frozen=True)
class SharedHistory:
    """What the worker receives for a history."""

    arrays: SharedArrays
    symbols: list[str]
    source: str

    def load(self) -> MarketHistory:
        """In the worker: the history as the service read it."""
        arrays = self.arrays.load()
        bounds, known = arrays["funding_bounds"].tolist(), arrays["funding_known"].tolist()
        at_ms, rate = arrays["funding_at_ms"], arrays["funding_rate"]
        funding = [
            Funding(at_ms[lo:hi], rate[lo:hi]) if settled else None
            for lo, hi, settled in zip(bounds[:-1], bounds[1:], known, strict=True)
        ]
        grid_ms, open_, high, low, close, volume = (arrays[name] for name in TABLES)
        return MarketHistory(
            self.symbols, grid_ms, open_, high, low, close, volume, funding, self.source
        )


def _arrays(history: MarketHistory) -> dict[str, np.ndarray]:
    """The tables, and every symbol's settlements end to end, with where each symbol's begin
    (`funding_bounds`) and whether they are known at all (`funding_known`)."""
    settled = [f for f in history.funding if f is not None]
    counts = [0 if f is None else f.at_ms.size for f in history.funding]
    return {
        **{name: getattr(history, name) for name in TABLES},
        "funding_at_ms": np.concatenate([f.at_ms for f in settled] or [np.empty(0, np.int64)]),
        "funding_rate": np.concatenate([f.rate for f in settled] or [np.empty(0)]),
        "funding_bounds": np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]),
        "funding_known": np.array([f is not None for f in history.funding], dtype=bool),
    }


@contextlib.asynccontextmanager
async def shared(history: MarketHistory) -> AsyncIterator[SharedHistory]:
    """`history` in shared memory until the block exits (the worker's call must be over)."""
    async with sharing(_arrays(history)) as arrays:
        yield SharedHistory(arrays, list(history.symbols), history.source)
