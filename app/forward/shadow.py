"""A shadow book's policy state between hours: `app.replay.policy.PolicyState` stored by symbol
name, and restored against each hour's history (whose symbol indices differ from one hour's
window to the next).

The scores of the runs inside the hysteresis window are most of it (a day of hourly runs of
150 contracts, for every book), so each run's scores are stored packed: the symbols as indices
into the state's own list of names, the composites as int32 ten-thousandths (a stored composite
is rounded to 4 decimals: k / 1e4 comes back to the same float), both base64.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np

from app.policy.replacement import RunScores
from app.replay.history import MarketHistory
from app.replay.policy import Holding, PolicyState

STEPS = 1e4  # a stored composite's resolution


def _pack(values: np.ndarray) -> str:
    return base64.b64encode(values.astype("<i4").tobytes()).decode("ascii")


def _unpack(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<i4").astype(np.int64)


def state_json(state: PolicyState, history: MarketHistory) -> dict[str, Any]:
    """`state` by symbol name (the outsider facts are a cache, rebuilt on use)."""
    symbols = history.symbols
    used = sorted({i for run in state.runs for i in run.composite})
    position = {i: k for k, i in enumerate(used)}
    runs = []
    for run in state.runs:
        ids = list(run.composite)
        scores = np.rint(np.array([run.composite[i] for i in ids], dtype=float) * STEPS)
        runs.append([run.run_id, run.at_ms, _pack(np.array([position[i] for i in ids])),
                     _pack(scores)])  # fmt: skip
    return {
        "members": [[symbols[h.index], h.rank, h.included_ms] for h in state.members],
        "weights": {s: str(w) for s, w in state.weights.items()},
        "names": [symbols[i] for i in used],
        "runs": runs,
    }


def state_of(stored: Mapping[str, Any], history: MarketHistory) -> PolicyState:
    """The stored state against `history`: a symbol it does not hold (no candle inside the
    window) is dropped from the runs' scores, and a member without one leaves the book (the
    replay would see it stale and exit it; the ranks below close up)."""
    index = {s: i for i, s in enumerate(history.symbols)}
    kept = sorted(
        (int(rank), index[symbol], int(included))
        for symbol, rank, included in stored["members"]
        if symbol in index
    )
    members = [Holding(i, rank, included) for rank, (_, i, included) in enumerate(kept, 1)]
    rows = [index.get(name, -1) for name in stored["names"]]
    runs = []
    for run_id, at, packed_ids, packed_scores in stored["runs"]:
        scores = (_unpack(packed_scores) / STEPS).tolist()
        composite = {
            rows[k]: v
            for k, v in zip(_unpack(packed_ids).tolist(), scores, strict=True)
            if rows[k] >= 0
        }
        runs.append(RunScores(int(run_id), composite, int(at)))
    weights = {s: Decimal(w) for s, w in stored["weights"].items()}
    return PolicyState(members=members, weights=weights, runs=runs)


def fresh_json() -> dict[str, Any]:
    return {"members": [], "weights": {}, "names": [], "runs": []}
