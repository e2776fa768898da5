"""A shadow book's policy state survives storage to the bit: members, weights and every run's
composites (stored packed) come back as they were, against a history whose symbol order
differs; a symbol absent from the new history is dropped, a member without candles leaves. An
encoding made from the previous one (names kept in place, runs not packed again) reads back as
a fresh one, and `restored` hands back the state it was encoded from only for the same symbols."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from app.books.simulation.market_history import MarketHistory
from app.books.simulation.policy import Holding, PolicyState
from app.portfolio.policy.replacement_facts import RunScores
from app.records.keeping import shadow
from app.records.keeping.shadow import encode, state_of


def state_json(state: PolicyState, history: MarketHistory) -> dict[str, Any]:
    """`state` as a book stores it, encoded afresh."""
    return encode(state, history, None).stored


def history(symbols: list[str]) -> MarketHistory:
    grid = np.arange(3, dtype=np.int64) * 3_600_000
    values = np.ones((len(symbols), grid.size))
    return MarketHistory(
        symbols, grid, values, values, values, values, values, [None] * len(symbols)
    )


def stored_scores(rng: np.random.Generator, n: int) -> list[float]:
    """Composites as a run stores them: 0-100 rounded to 4 decimals."""
    return [round(float(v), 4) for v in rng.uniform(0, 100, n)]


def test_the_state_comes_back_to_the_bit_against_another_symbol_order() -> None:
    rng = np.random.default_rng(3)
    before = history(["AUSDT", "BUSDT", "CUSDT", "DUSDT"])
    runs = [
        RunScores(run_id, dict(zip([0, 1, 2, 3], stored_scores(rng, 4), strict=True)), at)
        for run_id, at in ((7, 7_000), (6, 6_000), (5, 5_000))
    ]
    state = PolicyState(
        members=[Holding(2, 1, 100), Holding(0, 2, 200)],
        weights={"CUSDT": Decimal("60.5"), "AUSDT": Decimal("39.5")},
        runs=runs,
    )
    stored = json.loads(json.dumps(state_json(state, before)))
    after = history(["AUSDT", "CUSDT", "DUSDT", "ZUSDT"])  # BUSDT gone, ZUSDT new
    back = state_of(stored, after)
    index = {s: i for i, s in enumerate(after.symbols)}
    assert [(h.index, h.seat, h.included_ms) for h in back.members] == [
        (index["CUSDT"], 1, 100),
        (index["AUSDT"], 2, 200),
    ]
    assert back.weights == state.weights
    for original, restored in zip(runs, back.runs, strict=True):
        assert (restored.run_id, restored.at_ms) == (original.run_id, original.at_ms)
        expected = {
            index[before.symbols[i]]: v
            for i, v in original.composite.items()
            if before.symbols[i] in index
        }
        assert restored.composite == expected  # exact floats, not approximately


def test_a_member_without_candles_leaves_and_the_ranks_close_up() -> None:
    before = history(["AUSDT", "BUSDT", "CUSDT"])
    state = PolicyState(members=[Holding(0, 1, 1), Holding(1, 2, 2), Holding(2, 3, 3)])
    back = state_of(state_json(state, before), history(["AUSDT", "CUSDT"]))
    assert [(h.index, h.seat) for h in back.members] == [(0, 1), (1, 2)]


@pytest.mark.slow  # a million values
def test_every_stored_composite_survives_packing() -> None:
    """Every 4-decimal value in 0-100 that a run can store (a sample of a million)."""
    rng = np.random.default_rng(11)
    values = [round(float(v), 4) for v in rng.uniform(0, 100, 1_000_000)] + [0.0, 100.0]
    symbols = [f"S{k}USDT" for k in range(len(values))]
    state = PolicyState(runs=[RunScores(1, dict(enumerate(values)), 0)])
    back = state_of(state_json(state, history(symbols)), history(symbols))
    assert list(back.runs[0].composite.values()) == values


def _same(a: PolicyState, b: PolicyState) -> None:
    assert [(h.index, h.seat, h.included_ms) for h in a.members] == [
        (h.index, h.seat, h.included_ms) for h in b.members
    ]
    assert a.weights == b.weights
    assert [(r.run_id, r.at_ms, list(r.composite.items())) for r in a.runs] == [
        (r.run_id, r.at_ms, list(r.composite.items())) for r in b.runs
    ]


def test_an_encoding_from_the_last_reads_back_as_a_fresh_one() -> None:
    rng = np.random.default_rng(5)
    symbols = [f"S{k}USDT" for k in range(12)]
    past = history(symbols)
    state = PolicyState(members=[Holding(3, 1, 10), Holding(7, 2, 20)])
    last = None
    for hour in range(30):  # each hour a run of other symbols, the oldest dropped after 5
        ids = sorted(rng.choice(12, size=6, replace=False).tolist())
        state.runs.insert(
            0, RunScores(hour + 1, dict(zip(ids, stored_scores(rng, 6), strict=True)), hour)
        )
        del state.runs[5:]
        now = history(list(symbols))  # another history, the same symbols
        if last is not None:
            assert shadow.restored(last.stored, now, last) is state
        last = encode(state, now, last)
        stored = json.loads(json.dumps(last.stored))
        _same(state_of(stored, now), state_of(state_json(state, now), now))
        _same(state_of(stored, now), state)
    other = history(symbols[1:])  # a symbol less: decoded, not handed back
    assert last is not None and shadow.restored(last.stored, other, last) is not state
    assert shadow.restored(last.stored, past, None) is not state
