"""What a queued run computes, by kind, read from the database before the compute: the policy,
the range of stored history its function in the lab worker (`app.lab.compute`)
reads there, its other arguments, and how its result becomes the stored report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.books.replay_config import DeploymentSettings, deployment_policy
from app.books.simulation.replay_params import config_json, policy_hash
from app.lab.compute import calibration_run, replay_run, what_if_run
from app.lab.models import ReplayRun
from app.lab.reports import (
    StoredDocument,
    own_hash,
    own_report,
    proposed_hash,
    what_if_document,
)
from app.lab.scoring_calibration import ScoringCalibrationService
from app.lab.service import (
    calibration_params_of,
    params_of,
    warm_up,
)
from app.lab.stored_history import StoredHistory
from app.portfolio.policy.settings import PolicyConfig
from app.scoring.run_config import RunConfig
from app.scoring.scorers import portable


@dataclass(frozen=True)
class Work:
    compute: Callable[..., Any]  # in the worker: compute(scorer, channel, history, *args)
    history: StoredHistory  # read by the worker
    args: Sequence[Any]
    policies: Sequence[PolicyConfig]  # whose plug-ins and learned models the worker needs
    config: dict[str, Any]  # the configuration the run used, as stored with it
    policy_hash: str
    # in the worker too (`worker.stored`): the result as reported, and the report's hash
    finish: Callable[[Any], StoredDocument] = field(default=own_report)
    config_hash: Callable[[Any], str] = field(default=own_hash)  # of what `finish` made

    @property
    def scorer(self) -> portable.ScorerState:
        return portable.current(*(p.scoring.parameters for p in self.policies))


async def prepared(session: AsyncSession, run: ReplayRun, settings: DeploymentSettings) -> Work:
    """`run`'s work, read in `session` (which the caller then releases) with the deployment's
    `settings`, which the caller read."""
    params = params_of(run)
    if run.kind == "what_if":
        evidence = ScoringCalibrationService(session)
        policies = await evidence.what_if_policies(
            RunConfig.from_json(run.params["proposed"]),
            RunConfig.from_json(run.params["current"]),
            settings.policy,
        )
        inputs = await evidence.what_if_inputs(policies, params)
        return Work(
            what_if_run,
            inputs.history,
            (policies, params),
            list(policies.values()),
            config={name: config_json(p, params) for name, p in policies.items()},
            policy_hash=policy_hash(policies["proposed"]),
            finish=what_if_document,
            config_hash=proposed_hash,
        )
    policy = await deployment_policy(
        session, run.params.get("overrides"), run.params.get("top"), settings=settings
    )
    history = StoredHistory.of(session, run.data_from - warm_up(policy, params), run.data_to)
    if run.kind == "calibration":
        arguments: tuple[Any, ...] = (policy, calibration_params_of(run, params))
        compute: Callable[..., Any] = calibration_run
    else:
        arguments, compute = (policy, params), replay_run
    return Work(
        compute,
        history,
        arguments,
        [policy],
        config=config_json(policy, params),
        policy_hash=policy_hash(policy),
    )
