"""Autopilot (the runtime setting `autopilot`): after a scheduled scoring run the policy runs the
real portfolio, in the replay's order (`app.replay.policy.step`). The exits come first (the exit
service, executed whatever `auto_replace_exits` says: the job asks for that); then this pass,
under the portfolio's lock: the confirmed replacements (the actionable recommendations of
`evaluate_replacements`), the vacancies filled from the run's ranking (`fill_vacancies`, within
the correlation limit) and the rebalance when a weight is past `rebalance_threshold_pct`.

Every change goes through the service the API uses (`MembershipService`, `rebalance`), audited
with actor `autopilot` and its reason in the job's transaction. The pass is one savepoint: a
failure undoes all of it and leaves the scoring run (and the exits) to commit. While the inputs
are stale (old scores, a member's old market data) it changes nothing, as automatic changes
freeze then.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.db.models import ScoringRun, Symbol
from app.db.repositories.portfolio import PortfolioRepository
from app.policy.replacement import Recommendation
from app.policy.selection import fill_vacancies
from app.services.market.prices import PriceCache
from app.services.market.universe import symbol_category
from app.services.portfolio.audit import Actor
from app.services.portfolio.config import PortfolioConfig, load_portfolio_config
from app.services.portfolio.membership import MembershipService
from app.services.portfolio.rebalance import MarketDataStale, rebalance, stale_inputs
from app.services.portfolio.replacement import assess_replacements
from app.services.system.runtime_settings import read_setting

AUTOPILOT = Actor("autopilot")


@dataclass(frozen=True)
class AutopilotPass:
    """What one pass did after scoring run `scoring_run_id`."""

    scoring_run_id: int
    replaced: list[dict[str, Any]] = field(default_factory=list)  # member, outsider, history_id
    blocked: list[dict[str, Any]] = field(default_factory=list)  # member, outsider, blocking
    added: list[dict[str, Any]] = field(default_factory=list)  # symbol, rank, history_id
    rebalance_history_id: int | None = None
    frozen: list[str] = field(default_factory=list)  # the stale inputs that stopped it

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class AutopilotService:
    """Applies the policy's replacements, vacancy fills and rebalance to the real portfolio."""

    def __init__(
        self, session: AsyncSession, membership: MembershipService, prices: PriceCache
    ) -> None:
        self.session = session
        self.membership = membership
        self.prices = prices
        self.portfolio = PortfolioRepository(session)

    async def is_on(self) -> bool:
        """The runtime setting `autopilot`."""
        return bool(await read_setting(self.session, "autopilot"))

    async def apply(self, run: ScoringRun) -> AutopilotPass:
        """One pass after `run` (the exits already applied), all of it or nothing of it."""
        async with self.session.begin_nested():
            return await self._apply(run)

    async def _apply(self, run: ScoringRun) -> AutopilotPass:
        await self.portfolio.lock()
        config = await load_portfolio_config(self.session)
        now = utcnow()
        rows = await self.portfolio.active()
        frozen = await stale_inputs(self.session, rows, config, now)
        if frozen:
            return AutopilotPass(run.id, frozen=frozen)
        plan = await plan_pass(self.session, config, now)
        replaced, added = [], []
        for rec in plan.replacements:
            assert rec.outsider is not None  # an actionable recommendation names its outsider
            change = await self.membership.replace_symbol(
                rec.member, rec.outsider, reason=_replacement_reason(rec), actor=AUTOPILOT
            )
            replaced.append(
                {"member": rec.member, "outsider": rec.outsider, "lead": rec.lead,
                 "history_id": change.history.id}
            )  # fmt: skip
        for symbol, score in plan.additions:
            reason = (
                f"autopilot: vacancy filled from scoring run {run.id}'s ranking "
                f"(composite {score:.2f}, correlation with every member below "
                f"{config.correlation_limit:g})"
            )
            change = await self.membership.add_symbol(symbol.symbol, reason=reason, actor=AUTOPILOT)
            added.append(
                {"symbol": symbol.symbol, "rank": change.history.new_rank,
                 "history_id": change.history.id}
            )  # fmt: skip
        blocked = [
            {"member": rec.member, "outsider": rec.outsider, "blocking": rec.blocking}
            for rec in plan.blocked
        ]
        try:
            result = await rebalance(
                self.session, self.prices, dry_run=False, account_balance=None, positions=None,
                force=False, actor=AUTOPILOT, now=utcnow(),
                reason=f"autopilot: a target weight moved past {config.rebalance_threshold_pct:g} "
                f"points after scoring run {run.id}",
            )  # fmt: skip
        except MarketDataStale as exc:  # a newcomer's market data: the weights stand
            return AutopilotPass(run.id, replaced, blocked, added, None, [exc.detail])
        return AutopilotPass(run.id, replaced, blocked, added, result.history_id)


@dataclass(frozen=True)
class Plan:
    """The membership changes a pass makes, in order (the replay's `step` decides the same)."""

    replacements: list[Recommendation]  # actionable, weakest member first
    blocked: list[Recommendation]
    additions: list[tuple[Symbol, float]]  # best first, with the newest run's composite


async def plan_pass(session: AsyncSession, config: PortfolioConfig, now: datetime) -> Plan:
    """The confirmed replacements, then the outsiders (best first) that fill the vacancies, each
    within the correlation limit of every member and of those added before it."""
    rows = await PortfolioRepository(session).active()
    vacancies = max(config.max_symbols - len(rows), 0)
    assessment = await assess_replacements(session, now, vacancies=vacancies)
    recommendations = assessment.report.recommendations
    replacements = [r for r in recommendations if r.actionable and r.outsider is not None]
    blocked = [r for r in recommendations if r not in replacements]
    if not vacancies or assessment.correlation is None:
        return Plan(replacements, blocked, [])
    by_name = {s.symbol: s.id for s in assessment.pool}
    swapped = {rec.member: by_name[rec.outsider or ""] for rec in replacements}
    held = [swapped.get(r.symbol.symbol, r.symbol.id) for r in rows]
    excluded = set(await read_setting(session, "excluded_categories"))
    by_id = {
        s.id: s
        for s in assessment.pool
        if s.id not in held and symbol_category(s) not in excluded  # changed since the run
    }
    chosen = fill_vacancies(
        held,
        list(by_id),
        assessment.correlation,
        places=config.max_symbols,
        correlation_limit=config.correlation_limit,
    )
    additions = [(by_id[i], assessment.composite[i]) for i in chosen]
    return Plan(replacements, blocked, additions)


def _replacement_reason(rec: Recommendation) -> str:
    return "autopilot: replacement confirmed: " + "; ".join(rec.reasons)
