"""The simulator's coins read as coins: the session rule (with the market, BTC and ETH) classes
none of them session-traded, on the windows the demo's service reads, whatever weekday the
simulator starts on; and a namesake that is another coin under the same ticker is shown at its
row's price level, not as a path of a few ticks."""

from __future__ import annotations

import numpy as np
import pytest

from app.market.contracts.trading_sessions import WINDOW_HOURS, session_figures
from tests.kucoin_sim.clock import SimClock
from tests.kucoin_sim.config import SimConfig
from tests.kucoin_sim.market import Market
from tests.shared_data import MARKET_DATA

HOUR = 3_600_000
DAY = 24 * HOUR
FRIDAY_MS = 1_764_288_000_000 + 5 * HOUR  # 2025-11-28 05:00 UTC; six more start days follow
WINDOWS_H = (720, 1000)  # what the demo's service holds after its first sync; all served


def market(universe: str | int, seed: int) -> Market:
    if not MARKET_DATA.is_dir():
        pytest.skip(f"{MARKET_DATA} is absent (../shared/market-data is read in place)")
    return Market(SimConfig(universe=universe, seed=seed, anchor_hour_ms=FRIDAY_MS), SimClock())


def verdicts(sim: Market, start_day: int, hours: int) -> dict[str, str]:
    """Every contract's verdict at the first 00:00 UTC of a simulator started `start_day` days
    after `FRIDAY_MS`, from its last `hours` candles closed then, on its tick as served (the
    shown rows are those of a simulator anchored at that start: the same real hours on a
    calendar moved on)."""
    shift = start_day * DAY
    day = (FRIDAY_MS + shift) // DAY * DAY
    open_ms = day - HOUR * np.arange(WINDOW_HOURS, 0, -1)
    candles = np.full((5, len(sim.specs), WINDOW_HOURS), np.nan)
    for i, series in enumerate(sim.series):
        span = series.span(day - shift - hours * HOUR, day - shift)
        columns = (span.times + shift - (day - WINDOW_HOURS * HOUR)) // HOUR
        tick = sim.specs[i].tick
        for k, values in enumerate((span.o, span.h, span.lo, span.c)):
            candles[k, i, columns] = np.round(values / tick) * tick
        candles[4, i, columns] = span.v
    reference = candles[3][[sim.index["XBTUSDTM"], sim.index["ETHUSDTM"]]]
    figures = session_figures(open_ms, *candles, reference)
    return {spec.symbol: f.verdict for spec, f in zip(sim.specs, figures, strict=True)}


def session_traded_coins(sim: Market) -> dict[str, set[int]]:
    """Each coin (no `session` kind) some start day's window classes session-traded."""
    found: dict[str, set[int]] = {}
    for start_day in range(7):
        for hours in WINDOWS_H:
            for symbol, verdict in verdicts(sim, start_day, hours).items():
                if sim.specs[sim.index[symbol]].session is None and verdict in (
                    "equity",
                    "commodity",
                ):
                    found.setdefault(symbol, set()).add(start_day)
    return found


@pytest.mark.slow  # the recorded universe: ~350 real series parsed
def test_no_coin_of_the_demos_universe_reads_as_session_traded() -> None:
    assert session_traded_coins(market("recorded", 7)) == {}


@pytest.mark.parametrize("seed", [7, 3, 5, 1, 8, 11, 99])
def test_no_generated_coin_reads_as_session_traded(seed: int) -> None:
    assert session_traded_coins(market(30, seed)) == {}


def test_the_session_traded_contracts_are_still_caught() -> None:
    """The control: the same reading catches the simulator's own session-traded contracts."""
    if not MARKET_DATA.is_dir():
        pytest.skip(f"{MARKET_DATA} is absent (../shared/market-data is read in place)")
    sessions = {"SIMEQAUSDTM": "equity", "SIMCMAUSDTM": "commodity"}
    config = SimConfig(universe=6, session_traded=sessions, anchor_hour_ms=FRIDAY_MS)
    sim = Market(config, SimClock())
    read = verdicts(sim, 0, 1000)
    assert {s: read[s] for s in sessions} == sessions


@pytest.mark.slow
def test_a_namesake_of_another_coin_is_shown_at_its_rows_level() -> None:
    """Binance's NEIRO trades near 0.0005, KuCoin's row near 0.08 on a 0.00001 tick: shown at
    its real price, most of its hours would close where they opened."""
    sim = market("recorded", 7)
    i = sim.index["NEIROUSDTM"]
    spec, series = sim.specs[i], sim.series[i]
    span = series.span(FRIDAY_MS - 720 * HOUR, FRIDAY_MS)
    ticks = np.round(span.c / spec.tick) - np.round(span.o / spec.tick)
    assert 0.1 < float(np.median(span.c)) / spec.target_price < 10
    assert np.mean(ticks != 0) > 0.9
