"""What replays, calibrations and the what-if of a scoring change compute in the evidence worker
process (`app.runtime.offload`): the history is read by the service first, its session released, and
only the arrays travel here. Each call scores with the service's registries (`ScorerState`) and
reports through its `ProgressChannel` (which also carries a request to stop)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.calibration.run import CalibrationParams, calibrate
from app.replay.config import PolicyConfig, ReplayParams
from app.replay.history import MarketHistory
from app.replay.run import replay
from app.runtime.offload import ProgressChannel
from app.scoring import portable

CHOOSING_SHARE = 0.9  # choosing per fold is most of a calibration; the out-of-sample run the rest


def replay_run(
    scorer: portable.ScorerState,
    channel: ProgressChannel,
    history: MarketHistory,
    policy: PolicyConfig,
    params: ReplayParams,
) -> dict[str, Any]:
    with portable.adopted(scorer), channel.reporting() as report:
        return replay(history, policy, params, lambda done, total: report(done / total))


def calibration_run(
    scorer: portable.ScorerState,
    channel: ProgressChannel,
    history: MarketHistory,
    policy: PolicyConfig,
    calibration: CalibrationParams,
) -> dict[str, Any]:
    with portable.adopted(scorer), channel.reporting() as report:

        def staged(stage: str, done: int, total: int) -> None:
            share = done / total
            if stage == "testing":
                report(CHOOSING_SHARE + (1 - CHOOSING_SHARE) * share)
            else:
                report(CHOOSING_SHARE * share)

        return calibrate(history, policy, calibration, staged)


def what_if_run(
    scorer: portable.ScorerState,
    channel: ProgressChannel,
    history: MarketHistory,
    policies: Mapping[str, PolicyConfig],
    params: ReplayParams,
) -> dict[str, dict[str, Any]]:
    """Each of `policies` replayed over `params`, one after the other; their reports by name."""
    reports: dict[str, dict[str, Any]] = {}
    with portable.adopted(scorer), channel.reporting() as report:
        for k, (name, policy) in enumerate(policies.items()):

            def step(done: int, total: int, k: int = k) -> None:
                report((k + done / total) / len(policies))

            reports[name] = replay(history, policy, params, step)
    return reports
