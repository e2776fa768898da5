"""A day's judgement when a symbol has no close at the entry hour: the state stays valid JSON
(PostgreSQL's jsonb has no NaN) and the symbol counts as unknown in the day's IC."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.platform.core.units import DAY_MS
from app.records.keeping.forward import ForwardState
from app.records.keeping.forward_days import packed

ENTRY = 1_764_000_000_000  # a whole hour, in ms
SYMBOLS = [f"S{k}USDT" for k in range(8)]


def day() -> dict[str, object]:
    composite = np.arange(len(SYMBOLS), dtype=float)  # S7 the best
    return {
        "decided": ENTRY - 3_600_000,
        "entry": ENTRY,
        "following": ENTRY + DAY_MS,
        "universe": SYMBOLS,
        "books": {
            "policy": {
                "symbols": SYMBOLS,
                "composite": packed(composite),
                "beta": packed(np.zeros(len(SYMBOLS))),
                "config_hash": "h",
            }
        },
    }


def test_a_missing_entry_close_is_left_out_and_the_state_is_valid_json() -> None:
    state = ForwardState(judging=[day()])
    entry = {s: 100.0 for s in SYMBOLS[1:]}  # S0 has no close at the entry hour
    assert state.judge(ENTRY, entry, {"policy": 1.0}) == []
    stored = json.loads(json.dumps(state.to_json(), allow_nan=False))
    assert stored["judging"][0]["entry_closes"] == entry
    back = ForwardState.of(stored)
    following = {s: 100.0 * (1 + 0.01 * k) for k, s in enumerate(SYMBOLS)}
    [judged] = back.judge(ENTRY + DAY_MS, following, {"policy": 1.05})
    # The seven known symbols rank exactly as their composites: IC 1; S0 is left out.
    assert judged.skill_ic == 1.0
    assert judged.book_return == pytest.approx(0.05, abs=1e-12)
    assert judged.universe_return == pytest.approx(np.mean([0.01 * k for k in range(1, 8)]))
