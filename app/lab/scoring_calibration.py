"""Evidence where decisions are made: the latest walk-forward calibration of the stored history
for the configuration in force, a refresh of it (queued as a background run), and the replay of
a proposed scoring configuration beside the current one (`what_if`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypedDict

from sqlalchemy.ext.asyncio import AsyncSession

from app.books.replay_config import deployment_policy, policy_config
from app.books.simulation.replay_params import ReplayParams, policy_hash
from app.lab.compute import what_if_run
from app.lab.models import ReplayRun
from app.lab.reports import WhatIfReport, what_if_document
from app.lab.repository import ReplayRepository
from app.lab.service import warm_up
from app.lab.stored_history import StoredHistory
from app.market.repository.candles import CandleRepository
from app.platform.core.errors import ConflictError, InsufficientHistoryError, NotFoundError
from app.platform.core.units import DAY, HOUR, HOUR_MIN
from app.platform.runtime.offload import LAB, SharedProgress, in_worker
from app.platform.settings_store.fields import setting_values
from app.portfolio.policy.settings import PolicyConfig, PolicySettings
from app.portfolio.settings import load_policy
from app.scoring.config_rules import require_learned
from app.scoring.run_config import RunConfig
from app.scoring.scorers import portable

TRAIN_DAYS, TEST_DAYS = 120, 30  # the walk-forward's windows when the history holds them
MIN_TRAIN_DAYS = 7
WHAT_IF_DAYS = 90  # how far back a proposed change is replayed (the newest stored history)


class NotEnoughHistory(InsufficientHistoryError):
    """The stored history is too short for a walk-forward calibration."""


@dataclass(frozen=True)
class StoredSpan:
    first_close: datetime  # the first stored hourly candle's close
    last_close: datetime


class ProposedAlgorithm(TypedDict):
    """One row of a proposed scoring algorithm as a what-if run's params keep it."""

    name: str
    weight: str  # the Decimal as stored
    parameters: dict[str, Any]  # the component's own
    is_active: bool
    description: str | None
    updated_at: str
    updated_by: str | None


def walk_forward_windows(days: int) -> tuple[int, int]:
    """(train, test) days for `days` of decisions: 120/30 when they fit, else a training window
    of three fifths and test windows of a fifth (two folds at least)."""
    if days >= TRAIN_DAYS + TEST_DAYS:
        return TRAIN_DAYS, TEST_DAYS
    test = max(days // 5, 1)
    return days - 2 * test, test


def too_short(days: int, warm_up_h: int, stored_h: int) -> str:
    """Why `days` of decisions after a warm-up of `warm_up_h` hours (of `stored_h` stored) are
    too few to walk forward on, in words (before the warm-up is over, no count of them at all)."""
    need = MIN_TRAIN_DAYS + 2  # two test folds of a day after the shortest training window
    if days <= 0:
        return (
            f"not enough stored history yet: a walk-forward needs {need} days of daily decisions "
            f"after the scorer's warm-up of {warm_up_h} hours of candles, and the {stored_h} "
            "hours stored do not reach past the warm-up yet"
        )
    return (
        f"not enough stored history yet: {days} of the {need} days of daily decisions a "
        "walk-forward needs after the scorer's warm-up"
    )


class ScoringCalibrationService:
    """Walk-forward evidence of the configuration in force, and replays of proposed changes."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.replays = ReplayRepository(session)

    async def span(self) -> StoredSpan:
        first, last = await CandleRepository(self.session).span(HOUR_MIN)
        if first is None or last is None:
            raise NotEnoughHistory("no hourly candles are stored yet; import history first")
        return StoredSpan(first + HOUR, last + HOUR)

    async def latest(self) -> tuple[ReplayRun, str]:
        """The newest succeeded calibration of the configuration in force, and its hash."""
        current = policy_hash(await deployment_policy(self.session, None, None))
        run = await self.replays.latest_succeeded("calibration", current)
        if run is None:
            other = await self.replays.latest_succeeded("calibration")
            raise NotFoundError(
                "no walk-forward evidence for the configuration in force yet; it is refreshed "
                "by the scheduler (evidence_refresh_interval_s) or POST /scoring/evidence/refresh",
                extra={"policy_hash": current, "latest_other_run_id": other.id if other else None},
            )
        return run, current

    async def request_refresh(self, *, requested_by: str, learned: bool = False) -> ReplayRun:
        """Queue a walk-forward calibration of the whole stored history (it starts once this
        transaction commits); 409 while one is queued or running, and 409
        `scorer-not-installed` for `learned` without the learned scorer's extra."""
        if learned:
            require_learned()
        pending = await self.replays.pending("calibration")
        if pending is not None:
            raise ConflictError(
                f"calibration {pending.id} is {pending.status}", extra={"run_id": pending.id}
            )
        policy = await deployment_policy(self.session, None, None)
        span = await self.span()
        warm = warm_up(policy, ReplayParams(0, 0, 24))
        start = _ceil_day(span.first_close + warm)
        end = span.last_close.replace(minute=0, second=0, microsecond=0)
        days = (end - start) // DAY
        train, test = walk_forward_windows(days)
        if train < MIN_TRAIN_DAYS:
            raise NotEnoughHistory(
                too_short(days, warm // HOUR, (end - span.first_close) // HOUR + 1),
                extra={"history_from": span.first_close.isoformat(), "history_to": end.isoformat()},
            )
        params = {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "every": "24h",
            "top": None,
            "fee_bps": 6.0,
            "slippage_bps": 0.0,
            "execution_lag_h": 1,
            "overrides": None,
            "train_days": train,
            "test_days": test,
            "objective": "sharpe",
            "learned": learned,
        }
        return await self.replays.queue("calibration", requested_by, params, start, end)

    async def what_if_policies(
        self, proposed: RunConfig, current: RunConfig, policy: PolicySettings | None = None
    ) -> dict[str, PolicyConfig]:
        """The proposed and the current scoring configuration as the deployment would run them
        (`policy`: its policy settings, when the caller read them with its own)."""
        if policy is None:
            policy = await load_policy(self.session)
        settings = setting_values(policy)
        return {
            name: policy_config(run, settings)
            for name, run in (("proposed", proposed), ("current", current))
        }

    async def what_if_params(self, current: PolicyConfig) -> ReplayParams:
        """The newest stored history a change is replayed over (up to `WHAT_IF_DAYS`, daily
        decisions, 6 bps); `NotEnoughHistory` when it holds fewer than two decisions."""
        span = await self.span()
        end = span.last_close.replace(minute=0, second=0, microsecond=0)
        earliest = _ceil_day(span.first_close + warm_up(current, ReplayParams(0, 0, 24)))
        start = max(earliest, _ceil_day(end - WHAT_IF_DAYS * DAY))
        if end - start < 2 * DAY:
            raise NotEnoughHistory(
                "the stored history is too short to replay a change (two daily decisions after "
                "the scorer's warm-up)",
                extra={"history_from": span.first_close.isoformat(), "history_to": end.isoformat()},
            )
        return ReplayParams(_ms(start), _ms(end), 24)

    async def what_if_inputs(
        self, policies: dict[str, PolicyConfig], params: ReplayParams
    ) -> WhatIfInputs:
        """What the what-if computes from: the stored history of `params` with the warm-up."""
        start = datetime.fromtimestamp(params.start_ms / 1000, UTC)
        end = datetime.fromtimestamp(params.end_ms / 1000, UTC)
        history = StoredHistory.of(self.session, start - warm_up(policies["current"], params), end)
        return WhatIfInputs(policies, params, history)

    async def queue_what_if(
        self,
        proposed: RunConfig,
        current: RunConfig,
        algorithms: list[ProposedAlgorithm],
        *,
        requested_by: str,
    ) -> ReplayRun:
        """Queue the replay of a proposed change beside the configuration in force (a `what_if`
        run: it starts once this transaction commits); `NotEnoughHistory` when there is too
        little stored history to judge it."""
        policies = await self.what_if_policies(proposed, current)
        params = await self.what_if_params(policies["current"])
        start = datetime.fromtimestamp(params.start_ms / 1000, UTC)
        end = datetime.fromtimestamp(params.end_ms / 1000, UTC)
        what_if = {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "every": "24h",
            "fee_bps": params.fee_bps,
            "slippage_bps": params.slippage_bps,
            "execution_lag_h": params.execution_lag_h,
            "proposed": proposed.to_json(),
            "current": current.to_json(),
            "algorithms": algorithms,
        }
        return await self.replays.queue("what_if", requested_by, what_if, start, end)


@dataclass(frozen=True)
class WhatIfInputs:
    policies: dict[str, PolicyConfig]  # "proposed" and "current"
    params: ReplayParams
    history: StoredHistory  # read by the worker

    def scorer(self) -> portable.ScorerState:
        return portable.current(*(p.scoring.parameters for p in self.policies.values()))


async def what_if(inputs: WhatIfInputs) -> WhatIfReport:
    """The what-if document of `inputs`, read and computed in the lab worker (nothing here
    holds a database connection meanwhile)."""
    progress = SharedProgress()
    try:
        reports = await in_worker(
            what_if_run,
            inputs.scorer(),
            progress.channel,
            inputs.history,
            inputs.policies,
            inputs.params,
            worker=LAB,
        )
    finally:
        progress.stop()  # a cancelled request: the worker ends at its next decision
        progress.close()
    return what_if_document(reports)


def _ceil_day(moment: datetime) -> datetime:
    floor = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + DAY


def _ms(moment: datetime) -> int:
    return math.floor(moment.timestamp() * 1000)
