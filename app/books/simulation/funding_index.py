"""The funding settlements of a point-in-time history (`app.books.simulation.market_history`):
one symbol's (`Funding`), every symbol's in a window as arrays over the symbols
(`SettledFunding`), and all of them in one sorted array keyed by (symbol, time), so that one
`searchsorted` answers for every symbol (`FundingIndex`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_KEY_STRIDE = 1 << 42  # ms (139 years): settlement times of symbol i are keyed i * stride + ms


@dataclass(frozen=True)
class Funding:
    """One symbol's settlements: times (epoch ms, ascending) and rates (fraction per interval)."""

    at_ms: np.ndarray
    rate: np.ndarray


@dataclass(frozen=True)
class SettledFunding:
    """Every symbol's settlements in a window (since, t], as arrays over the symbols."""

    count: np.ndarray  # (n,) settlements in the window (0 where unknown)
    latest: np.ndarray  # (n,) rate of the last one; NaN where none or unknown
    recent: np.ndarray  # (n, points) the last `points` rates, oldest first, NaN-padded left
    interval_h: np.ndarray  # (n,) hours between the last two settled by t (whatever the window)


@dataclass(frozen=True)
class FundingIndex:
    """All settlements in one sorted array keyed by (symbol, time), so that one `searchsorted`
    answers for every symbol."""

    keys: np.ndarray  # symbol * _KEY_STRIDE + at_ms, ascending
    at_ms: np.ndarray
    rate: np.ndarray
    start: np.ndarray  # (n,) the first index of each symbol's settlements
    base: np.ndarray  # (n,) symbol * _KEY_STRIDE

    @classmethod
    def of(cls, funding: Sequence[Funding | None]) -> FundingIndex:
        records = [(i, f) for i, f in enumerate(funding) if f is not None and f.at_ms.size]
        for _, f in records:
            if f.at_ms[0] < 0 or f.at_ms[-1] >= _KEY_STRIDE:
                raise ValueError("funding settlement times must be epoch milliseconds")
        at_ms = np.concatenate([f.at_ms for _, f in records] or [np.zeros(0, np.int64)])
        base = np.arange(len(funding), dtype=np.int64) * _KEY_STRIDE
        keys = np.concatenate(
            [base[i] + f.at_ms.astype(np.int64) for i, f in records] or [np.zeros(0, np.int64)]
        )
        rate = np.concatenate([f.rate for _, f in records] or [np.zeros(0)]).astype(float)
        return cls(keys, at_ms, rate, np.searchsorted(keys, base), base)

    def upto(self, t_ms: int) -> np.ndarray:
        """(n,) one past each symbol's last settlement at or before `t_ms`."""
        return np.searchsorted(self.keys, self.base + min(max(t_ms, -1), _KEY_STRIDE - 1), "right")
