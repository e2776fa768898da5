"""Trading signals: ingest, evaluate by the four agents and the consensus, list, summarise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.gateway import KucoinGateway
from app.market.models import Symbol
from app.market.settings import STALE_DATA_LIMIT_S
from app.platform.core.clock import utcnow
from app.platform.core.errors import NotFoundError
from app.platform.db.repositories.outbox import EventRepository
from app.platform.settings_store.declaration import between
from app.platform.settings_store.fields import declared_on, reads, setting
from app.platform.settings_store.reader import read_typed
from app.portfolio.decision_inputs import hourly_log_returns, latest_scores
from app.portfolio.maths.correlation import pairwise_correlation
from app.portfolio.policy.replacement_rule import ReplacementSettings, replacement_candidates
from app.portfolio.policy.settings import PolicySettings
from app.portfolio.repository import PortfolioRepository
from app.scoring.repository import ScoringRepository
from app.signals.models import Signal
from app.signals.outcomes import SignalOutcomeService
from app.signals.repository import SignalRepository
from app.signals.schemas import SignalCreate, SignalStatistics
from app.signals.voting.agents import AGENTS, Limits, SignalFacts, vote_all
from app.signals.voting.consensus import NO_QUORUM, ConsensusRule, decide

METRICS_USED = ("spread_bps", "impact_bps", "volatility_annualised", "funding_carry_bps_8h")


@dataclass(frozen=True)
class RuleSettings:
    """The runtime settings the agents and the consensus read."""

    max_spread_bps: float = field(
        metadata=setting(
            "signal_max_spread_bps",
            20.0,
            "The liquidity agent rejects a wider spread (bps).",
            between(0, 10_000),
        )
    )
    max_volatility: float = field(
        metadata=setting(
            "signal_max_volatility",
            1.5,
            "The risk agent rejects a higher annualised volatility.",
            between(0, 100),
        )
    )
    correlation_limit: float = field(
        metadata=reads(declared_on(ReplacementSettings, "correlation_limit"))
    )
    max_score_age_s: float = field(metadata=reads(STALE_DATA_LIMIT_S))
    max_funding_carry_bps: float = field(
        metadata=setting(
            "signal_max_funding_carry_bps",
            10.0,
            "The fundamental agent rejects a BUY whose longs pay more funding than this per 8 h "
            "(bps).",
            between(0, 10_000),
        )
    )
    quorum: int = field(
        metadata=setting(
            "signal_quorum",
            2,
            "Agents that must vote (not abstain) for a consensus.",
            between(1, 4),
        )
    )
    approve_share: float = field(
        metadata=setting(
            "signal_approve_share",
            0.5,
            "A signal is approved when the approving weight x confidence exceeds this share of the "
            "voting agents'.",
            between(0, 1),
        )
    )
    window: int = field(metadata=reads(declared_on(PolicySettings, "correlation_window_hours")))


class _Rules:
    """The agents' limits and the consensus rule, as the runtime settings hold them now."""

    def __init__(self, config: RuleSettings) -> None:
        self.limits = Limits(
            max_spread_bps=config.max_spread_bps,
            max_volatility=config.max_volatility,
            correlation_limit=config.correlation_limit,
            max_score_age_s=config.max_score_age_s,
            max_funding_carry_bps=config.max_funding_carry_bps,
        )
        self.consensus = ConsensusRule(quorum=config.quorum, approve_share=config.approve_share)
        self.window = config.window


class SignalService:
    """Ingests trading signals, has the agents vote on them, lists and summarises them."""

    def __init__(
        self, session: AsyncSession, gateway: KucoinGateway, outcomes: SignalOutcomeService
    ) -> None:
        self.session = session
        self.gateway = gateway
        self.outcomes = outcomes
        self.signals = SignalRepository(session)

    async def create(self, body: SignalCreate) -> Signal:
        symbol_row = None
        if body.symbol is not None:
            canonical = await self.gateway.canonical(body.symbol)
            symbol_row = await PortfolioRepository(self.session).symbol_by_name(canonical)
            if symbol_row is None:
                raise NotFoundError(f"{canonical} is not in the synced universe")
        signal = Signal(
            source=body.source,
            symbol_id=symbol_row.id if symbol_row else None,
            symbol=symbol_row.symbol if symbol_row else None,
            signal_type=body.signal_type,
            direction=body.direction,
            strength=body.strength,
            confidence=body.confidence,
            timeframe=body.timeframe,
            payload=body.payload,
            status="pending",
            created_at=utcnow(),
            expires_at=body.expires_at,
            votes=[],
            consensus={},
        )
        return await self.signals.add(signal)

    async def process_pending(self, limit: int = 100) -> list[Signal]:
        """Evaluate pending signals (oldest first); expired ones are closed as expired."""
        pending = await self.signals.claim_pending(limit)
        now = utcnow()
        weights = {agent: r.weight for agent, r in (await self.outcomes.agent_records()).items()}
        rules = _Rules(await read_typed(self.session, RuleSettings))
        for signal in pending:
            if signal.expires_at is not None and signal.expires_at <= now:
                signal.status, signal.processed_at = "expired", now
                continue
            signal.status = "processing"
            await self._evaluate(signal, now, weights, rules)
        await self.session.flush()
        return list(pending)

    async def _evaluate(
        self, signal: Signal, now: datetime, weights: dict[str, float], rules: _Rules
    ) -> None:
        votes = vote_all(await self._facts(signal, now, rules))
        consensus = decide(votes, weights, rules.consensus)
        signal.votes = [asdict(v) for v in votes]
        signal.consensus = asdict(consensus)
        signal.outcome = consensus.outcome
        signal.status = "approved" if consensus.outcome == "approved" else "rejected"
        signal.processed_at = signal.evaluated_at = now
        if signal.status == "approved" and signal.direction == "BUY":
            await self._nominate(signal, consensus.share)

    async def _nominate(self, signal: Signal, share: float | None) -> None:
        """An approved BUY on an outsider that outscores the weakest member nominates it as
        that member's replacement (an event only: nothing is executed)."""
        rows = await PortfolioRepository(self.session).active()
        if signal.symbol_id is None or any(r.symbol.id == signal.symbol_id for r in rows):
            return
        ids = [signal.symbol_id, *(r.symbol.id for r in rows)]
        scores = await latest_scores(self.session, ids)
        outsider = scores.composite.get(signal.symbol_id)
        weakest_ids = replacement_candidates(
            {r.symbol.id: r.member.seat for r in rows}, scores.composite, 1
        )
        if outsider is None or not weakest_ids:
            return
        weakest_row = next(r for r in rows if r.symbol.id == weakest_ids[0])
        weakest, weakest_score = weakest_row.symbol.symbol, scores.composite.get(weakest_ids[0])
        if weakest_score is not None and outsider <= weakest_score:
            return
        await EventRepository(self.session).append(
            "replacement_proposed",
            {
                "member": weakest,
                "outsider": signal.symbol,
                "lead": None if weakest_score is None else round(outsider - weakest_score, 4),
                "reasons": [f"approved {signal.signal_type} BUY {signal.id} from {signal.source}"],
                "signal_id": signal.id,
                "consensus_share": share,
            },
        )

    async def _facts(self, signal: Signal, now: datetime, rules: _Rules) -> SignalFacts:
        limits = rules.limits
        if signal.symbol_id is None:
            return SignalFacts(signal.direction, {}, {}, None, limits)
        scoring = ScoringRepository(self.session)
        run = await scoring.latest_run(with_scores=True)
        if run is None:
            return SignalFacts(signal.direction, {}, {}, None, limits)
        rows = await scoring.scores_of(run.id, [signal.symbol_id])
        scores = {r.component: float(r.score) for r in rows if r.component in AGENTS}
        metrics: dict[str, float | None] = {}
        for row in rows:
            for metric in row.breakdown.get("metrics", []):
                if metric["name"] in METRICS_USED:
                    raw = metric["raw"]
                    metrics[metric["name"]] = float("inf") if metric.get("unbounded") else raw
        correlation = await self._correlation_to_portfolio(signal.symbol_id, rules.window, now)
        age = (now - run.started_at).total_seconds()
        return SignalFacts(signal.direction, scores, metrics, age, limits, correlation)

    async def _correlation_to_portfolio(
        self, symbol_id: int, hours: int, now: datetime
    ) -> float | None:
        members = [r.symbol for r in await PortfolioRepository(self.session).active()]
        others = [m for m in members if m.id != symbol_id]
        target = await self.session.get(Symbol, symbol_id)
        if not others or target is None:
            return None
        returns = await hourly_log_returns(self.session, [target, *others], hours, now)
        corr = pairwise_correlation(returns)[0, 1:]
        return None if np.isnan(corr).all() else float(np.nanmax(corr))

    async def get(self, signal_id: int) -> Signal:
        signal = await self.signals.get(signal_id)
        if signal is None:
            raise NotFoundError(f"signal {signal_id} does not exist")
        return signal

    async def listing(
        self, *, statuses: Sequence[str], source: str | None, symbol: str | None, limit: int
    ) -> Sequence[Signal]:
        canonical = None if symbol is None else await self.gateway.canonical(symbol)
        return await self.signals.listing(
            statuses=statuses, source=source, symbol=canonical, limit=limit
        )

    async def statistics(self) -> SignalStatistics:
        """Counts by status, source and type, the approval rate, each agent's votes and
        record, no-quorum outcomes and the mean processing time."""
        counts = await self.signals.counts(outcome=NO_QUORUM)
        approved, rejected = (
            counts.by_status.get("approved", 0),
            counts.by_status.get("rejected", 0),
        )
        records = await self.outcomes.agent_records()
        average = counts.average_processing_s
        return SignalStatistics(
            total=counts.total,
            by_status=counts.by_status,
            by_source=counts.by_source,
            by_type=counts.by_type,
            approval_rate=round(approved / (approved + rejected), 6)
            if approved + rejected
            else None,
            agents={a: {"votes": counts.votes.get(a, {}), **asdict(records[a])} for a in AGENTS},
            no_quorum=counts.with_outcome,
            average_processing_s=None if average is None else round(average, 6),
        )


def signal_service(session: AsyncSession, gateway: KucoinGateway) -> SignalService:
    """The signal service and its outcome measurer on one session: the router's and the jobs'."""
    return SignalService(session, gateway, SignalOutcomeService(session))
