"""Alerts (`check_portfolio_alerts`): raise what is wrong, deduplicated by fingerprint with a
cooldown, resolve what no longer is; list and acknowledge."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.conditions import PORTFOLIO_ALERT_KINDS, Thresholds, current_conditions
from app.alerts.log import AlertLog
from app.alerts.models import Alert
from app.alerts.repository import AlertRepository
from app.alerts.schemas import AlertCheckRead, AlertRead
from app.kucoin.gateway import KucoinGateway
from app.platform.core.clock import utcnow
from app.platform.core.errors import ConflictError, NotFoundError
from app.platform.settings_store.reader import read_typed
from app.portfolio.repository import PortfolioRepository


class AlertService:
    """Raises, deduplicates and resolves the portfolio's alerts; lists and acknowledges them."""

    def __init__(self, session: AsyncSession, gateway: KucoinGateway) -> None:
        self.session = session
        self.gateway = gateway
        self.log = AlertLog(session)
        self.alerts = AlertRepository(session)

    async def check_portfolio_alerts(self) -> AlertCheckRead:
        """One pass over every alert kind, in the caller's transaction: the fingerprints raised
        (opened or reopened) now, still true (occurrences counted) and resolved."""
        now = utcnow()
        cooldown = timedelta(seconds=(await read_typed(self.session, Thresholds)).cooldown_s)
        conditions = await current_conditions(self.session, self.gateway, now)
        current = {c.fingerprint for c in conditions}
        raised: list[str] = []
        ongoing: list[str] = []
        resolved: list[str] = []
        before = {a.fingerprint for a in await self.log.unresolved(PORTFOLIO_ALERT_KINDS)}
        for c in conditions:
            await self.log.raise_or_touch(
                kind=c.kind,
                fingerprint=c.fingerprint,
                severity=c.severity,
                message=c.message,
                symbol=c.symbol,
                details=c.details,
                reopen_within=cooldown,
            )
            (ongoing if c.fingerprint in before else raised).append(c.fingerprint)
        repository = PortfolioRepository(self.session)
        for alert in await self.log.unresolved(PORTFOLIO_ALERT_KINDS):
            if alert.fingerprint in current:
                continue
            if alert.kind == "delisting" and not await self._tradable_again(repository, alert):
                continue  # raised by the universe sync for any contract: ends when it reopens
            alert.status, alert.resolved_at = "resolved", now
            resolved.append(alert.fingerprint)
        await self.session.flush()
        return AlertCheckRead(raised=raised, ongoing=ongoing, resolved=resolved)

    async def list_alerts(
        self, *, status: str | None, kind: str | None, limit: int, offset: int
    ) -> list[AlertRead]:
        """A page of the alerts of `status` and `kind`, most recently seen first."""
        rows = await self.alerts.page(status=status, kind=kind, limit=limit, offset=offset)
        return [AlertRead.model_validate(a) for a in rows]

    async def acknowledge(self, alert_id: int, *, actor: str) -> Alert:
        alert = await self.alerts.get(alert_id)
        if alert is None:
            raise NotFoundError(f"alert {alert_id} does not exist")
        if alert.status == "resolved":
            raise ConflictError(f"alert {alert_id} is already resolved")
        if alert.status != "acknowledged":
            alert.status, alert.acknowledged_at, alert.acknowledged_by = (
                "acknowledged",
                utcnow(),
                actor,
            )
            await self.session.flush()
        return alert

    @staticmethod
    async def _tradable_again(repository: PortfolioRepository, alert: Alert) -> bool:
        if alert.symbol is None:
            return True
        row = await repository.symbol_by_name(alert.symbol)
        return row is not None and row.status == "Open" and row.delisted_at is None
