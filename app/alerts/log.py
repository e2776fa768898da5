"""The alert log: one unresolved `alert` row per fingerprint, touched on every recurrence and
announced as an event. With the table (`app.alerts.models`) it sits below every domain, as the
event outbox does (tests/unit/layers.py): market, the portfolio's exits, the forward record and
the alerts domain (after them all in the order) raise and resolve alerts through it, each in its
own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.models import Alert
from app.platform.core.clock import utcnow
from app.platform.db.repositories.outbox import EventRepository


class AlertLog:
    """Raises, touches and reopens `alert` rows: one unresolved row per fingerprint."""

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
        reopen_within: timedelta | None = None,
    ) -> Alert:
        """Open an alert, or count a recurrence of the unresolved alert with this fingerprint;
        a resolved one that recurs within `reopen_within` is reopened instead of duplicated."""
        found = await self.session.scalar(
            select(Alert)
            .where(Alert.fingerprint == fingerprint, Alert.status != "resolved")
            .with_for_update()
        )
        now = utcnow()
        if found is None and reopen_within is not None:
            found = await self.session.scalar(
                select(Alert)
                .where(
                    Alert.fingerprint == fingerprint,
                    Alert.status == "resolved",
                    Alert.resolved_at >= now - reopen_within,
                )
                .order_by(Alert.id.desc())
                .limit(1)
                .with_for_update()
            )
        if found is not None:
            reopened = found.status == "resolved"
            if reopened:
                found.status, found.resolved_at = "open", None
            found.occurrences += 1
            found.last_seen_at, found.message = now, message
            found.details = details or {}
            await self.session.flush()
            if reopened:
                await self._announce(found)  # it is news again
            return found
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
        await self._announce(alert)
        return alert

    async def _announce(self, alert: Alert) -> None:
        await EventRepository(self.session).append(
            "alert",
            {
                "alert_id": alert.id,
                "kind": alert.kind,
                "severity": alert.severity,
                "symbol": alert.symbol,
                "message": alert.message,
                "occurrences": alert.occurrences,
                "details": alert.details,
            },
        )

    async def unresolved(self, kinds: Sequence[str]) -> Sequence[Alert]:
        query = select(Alert).where(Alert.status != "resolved", Alert.kind.in_(kinds))
        return (await self.session.scalars(query.with_for_update())).all()
