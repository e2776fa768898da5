"""Selection skill against closed forms: the composite's IC and decile spread on a history
whose betas and skill are planted, the alpha and beta of books planted on it, swap outcomes
counted by hand, and series of several datasets pooled (the regression itself:
tests/unit/stats/test_skill.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.books.simulation.decision_context import Context
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.policy import PolicyDecision
from app.books.simulation.replay_params import ReplayParams
from app.books.simulation.selection_figures import HORIZONS, Ranking, Swaps
from app.books.simulation.selection_record import SelectionRecorder, universe_betas, universe_hourly
from app.books.simulation.selection_skill import SelectionSeries
from app.books.simulation.strategy_figures import strategy_figures
from app.platform.core.units import HOUR_MS
from app.scoring.scorers.composite import ScoreTable
from app.stats.ic import mean_t
from app.stats.skill import regression
from tests.replay_data import DAY_START_MS

DAY_MS = 24 * HOUR_MS
PER_YEAR = 365.0  # daily decisions


def history_of(closes: np.ndarray, names: list[str], source: str = "hand") -> MarketHistory:
    """Hourly candles whose close (and open, high, low) is `closes`, from DAY_START_MS."""
    n, hours = closes.shape
    return MarketHistory(
        symbols=names,
        grid_ms=DAY_START_MS + HOUR_MS * np.arange(hours, dtype=np.int64),
        open=closes,
        high=closes,
        low=closes,
        close=closes,
        volume=np.ones((n, hours)),
        funding=[None] * n,
        source=source,
    )


def hand_context(history: MarketHistory, t_ms: int, composite: np.ndarray) -> Context:
    """Every symbol shortlisted, the finite `composite` ones scored (eligible)."""
    n = history.size
    rows = np.arange(n)
    table = ScoreTable(history.symbols, [None] * n, {}, composite, np.ones(n))
    eligible = rows[np.isfinite(composite)].tolist()
    return Context(
        t_ms,
        history.at(t_ms),
        rows,
        np.ones(n),
        None,
        table,
        {i: float(composite[i]) for i in eligible},
        eligible,
        {i: i for i in range(n)},
    )


def orthogonal_noise(universe: np.ndarray, seed: int = 3) -> np.ndarray:
    """Noise with zero mean and no covariance with `universe` (OLS attributes none of it)."""
    x = np.column_stack([np.ones(universe.size), universe])
    e = np.random.default_rng(seed).normal(0, 0.004, universe.size)
    return e - x @ np.linalg.lstsq(x, e, rcond=None)[0]


def no_decision() -> PolicyDecision:
    return PolicyDecision([], {}, False, [], [], [])


class Planted:
    """20 contracts whose hourly log returns are beta_i x m_h + c_i / 24: the market m_h
    alternates +-1 % around a drift that differs by day, beta_i runs 1.5 -> 0.5 (mean 1) and the
    skill c_i (summing to 0, constant in time) rises as beta falls. Over a 168-hour window the
    skill has no covariance with the market, so each contract's beta to the universe (whose
    hourly return is the market's) is beta_i; over a day the alternation cancels, so contract i
    returns exp(24 drift_d beta_i + c_i) - 1."""

    n, days, warm_up = 20, 10, 8
    beta = np.linspace(1.5, 0.5, n)
    skill = np.linspace(-0.0095, 0.0095, n)
    drift = 0.04 + 0.002 * np.arange(warm_up + days + 1)  # per day, as a 24 h log return

    def __init__(self) -> None:
        hours = 24 * (self.warm_up + self.days + 1)
        market = 0.01 * (-1.0) ** np.arange(hours) + np.repeat(self.drift / 24, 24)
        returns = self.beta[:, None] * market + self.skill[:, None] / 24
        names = [f"C{i:02d}USDT" for i in range(self.n)]
        self.history = history_of(100.0 * np.exp(np.cumsum(returns, axis=1)), names)
        self.times = [DAY_START_MS + (self.warm_up + d) * DAY_MS for d in range(self.days)]
        self.params = ReplayParams(self.times[0], self.times[-1] + DAY_MS, 24)

    def forward(self, d: int) -> np.ndarray:
        return np.exp(self.drift[self.warm_up + d] * self.beta + self.skill) - 1.0

    def record(self, equity: dict[str, np.ndarray] | None = None) -> SelectionSeries:
        recorder = SelectionRecorder(self.history, ["policy"], self.params)
        for t in self.times:
            ctx = hand_context(self.history, t, 50.0 + 1000.0 * self.skill)  # ranks the skill
            recorder.add(ctx, [ctx], no_decision(), t + DAY_MS)
        flat = np.ones(24 * self.days + 1)
        return recorder.series(equity or {"flat": flat}, self.times)


@pytest.fixture(scope="module")
def planted() -> Planted:
    return Planted()


class TestPlantedHistory:
    def test_each_contract_beta_to_the_universe_is_the_planted_one(self, planted: Planted) -> None:
        ctx = hand_context(planted.history, planted.times[3], planted.skill)
        hourly = universe_hourly(ctx)
        assert hourly.shape == (168,)
        assert universe_betas(ctx, hourly) == pytest.approx(planted.beta, abs=1e-9)

    def test_the_universe_is_the_mean_of_the_eligible_returns(self, planted: Planted) -> None:
        series = planted.record()
        expected = [planted.forward(d).mean() for d in range(planted.days)]
        assert series.universe == pytest.approx(expected, abs=1e-12)

    def test_beta_hides_the_skill_and_its_removal_shows_it(self, planted: Planted) -> None:
        ranking = planted.record().rankings["policy"]
        # Raw returns rank by beta (the market rose every day), against the composite...
        assert ranking.ic_raw == pytest.approx(np.full(planted.days, -1.0), abs=1e-12)
        # ...net of each contract's beta to the universe they rank by skill, as it does.
        assert ranking.ic_residual == pytest.approx(np.full(planted.days, 1.0), abs=1e-12)

    def test_the_decile_spread_is_the_top_two_less_the_bottom_two(self, planted: Planted) -> None:
        ranking = planted.record().rankings["policy"]
        raw, residual = [], []
        for d in range(planted.days):
            r = planted.forward(d)
            net = r - planted.beta * r.mean()
            raw.append(r[18:].mean() - r[:2].mean())  # 20 contracts: a tenth is two
            residual.append(net[18:].mean() - net[:2].mean())
        assert ranking.spread_raw == pytest.approx(raw, abs=1e-12)
        assert ranking.spread_residual == pytest.approx(residual, abs=1e-12)
        assert max(raw) < 0 < min(residual)

    def test_books_planted_on_the_universe_give_their_alpha_and_beta(
        self, planted: Planted
    ) -> None:
        universe = planted.record().universe
        noise = orthogonal_noise(universe)
        planted_returns = {"skill": universe + 0.002 + noise, "beta": 1.3 * universe + noise}
        equity = {}
        for name, returns in planted_returns.items():
            curve = np.full(24 * planted.days + 1, np.nan)  # only decision hours are read
            curve[::24] = np.concatenate([[1.0], np.cumprod(1.0 + returns)])
            equity[name] = curve
        series = planted.record(equity)
        assert series.books["skill"] == pytest.approx(planted_returns["skill"], abs=1e-12)
        figures = series.summary()["strategies"]
        assert figures["skill"]["alpha"] == pytest.approx(0.002, abs=1e-10)
        assert figures["skill"]["beta"] == pytest.approx(1.0, abs=1e-8)
        assert figures["beta"]["alpha"] == pytest.approx(0.0, abs=1e-10)
        assert figures["beta"]["beta"] == pytest.approx(1.3, abs=1e-8)


class TestSwaps:
    """Four contracts with prices stepping at hours 0, 24, 48, 168 and 192 after t1: A -> B
    replaced at t1, C -> D replaced and B -> A blocked (and D blocked without an outsider) at
    t2 = t1 + 24 h; the history ends 209 h after t1, before any 30-day horizon."""

    steps = (0, 24, 48, 168, 192)
    prices = {
        "AUSDT": (100, 110, 120, 90, 80),
        "BUSDT": (50, 60, 45, 40, 70),
        "CUSDT": (20, 20, 25, 22, 30),
        "DUSDT": (10, 10, 9, 12, 11),
    }
    t1 = DAY_START_MS + 10 * HOUR_MS  # the close of column 9

    def recorded(self) -> SelectionSeries:
        closes = np.zeros((4, 220))
        for row, path in enumerate(self.prices.values()):
            closes[row] = path[0]
            for step, price in zip(self.steps, path, strict=True):
                closes[row, 9 + step :] = price
        history = history_of(closes, list(self.prices))
        t2 = self.t1 + DAY_MS
        params = ReplayParams(self.t1, t2 + DAY_MS, 24, fee_bps=5.0, slippage_bps=1.0)
        recorder = SelectionRecorder(history, ["policy"], params)
        scores = np.array([10.0, 20.0, 30.0, 40.0])

        def swap(member: str, outsider: str) -> dict[str, Any]:
            return {"member": member, "outsider": outsider, "lead": 5.0, "reasons": []}

        first = PolicyDecision(["BUSDT", "CUSDT"], {}, True, [swap("AUSDT", "BUSDT")], [], [])
        blocked = [swap("BUSDT", "AUSDT"), {**swap("DUSDT", "AUSDT"), "outsider": None}]
        second = PolicyDecision(["BUSDT", "DUSDT"], {}, True, [swap("CUSDT", "DUSDT")], blocked, [])
        for t, decision in ((self.t1, first), (t2, second)):
            ctx = hand_context(history, t, scores)
            recorder.add(ctx, [ctx], decision, t + DAY_MS)
        return recorder.series({"flat": np.ones(49)}, [self.t1, t2])

    def test_each_replacement_is_the_newcomer_less_the_member_less_the_swap(self) -> None:
        executed = self.recorded().executed
        assert executed.pairs == (("AUSDT", "BUSDT"), ("CUSDT", "DUSDT"))
        assert executed.at_ms.tolist() == [self.t1, self.t1 + DAY_MS]
        # A -> B at t1: 1 day B 50 -> 60, A 100 -> 110; 7 days B 50 -> 40, A 100 -> 90.
        # C -> D at t2: 1 day D 10 -> 9, C 20 -> 25; 7 days D 10 -> 11, C 20 -> 30.
        # The swap costs 2 x (5 + 1) bps = 0.0012: 0.2 - 0.1 - 0.0012 = 0.0988, and so on.
        expected = np.array([[0.0988, -0.1012], [-0.3512, -0.4012]])
        assert executed.outcomes[:, :2] == pytest.approx(expected, abs=1e-12)
        assert np.isnan(executed.outcomes[:, 2]).all()  # 30 days pass the history's end

    def test_a_blocked_swap_is_what_the_outsider_would_have_added(self) -> None:
        blocked = self.recorded().blocked
        # B -> A blocked at t2: 1 day A 110 -> 120, B 60 -> 45; 7 days A 110 -> 80, B 60 -> 70.
        # D's recommendation had no outsider: nothing to compare.
        assert blocked.pairs == (("BUSDT", "AUSDT"),)
        assert blocked.outcomes[0, :2] == pytest.approx(
            [1 / 11 + 0.25 - 0.0012, -3 / 11 - 1 / 6 - 0.0012], abs=1e-12
        )

    def test_the_summary_counts_hits_with_their_interval(self) -> None:
        figures = self.recorded().summary()["replacements"]
        assert figures["swap_cost"] == pytest.approx(0.0012, abs=1e-15)
        one, seven, thirty = (figures["executed"][h] for h in HORIZONS)
        assert one["n"] == 2 and one["hit_rate"] == 0.5
        assert one["mean"] == pytest.approx(-0.1262, abs=1e-10)
        # One day apart, the 1-day outcomes do not overlap: Wilson's interval at n = 2.
        assert one["decisions"] == 2 and one["effective_n"] == 2.0
        assert one["hit_interval"] == pytest.approx([0.0945, 0.9055], abs=1e-4)
        # t of the mean: its clustered variance is s^2 / n here (singleton, independent dates).
        outcomes = self.recorded().executed.outcomes[:, 0]
        plain_t = outcomes.mean() / (outcomes.std(ddof=1) / np.sqrt(2))
        assert one["t_clustered"] == pytest.approx(plain_t, abs=1e-9)
        assert seven["n"] == 2 and seven["hit_rate"] == 0.0
        assert seven["mean"] == pytest.approx(-0.2512, abs=1e-10)
        # The 7-day outcomes overlap by 6 of 7 days: weight 1 - 24/168 = 6/7 between them; with
        # no hit to measure a spread from, they count as moving together: the design effect is
        # (1 + 1 + 2 x 6/7) / 2 = 13/7, so Wilson's interval at n = 14/13 (not 2: [0, 0.6576]).
        assert seven["effective_n"] == pytest.approx(14 / 13, abs=1e-9)
        assert seven["hit_interval"] == pytest.approx([0.0, 0.7810], abs=1e-4)
        assert thirty == {
            "n": 0,
            "mean": None,
            "hit_rate": None,
            "hit_interval": [None, None],
            "decisions": 0,
            "t_clustered": None,
            "effective_n": None,
        }
        assert figures["blocked"]["1d"]["n"] == 1 and figures["blocked"]["1d"]["hit_rate"] == 1.0


def hand_series(seed: int, decisions: int, source: str) -> SelectionSeries:
    """A series of random figures (a few unknown), as a replay of `source` could give."""
    rng = np.random.default_rng(seed)
    universe = rng.normal(0, 0.02, decisions)
    universe[0] = np.nan

    def values() -> np.ndarray:
        v = rng.normal(0.02, 0.1, decisions)
        v[rng.random(decisions) < 0.1] = np.nan
        return v

    swaps = Swaps(
        np.zeros(5, np.int64),
        np.arange(5, dtype=np.int64),
        tuple((f"M{k}", f"O{k}") for k in range(5)),
        rng.normal(0, 0.05, (5, len(HORIZONS))),
    )
    return SelectionSeries(
        every_h=24,
        swap_cost=0.0012,
        labels=(source,),
        dataset=np.zeros(decisions, np.int64),
        at_ms=np.arange(decisions, dtype=np.int64),
        universe=universe,
        books={name: 0.8 * universe + values() / 10 for name in ("policy", "equal_weight")},
        rankings={"policy": Ranking(values(), values(), values(), values())},
        executed=swaps,
        blocked=Swaps.empty(),
    )


class TestCombine:
    a, b, c = hand_series(1, 40, "a"), hand_series(2, 60, "b"), hand_series(3, 30, "c")

    def test_pooled_figures_are_those_of_every_decision_together(self) -> None:
        pooled = SelectionSeries.combine([self.a, self.b]).summary()
        both = [self.a, self.b]

        def joined(pick: Any) -> np.ndarray:
            return np.concatenate([pick(s) for s in both])

        ic = joined(lambda s: s.rankings["policy"].ic_residual)
        blocks = np.repeat([0, 1], [40, 60])
        known = np.isfinite(ic)
        # The HAC t's lagged products stay within a dataset: not the t of one long series.
        expected = mean_t(ic[known].tolist(), blocks[known])
        assert pooled["ranking"]["policy"]["ic"]["residual_universe"] == expected
        assert expected["t_hac"] != mean_t(ic[known].tolist())["t_hac"]
        spread = joined(lambda s: s.rankings["policy"].spread_raw)
        assert pooled["ranking"]["policy"]["decile_spread"]["raw"]["n"] == int(
            np.isfinite(spread).sum()
        )
        for name in ("policy", "equal_weight"):
            book = joined(lambda s, name=name: s.books[name])
            universe = joined(lambda s: s.universe)
            assert pooled["strategies"][name] == regression(book, universe, PER_YEAR, blocks)
        outcomes = joined(lambda s: s.executed.outcomes[:, 0])
        assert pooled["replacements"]["executed"]["1d"]["n"] == 10
        assert pooled["replacements"]["executed"]["1d"]["mean"] == pytest.approx(outcomes.mean())

    def test_each_dataset_keeps_its_own_alpha_and_ic(self) -> None:
        pooled = SelectionSeries.combine([self.a, self.b]).summary()
        assert [d["source"] for d in pooled["datasets"]] == ["a", "b"]
        assert [d["decisions"] for d in pooled["datasets"]] == [40, 60]
        assert pooled["datasets"][0] == self.a.summary()["datasets"][0]
        assert pooled["datasets"][1] == self.b.summary()["datasets"][0]
        # ...and the pooled alpha is neither of them.
        alphas = {d["strategies"]["policy"]["alpha"] for d in pooled["datasets"]}
        assert pooled["strategies"]["policy"]["alpha"] not in alphas

    def test_a_dataset_added_changes_nothing_earlier(self) -> None:
        two = SelectionSeries.combine([self.a, self.b])
        three = SelectionSeries.combine([two, self.c]).summary()
        assert three["datasets"][:2] == two.summary()["datasets"]
        assert three["datasets"][2]["source"] == "c"
        assert three == SelectionSeries.combine([self.a, self.b, self.c]).summary()
        assert three["universe"]["n"] != two.summary()["universe"]["n"]

    def test_series_of_different_intervals_do_not_combine(self) -> None:
        hourly = SelectionSeries(**{**self.b.__dict__, "every_h": 1})
        with pytest.raises(ValueError, match="interval"):
            SelectionSeries.combine([self.a, hourly])


class TestPartialPeriod:
    series = hand_series(4, 30, "a")

    def test_a_last_period_shorter_than_the_interval_is_left_out(self) -> None:
        full = np.arange(30) < 29  # the range ends 12 h into the last period
        cut = SelectionSeries(**{**self.series.__dict__, "full": full}).summary()
        ranking = self.series.rankings["policy"]
        whole = SelectionSeries(
            **{
                **self.series.__dict__,
                "dataset": self.series.dataset[:29],
                "at_ms": self.series.at_ms[:29],
                "universe": self.series.universe[:29],
                "books": {k: v[:29] for k, v in self.series.books.items()},
                "rankings": {"policy": ranking.take(full)},
            }
        ).summary()
        assert cut == whole
        assert cut["datasets"][0]["decisions"] == 29
        # Swaps are judged over their own horizons: all of them stay.
        assert cut["replacements"] == self.series.summary()["replacements"]

    def test_combined_series_keep_each_one_s_partial_period(self) -> None:
        a = SelectionSeries(**{**self.series.__dict__, "full": np.arange(30) < 29})
        b = hand_series(5, 20, "b")
        combined = SelectionSeries.combine([a, b])
        assert combined.full is not None
        assert combined.full.tolist() == [True] * 29 + [False] + [True] * 20
        assert (
            combined.summary()["universe"]["n"]
            == combined.full_periods().summary()["universe"]["n"]
        )


class TestStrategyFigures:
    def test_a_partial_last_day_is_no_day_s_return(self) -> None:
        rng = np.random.default_rng(2)
        hourly = np.cumprod(1 + rng.normal(0, 0.002, 24 * 5 + 12))
        equity = np.concatenate([[1.0], hourly])
        figures = strategy_figures(equity, 0, turnovers=[], fees=0.0, funding=0.0, sample_h=24)
        whole = strategy_figures(
            equity[: 24 * 5 + 1], 0, turnovers=[], fees=0.0, funding=0.0, sample_h=24
        )
        assert figures["sharpe"] == whole["sharpe"]  # 5 daily returns, not 6
        assert figures["volatility"] == whole["volatility"]
        assert figures["total_return"] == pytest.approx(equity[-1] - 1.0, abs=1e-10)  # every hour
        peaks = np.maximum.accumulate(np.append(equity[::24], equity[-1]))
        drawdown = np.max(1 - np.append(equity[::24], equity[-1]) / peaks)
        assert figures["max_drawdown"] == pytest.approx(drawdown, abs=1e-10)  # the last mark too
