"""Technical v2 (the README's "Technical v2" table): each metric against a closed form or an
independent computation, the cases it cannot measure (NaN, never 0), its directions; the
`version` parameter choosing it; v1's numbers unchanged."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from app.books.replay_config import ReplayConfigError, default_run_config, policy_config
from app.configuration.registry import DEFAULTS
from app.scoring.run_config import DEFAULT_ALGORITHMS
from app.scoring.scorers import indicators as ind
from app.scoring.scorers.component_registry import check_parameters
from app.scoring.scorers.components import TECHNICAL, candles_needed, technical
from app.scoring.scorers.composite import ScoringConfig, compute
from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.normalise import HIGHER_IS_BETTER, LOWER_IS_BETTER
from app.scoring.scorers.technical import HYPOTHESES, technical_v1, version
from app.scoring.scorers.technical import candles_needed as technical_candles
from tests.unit.scoring.scorers.universe import (
    LOOSE_GATE,
    SYMBOLS,
    make_universe,
    with_missing_candles,
)

V2 = {"version": 2}
T = 800
NAMES = {
    "rsi": LOWER_IS_BETTER,
    "bollinger_pct_b": LOWER_IS_BETTER,
    "macd_histogram_z": HIGHER_IS_BETTER,
    "volume_surge": LOWER_IS_BETTER,
    "ema_trend_z": HIGHER_IS_BETTER,
    "momentum_3d_z": HIGHER_IS_BETTER,
    "momentum_7d_z": HIGHER_IS_BETTER,
    "momentum_30d_z": HIGHER_IS_BETTER,
    "efficiency_signed_72h": HIGHER_IS_BETTER,
}
MOMENTA = {"momentum_3d_z": 72, "momentum_7d_z": 168, "momentum_30d_z": 720}


def universe() -> MarketInputs:
    return make_universe(length=T)  # six seeded random walks of 800 hours


def with_rows(close: np.ndarray, volume: np.ndarray | None = None) -> MarketInputs:
    """The 800-hour universe with its first rows' closes (and volumes) replaced."""
    base = universe()
    closes, volumes = base.close.copy(), base.volume.copy()
    closes[: len(close)] = close
    if volume is not None:
        volumes[: len(volume)] = volume
    volumes[np.isnan(closes)] = np.nan
    return dataclasses.replace(base, close=closes, volume=volumes)


def raw(inputs: MarketInputs, params: dict[str, object] | None = None) -> dict[str, np.ndarray]:
    return {m.name: m.raw for m in technical(inputs, {**V2, **(params or {})})}


def zigzag(growth: float, wiggle: float, length: int = T, start: float = 50.0) -> np.ndarray:
    """Log returns alternating growth + wiggle, growth - wiggle (the last one +)."""
    signs = np.where(np.arange(length - 1) % 2 == length % 2, 1.0, -1.0)
    return start * np.exp(np.concatenate([[0.0], np.cumsum(growth + wiggle * signs)]))


def sigma_of(close: np.ndarray) -> float:
    return float(np.std(np.diff(np.log(close[-169:])), ddof=1))


class TestDeclared:
    def test_names_and_directions_are_the_readme_table(self) -> None:
        metrics = technical(universe(), V2)
        assert {m.name: m.direction for m in metrics} == NAMES
        assert "bollinger_bandwidth" not in {m.name for m in metrics}

    def test_every_metric_states_its_hypothesis(self) -> None:
        assert set(HYPOTHESES) == set(NAMES)
        assert HYPOTHESES["momentum_7d_z"].startswith("cross-sectional crypto momentum")

    def test_rsi_and_pct_b_are_ranked_plainly_lower_is_better(self) -> None:
        metrics = {m.name: m for m in technical(universe(), V2)}
        for name in ("rsi", "bollinger_pct_b"):
            assert metrics[name].ranked is None  # no target level in v2
        table = compute(universe(), ScoringConfig({TECHNICAL: 1.0}, {TECHNICAL: V2}, LOOSE_GATE))
        arrays = table.components[TECHNICAL]
        rsi = next(k for k, m in enumerate(arrays.metrics) if m.name == "rsi")
        ranks = arrays.normalised[rsi]
        assert ranks[np.argmax(arrays.metrics[rsi].raw)] == 0.0
        assert ranks[np.argmin(arrays.metrics[rsi].raw)] == 100.0

    def test_momentum_names_follow_their_hours(self) -> None:
        names = set(raw(universe(), {"momentum_hours": [48, 30], "efficiency_hours": 24}))
        assert {"momentum_2d_z", "momentum_30h_z", "efficiency_signed_24h"} <= names


class TestClosedForms:
    def test_momentum_of_a_zigzag_trend_is_its_growth_over_sigma(self) -> None:
        growth, wiggle = 0.002, 0.01
        up, down = zigzag(growth, wiggle), zigzag(-growth, wiggle)
        values = raw(with_rows(np.vstack([up, down])))
        sigma = wiggle * math.sqrt(168 / 167)  # 84 returns each side of the mean, ddof 1
        assert sigma_of(up) == pytest.approx(sigma, rel=1e-9)
        for name, hours in MOMENTA.items():
            expected = growth * math.sqrt(hours) / sigma
            assert values[name][0] == pytest.approx(expected, rel=1e-9)
            assert values[name][1] == pytest.approx(-expected, rel=1e-9)

    def test_a_geometric_series_has_no_sigma_so_no_momentum(self) -> None:
        geometric = 10.0 * 1.001 ** np.arange(T)  # constant return: sigma is rounding noise
        values = raw(with_rows(geometric[None, :]))
        for name in ("macd_histogram_z", "ema_trend_z", *MOMENTA):
            assert np.isnan(values[name][0]), name
        assert values["efficiency_signed_72h"][0] == pytest.approx(1.0)
        assert values["rsi"][0] == 100.0  # gains only

    def test_a_straight_line_is_fully_efficient_with_its_sign(self) -> None:
        line = 100.0 + 0.5 * np.arange(T)
        values = raw(with_rows(np.vstack([line, line[::-1]])))
        assert values["efficiency_signed_72h"][:2].tolist() == pytest.approx([1.0, -1.0])

    def test_two_up_one_down_is_a_third_efficient(self) -> None:
        steps = np.where(np.arange(T - 1) % 2 == 0, 2.0, -1.0)  # 36 of each in the last 72
        close = 1_000.0 + np.concatenate([[0.0], np.cumsum(steps)])
        assert raw(with_rows(close[None, :]))["efficiency_signed_72h"][0] == pytest.approx(1 / 3)

    def test_a_volume_spike_over_the_last_day(self) -> None:
        volume = np.full(T, 100.0)
        volume[-24:] = 400.0  # 24 h at 400 over 168 h averaging 24 000 / 168
        values = raw(with_rows(universe().close[:1], volume[None, :]))
        assert values["volume_surge"][0] == pytest.approx(400.0 / (24_000.0 / 168.0))
        assert values["volume_surge"][0] == pytest.approx(2.8)

    def test_pct_b_is_the_position_in_a_hand_computed_band(self) -> None:
        close = universe().close[0].copy()
        close[-20:] = [10.0] * 10 + [12.0] * 9 + [13.0]  # mean 11.05; population sd
        sd = float(np.std(close[-20:]))
        expected = (13.0 - (11.05 - 2 * sd)) / (4 * sd)
        assert raw(with_rows(close[None, :]))["bollinger_pct_b"][0] == pytest.approx(expected)

    @pytest.mark.parametrize("holes", [[], [100, 101, 250, 590, 700]])
    def test_values_match_independent_computations(self, holes: list[int]) -> None:
        inputs = universe()
        if holes:
            inputs = with_missing_candles(inputs, 2, holes)
        values = raw(inputs)
        for i in range(len(SYMBOLS)):
            present = ~np.isnan(inputs.close[i])
            close, volume = inputs.close[i][present], inputs.volume[i][present]
            sigma = sigma_of(close)
            upper, _, lower = ind.bollinger(close)
            ema = ind.ema(close, 50)
            expected = {
                "rsi": ind.rsi(close)[-1],
                "bollinger_pct_b": (close[-1] - lower[-1]) / (upper[-1] - lower[-1]),
                "macd_histogram_z": ind.macd_histogram(close)[-1] / (close[-1] * sigma),
                "volume_surge": volume[-24:].mean() / volume[-168:].mean(),
                "ema_trend_z": (ema[-1] / ema[-25] - 1.0) / (sigma * math.sqrt(24)),
                **{
                    n: math.log(close[-1] / close[-1 - h]) / (sigma * math.sqrt(h))
                    for n, h in MOMENTA.items()
                },
                "efficiency_signed_72h": (close[-1] - close[-73])
                / np.abs(np.diff(close[-73:])).sum(),
            }
            assert {n: v[i] for n, v in values.items()} == pytest.approx(expected, rel=1e-9)
            assert all(np.isfinite(list(expected.values())))


class TestUnmeasured:
    def test_a_ten_day_listing_has_no_thirty_day_momentum(self) -> None:
        close = universe().close[:1].copy()
        close[0, : T - 240] = np.nan
        values = raw(with_rows(close))
        assert np.isnan(values["momentum_30d_z"][0])
        assert all(np.isfinite(v[0]) for n, v in values.items() if n != "momentum_30d_z")

    @pytest.mark.parametrize(("closes", "measured"), [(721, True), (720, False)])
    def test_the_thirty_day_horizon_needs_721_closes(self, closes: int, measured: bool) -> None:
        close = universe().close[:1].copy()
        close[0, : T - closes] = np.nan
        assert np.isfinite(raw(with_rows(close))["momentum_30d_z"][0]) == measured

    def test_a_hole_inside_the_horizon_leaves_it_uncovered(self) -> None:
        inputs = with_missing_candles(make_universe(length=721), 2, [400])
        values = raw(inputs)
        assert np.isnan(values["momentum_30d_z"][2]) and np.isfinite(values["momentum_7d_z"][2])
        assert np.isfinite(values["momentum_30d_z"][np.arange(6) != 2]).all()

    @pytest.mark.parametrize(("closes", "measured"), [(169, True), (168, False)])
    def test_sigma_needs_169_closes(self, closes: int, measured: bool) -> None:
        close = universe().close[:1].copy()
        close[0, : T - closes] = np.nan
        values = raw(with_rows(close))
        for name in ("macd_histogram_z", "ema_trend_z", "momentum_3d_z", "momentum_7d_z"):
            assert np.isfinite(values[name][0]) == measured, name
        for name in ("rsi", "bollinger_pct_b", "efficiency_signed_72h", "volume_surge"):
            assert np.isfinite(values[name][0]) == (name != "volume_surge" or closes >= 168)

    def test_short_windows_are_unmeasured_below_their_length(self) -> None:
        close = universe().close[:1].copy()
        close[0, : T - 72] = np.nan  # 72 closes: 71 changes, one short of the efficiency window
        values = raw(with_rows(close))
        assert np.isfinite(values["rsi"][0]) and np.isfinite(values["bollinger_pct_b"][0])
        assert all(np.isnan(v[0]) for n, v in values.items() if n not in ("rsi", "bollinger_pct_b"))

    @pytest.mark.parametrize("price", [0.1, 123.456, 42.0])
    def test_a_flat_series_measures_no_price_metric(self, price: float) -> None:
        values = raw(with_rows(np.full((1, T), price)))
        assert all(np.isnan(v[0]) for n, v in values.items() if n != "volume_surge")
        assert np.isfinite(values["volume_surge"][0])

    def test_a_flat_window_is_unmeasured_where_the_window_is_flat(self) -> None:
        close = universe().close[:2].copy()
        close[0, -30:] = close[0, -31]  # the 20 h band is flat; 72 h still moved
        close[1, -80:] = close[1, -81]  # the 72 h path is flat too
        values = raw(with_rows(close))
        assert np.isnan(values["bollinger_pct_b"][:2]).all()
        assert np.isfinite(values["efficiency_signed_72h"][0])
        assert np.isnan(values["efficiency_signed_72h"][1])
        assert np.isfinite(values["rsi"][:2]).all()  # Wilder's averages still hold the moves

    def test_no_volume_is_no_surge(self) -> None:
        volume = np.zeros((1, T))
        assert np.isnan(raw(with_rows(universe().close[:1], volume))["volume_surge"][0])


class TestVersion:
    @pytest.mark.parametrize(("params", "expected"), [({}, 1), ({"version": 1}, 1), (V2, 2)])
    def test_accepted_versions(self, params: dict[str, object], expected: int) -> None:
        assert version(params) == expected
        check_parameters({TECHNICAL: params})

    @pytest.mark.parametrize("bad", [3, 0, "2", 2.0, True, None])
    def test_other_versions_are_refused(self, bad: object) -> None:
        with pytest.raises(ValueError, match=r"technical\.version must be 1 or 2"):
            check_parameters({TECHNICAL: {"version": bad}})
        with pytest.raises(ValueError, match=r"technical\.version must be 1 or 2"):
            technical(universe(), {"version": bad})

    def test_candles_needed_covers_the_thirty_day_momentum_and_sigma(self) -> None:
        seeded = {name: dict(params) for name, (_, params) in DEFAULT_ALGORITHMS.items()}
        assert candles_needed(seeded) == 721  # the default names v2
        seeded[TECHNICAL]["version"] = 1
        assert candles_needed(seeded) == 720  # v1, as before
        assert technical_candles(V2) == 721
        assert technical_candles({**V2, "momentum_hours": [24, 72]}) == 169  # sigma's
        assert technical_candles({**V2, "sigma_hours": 900}) == 901
        assert technical_candles({**V2, "momentum_hours": [72, 1000]}) == 1001
        assert technical_candles({}) == technical_candles({"version": 1}) == 75


class TestVersionOneUnchanged:
    # v1 on the 300-hour test universe, computed before v2 existed (repr of each float).
    PINNED = {
        "rsi": [
            58.108839463644316,
            61.73655433306068,
            59.60045060464909,
            55.365581621282665,
            51.532561822327814,
            37.94165635894904,
        ],
        "macd_histogram_bps": [
            22.423907644743483,
            26.516396948757173,
            -3.99867007775647,
            56.06680954708142,
            41.068121544396725,
            -42.67482275798369,
        ],
        "bollinger_pct_b": [
            0.8142466159823888,
            0.9119670293122569,
            0.7179546598206386,
            0.9221344843969803,
            0.6278638106566792,
            -0.03438223190853843,
        ],
        "bollinger_bandwidth": [
            0.037242159517658156,
            0.033411892785735586,
            0.029582341788867986,
            0.05434834586723216,
            0.09317857488482749,
            0.06356824048390056,
        ],
        "volume_vs_mean": [
            0.5661550100567639,
            0.7789133759016339,
            1.1521643367741308,
            1.5544883271872658,
            0.8330861785696146,
            0.8702314784498887,
        ],
        "ema_trend_pct": [
            -0.9598321073627236,
            -1.607656287606929,
            0.8653227055869461,
            -4.184049819408752,
            -1.6671641862987419,
            -1.120741270376746,
        ],
    }

    def test_the_pinned_numbers(self) -> None:
        values = {m.name: m.raw.tolist() for m in technical(make_universe(), {})}
        assert values == {n: pytest.approx(v, rel=1e-12) for n, v in self.PINNED.items()}

    @pytest.mark.parametrize("holes", [[], [100, 101, 250, 290]])
    def test_absent_and_one_are_the_same_numbers_to_the_bit(self, holes: list[int]) -> None:
        inputs = make_universe()
        if holes:
            inputs = with_missing_candles(inputs, 2, holes)
        for params in ({"version": 1}, {"version": 1, "momentum_hours": [1], "sigma_hours": 2}):
            for a, b in zip(technical(inputs, {}), technical(inputs, params), strict=True):
                assert (a.name, a.direction) == (b.name, b.direction)
                assert a.raw.tobytes() == b.raw.tobytes()
                assert a.comparable.tobytes() == b.comparable.tobytes()
        assert [m.name for m in technical_v1(inputs, {})] == list(self.PINNED)


class TestReplayOverride:
    def test_an_override_chooses_v2_and_the_candles_it_needs(self) -> None:
        overrides = {"scoring": {"parameters": {TECHNICAL: V2}}}
        policy = policy_config(default_run_config(), DEFAULTS, overrides)
        assert policy.scoring.parameters[TECHNICAL] == {**DEFAULT_ALGORITHMS[TECHNICAL][1], **V2}
        assert policy.candles == 721
        v1 = {"scoring": {"parameters": {TECHNICAL: {"version": 1}}}}
        v1_policy = policy_config(default_run_config(), DEFAULTS, v1)
        # v1's windows read 720; the scorer reads scoring_candles, 721 by default, where they fit.
        assert candles_needed(v1_policy.scoring.parameters) == 720 and v1_policy.candles == 721

    def test_an_override_with_another_version_is_refused(self) -> None:
        overrides = {"scoring": {"parameters": {TECHNICAL: {"version": 3}}}}
        with pytest.raises(ReplayConfigError, match=r"technical\.version must be 1 or 2, not 3"):
            policy_config(default_run_config(), DEFAULTS, overrides)
