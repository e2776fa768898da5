"""Replays of the service's own history, requested over the API: recorded, run in the
background by `ReplayRunner`, read back with their progress and reports."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy.ext.asyncio import AsyncSession

from app.books.replay_config import (
    ReplayConfigError,
    ReplaySettings,
    deployment_policy,
    override_rule_problems,
)
from app.books.simulation.replay_params import ReplayParams, parse_every
from app.books.simulation.replay_report import DecisionEntry, ReplayReport
from app.lab.calibration.calibrating import CalibrationParams
from app.lab.models import ReplayRun
from app.lab.repository import ReplayRepository
from app.lab.schemas import ReplayCreate
from app.market.repository.candles import CandleRepository
from app.market.schemas import market_data_of
from app.platform.core.clock import utcnow
from app.platform.core.environment import Environment, Role
from app.platform.core.errors import (
    ConflictError,
    InsufficientHistoryError,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailedError,
)
from app.platform.core.security import Principal
from app.platform.core.units import HOUR, HOUR_MIN, HOUR_MS, to_epoch_ms
from app.platform.runs.run_engine import RunEngine
from app.platform.settings_store.reader import read_typed
from app.portfolio.maths.membership_intervals import Held, State, compact, tile
from app.portfolio.policy.settings import PolicyConfig
from app.portfolio.timeline_export import Timeline, forms_for
from app.scoring.config_rules import refusal, require_learned
from app.scoring.scorers import learned

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredRun:
    """A run read without its documents, which come as the JSON text the database keeps."""

    run: ReplayRun  # its `config` and `report` not loaded
    config: str
    report: str
    kept_market_data: str  # the report's `data.market_data` ("null": none kept)

    @property
    def has_report(self) -> bool:
        return self.report != "null"

    @property
    def market_data(self) -> str:
        """Where its candles came from, as JSON: the report's record, `source not recorded`
        for a report stored before it was kept, "null" without a report."""
        if not self.has_report:
            return "null"
        if self.kept_market_data != "null":
            return self.kept_market_data
        return market_data_of(None).model_dump_json()


def request_json(request: ReplayCreate) -> dict[str, Any]:
    """A replay's request as its run keeps it (`params`, read back by `params_of`)."""
    return {
        "from": request.start.isoformat(),
        "to": request.end.isoformat(),
        "every": request.every,
        "top": request.top,
        "fee_bps": request.fee_bps,
        "slippage_bps": request.slippage_bps,
        "execution_lag_h": request.execution_lag_h,
        "overrides": request.overrides,
    }


def params_of(run: ReplayRun) -> ReplayParams:
    p = run.params
    return ReplayParams(
        start_ms=to_epoch_ms(run.data_from),
        end_ms=to_epoch_ms(run.data_to),
        every_h=parse_every(p["every"]),
        fee_bps=float(p["fee_bps"]),
        slippage_bps=float(p["slippage_bps"]),
        execution_lag_h=int(p.get("execution_lag_h", ReplayParams.execution_lag_h)),
    )


def warm_up(policy: PolicyConfig, params: ReplayParams) -> timedelta:
    """History a first decision reads: the scorer's candles, the momentum lookback."""
    return timedelta(milliseconds=max(policy.candles, params.momentum_days * 24) * HOUR_MS)


def calibration_params_of(run: ReplayRun, params: ReplayParams) -> CalibrationParams:
    """A calibration run's windows and objective (`params`: its range, interval and costs)."""
    p = run.params
    return CalibrationParams(
        params,
        train_h=int(p.get("train_days", 120)) * 24,
        test_h=int(p.get("test_days", 30)) * 24,
        objective=str(p.get("objective", "sharpe")),
        learned=bool(p.get("learned", False)),
    )


def _within_budget(request: ReplayCreate, every_h: int, members: int, limit: int) -> None:
    """422 when the run would make more decisions x members than `limit`, the most a run may."""
    decisions = (request.end - request.start) // timedelta(hours=every_h) + 1
    if decisions * members > limit:
        raise ValidationFailedError(
            f"{decisions} decisions of {members} members is {decisions * members} "
            f"decision-members, over the {limit} one run may make (the runtime setting "
            "replay_max_decision_members); ask for a shorter range, a longer `every` or a "
            "smaller `top`",
            extra={"decisions": decisions, "members": members, "limit": limit},
        )


class ReplayService:
    """Records replay requests and reads replay runs."""

    def __init__(
        self,
        session: AsyncSession,
        runs: RunEngine,
        *,
        max_pending_per_key: int | None = None,
    ) -> None:
        self.session = session
        self.replays = ReplayRepository(session)
        self.runs = runs
        """Where a run of this process has its live progress (as job runs have theirs)."""
        self.max_pending_per_key = max_pending_per_key

    async def create(self, request: ReplayCreate, *, requested_by: str) -> ReplayRun:
        """Check the request against the stored history, the configuration and the key's runs
        in flight (409 at `max_pending_per_key`; 409 `scorer-not-installed` for overrides that
        weigh the learned scorer without its extra), then queue it."""
        if learned.chosen_by_overrides(request.overrides):
            require_learned()
        settings = await read_typed(self.session, ReplaySettings)
        try:
            every_h = parse_every(request.every)
            policy = await deployment_policy(
                self.session, request.overrides, request.top, settings=settings
            )
        except (ValueError, ReplayConfigError) as exc:
            raise ValidationFailedError(str(exc)) from exc
        errors = await override_rule_problems(
            self.session, request.overrides or {}, policy, settings.policy.candles
        )
        if errors:
            raise refusal(errors)
        _within_budget(request, every_h, policy.max_symbols, settings.max_decision_members)
        first, last = await CandleRepository(self.session).span(HOUR_MIN)
        if first is None or last is None:
            raise InsufficientHistoryError("no hourly candles are stored yet; import history first")
        if request.start < first + HOUR or request.end > last + HOUR:
            raise InsufficientHistoryError(
                "the range must lie within the stored history",
                extra={
                    "history_from": (first + HOUR).isoformat(),
                    "history_to": (last + HOUR).isoformat(),
                },
            )
        await self._within_cap(requested_by)
        return await self.replays.queue(
            "replay", requested_by, request_json(request), request.start, request.end
        )

    async def _within_cap(self, requested_by: str) -> None:
        """409 when `requested_by` has `max_pending_per_key` runs queued or running. The count
        is taken under the key's lock, held until this transaction commits its new run, so two
        requests at once cannot both pass."""
        cap = self.max_pending_per_key
        if cap is None:
            return
        await self.replays.lock_requester(requested_by)
        pending = await self.replays.count_pending(requested_by)
        if pending >= cap:
            raise ConflictError(
                f"this key has {pending} runs queued or running, the most it may have; wait for "
                "one to end or cancel one (DELETE /replays/{id})",
                extra={"pending": pending, "limit": cap},
            )

    async def get(self, run_id: int) -> ReplayRun:
        run = await self.replays.get(run_id)
        if run is None:
            raise NotFoundError(f"replay {run_id} does not exist")
        return self.runs.with_live_progress(ReplayRepository, run)

    async def get_as_stored(self, run_id: int) -> StoredRun:
        """The run, its configuration and its report as stored (404 unknown)."""
        found = await self.replays.get_as_stored(run_id)
        if found is None:
            raise NotFoundError(f"replay {run_id} does not exist")
        run, config, report, market_data = found
        return StoredRun(
            self.runs.with_live_progress(ReplayRepository, run), config, report, market_data
        )

    async def cancel(self, run_id: int, *, by: Principal) -> ReplayRun:
        """Cancel a queued run (it never starts) or a running one (it stops at its next
        heartbeat); by the key that queued it or an admin (403), 409 once it has ended. The
        cancel is one conditional update; why it did not apply is read after it."""
        admin = by.role.allows(Role.ADMIN)
        cancelled = await self.replays.cancel(
            run_id, by.name, utcnow(), requested_by=None if admin else by.name
        )
        run = await self.get(run_id)
        if cancelled:
            await self.session.refresh(run)
            logger.info("replays: run %d (%s) cancelled by %s", run_id, run.kind, by.name)
            return run
        if not admin and run.requested_by != by.name:
            raise PermissionDeniedError(
                "Only the key that queued a run, or an admin key, may cancel it.",
                extra={"requested_by": run.requested_by},
            )
        raise ConflictError(
            f"replay {run_id} has ended ({run.status}); only a queued or running run can be "
            "cancelled",
            extra={"run_id": run_id, "status": run.status},
        )

    async def timeline(self, run_id: int) -> Timeline:
        """The dated membership of a succeeded replay's policy (404 unknown, 409 unfinished):
        its members and weights from each decision's trade (`traded_at`: `execution_lag_h`
        after it), an interval lasting until the next decision that traded or changed them (or
        the books' valuation end), in the same document as the portfolio's timeline."""
        run = await self.get(run_id)
        # The JSON column holds the report as `replay` (or `calibrate`) wrote it; one stored by
        # an older version may lack later keys (`traded_at`, `valued_to`): read with defaults.
        report = cast("ReplayReport | None", run.report)
        if run.status != "succeeded" or not report or "decisions" not in report:
            raise ConflictError(
                f"replay {run.id} is {run.status}; its timeline exists once it has succeeded",
                extra={"status": run.status},
            )
        states = [_state_of(d) for d in report["decisions"]]
        # A decision that neither traded nor changed anything opens no interval: the book drifts.
        kept = [s for s in states if s.rebalanced] or states[:1]
        data = report["data"]
        end = datetime.fromisoformat(str(data.get("valued_to", data["to"])).replace("Z", "+00:00"))
        start = states[0].at if states else end
        intervals = tile(kept, start, end)
        return Timeline(start, end, "replay", intervals, await forms_for(self.session, intervals))

    async def listing(self, limit: int) -> list[ReplayRun]:
        runs = await self.replays.listing(limit)
        return [self.runs.with_live_progress(ReplayRepository, run) for run in runs]


def _reason_of(decision: DecisionEntry) -> str:
    """exit:<code>, replaced, added (joined by "+" when several), else rebalance."""
    parts = [f"exit:{e.get('reason')}" for e in decision.get("exits") or []]
    parts += ["replaced"] if decision.get("replaced") else []
    parts += ["added"] if decision.get("added") else []
    return "+".join(dict.fromkeys(parts)) or "rebalance"


def _state_of(decision: DecisionEntry) -> State:
    weights = decision.get("weights") or {}
    members = compact(
        Held(symbol, rank, repr(float(weights.get(symbol, 0.0))))
        for rank, symbol in enumerate(decision.get("members") or [], start=1)
    )
    # The book holds a decision's members from its trade (reports before the lag: at once).
    at = datetime.fromisoformat(
        str(decision.get("traded_at", decision["at"])).replace("Z", "+00:00")
    )
    return State(at, members, _reason_of(decision), rebalanced=bool(decision.get("traded")))


class LabState(Protocol):
    """What the replays take from the app's state."""

    @property
    def runs(self) -> RunEngine: ...

    @property
    def environment(self) -> Environment: ...


def replay_service(session: AsyncSession, state: LabState) -> ReplayService:
    """The replays of one session, on the app's run engine: the router's."""
    return ReplayService(
        session, state.runs, max_pending_per_key=state.environment.replays.max_pending_per_key
    )
