"""The judge: each candidate, judged as one track among others sharing a scoring, has the
figures a replay of it alone gives, on the same decisions as every other candidate."""

from __future__ import annotations

import numpy as np
import pytest

from app.books.replay_config import policy_config
from app.books.simulation.replay_params import ReplayParams
from app.books.simulation.selection_figures import Ranking, Swaps
from app.books.simulation.selection_skill import SelectionSeries
from app.cli.judge import SAMPLE_NOTES
from app.configuration.registry import DEFAULTS
from app.lab.calibration.adoption import judge
from app.lab.calibration.judging import Judged, candidate_figures, evidence, judge_history
from app.lab.replay.replaying import replay
from app.platform.core.units import HOUR_MS
from app.records.keeping.family import FAMILY, TRAINING_DAYS
from app.stats.skill import regression
from tests.replay_data import START_MS, generated_run_config, random_walks

DAY_MS = 24 * HOUR_MS
WINDOW = ReplayParams(START_MS + 12 * DAY_MS, START_MS + 30 * DAY_MS, 24, random_draws=3)
CHOSEN = ("B", "C", "G")  # technical v2, weights differing only: one shared scoring


@pytest.fixture(scope="module")
def judged() -> tuple[dict, dict]:
    history = random_walks(12, 24 * 31, seed=3)
    run = generated_run_config()
    policies = {c.name: policy_config(run, DEFAULTS, c.overrides()) for c in FAMILY}
    _, figures = judge_history(history, {n: policies[n] for n in CHOSEN}, WINDOW)
    alone = {n: replay(history, policies[n], WINDOW) for n in CHOSEN}
    return figures, alone


def test_a_candidate_judged_among_others_is_its_replay_alone(judged: tuple[dict, dict]) -> None:
    figures, alone = judged
    for name in CHOSEN:
        assert figures[name].strategies == alone[name]["strategies"]
        ranking = alone[name]["selection"]["ranking"]["policy"]
        assert figures[name].series.rankings["policy"].summary() == ranking
        mine = candidate_figures(figures[name])
        assert mine["total_return"] == alone[name]["strategies"]["policy"]["total_return"]
        assert mine["ic_residual_universe"] == ranking["ic"]["residual_universe"]
        assert (
            mine["alpha_t_hac"] == alone[name]["selection"]["strategies"]["policy"]["alpha_t_hac"]
        )
        assert mine["paired_vs_default"] is None  # judged alone: nothing to pair with


def test_every_candidate_is_judged_on_the_same_decisions(judged: tuple[dict, dict]) -> None:
    figures, _ = judged
    times = [figures[n].series.at_ms for n in CHOSEN]
    assert all(np.array_equal(times[0], t) for t in times[1:])
    assert times[0].tolist() == WINDOW.decision_times()
    per = {n: evidence(n, {"generated": figures[n]}) for n in CHOSEN}
    verdict = judge(per["G"], per["B"])  # the rule runs on the judge's evidence as it is
    assert verdict.decisions == int(
        np.isfinite(figures["G"].series.rankings["policy"].ic_residual).sum()
    )


def test_a_candidate_is_paired_with_the_default_on_the_same_periods(
    judged: tuple[dict, dict],
) -> None:
    figures, _ = judged
    mine, theirs = figures["G"].series, figures["B"].series
    paired = candidate_figures(figures["G"], figures["B"])["paired_vs_default"]
    own = candidate_figures(figures["G"])
    other = candidate_figures(figures["B"])
    assert paired["n"] == mine.books["policy"].size == theirs.books["policy"].size
    # The paired intercept is the difference of the two alphas (the report rounds each).
    assert paired["alpha_lead_annualised"] == pytest.approx(
        own["alpha_annualised"] - other["alpha_annualised"], abs=1e-8
    )


def test_an_alpha_of_exactly_zero_stays_zero_in_the_evidence() -> None:
    universe = np.array([0.01, -0.02, 0.03, 0.0, 0.01])
    zero = SelectionSeries(
        every_h=24,
        swap_cost=0.0012,
        labels=("flat",),
        dataset=np.zeros(5, np.int64),
        at_ms=np.arange(5, dtype=np.int64) * DAY_MS,
        universe=universe,
        books={"policy": universe.copy()},  # alpha 0, beta 1
        rankings={"policy": Ranking(*(np.full(5, 0.1) for _ in range(4)))},
        executed=Swaps.empty(),
        blocked=Swaps.empty(),
    )
    judged = Judged("Z", "0" * 64, {"policy": {}}, {"metrics": {}}, zero)
    view = evidence("Z", {"flat": judged})
    default = evidence("A", {"flat": judged})
    verdict = judge(view, default)
    assert verdict.alpha["flat"].lead == 0.0  # not NaN
    assert regression(zero.books["policy"], universe, 365.0)["alpha_annualised"] == 0.0


def test_a_partial_last_period_is_not_judged_as_a_whole_one(judged: tuple[dict, dict]) -> None:
    figures, _ = judged
    series = figures["G"].series
    cut = SelectionSeries(**{**series.__dict__, "full": np.arange(series.at_ms.size) < 10})
    view = evidence("G", {"generated": figures["G"]})
    shorter = evidence("G", {"generated": Judged("G", "", {}, {}, cut)})
    assert len(view.books["generated"]) == series.at_ms.size
    assert len(shorter.books["generated"]) == 10
    assert shorter.ics["generated"] == series.rankings["policy"].ic_residual[:10].tolist()


def test_the_survivor_year_is_labelled_so_in_judge_reports() -> None:
    note = SAMPLE_NOTES["nmtrong062000-crypto_signal_scanner"]
    assert note.startswith("survivor-conditioned")
    assert set(SAMPLE_NOTES) <= set(TRAINING_DAYS)  # only datasets the judge knows
