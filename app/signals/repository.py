"""Queries on `signal`: ingestion, the processing queue, listings, aggregate statistics and the
rows outcome measurement and calibration read; flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, defer, load_only

from app.signals.models import DECIDED, Signal

PAGE = 500  # rows a background pass holds at once
MEASURED_FROM = (
    Signal.id,
    Signal.evaluated_at,
    Signal.symbol_id,
    Signal.timeframe,
    Signal.direction,
    Signal.forward_return,
)
_DECIDED_SQL = "signal.status IN (" + ", ".join(f"'{s}'" for s in DECIDED) + ")"

# Each vote of each decided signal, counted by agent and decision inside the database.
VOTES_BY_AGENT = {
    "postgresql": text(
        "SELECT v->>'agent', v->>'decision', count(*) FROM signal, "
        "jsonb_array_elements(signal.votes) AS v "
        f"WHERE {_DECIDED_SQL} GROUP BY 1, 2"
    ),
    "sqlite": text(
        "SELECT json_extract(v.value, '$.agent'), json_extract(v.value, '$.decision'), count(*) "
        "FROM signal, json_each(signal.votes) AS v "
        f"WHERE {_DECIDED_SQL} GROUP BY 1, 2"
    ),
}


@dataclass(frozen=True)
class SignalCounts:
    total: int
    by_status: dict[str, int]
    by_source: dict[str, int]
    by_type: dict[str, int]
    with_outcome: int  # signals with the outcome asked about
    average_processing_s: float | None
    votes: dict[str, dict[str, int]]  # agent -> decision -> votes on decided signals


class SignalRepository:
    """The `signal` table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, signal: Signal) -> Signal:
        self.session.add(signal)
        await self.session.flush()
        return signal

    async def get(self, signal_id: int) -> Signal | None:
        return await self.session.get(Signal, signal_id)

    async def claim_pending(self, limit: int) -> Sequence[Signal]:
        """Pending signals, oldest first, locked so a concurrent processor skips them."""
        query = (
            select(Signal)
            .where(Signal.status == "pending")
            .order_by(Signal.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return (await self.session.scalars(query)).all()

    async def listing(
        self, *, statuses: Sequence[str], source: str | None, symbol: str | None, limit: int
    ) -> Sequence[Signal]:
        """The newest `limit` signals of `statuses`, without their payloads (lists leave them
        out: only the single read gives one)."""
        query = select(Signal).options(defer(Signal.payload)).where(Signal.status.in_(statuses))
        if source is not None:
            query = query.where(Signal.source == source)
        if symbol is not None:
            query = query.where(Signal.symbol == symbol)
        return (await self.session.scalars(query.order_by(Signal.id.desc()).limit(limit))).all()

    async def unmeasured_decided(self, *, after_id: int, limit: int = PAGE) -> Sequence[Signal]:
        """A page (by id, after `after_id`) of the decided directional signals on a symbol
        whose forward return is not measured yet, with only what measuring reads."""
        query = (
            select(Signal)
            .options(load_only(*MEASURED_FROM))
            .where(
                Signal.status.in_(DECIDED),
                Signal.forward_return.is_(None),
                Signal.symbol_id.is_not(None),
                Signal.evaluated_at.is_not(None),
                Signal.direction != "NEUTRAL",
                Signal.id > after_id,
            )
            .order_by(Signal.id)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def measured_votes(
        self, *, after_id: int, limit: int = PAGE
    ) -> list[tuple[int, float, list[dict[str, Any]]]]:
        """A page (by id, after `after_id`) of (id, forward return, votes) of the measured
        signals: what calibration learns from."""
        rows = await self.session.execute(
            select(Signal.id, Signal.forward_return, Signal.votes)
            .where(Signal.forward_return.is_not(None), Signal.id > after_id)
            .order_by(Signal.id)
            .limit(limit)
        )
        return [(int(i), float(r), list(v)) for i, r, v in rows.all()]

    async def counts(self, *, outcome: str) -> SignalCounts:
        """Totals by status, source and type, votes by agent, signals with `outcome`, and the
        mean processing time, each counted by the database."""
        by_status = await self._count_by(Signal.status)
        processed = Signal.processed_at.is_not(None)
        dialect = self.session.get_bind().dialect.name
        seconds = (
            func.extract("epoch", Signal.processed_at - Signal.created_at)
            if dialect == "postgresql"
            else (func.julianday(Signal.processed_at) - func.julianday(Signal.created_at)) * 86400
        )
        average = await self.session.scalar(select(func.avg(seconds)).where(processed))
        with_outcome = await self.session.scalar(
            select(func.count()).select_from(Signal).where(Signal.outcome == outcome)
        )
        votes: dict[str, dict[str, int]] = {}
        for agent, decision, n in (await self.session.execute(VOTES_BY_AGENT[dialect])).all():
            votes.setdefault(agent, {})[decision] = int(n)
        return SignalCounts(
            total=sum(by_status.values()),
            by_status=by_status,
            by_source=await self._count_by(Signal.source),
            by_type=await self._count_by(Signal.signal_type),
            with_outcome=int(with_outcome or 0),
            average_processing_s=None if average is None else float(average),
            votes=votes,
        )

    async def _count_by(self, column: InstrumentedAttribute[str]) -> dict[str, int]:
        rows = await self.session.execute(select(column, func.count()).group_by(column))
        return {key: int(n) for key, n in rows.all()}
