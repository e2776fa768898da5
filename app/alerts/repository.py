"""The alerts domain's reads of `alert`: a page of alerts, and one to acknowledge (the rows are
written through the alert log, `app.alerts.log`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.models import Alert


class AlertRepository:
    """The `alert` table as the alerts API reads it: pages, and one row locked to acknowledge."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, *, status: str | None, kind: str | None, limit: int, offset: int
    ) -> Sequence[Alert]:
        query = select(Alert)
        if status is not None:
            query = query.where(Alert.status == status)
        if kind is not None:
            query = query.where(Alert.kind == kind)
        query = query.order_by(Alert.last_seen_at.desc(), Alert.id.desc()).limit(limit)
        return (await self.session.scalars(query.offset(offset))).all()

    async def get(self, alert_id: int) -> Alert | None:
        return await self.session.get(Alert, alert_id, with_for_update=True)
