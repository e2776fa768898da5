"""Scoring's job: the score refresh (`app.scoring.score_refresh`)."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import run_actor
from app.kucoin.gateway import WithGateway
from app.market.service import Holdings
from app.platform.runs.job import Degraded, Job
from app.scoring.score_refresh import AfterScoring, ScoreRefreshService
from app.scoring.scoring_run import ScoringRunService
from app.scoring.settings import SCORE_REFRESH_INTERVAL_S


class RefreshState(WithGateway, Protocol):
    """What the score refresh takes from the app's state: the lock that keeps one scoring run
    at a time, what the portfolio holds (kept on the shortlist) and what follows a run."""

    @property
    def scoring_lock(self) -> asyncio.Lock: ...

    @property
    def holdings(self) -> Holdings: ...

    @property
    def after_scoring(self) -> AfterScoring: ...


async def score_refresh(session: AsyncSession, state: RefreshState) -> dict[str, Any] | Degraded:
    """The score refresh (`app.scoring.score_refresh`); degraded when KuCoin kept it from
    scoring anything."""
    scoring_runs = ScoringRunService(session, state.gateway, state.scoring_lock, state.holdings)
    refreshed = await ScoreRefreshService(session, scoring_runs, state.after_scoring).refresh(
        actor=run_actor()
    )
    if refreshed.unreachable is not None:  # the stored scores stand; nothing to propose from
        return Degraded(refreshed.result(), refreshed.unreachable)
    return refreshed.result()


SCORE_REFRESH = Job("score_refresh", SCORE_REFRESH_INTERVAL_S, score_refresh)
