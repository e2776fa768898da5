"""The alerts' job: their conditions checked."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.service import AlertService
from app.alerts.settings import ALERT_CHECK_INTERVAL_S
from app.kucoin.gateway import WithGateway
from app.platform.runs.job import Job


async def alert_check(session: AsyncSession, state: WithGateway) -> dict[str, Any]:
    """Alert conditions (expired idempotency keys go with retention, batch by batch)."""
    return (await AlertService(session, state.gateway).check_portfolio_alerts()).model_dump()


ALERT_CHECK = Job("alert_check", ALERT_CHECK_INTERVAL_S, alert_check)
