"""The operations' job: retention."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.operations.retention import RetentionService
from app.operations.settings import RETENTION_INTERVAL_S
from app.platform.core.clock import utcnow
from app.platform.runs.job import Job


async def retention(session: AsyncSession, state: object) -> dict[str, Any]:
    """Thin and delete what is past its retention window (each batch committed on its own)."""
    return asdict(await RetentionService(session).apply(utcnow()))


RETENTION = Job("retention", RETENTION_INTERVAL_S, retention)
