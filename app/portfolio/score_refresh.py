"""The score refresh, the `score_refresh` job's work: score the universe, replace (or propose
replacing) the members that must exit, and announce the replacements the new scores justify
(with the runtime setting `autopilot` on, the `forward_record` job moves the portfolio to the
policy book's decisions instead)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.kucoin.errors import (
    BadResponse,
    CircuitOpen,
    ExchangeError,
    RateLimited,
    RequestRejected,
    Unavailable,
)
from app.platform.core.errors import PROBLEM_TYPE_PREFIX
from app.platform.db.repositories.events import EventRepository
from app.portfolio.member_exits import ExitOutcome, ExitService
from app.portfolio.service import MySymbolsService
from app.scoring.scoring_run import ScoringRunService


@dataclass(frozen=True)
class ScoreRefresh:
    """What a score refresh did."""

    run_id: int
    scored: int
    excluded: int
    exits: list[ExitOutcome]  # each member that had to exit
    replacements_proposed: list[list[str | None]]  # [member, outsider] pairs announced
    unreachable: dict[str, Any] | None = None
    """The problem when KuCoin kept the run from scoring anything (the stored scores stand, and
    nothing was exited or proposed); None otherwise."""

    def result(self) -> dict[str, Any]:
        """As the job ledger records it."""
        return {
            "run_id": self.run_id,
            "scored": self.scored,
            "excluded": self.excluded,
            "exits": [e.to_json() for e in self.exits],
            "replacements_proposed": self.replacements_proposed,
        }


class ScoreRefreshService:
    """Scoring, then the exits and the replacement proposals that follow from it."""

    def __init__(
        self,
        session: AsyncSession,
        scoring_runs: ScoringRunService,
        exits: ExitService,
        portfolio: MySymbolsService,
    ) -> None:
        self.session = session
        self.scoring_runs = scoring_runs
        self.exits = exits
        self.portfolio = portfolio

    async def refresh(self, *, actor: Actor) -> ScoreRefresh:
        run = await self.scoring_runs.calculate(triggered_by=actor.name)
        unreachable = nothing_scored_problem(run.scored_count, run.exclusions or {})
        if unreachable is not None:
            problem = {**unreachable, "scoring_run_id": run.id}
            return ScoreRefresh(run.id, run.scored_count, run.excluded_count, [], [], problem)
        exits = await self.exits.apply_exits(run, actor=actor)
        report = await self.portfolio.evaluate_portfolio_replacement()
        proposed = [r for r in report.recommendations if r.actionable]
        events = EventRepository(self.session)
        for rec in proposed:
            await events.append(
                "replacement_proposed",
                {
                    "member": rec.member,
                    "outsider": rec.outsider,
                    "lead": rec.lead,
                    "reasons": rec.reasons,
                    "scoring_run_id": run.id,
                },
            )
        return ScoreRefresh(
            run.id,
            run.scored_count,
            run.excluded_count,
            exits,
            [[r.member, r.outsider] for r in proposed],
        )


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
