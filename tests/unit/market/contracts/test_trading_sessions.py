"""The session rule: its results on every real history it was set on (the TradFi perpetuals and
the crypto ones, day by day as the replay and the live service run it), and its behaviour on
generated candles (a session-traded underlying, a coin, a young listing, the kinds)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.books.simulation.data_categories import day_figures
from app.market.contracts.categories import CRYPTO, UNKNOWN
from app.market.contracts.session_maths import MEDIAN_SE, MEDIANS
from app.market.contracts.trading_sessions import (
    CO_MOVE_MIN,
    SESSION_HOURS,
    SILENT_MAX,
    WEEKEND_MAX,
    WINDOW_HOURS,
    Z_TEMPLATES,
    SessionFigures,
    Z,
    day_start_ms,
    session_figures,
)
from app.platform.core.units import DAY_MS, HOUR_MS
from scripts.category_evidence import (
    ADMITTED,
    TRADFI_FOLDER,
    ContractDays,
    Errors,
    contract_days,
)
from tests.replay_data import random_walks, session_traded, weekend_priced
from tests.shared_data import MARKET_DATA

MONDAY_MS = 1_700_438_400_000  # 2023-11-20 00:00 UTC, a Monday
SATURDAY_MS = MONDAY_MS + 5 * DAY_MS


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
    scripts.category_evidence` gives them for every folder."""

    def test_every_tradfi_perpetual_is_non_crypto_on_every_day_it_decides(self) -> None:
        days = days_of(TRADFI_FOLDER)
        assert {name: dict(r.days) for name, r in days.items()} == {
            "CRCLUSDT": {"equity": 32, "unknown": 7},
            "INTCUSDT": {"equity": 39, "unknown": 7},
            "MSTRUSDT": {"equity": 31, "unknown": 8},
            "PAXGUSDT": {"commodity": 78, "unknown": 31},
            "TSLAUSDT": {"equity": 44, "unknown": 7},
            "XAGUSDT": {"commodity": 62, "unknown": 10},
            "XAUUSDT": {"commodity": 69, "equity": 10, "unknown": 20},
        }

    def test_a_young_share_is_not_crypto_from_its_first_day_and_classed_in_its_second_week(
        self,
    ) -> None:
        """Each share perpetual's first days are `unknown`, then `equity` from the 00:00 after
        its fifth weekday night (listed at 14:00 UTC: 7 days and 10 hours on), its one weekend
        quiet and its nights not awake; the rule before waited 13 days."""
        days = days_of(TRADFI_FOLDER)
        for name in ("TSLAUSDT", "INTCUSDT", "CRCLUSDT"):
            assert days[name].days[UNKNOWN] == 7 and days[name].days[CRYPTO] == 0

    def test_the_year_of_32_coins_is_crypto_on_every_day_it_decides(self) -> None:
        """BTC's and ETH's quiet weekends of early 2026 (27 days classed non-crypto before):
        they move with the crypto market and are awake every weekday night."""
        days = days_of("roshan7869-algotrading")
        assert {name: r.wrong for name, r in days.items() if r.wrong} == {}
        assert Errors.of(list(days.values())).unknown[ADMITTED] == 9  # 128 before

    def test_the_month_of_59_coins_is_crypto_on_every_day(self) -> None:
        days = days_of("alpergulsen-freqtrade")
        assert {name: r.wrong for name, r in days.items() if r.wrong} == {}
        assert days["BTCUSDT"].days == {"crypto": 35, "unknown": 9}


class TestOnGeneratedCandles:
    def test_a_session_traded_underlying_is_caught_and_a_walk_is_not(self) -> None:
        figures = figures_of(WINDOW_HOURS, {2: "equity", 3: "commodity"})
        assert [f.verdict for f in figures] == ["crypto", "crypto", "equity", "commodity"]
        walk, _, share, metal = figures
        assert share.night_high < SILENT_MAX  # shut every night
        assert metal.night_floor >= SILENT_MAX > metal.quiet_high  # awake at night, shut weekends
        assert walk.night_floor >= SILENT_MAX and walk.quiet_low >= WEEKEND_MAX

    def test_only_the_window_counts(self) -> None:
        """Eight weeks of a walk before the window do not change its figures."""
        short = figures_of(WINDOW_HOURS, {2: "equity"})
        long = figures_of(2 * WINDOW_HOURS, {2: "equity"})
        assert [f.verdict for f in long] == [f.verdict for f in short]

    def test_four_weekdays_without_a_weekend_decide_nothing(self) -> None:
        figures = figures_of(4 * 24, {2: "equity"}, end_ms=MONDAY_MS + 4 * DAY_MS)
        assert [f.verdict for f in figures] == ["unknown"] * 4
        assert {(f.weekend_hours, f.night_template) for f in figures} == {(0, None)}

    def test_a_week_of_silent_nights_classes_a_share_before_any_weekend(self) -> None:
        """A listing of Monday 00:00, on the Saturday: the share is `equity`; the walks, awake
        at night but with no weekend and no market to move with, wait."""
        figures = figures_of(5 * 24, {2: "equity", 3: "commodity"}, end_ms=SATURDAY_MS)
        assert [f.verdict for f in figures] == ["unknown", "unknown", "equity", "unknown"]
        assert figures[2].night_template is not None and figures[2].weekend_hours == 0

    def test_a_young_walk_with_a_busy_weekend_is_crypto_when_admitted(self) -> None:
        """Nine days from a Sunday (the history gate admits a listing after 200 hours): one whole
        weekend, six weekday nights; the rule before waited for two weeks."""
        figures = figures_of(9 * 24, {2: "equity"}, end_ms=MONDAY_MS + DAY_MS)
        assert [f.verdict for f in figures] == ["crypto", "crypto", "equity", "crypto"]
        assert {f.weekends for f in figures} == {1}

    def test_missing_candles_are_left_out_not_read_as_quiet(self) -> None:
        history = session_traded(
            random_walks(3, WINDOW_HOURS, start_ms=MONDAY_MS - WINDOW_HOURS * HOUR_MS), {}
        )
        for name in ("open", "high", "low", "close", "volume"):
            getattr(history, name)[1, ::5] = np.nan
        assert [f.verdict for f in day_figures(history, MONDAY_MS)] == ["crypto"] * 3

    def test_a_flat_contract_is_not_read_as_session_traded(self) -> None:
        """No movement at all: no evidence of a quiet weekend or night (ratios 1)."""
        hours = WINDOW_HOURS
        times = MONDAY_MS - hours * HOUR_MS + HOUR_MS * np.arange(hours)
        flat = np.full((1, hours), 2.0)
        (figures,) = session_figures(times, flat, flat, flat, flat, np.full((1, hours), 10.0))
        assert figures.quietness == figures.night_quietness == 1.0
        assert figures.verdict == "crypto"

    def test_figures_are_stored_rounded(self) -> None:
        (figures,) = figures_of(WINDOW_HOURS, {0: "equity"}, n=1)
        stored = figures.to_json()
        assert stored["verdict"] == "equity"
        assert stored["weekend_range"] == round(figures.weekend_range, 4)
        assert stored["night_high"] == round(figures.night_high, 4)
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
            "night_template",
            "night_quietness",
            "night_low",
            "night_high",
            "night_floor",
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


def log_se(*hours: int) -> float:
    """The sampling model's standard error of a figure's log, from the candles of its sides."""
    return MEDIANS * MEDIAN_SE * float(np.sqrt(sum(1 / h for h in hours)))


class TestTheMargin:
    """The verdict reads each figure's one-sided 95 % bounds from the sampling model of
    docs/decisions.md; the co-movement with the market confirms crypto where the nights are
    awake, and never withholds it."""

    def test_the_weekend_bounds_follow_the_sampling_model(self) -> None:
        """Eight weekends' 352 hours over 24 Tuesdays to Thursdays' 8 busiest: the old per-week
        error, 0.888, over the square root of 8."""
        for f in figures_of(WINDOW_HOURS, {2: "equity"}):
            margin = np.exp(Z * log_se(f.weekend_hours, 24 * SESSION_HOURS))
            assert f.quiet_low == pytest.approx(f.quietness / margin)
            assert f.quiet_high == pytest.approx(f.quietness * margin)
        assert round(log_se(352, 192) * np.sqrt(8), 3) == 0.888

    def test_the_night_bounds_are_shared_over_the_templates(self) -> None:
        """US nights, 7 hours, and its session, 8, on each of the window's 40 weekdays."""
        share = figures_of(WINDOW_HOURS, {2: "equity"})[2]
        assert share.night_template == "us"
        margin = np.exp(Z_TEMPLATES * log_se(40 * 7, 40 * 8))
        assert share.night_low == pytest.approx(share.night_quietness / margin)
        assert share.night_high == pytest.approx(share.night_quietness * margin)

    def test_a_young_listing_near_the_threshold_is_unknown(self) -> None:
        """Two weekends at a quietness near 0.05: neither side clearly, and its weekends do not
        move with the market."""
        (_, young) = with_quiet_weekends(15 * 24, 0.5, co_moving=False)
        assert young.weekends == 2 and WEEKEND_MAX <= young.quietness < 0.1
        assert young.quiet_low < WEEKEND_MAX <= young.quiet_high
        assert young.night_floor >= SILENT_MAX and young.market_corr_low < CO_MOVE_MIN
        assert young.verdict == "unknown"

    def test_more_weekends_decide_it(self) -> None:
        """The same contract with eight weekends: its bounds narrow to the crypto side."""
        (_, older) = with_quiet_weekends(WINDOW_HOURS, 0.5, co_moving=False)
        assert older.quiet_low >= WEEKEND_MAX and older.verdict == "crypto"

    def test_weekends_moving_with_the_market_decide_what_quiet_cannot(self) -> None:
        (btc, coin) = with_quiet_weekends(15 * 24, 0.3, co_moving=True)
        assert coin.quiet_low < WEEKEND_MAX <= coin.quiet_high
        assert coin.market_corr_low >= CO_MOVE_MIN and coin.verdict == "crypto"
        assert btc.market_corr == pytest.approx(1.0) and btc.verdict == "crypto"

    def test_clearly_quiet_weekends_moving_with_the_market_are_crypto_when_awake(self) -> None:
        """BTC's and ETH's weekends of early 2026: as quiet as a metal's, but moving with the
        market, and a market awake every weekday night is not a shut one (the rule before
        classed them commodity)."""
        (_, coin) = with_quiet_weekends(WINDOW_HOURS, 0.2, co_moving=True)
        assert coin.quiet_high < WEEKEND_MAX and coin.market_corr_low >= CO_MOVE_MIN
        assert coin.night_floor >= SILENT_MAX and coin.verdict == "crypto"

    def test_clearly_quiet_weekends_not_moving_with_it_are_session_traded(self) -> None:
        (_, metal) = with_quiet_weekends(WINDOW_HOURS, 0.2, co_moving=False)
        assert metal.quiet_high < WEEKEND_MAX and metal.verdict in ("equity", "commodity")

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
