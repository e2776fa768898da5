"""The lab's job: the walk-forward calibration of the stored history queued afresh
(`evidence_refresh`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.lab.scoring_calibration import NotEnoughHistory, ScoringCalibrationService
from app.lab.settings import EVIDENCE_REFRESH_INTERVAL_S
from app.platform.core.errors import ConflictError
from app.platform.runs.job import Job, JobSkipped, requester


async def evidence_refresh(session: AsyncSession, state: object) -> dict[str, Any]:
    """Queue a walk-forward calibration of the stored history (it runs in the background once
    this transaction commits)."""
    try:
        run = await ScoringCalibrationService(session).request_refresh(requested_by=requester())
    except (NotEnoughHistory, ConflictError) as exc:
        raise JobSkipped(exc.detail) from exc
    return {"calibration_run_id": run.id, "params": run.params}


EVIDENCE_REFRESH = Job("evidence_refresh", EVIDENCE_REFRESH_INTERVAL_S, evidence_refresh)
