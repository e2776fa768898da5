"""A shadow book's policy state between hours: `app.books.simulation.policy.PolicyState` stored
by symbol name, and restored against each hour's history (whose symbol indices differ from one
hour's window to the next).

The scores of the runs inside the hysteresis window are most of it (a day of hourly runs of
150 contracts, for every book), so each run's scores are stored packed: the symbols as indices
into the state's own list of names, the composites as int32 ten-thousandths (a stored composite
is rounded to 4 decimals: k / 1e4 comes back to the same float), both base64.

Decoding every book's state each hour costs as much as its step: `restored` hands back the state
a stored document was just encoded from, while the history's symbols (the indices it holds) are
the same, instead of decoding it again.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from app.books.simulation.market_history import MarketHistory
from app.books.simulation.policy import Holding, PolicyState
from app.portfolio.policy.replacement_facts import RunScores

STEPS = 1e4  # a stored composite's resolution


def _pack(values: np.ndarray) -> str:
    return base64.b64encode(values.astype("<i4").tobytes()).decode("ascii")


def _unpack(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<i4").astype(np.int64)


def encode(state: PolicyState, history: MarketHistory, last: Encoded | None) -> Encoded:
    """`state` by symbol name (the outsider facts are a cache, rebuilt on use), as `state_of`
    reads it, given `last`: this book's previous encoding. Against the same symbols its names
    keep their places (those new to the runs come after them, until the unused are as many as
    the used) and the runs it packed are not packed again."""
    symbols = history.symbols
    used = {i for run in state.runs for i in run.composite}
    if last is None or last.symbols != symbols or len(last.places) > 2 * len(used):
        places: dict[int, int] = {}
        packed: dict[int, tuple[RunScores, list[Any]]] = {}
    else:
        places, packed = dict(last.places), last.packed
    for i in sorted(used - places.keys()):
        places[i] = len(places)
    runs, kept = [], {}
    for run in state.runs:
        done = packed.get(id(run))
        if done is None or done[0] is not run:
            ids = list(run.composite)
            scores = np.rint(np.array([run.composite[i] for i in ids], dtype=float) * STEPS)
            done = (
                run,
                [run.run_id, run.at_ms, _pack(np.array([places[i] for i in ids])), _pack(scores)],
            )
        runs.append(done[1])
        kept[id(run)] = done
    stored = {
        "members": [[symbols[h.index], h.seat, h.included_ms] for h in state.members],
        "weights": {s: str(w) for s, w in state.weights.items()},
        "names": [symbols[i] for i in places],  # in the order of their places
        "runs": runs,
    }
    return Encoded(stored, symbols, state, places, kept)


def state_of(stored: Mapping[str, Any], history: MarketHistory) -> PolicyState:
    """The stored state against `history`: a symbol it does not hold (no candle inside the
    window) is dropped from the runs' scores, and a member without one leaves the book (the
    replay would see it stale and exit it; the seats after it close up)."""
    index = {s: i for i, s in enumerate(history.symbols)}
    kept = sorted(
        (int(seat), index[symbol], int(included))
        for symbol, seat, included in stored["members"]
        if symbol in index
    )
    members = [Holding(i, seat, included) for seat, (_, i, included) in enumerate(kept, 1)]
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


@dataclass(frozen=True)
class Encoded:
    """`stored` encodes `state` for a history of `symbols` (`encode`)."""

    stored: dict[str, Any]
    symbols: list[str]
    state: PolicyState
    places: dict[int, int]  # symbol index -> its place in the stored names
    packed: dict[int, tuple[RunScores, list[Any]]]  # by id(run): the run, its stored entry


def restored(
    stored: Mapping[str, Any], history: MarketHistory, encoded: Encoded | None
) -> PolicyState:
    """`state_of(stored, history)`: the state `stored` was encoded from where `encoded` says so
    for the same symbols. Encoding loses nothing then: every symbol it names is in `history`,
    the members' ranks are 1..n already and a composite is k / 1e4, which the packing keeps."""
    if encoded is not None and encoded.stored is stored and encoded.symbols == history.symbols:
        return encoded.state
    return state_of(stored, history)
