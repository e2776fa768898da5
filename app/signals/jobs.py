"""The signals' job: pending signals decided, settled ones measured."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.gateway import WithGateway
from app.platform.core.clock import utcnow
from app.platform.runs.job import Job
from app.signals.outcomes import SignalOutcomeService
from app.signals.service import signal_service
from app.signals.settings import SIGNAL_PROCESS_INTERVAL_S


async def signal_processing(session: AsyncSession, state: WithGateway) -> dict[str, Any]:
    """Evaluate pending signals, then measure the outcomes whose horizon has passed."""
    processed = await signal_service(session, state.gateway).process_pending()
    measured = await SignalOutcomeService(session).measure_outcomes(utcnow())
    return {"processed": len(processed), "outcomes_measured": measured}


SIGNAL_PROCESSING = Job("signal_processing", SIGNAL_PROCESS_INTERVAL_S, signal_processing)
