"""The score refresh, the `score_refresh` job's work: score the universe, then what follows a run
that scored, in its transaction: the portfolio's exits and replacement proposals
(`app.portfolio.after_scoring`, handed over by the app's state: scoring comes before the
portfolio)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.kucoin.exchange_errors import (
    BadResponse,
    CircuitOpen,
    ExchangeError,
    RateLimited,
    RequestRejected,
    Unavailable,
)
from app.platform.core.errors import PROBLEM_TYPE_PREFIX
from app.scoring.models import ScoringRun
from app.scoring.scoring_run import ScoringRunService


class AfterScoring(Protocol):
    """What follows a scoring run that scored, in the run's transaction."""

    @property
    def nothing_followed(self) -> dict[str, Any]:
        """The result's part when nothing followed (the run scored nothing)."""
        ...

    async def follow(self, session: AsyncSession, run: ScoringRun, actor: Actor) -> dict[str, Any]:
        """Act on the new run; what was done, as the job's result records it."""
        ...


@dataclass(frozen=True)
class ScoreRefresh:
    """What a score refresh did."""

    run_id: int
    scored: int
    excluded: int
    followed: dict[str, Any]  # what followed the run (`AfterScoring.follow`)
    unreachable: dict[str, Any] | None = None
    """The problem when KuCoin kept the run from scoring anything (the stored scores stand, and
    nothing was exited or proposed); None otherwise."""

    def result(self) -> dict[str, Any]:
        """As the job ledger records it."""
        return {
            "run_id": self.run_id,
            "scored": self.scored,
            "excluded": self.excluded,
            **self.followed,
        }


class ScoreRefreshService:
    """Scoring, then what follows from it."""

    def __init__(
        self, session: AsyncSession, scoring_runs: ScoringRunService, after: AfterScoring
    ) -> None:
        self.session = session
        self.scoring_runs = scoring_runs
        self.after = after

    async def refresh(self, *, actor: Actor) -> ScoreRefresh:
        run = await self.scoring_runs.calculate(triggered_by=actor.name)
        unreachable = nothing_scored_problem(run.scored_count, run.exclusions or {})
        if unreachable is not None:
            problem = {**unreachable, "scoring_run_id": run.id}
            return ScoreRefresh(
                run.id, run.scored_count, run.excluded_count, self.after.nothing_followed, problem
            )
        followed = await self.after.follow(self.session, run, actor)
        return ScoreRefresh(run.id, run.scored_count, run.excluded_count, followed)


def nothing_scored_problem(scored: int, exclusions: dict[str, Any]) -> dict[str, Any] | None:
    """The problem of a scoring run that scored nothing because KuCoin did not answer (its
    universe sync or its market-data fetches failed); None when it scored or KuCoin answered."""
    sync_error = exclusions.get("universe_sync")
    failures: dict[str, str] = exclusions.get("fetch_failures") or {}
    if scored or not (sync_error or failures):
        return None
    slug = sync_error or Counter(failures.values()).most_common(1)[0][0]
    kind = _EXCHANGE_ERRORS.get(slug, Unavailable)
    parts = ([f"universe sync: {sync_error}"] if sync_error else []) + (
        [f"{len(failures)} market-data fetches failed"] if failures else []
    )
    return {
        "type": PROBLEM_TYPE_PREFIX + kind.slug,
        "title": kind.title,
        "status": kind.status,
        "detail": f"nothing scored: KuCoin could not be reached ({'; '.join(parts)}); the "
        "stored scores stand and the next tick tries again",
        "universe_sync": sync_error,
        "fetch_failures": len(failures),
    }


_EXCHANGE_ERRORS: dict[str, type[ExchangeError]] = {
    kind.slug: kind
    for kind in (ExchangeError, Unavailable, CircuitOpen, RateLimited, BadResponse, RequestRejected)
}
