"""The portfolio's job: the rebalance to the target weights."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import run_actor
from app.platform.runs.job import Job, JobSkipped
from app.portfolio.rebalance import MarketDataStale, RebalanceService
from app.portfolio.service import PortfolioState
from app.portfolio.settings import REBALANCE_INTERVAL_S


async def auto_rebalance(session: AsyncSession, state: PortfolioState) -> dict[str, Any]:
    """Rebalance the portfolio to its target weights (skipped while its inputs are stale)."""
    try:
        result = await RebalanceService(session, state.gateway, state.prices).rebalance_portfolio(
            dry_run=False, account_balance=None, positions=None, force=False, actor=run_actor()
        )
    except MarketDataStale as exc:
        raise JobSkipped(exc.detail) from exc  # frozen while inputs are stale
    return {"changes_applied": result.changes_applied, "history_id": result.history_id}


AUTO_REBALANCE = Job("auto_rebalance", REBALANCE_INTERVAL_S, auto_rebalance)
