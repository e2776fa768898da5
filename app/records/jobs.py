"""The records' jobs: the as-run record (`track_record`, every `as_run_record_interval_s`) and
the forward record (`forward_record`) marked forward, and the forward record's window read
ahead when the scheduler starts."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.runs.job import Job, JobSkipped
from app.portfolio.service import PortfolioState
from app.records.as_run_update import AsRunService
from app.records.forward_service import forward_service
from app.records.repository.one_row import LostRace
from app.records.settings import AS_RUN_RECORD_INTERVAL_S, FORWARD_RECORD_INTERVAL_S
from app.scoring.scorers import indicators


async def track_record(session: AsyncSession, state: object) -> dict[str, Any]:
    """Mark the as-run record forward over the hours whose candles are stored (the real
    portfolio's decisions from the audit trail, whoever made them, after costs; the baselines
    and the policy's shadow book are the `forward_record` job's)."""
    try:
        updated = await AsRunService(session).update()
    except LostRace as exc:  # another replica marked these hours: nothing of ours is kept
        raise JobSkipped(str(exc)) from exc
    return updated.to_json()


async def forward_record(session: AsyncSession, state: PortfolioState) -> dict[str, Any]:
    """Mark the forward record (the shadow books of the policy, the challengers and the
    baselines) over the hours whose candles are stored; the forward rule once a day is judged."""
    try:
        return await forward_service(session, state).update()
    except LostRace as exc:  # another replica marked these hours: nothing of ours is kept
        raise JobSkipped(str(exc)) from exc


async def warm_forward(session: AsyncSession, state: PortfolioState) -> None:
    """The forward record's window read now rather than by its first hourly update
    (`ForwardService.warm`; an update that comes meanwhile waits for this read), and TA-Lib,
    which its books score with, imported (off the event loop's thread): the service holds
    from its start what it holds after its first marked hour."""
    await asyncio.to_thread(indicators.load)
    await forward_service(session, state).warm()


TRACK_RECORD = Job("track_record", AS_RUN_RECORD_INTERVAL_S, track_record)
FORWARD_RECORD = Job("forward_record", FORWARD_RECORD_INTERVAL_S, forward_record)
