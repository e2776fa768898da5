"""Webhook deliveries: claim (event, url) once across replicas, heartbeat and re-claim claims,
record outcomes, count recent; flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db.inserts import insert_unless_taken
from app.platform.db.models import EventOutbox, WebhookDelivery

SENDING = WebhookDelivery.status == "sending"


class WebhookRepository:
    """The `webhook_delivery` table: one claimed row per event and URL."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(
        self,
        event_id: int,
        url: str,
        kind: str,
        replica: str,
        now: datetime,
        claimant: str | None = None,
    ) -> int | None:
        """The new row's id, or None when another dispatcher has claimed (event, url)."""
        return await insert_unless_taken(
            self.session,
            WebhookDelivery,
            event_id=event_id,
            url=url,
            kind=kind,
            status="sending",
            attempts=0,
            replica=replica,
            created_at=now,
            claimant=claimant,
            heartbeat_at=now,
        )

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
    ) -> bool:
        """Record the outcome of a `sending` row; False when it was already recorded (a peer
        that re-claimed it finished first: the receiver had it at least once)."""
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, SENDING)
            .values(
                status=status,
                attempts=attempts,
                response_status=response_status,
                error=error,
                finished_at=now,
            )
            .returning(WebhookDelivery.id)
        )
        return result.first() is not None

    async def drop(self, delivery_id: int, reason: str, now: datetime) -> bool:
        """Record a `sending` row dropped unsent (`rate_limited`), with why."""
        return await self.finish(
            delivery_id,
            status="rate_limited",
            attempts=0,
            response_status=None,
            error=reason,
            now=now,
        )

    async def heartbeat(self, claimant: str, now: datetime) -> int:
        """Say `claimant` still holds its `sending` rows; how many it holds."""
        return await self._update_held(claimant, heartbeat_at=now)

    async def hand_back(self, claimant: str, now: datetime) -> int:
        """Release `claimant`'s `sending` rows for any live peer to re-claim at once (no
        claimant, a heartbeat: handed back, not abandoned); how many."""
        return await self._update_held(claimant, claimant=None, heartbeat_at=now)

    async def _update_held(self, holder: str, **values: Any) -> int:
        """Set `values` on the `sending` rows `holder` claimed; how many."""
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.claimant == holder, SENDING)
            .values(**values)
            .returning(WebhookDelivery.id)
        )
        return len(result.all())

    async def reclaim(
        self,
        url: str,
        *,
        claimant: str,
        replica: str,
        now: datetime,
        stale_before: datetime,
        limit: int,
    ) -> Sequence[tuple[WebhookDelivery, EventOutbox]]:
        """Take over at most `limit` `sending` rows of `url` that were handed back or whose
        claimant stopped heartbeating before `stale_before`, oldest first, with their events.
        The update re-checks its condition on each row it locks (PostgreSQL re-reads a row a
        concurrent peer changed), so two replicas never both take one."""
        free = or_(
            and_(WebhookDelivery.claimant.is_(None), WebhookDelivery.heartbeat_at.is_not(None)),
            func.coalesce(WebhookDelivery.heartbeat_at, WebhookDelivery.created_at) < stale_before,
        )
        takeable = and_(
            SENDING,
            WebhookDelivery.url == url,
            free,
            or_(WebhookDelivery.claimant.is_(None), WebhookDelivery.claimant != claimant),
        )
        oldest = select(WebhookDelivery.id).where(takeable).order_by(WebhookDelivery.id)
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(oldest.limit(limit)), takeable)
            .values(claimant=claimant, replica=replica, heartbeat_at=now)
            .returning(WebhookDelivery.id)
        )
        ids = [row[0] for row in result.all()]
        if not ids:
            return []
        rows = await self.session.execute(
            select(WebhookDelivery, EventOutbox)
            .join(EventOutbox, EventOutbox.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.id.in_(ids))
            .order_by(WebhookDelivery.id)
        )
        return [(row[0], row[1]) for row in rows]

    async def last_event_id(self) -> int:
        return int(await self.session.scalar(select(func.max(WebhookDelivery.event_id))) or 0)
