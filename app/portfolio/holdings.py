"""What the portfolio tells the domains below it that it holds: the market's `Holdings`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.portfolio.repository import PortfolioRepository


class PortfolioHoldings:
    """The active members' symbols (`app.market.service.Holdings`): a universe sync alerts a
    member's delisting as critical, a scoring run keeps the members on its shortlist."""

    async def symbol_ids(self, session: AsyncSession) -> set[int]:
        """The active members' symbol ids, read in `session` (the caller's transaction)."""
        return await PortfolioRepository(session).active_symbol_ids()
