"""Trading signals: ingest, evaluate by the four agents and the consensus, list, summarise."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Signal, Symbol
from app.db.repositories.config import ConfigRepository
from app.db.repositories.events import EventRepository
from app.db.repositories.portfolio import PortfolioRepository
from app.db.repositories.scoring import ScoringRepository
from app.db.types import utcnow
from app.errors import NotFoundError
from app.exchange.gateway import KucoinGateway
from app.portfolio.correlation import pairwise_correlation
from app.schemas.signals import SignalCreate
from app.services.portfolio.market import hourly_log_returns, latest_scores
from app.services.signals.calibration import agent_records
from app.signals.agents import AGENTS, Limits, SignalFacts, vote_all
from app.signals.consensus import NO_QUORUM, decide

METRICS_USED = ("spread_bps", "impact_bps", "volatility_annualised", "funding_carry_bps_8h")


class SignalService:
    def __init__(self, session: AsyncSession, gateway: KucoinGateway) -> None:
        self.session = session
        self.gateway = gateway

    async def create(self, body: SignalCreate) -> Signal:
        symbol_row = None
        if body.symbol is not None:
            await self.gateway.ensure_converter_quietly()
            canonical = self.gateway.converter.to_standard(body.symbol)
            symbol_row = await PortfolioRepository(self.session).symbol_by_name(canonical)
            if symbol_row is None:
                raise NotFoundError(f"{canonical} is not in the synced universe")
        signal = Signal(
            source=body.source, symbol_id=symbol_row.id if symbol_row else None,
            symbol=symbol_row.symbol if symbol_row else None, signal_type=body.signal_type,
            direction=body.direction, strength=body.strength, confidence=body.confidence,
            timeframe=body.timeframe, payload=body.payload, status="pending",
            created_at=utcnow(), expires_at=body.expires_at, votes=[], consensus={},
        )  # fmt: skip
        self.session.add(signal)
        await self.session.flush()
        return signal

    async def process_pending(self, limit: int = 100) -> list[Signal]:
        """Evaluate pending signals (oldest first); expired ones are closed as expired."""
        pending = (
            await self.session.scalars(
                select(Signal)
                .where(Signal.status == "pending")
                .order_by(Signal.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
        now = utcnow()
        weights = {agent: r.weight for agent, r in (await agent_records(self.session)).items()}
        for signal in pending:
            if signal.expires_at is not None and signal.expires_at <= now:
                signal.status, signal.processed_at = "expired", now
                continue
            signal.status = "processing"
            await self._evaluate(signal, now, weights)
        await self.session.flush()
        return list(pending)

    async def _evaluate(self, signal: Signal, now: datetime, weights: dict[str, float]) -> None:
        votes = vote_all(await self._facts(signal, now))
        consensus = decide(votes, weights)
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
        ranked = sorted((scores.composite.get(r.symbol.id, -1.0), r.symbol.symbol) for r in rows)
        if outsider is None or not ranked or outsider <= ranked[0][0]:
            return
        weakest_score, weakest = ranked[0]
        await EventRepository(self.session).append(
            "replacement_proposed",
            {
                "member": weakest,
                "outsider": signal.symbol,
                "lead": round(outsider - weakest_score, 4),
                "reasons": [f"approved {signal.signal_type} BUY {signal.id} from {signal.source}"],
                "signal_id": signal.id,
                "consensus_share": share,
            },
        )

    async def _facts(self, signal: Signal, now: datetime) -> SignalFacts:
        config = await ConfigRepository(self.session).get_many(
            {"correlation_limit": 0.85, "stale_data_limit_s": 1800,
             "signal_max_spread_bps": 20.0, "signal_max_volatility": 1.5,
             "correlation_window_hours": 168}
        )  # fmt: skip
        limits = Limits(
            max_spread_bps=float(config["signal_max_spread_bps"]),
            max_volatility=float(config["signal_max_volatility"]),
            correlation_limit=float(config["correlation_limit"]),
            max_score_age_s=float(config["stale_data_limit_s"]),
        )
        if signal.symbol_id is None:
            return SignalFacts(signal.direction, {}, {}, None, limits=limits)
        scoring = ScoringRepository(self.session)
        run = await scoring.latest_run(with_scores=True)
        if run is None:
            return SignalFacts(signal.direction, {}, {}, None, limits=limits)
        rows = await scoring.scores_of(run.id, [signal.symbol_id])
        scores = {r.component: float(r.score) for r in rows if r.component in AGENTS}
        metrics: dict[str, float | None] = {}
        for row in rows:
            for metric in row.breakdown.get("metrics", []):
                if metric["name"] in METRICS_USED:
                    raw = metric["raw"]
                    metrics[metric["name"]] = float("inf") if metric.get("unbounded") else raw
        window = int(config["correlation_window_hours"])
        correlation = await self._correlation_to_portfolio(signal.symbol_id, window, now)
        age = (now - run.started_at).total_seconds()
        return SignalFacts(signal.direction, scores, metrics, age, correlation, limits)

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
        signal = await self.session.get(Signal, signal_id)
        if signal is None:
            raise NotFoundError(f"signal {signal_id} does not exist")
        return signal

    async def listing(
        self, *, statuses: Sequence[str], source: str | None, symbol: str | None, limit: int
    ) -> Sequence[Signal]:
        query = select(Signal).where(Signal.status.in_(statuses))
        if source is not None:
            query = query.where(Signal.source == source)
        if symbol is not None:
            await self.gateway.ensure_converter_quietly()
            query = query.where(Signal.symbol == self.gateway.converter.to_standard(symbol))
        return (await self.session.scalars(query.order_by(Signal.id.desc()).limit(limit))).all()

    async def statistics(self) -> dict[str, Any]:
        signals = (await self.session.scalars(select(Signal))).all()
        decided = [s for s in signals if s.status in ("approved", "rejected")]
        approved = sum(s.status == "approved" for s in decided)
        records = await agent_records(self.session)
        agents: dict[str, dict[str, Any]] = {a: {"votes": Counter()} for a in AGENTS}
        for s in decided:
            for vote in s.votes:
                agents[vote["agent"]]["votes"][vote["decision"]] += 1
        latencies = [
            (s.processed_at - s.created_at).total_seconds()
            for s in signals if s.processed_at is not None
        ]  # fmt: skip
        return {
            "total": len(signals),
            "by_status": dict(Counter(s.status for s in signals)),
            "by_source": dict(Counter(s.source for s in signals)),
            "by_type": dict(Counter(s.signal_type for s in signals)),
            "approval_rate": round(approved / len(decided), 6) if decided else None,
            "agents": {
                a: {"votes": dict(v["votes"]), **asdict(records[a])} for a, v in agents.items()
            },
            "no_quorum": sum(s.outcome == NO_QUORUM for s in signals),
            "average_processing_s": round(sum(latencies) / len(latencies), 6)
            if latencies
            else None,
        }
