"""The judge: each candidate, judged as one track among others sharing a scoring, has the
figures a replay of it alone gives, on the same decisions as every other candidate."""

from __future__ import annotations

import numpy as np
import pytest

from app.calibration.adoption import judge
from app.calibration.family import FAMILY
from app.calibration.judge import candidate_figures, evidence, judge_history
from app.replay.config import HOUR_MS, ReplayParams
from app.replay.run import replay
from app.services.replay.config import default_run_config, policy_config
from app.services.system.runtime_settings import DEFAULTS
from tests.replay_data import START_MS, random_walks

DAY_MS = 24 * HOUR_MS
WINDOW = ReplayParams(START_MS + 12 * DAY_MS, START_MS + 30 * DAY_MS, 24, random_draws=3)
CHOSEN = ("B", "C", "G")  # technical v2, weights differing only: one shared scoring


@pytest.fixture(scope="module")
def judged() -> tuple[dict, dict]:
    history = random_walks(12, 24 * 31, seed=3)
    run = default_run_config()
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
        assert mine["ic_residual"] == ranking["ic"]["residual"]


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
