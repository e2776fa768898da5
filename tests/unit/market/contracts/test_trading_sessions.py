"""The session rule: its results on every real history it was set on (the TradFi perpetuals and
the crypto ones, day by day as the replay and the live service run it), and its behaviour on
generated candles (a session-traded underlying, a coin, a young listing, the kinds)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.books.simulation.data_categories import day_figures
from app.market.contracts.trading_sessions import (
    CO_MOVE_MIN,
    MIN_WEEKDAY_HOURS,
    MIN_WEEKEND_HOURS,
    QUIET_MAX,
    WEEK_SD,
    WINDOW_HOURS,
    SessionFigures,
    Z,
    day_start_ms,
    session_figures,
)
from app.platform.core.units import DAY_MS, HOUR_MS
from scripts.category_evidence import TRADFI_FOLDER, ContractDays, contract_days
from tests.replay_data import random_walks, session_traded, weekend_priced
from tests.shared_data import MARKET_DATA

MONDAY_MS = 1_700_438_400_000  # 2023-11-20 00:00 UTC, a Monday


def days_of(folder: str) -> dict[str, ContractDays]:
    path = MARKET_DATA / folder
    if not path.is_dir():
        pytest.skip(f"{path} is absent (../shared/market-data is read in place)")
    return {r.name: r for r in contract_days(path)}


def figures_of(
    hours: int, rows: dict[int, str], *, n: int = 4, end_ms: int = MONDAY_MS
) -> list[SessionFigures]:
    """The rule on `n` generated contracts whose last candle closes at `end_ms`, the `rows`
    made session-traded (`tests.replay_data.session_traded`)."""
    history = session_traded(random_walks(n, hours, start_ms=end_ms - hours * HOUR_MS), rows)
    return day_figures(history, end_ms)


@pytest.mark.slow  # the shared real histories, read whole
class TestOnRealHistory:
    """The figures docs/decisions.md quotes ("What a contract is"); `python -m
    scripts.category_evidence` gives them for every folder, the 487-contract one included."""

    def test_every_tradfi_perpetual_is_non_crypto_on_every_day_it_decides(self) -> None:
        days = days_of(TRADFI_FOLDER)
        assert {name: dict(r.days) for name, r in days.items()} == {
            "CRCLUSDT": {"equity": 26, "unknown": 13},
            "INTCUSDT": {"equity": 33, "unknown": 13},
            "MSTRUSDT": {"equity": 26, "unknown": 13},
            "PAXGUSDT": {"commodity": 77, "unknown": 32},
            "TSLAUSDT": {"equity": 38, "unknown": 13},
            "XAGUSDT": {"commodity": 59, "unknown": 13},
            "XAUUSDT": {"commodity": 72, "equity": 9, "unknown": 18},
        }

    def test_the_year_of_32_coins_is_crypto_on_all_but_btc_and_eth_quiet_weekends(
        self,
    ) -> None:
        days = days_of("roshan7869-algotrading")
        wrong = {name: r.wrong for name, r in days.items() if r.wrong}
        assert wrong == {"BTCUSDT": 23, "ETHUSDT": 4}  # 53 and 40 without the margin
        decided = sum(
            r.days["crypto"] + r.days["commodity"] + r.days["equity"] for r in days.values()
        )
        assert decided == 11_872

    def test_the_month_of_59_coins_is_crypto_on_every_day(self) -> None:
        """BTC's 19 quiet weekend days there (without the margin) are ambiguous, and BTC is
        the market it co-moves with."""
        days = days_of("alpergulsen-freqtrade")
        assert {name: r.wrong for name, r in days.items() if r.wrong} == {}
        assert days["BTCUSDT"].days == {"crypto": 32, "unknown": 12}


class TestOnGeneratedCandles:
    def test_a_session_traded_underlying_is_caught_and_a_walk_is_not(self) -> None:
        figures = figures_of(WINDOW_HOURS, {2: "equity", 3: "commodity"})
        assert [f.verdict for f in figures] == ["crypto", "crypto", "equity", "commodity"]
        assert figures[2].quietness < QUIET_MAX <= figures[0].quietness

    def test_only_the_window_counts(self) -> None:
        """Eight weeks of a walk before the window do not change its figures."""
        short = figures_of(WINDOW_HOURS, {2: "equity"})
        long = figures_of(2 * WINDOW_HOURS, {2: "equity"})
        assert [f.verdict for f in long] == [f.verdict for f in short]

    def test_fewer_than_two_weeks_decide_nothing(self) -> None:
        """Ten days to a Monday: two weekends, but only three Tuesdays to Thursdays."""
        figures = figures_of(10 * 24, {2: "equity"})
        assert [f.verdict for f in figures] == ["unknown"] * 4
        assert {(f.weekend_hours, f.weekday_hours) for f in figures} == {(88, 72)}
        assert MIN_WEEKDAY_HOURS > 72 and MIN_WEEKEND_HOURS <= 88

    def test_two_weeks_decide(self) -> None:
        figures = figures_of(14 * 24, {2: "equity"})
        assert [f.verdict for f in figures] == ["crypto", "crypto", "equity", "crypto"]

    def test_missing_candles_are_left_out_not_read_as_quiet(self) -> None:
        history = session_traded(
            random_walks(3, WINDOW_HOURS, start_ms=MONDAY_MS - WINDOW_HOURS * HOUR_MS), {}
        )
        for name in ("open", "high", "low", "close", "volume"):
            getattr(history, name)[1, ::5] = np.nan
        assert [f.verdict for f in day_figures(history, MONDAY_MS)] == ["crypto"] * 3

    def test_a_flat_contract_is_not_read_as_session_traded(self) -> None:
        """No weekday movement at all: no evidence of a quiet weekend (ratio 1)."""
        hours = WINDOW_HOURS
        times = MONDAY_MS - hours * HOUR_MS + HOUR_MS * np.arange(hours)
        flat = np.full((1, hours), 2.0)
        (figures,) = session_figures(times, flat, flat, flat, flat, np.full((1, hours), 10.0))
        assert figures.quietness == 1.0 and figures.verdict == "crypto"

    def test_figures_are_stored_rounded(self) -> None:
        (figures,) = figures_of(WINDOW_HOURS, {0: "equity"}, n=1)
        stored = figures.to_json()
        assert stored["verdict"] == "equity"
        assert stored["weekend_range"] == round(figures.weekend_range, 4)
        assert set(stored) == {
            "weekend_range",
            "weekend_move",
            "weekend_volume",
            "quietness",
            "session_share",
            "weekend_hours",
            "weekday_hours",
            "weekends",
            "quiet_low",
            "quiet_high",
            "market_corr",
            "market_corr_low",
            "market_hours",
            "verdict",
        }

    def test_the_decision_day_starts_at_midnight_utc(self) -> None:
        assert day_start_ms(MONDAY_MS + 5 * HOUR_MS + 7) == MONDAY_MS
        assert day_start_ms(MONDAY_MS) == MONDAY_MS
        assert MONDAY_MS % DAY_MS == 0


def with_quiet_weekends(
    history_hours: int, factor: float, *, co_moving: bool
) -> list[SessionFigures]:
    """Two contracts ending at `MONDAY_MS`: BTC (the market), and a walk whose weekend hours'
    moves, ranges and volumes are `factor` of its weekdays' (quietness near `factor`**3), its
    weekend moves BTC's own (`co_moving`) or its own noise."""
    rng = np.random.default_rng(5)
    times = MONDAY_MS - history_hours * HOUR_MS + HOUR_MS * np.arange(history_hours)
    dow = (times // DAY_MS + 3) % 7
    hour = (times // HOUR_MS) % 24
    weekend = (dow == 5) | ((dow == 6) & (hour < 20))
    btc = rng.normal(0, 0.006, history_hours)
    scale = np.where(weekend, factor, 1.0)
    own = np.where(weekend & co_moving, btc * factor * 1.5, rng.normal(0, 0.008, history_hours))
    own = np.where(weekend & ~co_moving, own * scale, own)
    returns = np.vstack([btc, own])
    close = 100 * np.exp(np.cumsum(returns, axis=1))
    open_ = np.concatenate([close[:, :1], close[:, :-1]], axis=1)
    wick = np.abs(rng.normal(0, 0.002, returns.shape)) * np.vstack([np.ones(history_hours), scale])
    high, low = np.maximum(open_, close) * (1 + wick), np.minimum(open_, close) * (1 - wick)
    volume = rng.uniform(1e4, 2e4, returns.shape) * np.vstack([np.ones(history_hours), scale])
    return session_figures(times, open_, high, low, close, volume, close[:1])


class TestTheMargin:
    """The verdict reads the quietness's one-sided 95 % bounds, from the sampling model of
    docs/decisions.md, and the co-movement with the market only where they straddle
    `QUIET_MAX`."""

    def test_the_bounds_follow_the_sampling_model(self) -> None:
        for hours in (14 * 24, WINDOW_HOURS):
            for f in figures_of(hours, {2: "equity"}):
                margin = np.exp(Z * WEEK_SD / np.sqrt(f.weekends))
                assert f.quiet_low == pytest.approx(f.quietness / margin)
                assert f.quiet_high == pytest.approx(f.quietness * margin)
        assert [f.weekends for f in figures_of(14 * 24, {})] == [2] * 4
        assert [f.weekends for f in figures_of(WINDOW_HOURS, {})] == [8] * 4
        assert round(WEEK_SD, 3) == 0.888

    def test_a_young_listing_near_the_threshold_is_unknown(self) -> None:
        """Two weekends at a quietness of about 0.05: crypto without the margin, and neither
        side clearly with it; its weekends do not move with the market."""
        (_, young) = with_quiet_weekends(15 * 24, 0.5, co_moving=False)
        assert young.weekends == 2 and QUIET_MAX <= young.quietness < 0.1
        assert young.quiet_low < QUIET_MAX <= young.quiet_high
        assert young.market_corr_low < CO_MOVE_MIN
        assert young.verdict == "unknown"

    def test_more_weekends_decide_it(self) -> None:
        """The same contract with eight weekends: its bounds narrow to the crypto side."""
        (_, older) = with_quiet_weekends(WINDOW_HOURS, 0.5, co_moving=False)
        assert older.quiet_low >= QUIET_MAX and older.verdict == "crypto"

    def test_weekends_moving_with_the_market_decide_what_quiet_cannot(self) -> None:
        (btc, coin) = with_quiet_weekends(15 * 24, 0.3, co_moving=True)
        assert coin.quiet_low < QUIET_MAX <= coin.quiet_high
        assert coin.market_corr_low >= CO_MOVE_MIN and coin.verdict == "crypto"
        assert btc.market_corr == pytest.approx(1.0) and btc.verdict == "crypto"

    def test_clearly_quiet_weekends_stay_session_traded_however_they_co_move(self) -> None:
        (_, share) = with_quiet_weekends(WINDOW_HOURS, 0.2, co_moving=True)
        assert share.quiet_high < QUIET_MAX and share.market_corr_low >= CO_MOVE_MIN
        assert share.verdict in ("equity", "commodity")

    def test_without_the_market_the_co_movement_is_unmeasured(self) -> None:
        history = weekend_priced(
            random_walks(3, WINDOW_HOURS, start_ms=MONDAY_MS - WINDOW_HOURS * HOUR_MS), {2}
        )
        renamed = dataclasses.replace(
            history, symbols=["S000USDT", *history.symbols[1:]], _index={}
        )
        figures = day_figures(renamed, MONDAY_MS)
        assert all(np.isnan(f.market_corr) and f.market_hours == 0 for f in figures)
        assert figures[2].verdict != "crypto"
