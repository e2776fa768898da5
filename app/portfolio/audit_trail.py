"""`AuditTrailService`: the portfolio's audit trail read back: its rows, newest first
(`GET /portfolio/history`), and the dated membership they make (`GET /portfolio/timeline`, the
document of `app.portfolio.timeline_export`). Each row is written in its change's transaction
(`app.portfolio.audit`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.gateway import KucoinGateway
from app.platform.core.clock import utcnow
from app.platform.core.errors import ValidationFailedError
from app.platform.settings_store.reader import read_setting
from app.portfolio.maths.membership_intervals import State, tile
from app.portfolio.repository import PortfolioRepository
from app.portfolio.schemas.members import HistoryRead
from app.portfolio.settings import TIMELINE_MAX_DAYS
from app.portfolio.timeline_export import Timeline, forms_for, in_rank_order


class AuditTrailService:
    """The portfolio's changes as the audit trail recorded them, row by row or as a timeline."""

    def __init__(self, session: AsyncSession, gateway: KucoinGateway) -> None:
        self.session = session
        self.gateway = gateway
        self.portfolio = PortfolioRepository(session)

    async def get_history(
        self, *, since: datetime | None, symbol: str | None, limit: int
    ) -> list[HistoryRead]:
        """The audit rows, newest first, since `since` and naming `symbol` (in any form), as
        the member or as the one it replaced."""
        canonical = None if symbol is None else await self.gateway.canonical(symbol)
        rows = await self.portfolio.history(since=since, symbol=canonical, limit=limit)
        return [HistoryRead.model_validate(r) for r in rows]

    async def get_timeline(self, start: datetime | None, end: datetime | None) -> Timeline:
        """The dated membership over [start, end) from the audit trail (`start` None: from its
        first row, at most `timeline_max_days` before `end`; `end` None: now); a range that is
        not forwards, or longer than that, is a 422. An `end` beyond now is now, and a `start`
        beyond it too (nothing is held in the future; the answer says it was clamped), so a
        backtester sending a future end is answered, with what was held up to now."""
        now = utcnow()
        end = now if end is None else end
        if start is not None and start >= end:
            raise ValidationFailedError("from must be before to (to defaults to now)")
        clamped = end > now
        if clamped:
            end = now
            start = None if start is None else min(start, now)
        longest = timedelta(days=await read_setting(self.session, TIMELINE_MAX_DAYS, int))
        if start is not None and end - start > longest:
            raise ValidationFailedError(
                f"from..to spans {(end - start) / timedelta(days=1):.1f} days; at most "
                f"{longest.days} (runtime setting timeline_max_days): ask for it in pieces",
                extra={"timeline_max_days": longest.days},
            )
        return await self.timeline(start, end, earliest=end - longest, clamped_to_now=clamped)

    async def timeline(
        self,
        start: datetime | None,
        end: datetime,
        *,
        earliest: datetime,
        clamped_to_now: bool = False,
    ) -> Timeline:
        """The audit trail's timeline over [start, end) (`start` None: from its first row, or
        from `earliest` if that is later; `clamped_to_now`: `end` is now, as the `to` asked for
        lay beyond it)."""
        if start is None:
            start = min(max(await self.portfolio.first_change_at() or end, earliest), end)
        states = [
            State(at, in_rank_order(members), reason or action)
            for at, action, reason, members in await self.portfolio.states_between(start, end)
        ]
        intervals = tile(states, start, end)
        forms = await forms_for(self.session, intervals)
        return Timeline(start, end, "audit", intervals, forms, clamped_to_now)
