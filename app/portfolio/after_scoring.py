"""What follows a scoring run that scored, in its transaction (the score refresh's
`AfterScoring`, `app.scoring.score_refresh`): the members that must exit are replaced (or their
replacement proposed), and the replacements the new scores justify are announced (with the
runtime setting `autopilot` on, the `forward_record` job moves the portfolio to the policy
book's decisions instead)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.actor import Actor
from app.platform.db.repositories.outbox import EventRepository
from app.portfolio.member_exits import ExitService
from app.portfolio.replacement_advice import ReplacementAdviceService
from app.portfolio.service import PortfolioState, my_symbols_service
from app.scoring.models import ScoringRun


class ExitsAndProposals:
    """The portfolio's answer to a new scoring run."""

    def __init__(self, state: PortfolioState) -> None:
        self.state = state

    @property
    def nothing_followed(self) -> dict[str, Any]:
        return {"exits": [], "replacements_proposed": []}

    async def follow(self, session: AsyncSession, run: ScoringRun, actor: Actor) -> dict[str, Any]:
        """The exits, then the replacement proposals (`replacement_proposed` events)."""
        exits = ExitService(session, my_symbols_service(session, self.state))
        exited = await exits.apply_exits(run, actor=actor)
        report = await ReplacementAdviceService(session).evaluate_portfolio_replacement()
        proposed = [r for r in report.recommendations if r.actionable]
        events = EventRepository(session)
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
        return {
            "exits": [e.to_json() for e in exited],
            "replacements_proposed": [[r.member, r.outsider] for r in proposed],
        }
