"""Webhook deliveries: claim (event, url) once across replicas, record outcomes, count recent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import WebhookDelivery


class WebhookRepository:
    """The `webhook_delivery` table: one claimed row per event and URL."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(
        self, event_id: int, url: str, kind: str, replica: str, now: datetime
    ) -> int | None:
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(WebhookDelivery)
            .values(
                event_id=event_id,
                url=url,
                kind=kind,
                status="sending",
                attempts=0,
                replica=replica,
                created_at=now,
            )
            .on_conflict_do_nothing()
            .returning(WebhookDelivery.id)
        )
        return await self.session.scalar(statement)

    async def sent_recently(self, url: str, kind: str, since: datetime) -> int:
        """Deliveries of `kind` to `url` attempted since `since` (rate-limited ones excluded)."""
        return int(
            await self.session.scalar(
                select(func.count())
                .select_from(WebhookDelivery)
                .where(
                    WebhookDelivery.url == url,
                    WebhookDelivery.kind == kind,
                    WebhookDelivery.created_at >= since,
                    WebhookDelivery.status != "rate_limited",
                )
            )
            or 0
        )

    async def finish(
        self,
        delivery_id: int,
        *,
        status: str,
        attempts: int,
        response_status: int | None,
        error: str | None,
        now: datetime,
    ) -> None:
        await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id)
            .values(
                status=status,
                attempts=attempts,
                response_status=response_status,
                error=error,
                finished_at=now,
            )
        )

    async def last_event_id(self) -> int:
        return int(await self.session.scalar(select(func.max(WebhookDelivery.event_id))) or 0)
