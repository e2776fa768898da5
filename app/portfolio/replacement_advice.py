"""`ReplacementAdviceService`: replacement recommendations (`evaluate_portfolio_replacement`,
`GET /portfolio/replacement-candidates`'s and the proposals after each scoring run): the facts of
the portfolio, its recent scoring runs and the returns of the symbols involved, read from the
database and judged by the pure replacement policy (`app.portfolio.policy.replacement_rule`), the
same one replay uses.

The hysteresis reads every scoring run back through the one `replacement_confirmation_hours`
before the newest (~97 runs for 24 h at a 15-minute cadence): the newest run's composites are
read in full (they choose the outsiders), the older runs' only for the members and the outsiders
the policy may look at."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.market.repository.symbols import SymbolRepository
from app.platform.core.clock import utcnow
from app.portfolio.decision_inputs import hourly_log_returns
from app.portfolio.maths.correlation import pairwise_correlation
from app.portfolio.policy.replacement_facts import (
    CorrelationTable,
    MemberFact,
    OutsiderFact,
    RunScores,
    confirmation_span_ms,
)
from app.portfolio.policy.replacement_rule import outsiders_to_correlate, recommend
from app.portfolio.repository import PortfolioRepository
from app.portfolio.schemas.members import RecommendationRead, ReplacementCandidatesRead
from app.portfolio.settings import load_portfolio_config
from app.scoring.repository import ScoringRepository
from app.scoring.scorers.composite import COMPOSITE


class ReplacementAdviceService:
    """Replacement recommendations for the weakest members, with their reasons."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def evaluate_portfolio_replacement(
        self, now: datetime | None = None
    ) -> ReplacementCandidatesRead:
        """One recommendation per replacement candidate (bottom members by latest composite),
        with its reasons and blocking reasons, and the scoring runs the hysteresis read, newest
        first (`now`: when it is judged, by default now)."""
        now = utcnow() if now is None else now
        config = await load_portfolio_config(self.session)
        settings = config.policy.replacement
        rows = await PortfolioRepository(self.session).active()
        scoring = ScoringRepository(self.session)
        span = timedelta(milliseconds=confirmation_span_ms(settings.confirmation_hours))
        runs = await scoring.runs_spanning(span)
        run_ids = [r.id for r in runs]
        if not rows or not runs:
            return ReplacementCandidatesRead(evaluated_at=now, run_ids=run_ids, recommendations=[])
        newest = await scoring.component_scores(run_ids[:1], COMPOSITE)
        latest = RunScores(
            runs[0].id,
            {i: float(row.score) for i, row in newest[runs[0].id].items()},
            _ms(runs[0].started_at),
        )
        members = [
            MemberFact(
                r.symbol.id,
                r.symbol.symbol,
                r.member.seat,
                (now - r.member.included_at).total_seconds() / 3600,
            )
            for r in rows
        ]
        member_ids = {m.id for m in members}
        outsider_rows = await SymbolRepository(self.session).get_many(
            [i for i in latest.composite if i not in member_ids]
        )
        tradable = {
            s.id: s
            for s in outsider_rows
            if s.status == "Open" and s.is_eligible and s.delisted_at is None
        }
        outsiders = [OutsiderFact(s.id, s.symbol) for s in tradable.values()]
        # One correlation table over the members and every outsider the policy may look at.
        looked_at = outsiders_to_correlate(outsiders, latest, settings)
        symbols = [r.symbol for r in rows] + [tradable[o.id] for o in looked_at]
        older = await scoring.component_scores(
            run_ids[1:], COMPOSITE, [r.symbol.id for r in rows] + [o.id for o in looked_at]
        )
        scores = [latest] + [
            RunScores(
                run.id, {i: float(r.score) for i, r in older[run.id].items()}, _ms(run.started_at)
            )
            for run in runs[1:]
        ]
        returns = await hourly_log_returns(
            self.session, symbols, config.policy.correlation_window_hours, now
        )
        correlation = CorrelationTable([s.id for s in symbols], pairwise_correlation(returns))
        recommendations = recommend(
            members, outsiders, scores, correlation, settings, looked_at, _ms(now)
        )
        return ReplacementCandidatesRead(
            evaluated_at=now,
            run_ids=run_ids,
            recommendations=[RecommendationRead.model_validate(r) for r in recommendations],
        )


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)
