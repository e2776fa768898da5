"""What replays, calibrations and the what-if of a scoring change compute in the lab worker
process (`app.platform.runtime.offload`): each reads its stored history here (`StoredHistory`),
scores with the service's registries (`ScorerState`), reports through its `ProgressChannel` (which
also carries a request to stop) and, through `stored`, hands back its report serialized."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from app.books.simulation.replay_params import ReplayParams
from app.books.simulation.replay_report import ReplayReport
from app.lab.calibration.calibrating import CalibrationParams, calibrate
from app.lab.calibration.calibration_report import CalibrationReport
from app.lab.replay.replaying import replay
from app.lab.stored_history import StoredHistory
from app.platform.db.json_text import SerializedJSON
from app.platform.runtime.offload import ProgressChannel
from app.portfolio.policy.settings import PolicyConfig
from app.scoring.scorers import portable

CHOOSING_SHARE = 0.9  # choosing per fold is most of a calibration; the out-of-sample run the rest
R = TypeVar("R")  # a run's report, as `finish` makes it


def replay_run(
    scorer: portable.ScorerState,
    channel: ProgressChannel,
    history: StoredHistory,
    policy: PolicyConfig,
    params: ReplayParams,
) -> ReplayReport:
    with portable.adopted(scorer), channel.reporting() as report:
        return replay(history.load(), policy, params, lambda done, total: report(done / total))


def calibration_run(
    scorer: portable.ScorerState,
    channel: ProgressChannel,
    history: StoredHistory,
    policy: PolicyConfig,
    calibration: CalibrationParams,
) -> CalibrationReport:
    with portable.adopted(scorer), channel.reporting() as report:

        def staged(stage: str, done: int, total: int) -> None:
            share = done / total
            if stage == "testing":
                report(CHOOSING_SHARE + (1 - CHOOSING_SHARE) * share)
            else:
                report(CHOOSING_SHARE * share)

        return calibrate(history.load(), policy, calibration, staged)


def what_if_run(
    scorer: portable.ScorerState,
    channel: ProgressChannel,
    history: StoredHistory,
    policies: Mapping[str, PolicyConfig],
    params: ReplayParams,
) -> dict[str, ReplayReport]:
    """Each of `policies` replayed over `params`, one after the other; their reports by name."""
    reports: dict[str, ReplayReport] = {}
    market = history.load()
    with portable.adopted(scorer), channel.reporting() as report:
        for k, (name, policy) in enumerate(policies.items()):

            def step(done: int, total: int, k: int = k) -> None:
                report((k + done / total) / len(policies))

            reports[name] = replay(market, policy, params, step)
    return reports


@dataclass(frozen=True)
class StoredReport:
    """A run's outcome as the service stores it."""

    report: SerializedJSON
    config_hash: str


def stored(
    compute: Callable[..., Any],
    finish: Callable[[Any], R],
    config_hash: Callable[[R], str],
    *args: Any,
) -> StoredReport:
    """`compute(*args)` as its run stores it: the report (`finish` of the result) serialized
    here, in the worker, with its configuration hash. A large report held the service's event
    loop while it was unpickled and serialized there."""
    report = finish(compute(*args))
    return StoredReport(SerializedJSON.of(report), config_hash(report))
