"""One cadence: the replacement hysteresis counts hours, so a replay reads as many decisions as
span them (rounding up where its interval does not divide them) and says so in its report; the
replay's policy state keeps exactly the runs the hysteresis reads."""

from __future__ import annotations

import dataclasses

import pytest

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.decision_context import context_at
from app.books.simulation.policy import PolicyState, step
from app.books.simulation.replay_params import ReplayParams
from app.configuration.registry import DEFAULTS
from app.lab.replay.replaying import hysteresis_section, replay
from app.platform.core.units import HOUR_MS
from app.portfolio.policy.settings import PolicyConfig
from tests.replay_data import START_MS, random_walks

POLICY = policy_config(default_run_config(), DEFAULTS)


def with_hours(hours: float) -> PolicyConfig:
    return dataclasses.replace(
        POLICY, replacement=dataclasses.replace(POLICY.replacement, confirmation_hours=hours)
    )


def test_the_default_is_a_day_the_two_daily_decisions_judged_so_far() -> None:
    assert POLICY.replacement.confirmation_hours == 24
    section = hysteresis_section(POLICY, ReplayParams(0, 0, 24))
    assert section == {
        "confirmation_hours": 24,
        "decisions": 2,
        "spans_h": 24,
        "rounded_up": False,
    }


@pytest.mark.parametrize(
    ("hours", "every_h", "decisions", "spans_h"),
    [(24, 1, 25, 24), (24, 4, 7, 24), (36, 24, 3, 48), (0, 24, 1, 0), (24, 168, 2, 168)],
)
def test_a_coarser_cadence_rounds_up_and_says_so(
    hours: int, every_h: int, decisions: int, spans_h: int
) -> None:
    section = hysteresis_section(with_hours(hours), ReplayParams(0, 0, every_h))
    assert (section["decisions"], section["spans_h"]) == (decisions, spans_h)
    assert section["rounded_up"] is (spans_h > hours)


def test_the_report_carries_it() -> None:
    history = random_walks(12, 24 * 40)
    window = ReplayParams(START_MS + 24 * 12 * HOUR_MS, START_MS + 24 * 14 * HOUR_MS, 4)
    report = replay(history, with_hours(6), window)
    assert report["data"]["hysteresis"] == {
        "confirmation_hours": 6,
        "decisions": 3,
        "spans_h": 8,
        "rounded_up": True,
    }


def test_the_state_keeps_the_runs_back_to_the_boundary() -> None:
    history = random_walks(12, 24 * 40)
    policy, state = with_hours(6), PolicyState()
    start = START_MS + 24 * 12 * HOUR_MS
    for k in range(12):
        t = start + k * HOUR_MS
        step(context_at(history, t, policy, set()), state, policy, state.next_run_id())
        assert len(state.runs) == min(k + 1, 7)  # the newest and the six hours before it
    assert state.runs[-1].at_ms == start + 5 * HOUR_MS
