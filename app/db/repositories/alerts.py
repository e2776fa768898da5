"""Queries on `alert`: one unresolved row per fingerprint, touched on every recurrence."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Alert
from app.db.repositories.events import EventRepository
from app.db.types import utcnow


class AlertRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def raise_or_touch(
        self,
        *,
        kind: str,
        fingerprint: str,
        severity: str,
        message: str,
        symbol: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> Alert:
        """Open an alert, or count a recurrence of the unresolved alert with this fingerprint."""
        existing = await self.session.scalar(
            select(Alert)
            .where(Alert.fingerprint == fingerprint, Alert.status != "resolved")
            .with_for_update()
        )
        now = utcnow()
        if existing is not None:
            existing.occurrences += 1
            existing.last_seen_at = now
            existing.message = message
            existing.details = details or {}
            await self.session.flush()
            return existing
        alert = Alert(
            kind=kind,
            severity=severity,
            fingerprint=fingerprint,
            status="open",
            symbol=symbol,
            message=message,
            details=details or {},
            occurrences=1,
            first_seen_at=now,
            last_seen_at=now,
        )
        self.session.add(alert)
        await self.session.flush()
        await EventRepository(self.session).append(
            "alert",
            {
                "alert_id": alert.id,
                "kind": kind,
                "severity": severity,
                "symbol": symbol,
                "message": message,
            },
        )
        return alert
