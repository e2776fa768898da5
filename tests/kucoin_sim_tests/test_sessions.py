"""`assetClass` on configured rows; session-traded contracts look like a perpetual on a share or
a commodity: quiet weekends against busy weekdays, the movement in the home market's hours."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import numpy as np
import pytest

from tests.kucoin_sim import KucoinSimulator, SimConfig

HOUR = 3_600_000
DAY = 24 * HOUR
# A fixed half past the hour (Wed 2026-11-18 11:30 UTC): the weekdays of the candles, and so the
# ratios below, do not change with the day the suite runs (across a week of start days they
# stayed inside the same bands, README "session-traded contracts").
START_MS = 1_795_000_000_000 // HOUR * HOUR + HOUR // 2
EQUITY, COMMODITY, ORDINARY = "SIMEQAUSDTM", "SIMCMAUSDTM", "SIM001USDTM"
SESSIONS = {EQUITY: "equity", COMMODITY: "commodity"}
# Weekend over Tue-Thu median of the hourly range, |close/open| move and volume: real Binance
# TradFi perpetuals (TSLA; XAU and XAG), with a margin.
BANDS = {
    EQUITY: ((0.3, 0.45), (0.2, 0.4), (0.1, 0.3)),
    COMMODITY: ((0.25, 0.45), (0.1, 0.45), (0.15, 0.55)),
}


@pytest.fixture(scope="module")
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10.0)) as session:
        yield session


async def get(http: aiohttp.ClientSession, url: str, **params: Any) -> Any:
    async with http.get(url, params={k: str(v) for k, v in params.items()}) as resp:
        body = await resp.json(content_type=None)
    assert resp.status == 200 and body["code"] == "200000", body
    return body["data"]


async def history(http: aiohttp.ClientSession, sim: KucoinSimulator, symbol: str) -> np.ndarray:
    """Every hourly candle the simulator serves for `symbol`, oldest first, 500 at a time."""
    rows: list[list[float]] = []
    frm = sim.clock.hour_ms() - sim.config.candle_hours * HOUR
    while frm <= sim.clock.hour_ms():
        window = {"from": frm, "to": frm + 499 * HOUR}
        rows += await get(
            http, f"{sim.base_url}/api/v1/kline/query", symbol=symbol, granularity=60, **window
        )
        frm += 500 * HOUR
    return np.array(rows, dtype=float)


@pytest.fixture(scope="module")
async def candles(http: aiohttp.ClientSession) -> dict[str, np.ndarray]:
    """The served history of the two session-traded contracts and an ordinary generated one."""
    config = SimConfig(universe=6, session_traded=SESSIONS, start_time_ms=START_MS)
    async with KucoinSimulator(config) as sim:
        return {s: await history(http, sim, s) for s in (EQUITY, COMMODITY, ORDINARY)}


def hour_and_day(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UTC hour of day and day of week (0 = Monday) of each candle's open."""
    t = rows[:, 0].astype(np.int64)
    return t // HOUR % 24, (t // DAY + 3) % 7


def weekend_ratios(rows: np.ndarray) -> tuple[float, float, float]:
    """Weekend (Sat 00:00 - Sun 20:00 UTC) over Tue-Thu median range, |move| and volume."""
    _, o, h, lo, c, v = rows.T
    hour, day = hour_and_day(rows)
    weekend = (day == 5) | ((day == 6) & (hour < 20))
    midweek = (day >= 1) & (day <= 3)
    figures = (np.log(h / lo), np.abs(np.log(c / o)), v)
    r, m, vol = (float(np.median(x[weekend]) / np.median(x[midweek])) for x in figures)
    return r, m, vol


class TestAssetClass:
    async def test_rows_carry_it_only_when_configured(self, http: aiohttp.ClientSession) -> None:
        labels = {ORDINARY: "STOCK", "XBTUSDTM": "CRYPTO"}
        config = SimConfig(universe=4, session_traded=SESSIONS, asset_classes=labels)
        async with KucoinSimulator(config) as sim:
            rows = {
                r["symbol"]: r for r in await get(http, f"{sim.base_url}/api/v1/contracts/active")
            }
            one = await get(http, f"{sim.base_url}/api/v1/contracts/{ORDINARY}")
        keys = ("marketType", "assetClass", "subMarketType")
        assert [one[k] for k in keys] == ["NASDAQ", "STOCK", "US.STOCK"]
        assert [rows[ORDINARY][k] for k in keys] == ["NASDAQ", "STOCK", "US.STOCK"]
        assert [rows["XBTUSDTM"][k] for k in keys] == ["CRYPTO", "CRYPTO", None]
        for symbol in ("ETHUSDTM", "SIM002USDTM", EQUITY, COMMODITY):
            assert not set(keys) & set(rows[symbol]), symbol

    def test_an_unlisted_name_or_an_empty_value_is_refused(self) -> None:
        with pytest.raises(KeyError):
            KucoinSimulator(universe=4, asset_classes={"NOPEUSDTM": "STOCK"})
        with pytest.raises(ValueError):
            SimConfig(asset_classes={ORDINARY: ""})


class TestSessionTraded:
    def test_they_come_last_as_generated_perpetuals(self) -> None:
        sim = KucoinSimulator(universe=4, session_traded=SESSIONS, start_time_ms=START_MS)
        specs = sim.market.specs
        assert [s.symbol for s in specs[-2:]] == [EQUITY, COMMODITY]
        assert [s.session for s in specs] == [None] * 4 + ["equity", "commodity"]
        row = specs[-2].row
        assert (row["type"], row["baseCurrency"], row["status"]) == ("FFWCSX", "SIMEQA", "Open")
        for series in sim.market.series[-2:]:  # funding lent, as to other generated ones
            assert len(series.funding_events(START_MS - 3 * DAY, START_MS)[0]) >= 9

    @pytest.mark.parametrize(
        "session_traded",
        [{"XBTUSDTM": "equity"}, {"SIMEQA": "equity"}, {EQUITY: "bond"}],
    )
    def test_a_listed_or_malformed_one_is_refused(self, session_traded: dict[str, str]) -> None:
        with pytest.raises(ValueError):
            KucoinSimulator(universe=4, session_traded=session_traded)

    def test_they_are_seeded(self) -> None:
        def closes(seed: int, traded: dict[str, str]) -> np.ndarray:
            sim = KucoinSimulator(
                universe=4, seed=seed, session_traded=traded, start_time_ms=START_MS
            )
            return sim.market.series[sim.market.index[EQUITY]].span(START_MS - DAY, START_MS).c

        same, more, other = (
            closes(7, SESSIONS),
            closes(7, {**SESSIONS, "SIMZZZUSDTM": "equity"}),
            closes(8, SESSIONS),
        )
        assert np.array_equal(same, closes(7, SESSIONS)) and np.array_equal(same, more)
        assert not np.array_equal(same, other)

    @pytest.mark.parametrize("symbol", [EQUITY, COMMODITY])
    def test_served_candles_are_possible_and_as_long_as_others(
        self, candles: dict[str, np.ndarray], symbol: str
    ) -> None:
        rows = candles[symbol]
        _, o, h, lo, c, v = rows.T
        assert len(rows) == len(candles[ORDINARY]) == 1000
        assert np.all(h >= np.maximum(o, c)) and np.all(lo <= np.minimum(o, c)) and np.all(v > 0)
        assert np.max(np.abs(np.diff(np.log(c)))) <= 0.35

    @pytest.mark.parametrize("symbol", [EQUITY, COMMODITY])
    def test_weekends_are_quiet_as_on_real_tradfi_perpetuals(
        self, candles: dict[str, np.ndarray], symbol: str
    ) -> None:
        ratios = weekend_ratios(candles[symbol])
        for ratio, (low, high) in zip(ratios, BANDS[symbol], strict=True):
            assert low <= ratio <= high, ratios

    def test_an_ordinary_contract_has_no_quiet_weekend(
        self, candles: dict[str, np.ndarray]
    ) -> None:
        ratios = weekend_ratios(candles[ORDINARY])
        assert min(ratios) > 0.5, ratios

    def test_an_equitys_session_hours_hold_most_of_its_weekday_movement(
        self, candles: dict[str, np.ndarray]
    ) -> None:
        rows = candles[EQUITY]
        hour, day = hour_and_day(rows)
        squared = np.log(rows[:, 4] / rows[:, 1]) ** 2
        weekday = day < 5
        session = weekday & (hour >= 13) & (hour <= 19)
        assert squared[session].sum() / squared[weekday].sum() > 0.5

    @pytest.mark.parametrize("symbol", [EQUITY, COMMODITY])
    def test_out_of_session_the_perp_drifts_back_not_away(
        self, candles: dict[str, np.ndarray], symbol: str
    ) -> None:
        # A random walk's 8-hour moves have 8 times an hour's variance; a drift that goes back
        # toward the last session price has far less (0.2-0.4 on Binance's TradFi perpetuals).
        rows = candles[symbol]
        hour, day = hour_and_day(rows)
        weekend = (day == 5) | ((day == 6) & (hour < 20))
        log_close = np.log(rows[:, 4])
        hourly = np.diff(log_close)[weekend[1:] & weekend[:-1]]
        whole = [weekend[k : k + 9].all() for k in range(len(rows) - 8)]
        eight = (log_close[8:] - log_close[:-8])[np.array(whole)]
        assert np.var(eight) / (8 * np.var(hourly)) < 0.75
