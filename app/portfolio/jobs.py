"""The portfolio's jobs: the score refresh (scoring, then the exits and the replacement proposals
that follow) and the rebalance to the target weights."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import run_actor
from app.platform.runs.job import Degraded, Job, JobSkipped
from app.portfolio.holdings import PortfolioHoldings
from app.portfolio.member_exits import ExitService
from app.portfolio.membership import MembershipService
from app.portfolio.rebalance import MarketDataStale
from app.portfolio.score_refresh import ScoreRefreshService
from app.portfolio.service import PortfolioState, my_symbols_service
from app.portfolio.settings import REBALANCE_INTERVAL_S
from app.scoring.scoring_run import ScoringRunService
from app.scoring.settings import SCORE_REFRESH_INTERVAL_S


class ScoringState(PortfolioState, Protocol):
    """What the score refresh takes from the app's state: the portfolio's, and the lock that
    keeps one scoring run at a time."""

    @property
    def scoring_lock(self) -> asyncio.Lock: ...


async def score_refresh(session: AsyncSession, state: ScoringState) -> dict[str, Any] | Degraded:
    """The score refresh (`app.portfolio.score_refresh`); degraded when KuCoin kept it from
    scoring anything."""
    scoring_runs = ScoringRunService(
        session, state.gateway, state.scoring_lock, PortfolioHoldings()
    )
    exits = ExitService(session, MembershipService(session, state.gateway, state.prices))
    portfolio = my_symbols_service(session, state)
    refreshed = await ScoreRefreshService(session, scoring_runs, exits, portfolio).refresh(
        actor=run_actor()
    )
    if refreshed.unreachable is not None:  # the stored scores stand; nothing to propose from
        return Degraded(refreshed.result(), refreshed.unreachable)
    return refreshed.result()


async def auto_rebalance(session: AsyncSession, state: PortfolioState) -> dict[str, Any]:
    """Rebalance the portfolio to its target weights (skipped while its inputs are stale)."""
    try:
        result = await my_symbols_service(session, state).rebalance_portfolio(
            dry_run=False, account_balance=None, positions=None, force=False, actor=run_actor()
        )
    except MarketDataStale as exc:
        raise JobSkipped(exc.detail) from exc  # frozen while inputs are stale
    return {"changes_applied": result.changes_applied, "history_id": result.history_id}


SCORE_REFRESH = Job("score_refresh", SCORE_REFRESH_INTERVAL_S, score_refresh)
AUTO_REBALANCE = Job("auto_rebalance", REBALANCE_INTERVAL_S, auto_rebalance)
